"""Messages to participants: staff write one, choose its audience, see who receives what, and send it
once, through the task worker; failures can be sent again, and nobody receives a message twice."""

import datetime
import logging
import re
from html import unescape

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from registration import audience
from registration.models import Message, MessageRecipient, OutgoingEmail, SeatStatus
from secretariat import services
from secretariat.roles import CHECK_IN_DESK
from secretariat.tasks import write_message_emails
from tests import factories
from tests.html_forms import form_data
from tests.registration.test_email_queue import DATABASE_QUEUE, run_worker
from tests.secretariat.message_support import (
    ADD,
    CHANGELIST,
    REFUSING_BACKEND,
    UNREACHABLE,
    confirm,
    followed_messages,
    page,
    secretary_client,
    send_again_page,
    send_page,
)

pytestmark = pytest.mark.django_db


def person(conference, name, **fields):
    return factories.ParticipantFactory(
        conference=conference, family_name=name, email=f"{name.lower()}@example.org", **fields
    )


@pytest.fixture
def world(conference):
    """A conference's participants in every status, a session with seats, and another conference's."""
    people = {
        "Amara": person(conference, "Amara", approved=True),
        "Benoit": person(conference, "Benoit", approved=True, language="fr"),
        "Chen": person(conference, "Chen", approved=True, ngo=True, language="zh-hans"),
        "Dimitri": person(conference, "Dimitri"),  # pending
        "Elif": person(conference, "Elif", rejected=True),
        "Farah": person(conference, "Farah", status="cancelled"),  # withdrawn
        "Goran": person(conference, "Goran", waitlisted=True),
        "Hana": person(conference, "Hana", waitlisted=True, ngo=True),
        "Ines": person(conference, "Ines", approved=True, anonymized_at=timezone.now()),
        "Other": person(factories.ConferenceFactory(), "Other", approved=True),
    }
    session = factories.SessionFactory(conference=conference, seat_limit=2, title="Border security")
    for name, status in [("Amara", "held"), ("Chen", "held"), ("Benoit", "waitlisted"), ("Dimitri", "pending")]:
        factories.SeatRequestFactory(participant=people[name], session=session, status=status)
    factories.SeatRequestFactory(participant=people["Farah"], session=session, status=SeatStatus.CANCELLED)
    delegation = factories.DelegationFactory(conference=conference)
    for name, withdrawn in [("Amara", False), ("Dimitri", False), ("Goran", False), ("Benoit", True)]:
        factories.DelegationMemberFactory(
            delegation=delegation, participant=people[name], withdrawn_at=timezone.now() if withdrawn else None
        )
    return {"people": people, "session": session, "conference": conference, "delegation": delegation}


def names(participants):
    return sorted(participant.family_name for participant in participants)


@pytest.mark.parametrize(
    ("group", "chosen", "expected"),
    [
        ("approved", {}, ["Amara", "Benoit", "Chen"]),
        ("category", {"category": "member_state"}, ["Amara", "Benoit"]),
        ("category", {"category": "civil_society"}, ["Chen"]),
        ("session", {"session": True}, ["Amara", "Chen"]),
        ("waiting_list", {}, ["Goran", "Hana"]),
        ("delegation", {"delegation": True}, ["Amara"]),  # its approved members, not withdrawn
    ],
)
def test_audience_of_each_group_leaves_out_who_must_not_receive_it(world, group, chosen, expected):
    chosen = {name: world[name] if value is True else value for name, value in chosen.items()}
    message = factories.MessageFactory(conference=world["conference"], audience=group, **chosen)

    assert names(audience.members(message)) == expected


def test_database_refuses_an_audience_without_what_it_needs(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.MessageFactory(conference=world["conference"], audience="session")


def test_preview_shows_the_count_and_the_email_as_a_recipient_gets_it(world):
    client = secretary_client()
    message = factories.MessageFactory(conference=world["conference"], audience="category", category="member_state")

    response = client.get(send_page(message))

    html = response.content.decode()
    preview = response.context["preview"]
    assert (response.status_code, preview.count, preview.languages) == (200, 2, [("en", 1, "en"), ("fr", 1, "en")])
    assert [
        (language, participant.family_name, subject) for language, participant, subject, _text in preview.samples
    ] == [("en", "Amara", "Practical information")]
    assert preview.samples[0][3].startswith("Dear Amina Amara,\n\nThe conference opens at 10:00.\nPlease come early.")
    assert '<input type="submit" class="default" value="Send to 2 participants">' in html
    assert '<input type="hidden" name="expected" value="2">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert (Message.objects.get().state, len(mail.outbox)) == ("draft", 0)


def test_preview_of_an_empty_audience_offers_no_sending(conference):
    message = factories.MessageFactory(conference=conference, audience="waiting_list")

    html = secretary_client().get(send_page(message)).content.decode()

    assert "Nobody is in this audience" in html
    assert 'name="expected"' not in html


def test_sending_goes_through_the_worker_to_each_recipient(world, django_capture_on_commit_callbacks):
    client = secretary_client()
    message = factories.MessageFactory(conference=world["conference"])

    response = confirm(client, message, 3, django_capture_on_commit_callbacks)

    message.refresh_from_db()
    progress = client.get(page(message))
    assert (response.status_code, response["Location"]) == (302, page(message))
    assert sorted(m.to[0] for m in mail.outbox) == ["amara@example.org", "benoit@example.org", "chen@example.org"]
    assert {m.subject for m in mail.outbox} == {"Practical information"}
    assert (message.state, message.sent_by.email, message.sent_at is not None) == ("sent", "secretary@un.org", True)
    assert sorted(
        MessageRecipient.objects.values_list("participant__family_name", "email__delivery", "email__kind")
    ) == [("Amara", "sent", "message"), ("Benoit", "sent", "message"), ("Chen", "sent", "message")]
    assert (progress.context["finished"], progress.context["failed_recipients"]) == (True, [])
    assert (progress.context["message"].sent_count, progress.context["message"].recipient_count) == (3, 3)
    assert ("3 of 3 sent" in progress.content.decode(), "Send again" in progress.content.decode()) == (True, False)
    assert response.notes == ["The message is being sent to 3 participants."]


@pytest.mark.django_db(transaction=True)
def test_sending_only_queues_the_work_and_a_worker_does_it(world, settings, staff_client):
    settings.TASKS = DATABASE_QUEUE
    message = factories.MessageFactory(conference=world["conference"])

    with TestCase.captureOnCommitCallbacks(execute=True):
        staff_client.post(send_page(message), {"expected": "3"})
    before_worker = (Message.objects.get().state, len(mail.outbox), DBTaskResult.objects.ready().count())
    run_worker()

    assert before_worker == ("sending", 0, 1)
    assert (Message.objects.get().state, len(mail.outbox)) == ("sent", 3)
    assert set(OutgoingEmail.objects.values_list("delivery", flat=True)) == {"sent"}


def test_progress_while_the_worker_has_not_written_the_emails(world, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker yet
    client = secretary_client()
    message = factories.MessageFactory(conference=world["conference"])

    confirm(client, message, 3, django_capture_on_commit_callbacks)
    progress = client.get(page(message))

    html = progress.content.decode()
    shown = progress.context["message"]
    assert (shown.state, shown.waiting_count, shown.sent_count) == ("sending", 3, 0)
    assert progress.context["finished"] is False
    assert ("Being sent" in html, "0 of 3 sent" in html, 'data-finished="false"' in html) == (True, True, True)
    assert mail.outbox == []


def test_each_recipient_gets_the_text_of_their_language_or_the_common_one(world, django_capture_on_commit_callbacks):
    message = factories.MessageFactory(
        conference=world["conference"],
        subject_fr="Informations pratiques",
        body_fr="La conférence s'ouvre à 10 heures.",
    )

    confirm(secretary_client(), message, 3, django_capture_on_commit_callbacks)

    received = {m.to[0].split("@")[0]: m for m in mail.outbox}
    assert {name: m.subject for name, m in received.items()} == {
        "amara": "Practical information",
        "benoit": "Informations pratiques",
        "chen": "Practical information",  # no text in Chinese: the common one
    }
    assert "La conférence s'ouvre à 10 heures." in received["benoit"].body
    assert "Please come early." not in received["benoit"].body
    assert "The conference opens at 10:00.\nPlease come early." in received["chen"].body
    assert sorted(MessageRecipient.objects.values_list("participant__family_name", "language")) == [
        ("Amara", "en"),
        ("Benoit", "fr"),
        ("Chen", "en"),
    ]


def test_html_in_the_text_is_shown_as_typed_with_its_line_breaks(world, django_capture_on_commit_callbacks):
    message = factories.MessageFactory(
        conference=world["conference"],
        audience="category",
        category="civil_society",
        body_en='<script>alert("x")</script> & <b>bold</b>\nSecond line',
    )

    confirm(secretary_client(), message, 1, django_capture_on_commit_callbacks)

    (email,) = mail.outbox
    html = email.alternatives[0][0]
    assert '<script>alert("x")</script> & <b>bold</b>\nSecond line' in email.body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;<br>Second line" in html
    assert ("<script>" in html, "<b>" in html) == (False, False)


def test_send_again_queues_only_the_failed_emails(world, settings, django_capture_on_commit_callbacks, caplog):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    benoit = world["people"]["Benoit"]
    benoit.email = f"benoit{UNREACHABLE}"
    benoit.save()
    client = secretary_client()
    message = factories.MessageFactory(conference=world["conference"])
    with caplog.at_level(logging.CRITICAL):
        confirm(client, message, 3, django_capture_on_commit_callbacks)
    progress = client.get(page(message))
    first = sorted(m.to[0] for m in mail.outbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send_again_page(message))

    assert first == ["amara@example.org", "chen@example.org"]
    assert (progress.context["message"].failed_count, progress.context["finished"]) == (1, True)
    assert [r.participant.family_name for r in progress.context["failed_recipients"]] == ["Benoit"]
    assert "ConnectionRefusedError" in progress.content.decode()
    assert 'value="Send again to the recipients whose email failed"' in progress.content.decode()
    assert [m.to[0] for m in mail.outbox[2:]] == [f"benoit{UNREACHABLE}"]
    assert sorted(OutgoingEmail.objects.values_list("to", "delivery", "attempts")) == [
        ("amara@example.org", "sent", 1),
        (f"benoit{UNREACHABLE}", "sent", 2),
        ("chen@example.org", "sent", 1),
    ]
    assert followed_messages(client, response) == ["1 email that had failed is queued to be sent again."]


def test_send_again_action_from_the_list_sends_nothing_that_was_sent(world, django_capture_on_commit_callbacks):
    client = secretary_client()
    message = factories.MessageFactory(conference=world["conference"])
    confirm(client, message, 3, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGELIST, {"action": "send_again", "index": "0", "_selected_action": [message.pk]})

    assert (response.status_code, len(mail.outbox)) == (302, 3)
    assert followed_messages(client, response) == ["0 emails that had failed are queued to be sent again."]


def test_sending_twice_sends_once(world, django_capture_on_commit_callbacks):
    client = secretary_client()
    message = factories.MessageFactory(conference=world["conference"])
    confirm(client, message, 3, django_capture_on_commit_callbacks)

    again = confirm(client, message, 3, django_capture_on_commit_callbacks)
    write_message_emails.enqueue(message.pk)  # the worker given the same message again

    assert (len(mail.outbox), MessageRecipient.objects.count(), OutgoingEmail.objects.count()) == (3, 3, 3)
    assert (again.status_code, again["Location"]) == (302, page(message))
    assert again.notes == ["This message was sent already; it is not sent again."]


def test_worker_stopped_halfway_is_resumed_without_writing_twice(world, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = secretary_client()
    message = factories.MessageFactory(conference=world["conference"])
    confirm(client, message, 3, django_capture_on_commit_callbacks)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    first = MessageRecipient.objects.select_related("participant__conference").order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        first.email, first.language = services.emails.queue_message(first.participant, message)
        first.save()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(send_again_page(message))

    message.refresh_from_db()
    assert (message.state, len(mail.outbox), OutgoingEmail.objects.count()) == ("sent", 3, 3)
    assert sorted(m.to[0] for m in mail.outbox) == ["amara@example.org", "benoit@example.org", "chen@example.org"]


def test_audience_changed_since_the_preview_sends_nothing(world, django_capture_on_commit_callbacks):
    client = secretary_client()
    message = factories.MessageFactory(conference=world["conference"])

    response = confirm(client, message, 2, django_capture_on_commit_callbacks)

    message.refresh_from_db()
    assert (response["Location"], message.state, len(mail.outbox), MessageRecipient.objects.count()) == (
        send_page(message),
        "draft",
        0,
        0,
    )
    assert response.notes == [
        "Nothing was sent: the audience changed since the preview, and is now 3 participants. "
        "Please check the preview again."
    ]


def test_sent_message_cannot_be_changed(world, django_capture_on_commit_callbacks):
    client = secretary_client()
    message = factories.MessageFactory(conference=world["conference"])
    url = page(message)
    data = form_data(client.get(url).content.decode())
    confirm(client, message, 3, django_capture_on_commit_callbacks)

    client.post(url, data | {"subject_en": "Changed"})

    message.refresh_from_db()
    assert (message.subject_en, message.state) == ("Practical information", "sent")


def test_sessions_of_one_title_told_apart_by_day_time_and_room(world):
    conference = world["conference"]
    day = world["session"].date
    room = factories.RoomFactory(venue=conference.venue, name="Conference Room 4")
    for other_day, hour in [(day, 15), (day + datetime.timedelta(days=1), 11)]:
        factories.SessionFactory(
            conference=conference,
            title="Border security",
            seat_limit=10,
            date=other_day,
            starts_at=factories.local_time(conference, other_day, hour),
            room=room,
        )

    html = secretary_client().get(ADD).content.decode()

    options = re.findall(r'<option value="\d+">([^<]*Border security[^<]*)</option>', html)
    assert len(set(options)) == len(options) == 3
    next_day = day + datetime.timedelta(days=1)
    label = f"{conference.title}: {next_day:%A} {next_day.day} {next_day:%B} {next_day.year} · 11:00–12:00 EDT"
    assert f"{label} · Border security · Conference Room 4" in [unescape(option) for option in options]


def test_write_a_message_and_go_to_its_preview(world):
    client = secretary_client()
    data = form_data(client.get(ADD).content.decode())
    data |= {
        "conference": world["conference"].pk,
        "audience": "session",
        "session": world["session"].pk,
        "category": "media",  # chosen before the group changed: not kept
        "subject_en": "Border security: room change",
        "body_en": "The session moves to Conference Room 4.",
        "_preview": "1",
    }

    response = client.post(ADD, data)

    message = Message.objects.get()
    assert (response.status_code, response["Location"]) == (302, send_page(message))
    assert (message.audience, message.session, message.category, message.state) == (
        "session",
        world["session"],
        "",
        "draft",
    )
    assert message.created_by.email == "secretary@un.org"
    assert client.get(response["Location"]).context["preview"].count == 2


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"audience": "session"}, {"session": ["This audience needs one to be chosen."]}),
        ({"audience": "category"}, {"category": ["This audience needs one to be chosen."]}),
        ({"audience": "session", "session": "other"}, {"session": ["This is not part of the message's conference."]}),
        (
            {"subject_fr": "Informations pratiques"},
            {"body_fr": ["A subject and a message go together: write both in this language, or neither."]},
        ),
        ({"subject_en": "Line one\nLine two"}, {"subject_en": ["A subject is one line."]}),
    ],
)
def test_message_form_refuses_an_incomplete_message(world, changes, errors):
    client = secretary_client()
    if changes.get("session") == "other":
        changes["session"] = factories.SessionFactory(seat_limit=10).pk
    data = form_data(client.get(ADD).content.decode())
    data |= {"conference": world["conference"].pk, "subject_en": "Subject", "body_en": "Text"} | changes

    response = client.post(ADD, data)

    assert (response.status_code, response.context["adminform"].form.errors) == (200, errors)
    assert Message.objects.count() == 0


def test_a_draft_can_be_deleted_a_sent_message_cannot(world, django_capture_on_commit_callbacks):
    from django.urls import reverse

    client = secretary_client()
    draft = factories.MessageFactory(conference=world["conference"], subject_en="Draft")
    sent = factories.MessageFactory(conference=world["conference"])
    confirm(client, sent, 3, django_capture_on_commit_callbacks)

    deleted = client.post(reverse("admin:registration_message_delete", args=[draft.pk]), {"post": "yes"})
    refused = client.post(reverse("admin:registration_message_delete", args=[sent.pk]), {"post": "yes"})

    assert (deleted.status_code, refused.status_code) == (302, 403)
    assert list(Message.objects.values_list("subject_en", flat=True)) == ["Practical information"]


@pytest.mark.parametrize("url", ["changelist", "add", "send", "change"])
def test_only_staff_with_the_permission_reach_messages(world, client, url):
    message = factories.MessageFactory(conference=world["conference"])
    address = {"changelist": CHANGELIST, "add": ADD, "send": send_page(message), "change": page(message)}[url]
    participant = world["people"]["Amara"].user
    client.force_login(participant)
    refused_participant = client.get(address).status_code
    client.force_login(factories.StaffUserFactory(groups=[CHECK_IN_DESK]))
    refused_desk = client.get(address).status_code

    allowed = secretary_client().get(address).status_code

    assert (refused_participant, refused_desk, allowed) == (403, 403, 200)


def test_sending_needs_a_post_from_staff(world, client):
    message = factories.MessageFactory(conference=world["conference"])
    client.force_login(world["people"]["Amara"].user)

    refused = client.post(send_page(message), {"expected": "3"})
    looked = secretary_client().get(send_page(message))

    message.refresh_from_db()
    assert (refused.status_code, looked.status_code, message.state, len(mail.outbox)) == (403, 200, "draft", 0)


def test_changelist_shows_each_messages_progress(world, django_capture_on_commit_callbacks):
    client = secretary_client()
    factories.MessageFactory(conference=world["conference"], subject_en="Still a draft")
    sent = factories.MessageFactory(conference=world["conference"])
    confirm(client, sent, 3, django_capture_on_commit_callbacks)

    html = client.get(CHANGELIST).content.decode()

    assert ("3 of 3 sent, 0 failed" in html, "Still a draft" in html) == (True, True)
