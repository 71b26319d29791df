"""A seat is never given twice, even with several app servers on one database.

Against PostgreSQL, 24 threads (each with its own database connection, as separate app
servers would have) register and are approved at the same moment for 5 seats. The row
lock that `services.lock_conference` takes must let exactly 5 through and waitlist the
rest. A control run with the lock switched off shows the race, so these tests are known
to be able to fail.
"""

import threading

import pytest
from django.db import connection

from registration import services
from registration.models import Participant, SeatRequest, SeatStatus, Status
from tests.factories import SessionFactory
from tests.registration.race import (
    THREADS,
    assert_every_delegate_told,
    assert_no_errors,
    open_conference,
    register_and_approve_together,
    statuses,
    unlocked_lock_conference,
)

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor == "sqlite", reason="needs PostgreSQL: SQLite serializes every writer"),
    pytest.mark.django_db(transaction=True),
]

SEATS = 5
SESSION_SEATS = 3
LOCK_TIMEOUT_MS = 20_000  # longest wait for the seats' lock; PostgreSQL itself breaks true deadlocks


@pytest.fixture(autouse=True)
def _patient_lock(settings):
    settings.REGISTRATION_LOCK_TIMEOUT_MS = LOCK_TIMEOUT_MS


def test_concurrent_approvals_never_exceed_capacity(staff_user):
    conference = open_conference(capacity_in_person=SEATS)

    assert_no_errors(register_and_approve_together(conference, staff_user))

    participants = Participant.objects.filter(conference=conference)
    assert participants.count() == THREADS  # none lost
    assert participants.filter(status=Status.APPROVED).count() == SEATS
    waitlisted = participants.filter(status=Status.WAITLISTED)
    assert waitlisted.count() == THREADS - SEATS
    assert not waitlisted.filter(waitlisted_at__isnull=True).exists()
    assert not participants.filter(status=Status.APPROVED, waitlisted_at__isnull=False).exists()
    assert_every_delegate_told(participants)


def test_concurrent_approvals_never_exceed_session_seats(staff_user):
    conference = open_conference(capacity_in_person=None)
    session = SessionFactory(conference=conference, seat_limit=SESSION_SEATS)

    assert_no_errors(register_and_approve_together(conference, staff_user, sessions=[session]))

    assert statuses(conference) == [Status.APPROVED] * THREADS
    requests = SeatRequest.objects.filter(session=session)
    assert requests.count() == THREADS  # none lost
    assert requests.filter(status=SeatStatus.HELD).count() == SESSION_SEATS
    waitlisted = requests.filter(status=SeatStatus.WAITLISTED)
    assert waitlisted.count() == THREADS - SESSION_SEATS
    assert not waitlisted.filter(waitlisted_at__isnull=True).exists()


def test_control_without_lock_oversells(staff_user, monkeypatch):
    """Without the row lock the same run gives away more seats than there are."""
    race = threading.Barrier(THREADS)
    monkeypatch.setattr(services, "lock_conference", unlocked_lock_conference(race))
    conference = open_conference(capacity_in_person=SEATS)

    errors = register_and_approve_together(conference, staff_user, barriers=[race])

    assert_no_errors(errors)
    assert Participant.objects.filter(conference=conference).count() == THREADS
    assert Participant.objects.filter(conference=conference, status=Status.APPROVED).count() > SEATS


def test_control_without_lock_oversells_session_seats(staff_user, monkeypatch):
    race = threading.Barrier(THREADS)
    monkeypatch.setattr(services, "lock_conference", unlocked_lock_conference(race))
    conference = open_conference(capacity_in_person=None)
    session = SessionFactory(conference=conference, seat_limit=SESSION_SEATS)

    errors = register_and_approve_together(conference, staff_user, sessions=[session], barriers=[race])

    assert_no_errors(errors)
    assert SeatRequest.objects.filter(session=session).count() == THREADS
    assert SeatRequest.objects.filter(session=session, status=SeatStatus.HELD).count() > SESSION_SEATS
