"""Emails: stored, sent after commit, never lost when the mail server is down, and sent again later."""

import datetime
import io
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from registration import emails, services
from registration.models import OutgoingEmail, Participant
from tests import factories
from tests.registration import failing_email_backend
from tests.registration.support import register_url, registration_data

pytestmark = pytest.mark.django_db

REFUSED = "ConnectionRefusedError: [Errno 111] Connection refused"


def deliveries():
    return list(OutgoingEmail.objects.values_list("kind", "delivery", "attempts", "last_error"))


def send_queued():
    out, err = io.StringIO(), io.StringIO()
    call_command("send_queued_emails", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_email_sent_only_after_commit():
    participant = factories.ParticipantFactory()

    with transaction.atomic():
        emails.queue(participant, "received")
        inside = (len(mail.outbox), deliveries())

    assert inside == (0, [("received", "queued", 0, "")])
    assert ([m.to for m in mail.outbox], deliveries()) == ([[participant.email]], [("received", "sent", 1, "")])


@pytest.mark.django_db(transaction=True)
def test_email_not_sent_when_transaction_rolls_back():
    participant = factories.ParticipantFactory()

    def queue_then_fail():
        with transaction.atomic():
            emails.queue(participant, "received")
            raise RuntimeError("the registration failed after the email was queued")

    with pytest.raises(RuntimeError):
        queue_then_fail()

    assert (mail.outbox, deliveries()) == ([], [])


def test_email_stored_as_sent_with_send_time(django_capture_on_commit_callbacks):
    participant = factories.ParticipantFactory(conference__title="Fourth Conference")
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        emails.queue(participant, "received")

    stored = OutgoingEmail.objects.get()
    message = mail.outbox[0]
    assert (stored.participant, stored.to, stored.subject, stored.delivery, stored.attempts) == (
        participant,
        participant.email,
        "Registration received: Fourth Conference",
        "sent",
        1,
    )
    assert before <= stored.sent_at <= timezone.now()
    assert (message.subject, message.body, message.alternatives[0].content) == (
        stored.subject,
        stored.body_text,
        stored.body_html,
    )


def test_email_has_text_and_html_parts_with_name_escaped_in_html(django_capture_on_commit_callbacks):
    participant = factories.ParticipantFactory(given_name="<b>Amina</b>", family_name="Diallo & Co")

    with django_capture_on_commit_callbacks(execute=True):
        emails.queue(participant, "received")

    message = mail.outbox[0]
    html, mimetype = message.alternatives[0]
    assert (len(message.alternatives), mimetype, message.content_subtype) == (1, "text/html", "plain")
    assert message.body.splitlines()[0] == "Dear <b>Amina</b> Diallo & Co,"
    assert (html.count("Dear &lt;b&gt;Amina&lt;/b&gt; Diallo &amp; Co,"), html.count("<b>Amina")) == (1, 0)


@pytest.fixture
def failed_registration(person_client, conference, settings, caplog, django_capture_on_commit_callbacks):
    """A registration made through the form while the mail server refuses every connection."""
    settings.EMAIL_BACKEND = failing_email_backend.PATH
    with caplog.at_level(logging.ERROR, logger="registration.emails"), django_capture_on_commit_callbacks(execute=True):
        response = person_client.post(register_url(conference), registration_data())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return response


def test_register_with_mail_server_down_still_succeeds(failed_registration, caplog):
    participant = Participant.objects.get()
    email = OutgoingEmail.objects.get()

    assert (failed_registration.status_code, failed_registration["Location"]) == (302, participant.get_absolute_url())
    assert (participant.status, mail.outbox) == ("pending", [])
    assert deliveries() == [("received", "failed", 1, REFUSED)]
    records = caplog.get_records("setup")  # the request was made by the fixture
    assert [(r.name, r.levelname, r.getMessage(), r.exc_info[0]) for r in records] == [
        (
            "registration.emails",
            "ERROR",
            f"Email {email.pk} to {participant.email} was not sent",
            ConnectionRefusedError,
        )
    ]


def test_send_queued_emails_sends_failed_once(failed_registration):
    first = send_queued()
    stored = OutgoingEmail.objects.get()
    outbox = [(m.to, m.subject) for m in mail.outbox]
    second = send_queued()

    assert (first, second) == (("Sent: 1. Failed again: 0.\n", ""), ("Sent: 0. Failed again: 0.\n", ""))
    assert outbox == [([stored.to], stored.subject)] == [(m.to, m.subject) for m in mail.outbox]
    assert deliveries() == [("received", "sent", 2, "")]


def test_send_queued_emails_mail_server_still_down_fails_again(failed_registration, settings):
    settings.EMAIL_BACKEND = failing_email_backend.PATH

    out, err = send_queued()

    assert (out, err) == (
        "Sent: 0. Failed again: 1.\n",
        "Some emails failed again; see the error of each in the admin under Emails.\n",
    )
    assert (deliveries(), mail.outbox) == ([("received", "failed", 2, REFUSED)], [])


def test_admin_send_again_sends_failed_email(failed_registration, staff_user):
    email = OutgoingEmail.objects.get()
    sent_before = factories.OutgoingEmailFactory(delivery="sent", attempts=1)
    staff = type(failed_registration.client)()
    staff.force_login(staff_user)
    changelist = reverse("admin:registration_outgoingemail_changelist")

    response = staff.post(changelist, {"action": "send_again", "_selected_action": [email.pk, sent_before.pk]})

    email.refresh_from_db()
    sent_before.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, changelist)
    assert [str(m) for m in staff.get(changelist).context["messages"]] == ["1 email is queued to be sent again."]
    assert [(m.to, m.subject) for m in mail.outbox] == [([email.to], email.subject)]
    assert [(e.delivery, e.attempts, e.last_error) for e in (email, sent_before)] == [("sent", 2, ""), ("sent", 1, "")]


def test_decision_with_mail_server_down_still_recorded(
    conference, staff_user, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = failing_email_backend.PATH
    participant = factories.ParticipantFactory(conference=conference)

    with caplog.at_level(logging.ERROR, logger="registration.emails"), django_capture_on_commit_callbacks(execute=True):
        services.decide(participant, "approved", by=staff_user)

    participant.refresh_from_db()
    assert (participant.status, deliveries(), len(caplog.records)) == (
        "approved",
        [("approved", "failed", 1, REFUSED)],
        1,
    )


def test_cron_leaves_a_just_queued_email_to_its_request_and_sends_an_old_one(db, mailoutbox):
    fresh = factories.OutgoingEmailFactory()
    old = factories.OutgoingEmailFactory()
    OutgoingEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))

    call_command("send_queued_emails", stdout=io.StringIO())

    fresh.refresh_from_db()
    old.refresh_from_db()
    assert (fresh.delivery, old.delivery, [m.to for m in mailoutbox]) == ("queued", "sent", [[old.to]])


def test_an_email_is_delivered_once_however_often_it_is_asked(db, mailoutbox):
    email = factories.OutgoingEmailFactory()

    results = [emails.deliver(email.pk), emails.deliver(email.pk)]

    email.refresh_from_db()
    assert (results, len(mailoutbox), email.attempts) == ([True, False], 1, 1)


@pytest.mark.parametrize(
    ("excellency", "title", "greeting"),
    [(True, "ms", "Excellency,"), (False, "dr", "Dear Dr. Diallo,"), (False, "", "Dear Amina Diallo,")],
)
def test_email_greets_as_protocol_does(excellency, title, greeting, django_capture_on_commit_callbacks):
    participant = factories.ParticipantFactory(excellency=excellency, title=title, family_name="Diallo")

    with django_capture_on_commit_callbacks(execute=True):
        emails.queue(participant, "received")

    assert mail.outbox[0].body.splitlines()[0] == greeting


def test_approval_email_says_how_to_get_the_badge_and_what_to_bring(django_capture_on_commit_callbacks):
    participant = factories.ParticipantFactory(approved=True, attendance="in_person")

    with django_capture_on_commit_callbacks(execute=True):
        emails.queue(participant, "approved")

    body = " ".join(mail.outbox[0].body.split())
    assert "Your badge: you may print it from your registration's page, or collect it at the registration desk." in body
    assert "Please bring the passport or national identity card whose name you registered with" in body


def test_make_run_links_to_the_address_it_serves():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout

    assert "DJANGO_SITE_URL=${DJANGO_SITE_URL:-http://127.0.0.1:8123}" in dry_run
