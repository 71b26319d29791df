"""The messages the Secretariat sent to a registration, on its page: each in the language it was
received in, dated in the conference's time zone, and only on the page of the person it went to."""

import re

import pytest
from django.urls import reverse

from registration.models import Message
from secretariat import services
from tests import factories
from tests.registration.support import july_1, utc

pytestmark = pytest.mark.django_db


def detail(participant):
    return reverse("registration:detail", kwargs={"reference": participant.reference})


def sent(conference, capture, sent_at=None, **fields):
    """A message to all approved participants of `conference`, sent; `sent_at` replaces its sending time."""
    message = factories.MessageFactory(conference=conference, **fields)
    with capture(execute=True):
        services.send_message(message, by=None, expected=message.conference.participants.approved().count())
    if sent_at:
        Message.objects.filter(pk=message.pk).update(sent_at=sent_at)
    return message


@pytest.fixture
def own(person, conference):
    return factories.ParticipantFactory(user=person, conference=conference, approved=True, language="fr")


def shown(html):
    """(subject, language, date, text) of each message on the page."""
    return [
        (subject, language, re.sub(r"<[^>]+>", "", date), " ".join(re.sub(r"<[^>]+>", " ", body).split()))
        for language, subject, date, body in re.findall(
            r'<h3 class="h5 mb-1" lang="([\w-]+)" dir="auto">(.*?)</h3>\s*<p class="small text-body-secondary">Sent on '
            r"(.*?)</p>\s*<div [^>]*>(.*?)</div>",
            html,
            re.S,
        )
    ]


def test_participant_reads_the_message_in_the_language_received_dated_in_the_conference_zone(
    person_client, own, django_capture_on_commit_callbacks
):
    year = july_1().year
    sent(
        own.conference,
        django_capture_on_commit_callbacks,
        sent_at=utc(year, 6, 28, 14, 5),
        subject_fr="Informations pratiques",
        body_fr="Ouverture à 10 heures.\nVenez tôt.",
    )
    sent(
        own.conference,
        django_capture_on_commit_callbacks,
        sent_at=utc(year, 6, 30, 1, 0),
        subject_en="Badges",
        body_en="<b>Bring</b> your passport.",
    )

    html = person_client.get(detail(own)).content.decode()

    assert shown(html) == [
        ("Badges", "en", f"29 June {year}, 21:00 EDT", "&lt;b&gt;Bring&lt;/b&gt; your passport."),
        ("Informations pratiques", "fr", f"28 June {year}, 10:05 EDT", "Ouverture à 10 heures. Venez tôt."),
    ]
    assert "Ouverture à 10 heures.<br>Venez tôt." in html
    assert '<h2 class="h4" id="messages-heading">Messages from the Secretariat</h2>' in html


def test_participant_sees_only_messages_sent_to_them(person_client, own, django_capture_on_commit_callbacks):
    other = factories.ParticipantFactory(conference=own.conference, approved=True)
    to_both = sent(own.conference, django_capture_on_commit_callbacks, subject_en="To everyone")
    own.status = "waitlisted"
    own.waitlisted_at = own.decided_at
    own.save()
    sent(own.conference, django_capture_on_commit_callbacks, subject_en="Approved only after the waiting list")
    factories.MessageFactory(conference=own.conference, subject_en="A draft")

    mine = person_client.get(detail(own)).content.decode()
    theirs = person_client.get(detail(other))

    assert [subject for subject, *_rest in shown(mine)] == [to_both.subject_en]
    assert theirs.status_code == 404


def test_no_messages_no_section(person_client, own):
    html = person_client.get(detail(own)).content.decode()

    assert ("Messages from the Secretariat" in html, shown(html)) == (False, [])


@pytest.mark.parametrize("count", [1, 20])
def test_registration_page_query_count_constant(
    person_client, own, django_assert_num_queries, django_capture_on_commit_callbacks, count
):
    factories.SeatRequestFactory(participant=own, status="held")
    for number in range(count):
        sent(own.conference, django_capture_on_commit_callbacks, subject_en=f"Message {number}")

    # The session and its account; the registration with its conference; its seat requests with their
    # sessions; whether an email failed; the account's permissions and its groups' (for the menu's staff
    # link); the messages received.
    with django_assert_num_queries(8):
        response = person_client.get(detail(own))

    assert len(shown(response.content.decode())) == count
