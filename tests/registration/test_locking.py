"""The seats' lock: taken only inside a transaction, waited for a bounded time, and a wait too long
is a "try again" message rather than an error page."""

import datetime
import threading

import pytest
from django.contrib.messages import get_messages
from django.db import OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from conference.models import Conference
from registration import services
from registration.models import Participant, Status
from tests import factories
from tests.registration.support import register_url, registration_data

needs_postgresql = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="needs PostgreSQL: SQLite serializes every writer"
)
BUSY = "Many people are registering at this moment. Nothing was changed; please try again."


@pytest.mark.django_db(transaction=True)
def test_lock_refused_outside_a_transaction():
    conference = factories.ConferenceFactory()

    with pytest.raises(RuntimeError, match="inside a transaction"):
        services.lock_conference(conference.pk)


@pytest.mark.django_db(transaction=True)
def test_services_refuse_to_run_inside_another_transaction(staff_user):
    participant = factories.ParticipantFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        services.decide(participant, Status.APPROVED, by=staff_user)

    participant.refresh_from_db()
    assert participant.status == Status.PENDING


@pytest.mark.parametrize(
    "message", ["database is locked", "canceling statement due to lock timeout"], ids=["sqlite", "other"]
)
def test_seat_transaction_turns_only_a_lock_wait_into_busy(message, db):
    @services.seat_transaction
    def waits_too_long():
        raise OperationalError(message)

    expected = services.Busy if message == "database is locked" else OperationalError
    with pytest.raises(expected):
        waits_too_long()


@pytest.fixture
def seats_locked_by_another_server(settings):
    """`with seats_locked_by_another_server(conference):` holds the conference's row lock from another
    connection, as a slow request on another app server would, while the block runs."""
    settings.REGISTRATION_LOCK_TIMEOUT_MS = 200

    class Holder:
        def __init__(self, conference):
            self.conference, self.locked, self.release = conference, threading.Event(), threading.Event()
            self.thread = threading.Thread(target=self.hold, daemon=True)

        def hold(self):
            try:
                with transaction.atomic():
                    Conference.objects.select_for_update().get(pk=self.conference.pk)
                    self.locked.set()
                    self.release.wait(timeout=10)
            finally:
                connection.close()

        def __enter__(self):
            self.thread.start()
            assert self.locked.wait(timeout=10)

        def __exit__(self, *exc):
            self.release.set()
            self.thread.join(timeout=10)

    return Holder


@pytest.mark.postgresql
@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_decision_on_locked_seats_is_busy_and_changes_nothing(staff_user, seats_locked_by_another_server):
    participant = factories.ParticipantFactory()

    with seats_locked_by_another_server(participant.conference), pytest.raises(services.Busy):
        services.decide(participant, Status.APPROVED, by=staff_user)

    participant.refresh_from_db()
    assert (participant.status, participant.emails.count()) == (Status.PENDING, 0)


@pytest.mark.postgresql
@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_cancelling_on_locked_seats_says_try_again(client, seats_locked_by_another_server):
    participant = factories.ParticipantFactory(
        conference=factories.ConferenceFactory(registration_opens_at=timezone.now() - datetime.timedelta(days=1))
    )
    client.force_login(participant.user)

    with seats_locked_by_another_server(participant.conference):
        response = client.post(reverse("registration:cancel", args=[participant.reference]))

    participant.refresh_from_db()
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert (response.status_code, response["Location"], messages) == (302, participant.get_absolute_url(), [BUSY])
    assert participant.status == Status.PENDING


def refuse_as_busy(**kwargs):
    """What a service raises when the seats' lock was not granted in time."""
    raise services.Busy


@pytest.mark.django_db
def test_registration_when_busy_shows_the_form_again_with_what_was_typed(person_client, conference, monkeypatch):
    monkeypatch.setattr(services, "register", refuse_as_busy)

    response = person_client.post(register_url(conference), registration_data(function="Deputy Director"))

    form = response.context["form"]
    assert (response.status_code, form.non_field_errors(), form["function"].value()) == (
        200,
        [BUSY],
        "Deputy Director",
    )
    assert Participant.objects.count() == 0


@pytest.mark.django_db
def test_change_when_busy_shows_the_form_again_with_what_was_typed(person_client, person, conference, monkeypatch):
    participant = factories.ParticipantFactory(user=person, conference=conference, function="Director")
    monkeypatch.setattr(services, "update_registration", lambda participant, **kwargs: refuse_as_busy())

    response = person_client.post(
        reverse("registration:edit", args=[participant.reference]), registration_data(function="Deputy Director")
    )

    form = response.context["form"]
    participant.refresh_from_db()
    assert (response.status_code, form.non_field_errors(), form["function"].value()) == (
        200,
        [BUSY],
        "Deputy Director",
    )
    assert participant.function == "Director"
