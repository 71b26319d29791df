"""A delegation never has more members than places, even when its focal points add members at the
same moment from several app servers.

Against PostgreSQL, 24 threads (each with its own database connection), half of them one focal
point and half another of the same delegation, nominate a member each at once for 5 places in
person. The conference's row lock (`services.lock_conference`, the seats' lock) must let exactly 5
through and refuse the rest with a message. A control run with the lock switched off shows the race,
so the test is known to be able to fail.
"""

import threading

import pytest
from django.db import connection

from registration import services
from registration.models import Delegation, DelegationMember
from tests.factories import DelegationFactory, FocalPointFactory
from tests.registration.race import (
    BARRIER_TIMEOUT,
    JOIN_TIMEOUT,
    THREADS,
    assert_no_errors,
    open_conference,
    unlocked_lock_conference,
)

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(connection.vendor == "sqlite", reason="needs PostgreSQL: SQLite serializes every writer"),
    pytest.mark.django_db(transaction=True),
]

PLACES = 5


@pytest.fixture(autouse=True)
def _patient_lock(settings):
    settings.REGISTRATION_LOCK_TIMEOUT_MS = 20_000


@pytest.fixture
def delegation():
    delegation = DelegationFactory(conference=open_conference(), places_in_person=PLACES)
    for number in range(2):
        FocalPointFactory(delegation=delegation, user__email=f"focal.point{number}@example.org")
    return delegation


def add_members_together(delegation, barriers=()):
    """Each thread nominates one member, as one of the two focal points, all at once. Returns
    ([member added], [place refused], [other error]) by thread number."""
    focal_points = list(delegation.focal_points.select_related("user"))
    start = threading.Barrier(THREADS)
    added, refused, errors = [], [], []

    def nominate(number):
        started = False
        try:
            own = Delegation.objects.get(pk=delegation.pk)  # as a separate app server would load it
            start.wait(timeout=BARRIER_TIMEOUT)
            started = True
            data = {
                "given_name": "Moussa",
                "family_name": f"Member{number}",
                "email": f"member{number}@example.org",
                "function": "Counsellor",
                "attendance": "in_person",
            }
            services.add_member(own, data=data, by=focal_points[number % 2].user)
            added.append(number)
        except services.NoPlaceLeft:
            refused.append(number)
        except BaseException as error:
            errors.append((number, error))
            for barrier in barriers if started else (start, *barriers):
                barrier.abort()
        finally:
            connection.close()

    running = [threading.Thread(target=nominate, args=(number,), daemon=True) for number in range(THREADS)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not [thread for thread in running if thread.is_alive()], "threads did not finish (deadlock?)"
    return added, refused, errors


def test_two_focal_points_adding_at_once_never_exceed_the_places(delegation):
    added, refused, errors = add_members_together(delegation)

    assert_no_errors(errors)
    assert (len(added), len(refused)) == (PLACES, THREADS - PLACES)
    assert DelegationMember.objects.filter(delegation=delegation).count() == PLACES
    adders = set(DelegationMember.objects.filter(delegation=delegation).values_list("added_by", flat=True))
    assert adders <= set(delegation.focal_points.values_list("user", flat=True))


def test_control_without_lock_exceeds_the_places(delegation, monkeypatch):
    race = threading.Barrier(THREADS)
    monkeypatch.setattr(services, "lock_conference", unlocked_lock_conference(race))

    added, _refused, errors = add_members_together(delegation, barriers=[race])

    assert_no_errors(errors)
    assert DelegationMember.objects.filter(delegation=delegation).count() == len(added) > PLACES
