"""A seat is never given twice, even with several app servers on one database.

Against PostgreSQL, 24 threads (each with its own database connection, as separate app
servers would have) register and are approved at the same moment for 5 seats. The row
lock that `services.lock_conference` takes must let exactly 5 through and waitlist the
rest. A control run with the lock switched off shows the race, so these tests are known
to be able to fail.
"""

import contextlib
import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from conference.models import Conference, Session
from registration import services
from registration.models import Attendance, Category, OutgoingEmail, Participant, SeatRequest, SeatStatus, Status
from tests.factories import ConferenceFactory, SessionFactory, UserFactory

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor == "sqlite", reason="needs PostgreSQL: SQLite serializes every writer"),
    pytest.mark.django_db(transaction=True),
]

THREADS = 24
SEATS = 5
SESSION_SEATS = 3
BARRIER_TIMEOUT = 20  # seconds any thread waits for the others before giving up
LOCK_TIMEOUT_MS = 20_000  # longest wait for the seats' lock; PostgreSQL itself breaks true deadlocks
JOIN_TIMEOUT = 60  # seconds for the whole run; a stuck thread fails the test instead of hanging it


def delegate_data(number):
    """What a Member State delegate attending in person submits."""
    return {
        "given_name": "Amina",
        "family_name": f"Delegate{number}",
        "email": f"delegate{number}@example.org",
        "gender": "female",
        "nationality": "SN",
        "category": Category.MEMBER_STATE,
        "represented_country": "SN",
        "function": "Director, National Counter-Terrorism Agency",
        "attendance": Attendance.IN_PERSON,
        "data_consent_at": timezone.now(),
    }


def open_conference(**kwargs):
    return ConferenceFactory(registration_opens_at=timezone.now() - datetime.timedelta(days=1), **kwargs)


def register_and_approve_together(conference, staff, *, sessions=(), barriers=()):
    """Start THREADS threads that register for `conference` and are approved, all at once.

    Each thread creates its own user, waits for the others on a barrier, then calls
    `services.register` and `services.decide(..., "approved")` on its own connection.
    `barriers` are aborted when a thread fails, so that no other thread waits for it.
    Returns the exceptions raised in the threads as (thread number, exception).
    """
    start = threading.Barrier(THREADS)
    errors = []

    def delegate(number):
        try:
            # Each thread loads its own objects, as a separate app server would.
            own_conference = Conference.objects.get(pk=conference.pk)
            own_sessions = list(Session.objects.filter(pk__in=[s.pk for s in sessions]))
            user = UserFactory(email=f"delegate{number}@example.org")
            start.wait(timeout=BARRIER_TIMEOUT)
            participant = services.register(
                user=user, conference=own_conference, data=delegate_data(number), sessions=own_sessions
            )
            services.decide(participant, Status.APPROVED, by=staff)
        except BaseException as error:
            errors.append((number, error))
            for barrier in (start, *barriers):
                barrier.abort()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=delegate, args=(number,), name=f"delegate-{number}", daemon=True)
        for number in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + JOIN_TIMEOUT
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    still_running = [thread.name for thread in threads if thread.is_alive()]
    assert not still_running, f"threads did not finish within {JOIN_TIMEOUT}s (deadlock?): {still_running}"
    return errors


def assert_no_errors(errors):
    assert not errors, "errors in threads:\n" + "\n".join(f"{n}: {e!r}" for n, e in sorted(errors))


def statuses(conference):
    return sorted(Participant.objects.filter(conference=conference).values_list("status", flat=True))


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
    # Every delegate heard of the registration and of the decision, and each email went out.
    for participant in participants:
        kinds = sorted(participant.emails.values_list("kind", flat=True))
        assert kinds == sorted(["received", participant.status]), participant
    assert not OutgoingEmail.objects.exclude(delivery=OutgoingEmail.Delivery.SENT).exists()


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


def unlocked_lock_conference(race):
    """A lock_conference that takes no lock: it only reads the conference, then waits until
    every thread has read it too, so that they all count the seats at the same moment."""

    def lock_conference(conference_id):
        conference = Conference.objects.get(pk=conference_id)
        # A thread failed or is late: go on unsynchronized rather than hang.
        with contextlib.suppress(threading.BrokenBarrierError):
            race.wait(timeout=BARRIER_TIMEOUT)
        return conference

    return lock_conference


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
