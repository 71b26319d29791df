"""Emails on the task queue: the request only writes rows, a worker sends, a failure is tried again
later with growing waits, and people are told plainly when an email could not go out."""

import datetime
import io
import logging

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from registration import emails
from registration.models import OutgoingEmail, Participant
from tests import factories
from tests.registration import failing_email_backend
from tests.registration.support import register_url, registration_data

# Committed for real: the worker, as in production, closes its database connection between tasks.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker():
    """What `manage.py db_worker` does in production, until no task is ready."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0, stdout=io.StringIO())


def deliveries():
    return list(OutgoingEmail.objects.values_list("kind", "delivery", "attempts"))


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def test_registration_only_queues_its_email_and_a_worker_sends_it(database_queue, person_client, conference):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = person_client.post(register_url(conference), registration_data())
    before_worker = (len(mail.outbox), deliveries(), DBTaskResult.objects.ready().count())

    run_worker()

    participant = Participant.objects.get()
    assert (response.status_code, response["Location"]) == (302, participant.get_absolute_url())
    assert before_worker == (0, [("received", "queued", 0)], 1)
    assert ([m.to for m in mail.outbox], deliveries()) == ([[participant.email]], [("received", "sent", 1)])
    assert [str(m) for m in person_client.get(response["Location"]).context["messages"]] == [
        "Your registration is received. A confirmation email is on its way."
    ]


def test_failed_send_is_tried_again_later_with_longer_waits(database_queue, settings, caplog):
    participant = factories.ParticipantFactory()
    settings.EMAIL_BACKEND = failing_email_backend.PATH
    with TestCase.captureOnCommitCallbacks(execute=True):
        email = emails.queue(participant, "received")

    waits = []
    with caplog.at_level(logging.CRITICAL):
        for _attempt in range(len(emails.RETRY_DELAYS) + 1):
            # As if the wait had passed.
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - datetime.timedelta(seconds=1))
            started = timezone.now()
            run_worker()
            email.refresh_from_db()
            waits.append(
                round((email.next_attempt_at - started).total_seconds() / 60) if email.next_attempt_at else None
            )
    planned_after_last = DBTaskResult.objects.filter(status="READY").count()

    assert waits == [1, 5, 15, 60, 240, None]
    assert (email.delivery, email.attempts, planned_after_last, mail.outbox) == ("failed", 6, 0, [])
    assert email in emails.unsent()


def test_email_sent_at_the_next_attempt_once_the_mail_server_is_back(database_queue, settings, caplog):
    participant = factories.ParticipantFactory()
    settings.EMAIL_BACKEND = failing_email_backend.PATH
    with TestCase.captureOnCommitCallbacks(execute=True):
        emails.queue(participant, "received")
    with caplog.at_level(logging.CRITICAL):
        run_worker()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker()  # the next attempt is not due yet
    not_yet = (len(mail.outbox), deliveries())
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - datetime.timedelta(seconds=1))

    run_worker()

    assert not_yet == (0, [("received", "failed", 1)])
    assert ([m.to for m in mail.outbox], deliveries()) == ([[participant.email]], [("received", "sent", 2)])


def test_registration_with_mail_server_down_does_not_promise_an_email(person_client, conference, settings, caplog):
    settings.EMAIL_BACKEND = failing_email_backend.PATH
    with caplog.at_level(logging.CRITICAL):
        response = person_client.post(register_url(conference), registration_data())

    page = person_client.get(response["Location"])
    assert [(m.level_tag, str(m)) for m in page.context["messages"]] == [
        (
            "warning",
            "Your registration is received. We could not send you a confirmation email just now; "
            "this page always shows the status of your registration.",
        )
    ]


def test_email_that_cannot_be_queued_is_recorded_as_not_sent(settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    participant = factories.ParticipantFactory()

    def refuse(*args, **kwargs):
        raise ConnectionError("the queue is unavailable")

    from django_tasks import task_backends

    task_backends["default"].enqueue = refuse
    with caplog.at_level(logging.CRITICAL), TestCase.captureOnCommitCallbacks(execute=True):
        email = emails.queue(participant, "received")

    email.refresh_from_db()
    assert (email.delivery, email.last_error) == ("failed", "Not queued: ConnectionError: the queue is unavailable")
    assert list(emails.unsent()) == [email]


def test_admin_decision_with_mail_server_down_tells_staff(staff_client, conference, settings, caplog):
    participants = factories.ParticipantFactory.create_batch(3, conference=conference)
    settings.EMAIL_BACKEND = failing_email_backend.PATH
    changelist = reverse("admin:registration_participant_changelist")

    with caplog.at_level(logging.CRITICAL):
        staff_client.post(
            changelist,
            {
                "action": "decide_approved",
                "_selected_action": [p.pk for p in participants],
                "apply": "1",
                "message": "",
            },
        )

    assert [str(m) for m in staff_client.get(changelist).context["messages"]] == [
        "3 participants are now: Approved.",
        "3 emails could not be sent; the mail server may be unavailable. Emails filtered by Failed shows the errors.",
    ]


def test_account_email_goes_through_the_queue_and_its_link_is_not_kept(client, database_queue, staff_user):
    staff_client = Client()
    staff_client.force_login(staff_user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "amina@example.org", "password1": "Harbour-Lights-2030", "password2": "Harbour-Lights-2030"},
        )
    queued = OutgoingEmail.objects.get()
    kept_until_sent = "/accounts/confirm-email/" in queued.body_text
    body_shown_to_staff = (
        "/accounts/confirm-email/"
        in staff_client.get(reverse("admin:registration_outgoingemail_change", args=[queued.pk])).content.decode()
    )

    run_worker()

    queued.refresh_from_db()
    assert (queued.kind, queued.delivery, kept_until_sent, body_shown_to_staff) == (
        "account/email_confirmation_signup",
        "sent",
        True,
        False,
    )
    assert (queued.body_text, queued.body_html) == ("", "")
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert EmailAddress.objects.get(email="amina@example.org").verified is False


UNDELIVERED = "An email we sent you about this registration has not reached you yet"


def test_registration_page_says_when_an_email_has_not_reached_the_participant(
    database_queue, person_client, conference, settings, caplog
):
    """With a worker, the email fails after the request: the registration page says so when next read."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = person_client.post(register_url(conference), registration_data())
    settings.EMAIL_BACKEND = failing_email_backend.PATH
    with caplog.at_level(logging.CRITICAL):
        run_worker()
    after_failure = person_client.get(response["Location"]).content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    run_worker()
    after_retry = person_client.get(response["Location"]).content.decode()

    assert (UNDELIVERED in after_failure, UNDELIVERED in after_retry) == (True, False)
