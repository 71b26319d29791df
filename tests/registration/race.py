"""Delegates who register and are approved at the same moment, each thread on its own database connection
as separate app servers would be: the harness of the concurrency tests on PostgreSQL and on SQLite."""

import contextlib
import datetime
import threading
import time

from django.db import connection
from django.utils import timezone

from conference.models import Conference, Session
from registration import services
from registration.models import Attendance, Category, Participant, Status
from tests.factories import ConferenceFactory, UserFactory

THREADS = 24
BARRIER_TIMEOUT = 20  # seconds any thread waits for the others before giving up
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


def register_and_approve_together(conference, staff, *, sessions=(), barriers=(), threads=THREADS):
    """Start `threads` threads that register for `conference` and are approved, all at once.

    Each thread creates its own user, waits for the others on a barrier, then calls
    `services.register` and `services.decide(..., "approved")` on its own connection.
    `barriers` are aborted when a thread fails, so that no other thread waits for it; the start
    barrier only when the thread fails before it, as others may not have woken from it yet.
    Returns the exceptions raised in the threads as (thread number, exception).
    """
    start = threading.Barrier(threads)
    errors = []

    def delegate(number):
        started = False
        try:
            # Each thread loads its own objects, as a separate app server would.
            own_conference = Conference.objects.get(pk=conference.pk)
            own_sessions = list(Session.objects.filter(pk__in=[s.pk for s in sessions]))
            user = UserFactory(email=f"delegate{number}@example.org")
            start.wait(timeout=BARRIER_TIMEOUT)
            started = True
            participant = services.register(
                user=user, conference=own_conference, data=delegate_data(number), sessions=own_sessions
            )
            services.decide(participant, Status.APPROVED, by=staff)
        except BaseException as error:
            errors.append((number, error))
            for barrier in barriers if started else (start, *barriers):
                barrier.abort()
        finally:
            connection.close()

    running = [
        threading.Thread(target=delegate, args=(number,), name=f"delegate-{number}", daemon=True)
        for number in range(threads)
    ]
    for thread in running:
        thread.start()
    deadline = time.monotonic() + JOIN_TIMEOUT
    for thread in running:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    still_running = [thread.name for thread in running if thread.is_alive()]
    assert not still_running, f"threads did not finish within {JOIN_TIMEOUT}s (deadlock?): {still_running}"
    return errors


def assert_no_errors(errors):
    assert not errors, "errors in threads:\n" + "\n".join(f"{n}: {e!r}" for n, e in sorted(errors))


def statuses(conference):
    return sorted(Participant.objects.filter(conference=conference).values_list("status", flat=True))


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


def assert_every_delegate_told(participants):
    """Every delegate heard of the registration and of the decision, and each email went out."""
    from registration.models import OutgoingEmail

    for participant in participants:
        kinds = sorted(participant.emails.values_list("kind", flat=True))
        assert kinds == sorted(["received", participant.status]), participant
    assert not OutgoingEmail.objects.exclude(delivery=OutgoingEmail.Delivery.SENT).exists()
