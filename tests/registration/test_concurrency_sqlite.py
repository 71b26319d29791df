"""A seat is never given twice on SQLite either, and nobody is turned away while others register.

On SQLite `services.lock_conference` takes no lock of its own: the settings open every transaction
IMMEDIATE, which takes the database's single write lock before the transaction reads anything, so
the seats are counted and taken by one transaction at a time and the others wait (up to the
connection's timeout) for their turn. Here 24 threads, each with its own connection, register and
are approved at the same moment for 5 seats.

The suite's SQLite test database lives in memory, shared by the connections of one process, where
SQLite locks tables rather than the database file: not what a server sees. So these tests copy
that database, already migrated, into a file (SQLite's backup API) and point the default
connection of every thread at it, with the deploy's options (IMMEDIATE, WAL, timeout); they put
the in-memory database back afterwards. (A copy takes a moment where migrating a new file takes
seconds; pytest-django's `django_db_modify_db_settings` would move the whole session onto a file.)

The control runs the same race with SQLite's default DEFERRED transactions: each transaction then
reads the seats under a snapshot and asks for the write lock only when it writes, by which time
another transaction may have committed; SQLite refuses such a stale writer rather than let it
overfill ("database is locked"), so without IMMEDIATE the seats stay right but people are told to
try again. That the control sees those refusals shows the race really happens here.
"""

import contextlib
import sqlite3
import threading

import pytest
from django.db import connection, connections

from registration import services
from registration.models import Participant, SeatRequest, SeatStatus, Status
from tests.factories import SessionFactory, UserFactory
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
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking"),
    pytest.mark.django_db(transaction=True),
]

SEATS = 5
SESSION_SEATS = 3


@contextlib.contextmanager
def file_database(path, **options):
    """Every connection opened inside the block, in any thread, uses a copy of the test database
    in the file `path`, with the default database's OPTIONS updated by `options`."""
    in_memory = connections["default"]
    in_memory.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        in_memory.connection.backup(copy)
    shared_settings = connections.settings
    settings = {**in_memory.settings_dict, "NAME": str(path)}
    settings["OPTIONS"] = {**settings["OPTIONS"], **options}
    # New threads build their connection from connections.settings; this thread gets a new one now.
    # The in-memory connection stays open aside: closing it would drop the in-memory database.
    connections.settings = {**shared_settings, "default": settings}
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = in_memory
        connections.settings = shared_settings


@pytest.fixture
def on_file(tmp_path, transactional_db):
    with file_database(tmp_path / "seats.sqlite3"):
        yield


@pytest.fixture
def on_file_deferred(tmp_path, transactional_db):
    with file_database(tmp_path / "seats.sqlite3", transaction_mode="DEFERRED"):
        yield


def test_the_race_runs_on_a_file_as_deployed(on_file, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        (_, _, path), *_ = cursor.fetchall()
        cursor.execute("PRAGMA journal_mode")
        assert (path, cursor.fetchone()) == (str(tmp_path / "seats.sqlite3"), ("wal",))
    assert connection.transaction_mode == "IMMEDIATE"


def test_concurrent_approvals_never_exceed_capacity(on_file):
    conference = open_conference(capacity_in_person=SEATS)
    staff = UserFactory(is_staff=True)

    assert_no_errors(register_and_approve_together(conference, staff))

    participants = Participant.objects.filter(conference=conference)
    assert participants.count() == THREADS  # none lost
    assert participants.filter(status=Status.APPROVED).count() == SEATS
    assert participants.filter(status=Status.WAITLISTED, waitlisted_at__isnull=False).count() == THREADS - SEATS
    assert_every_delegate_told(participants)


def test_concurrent_approvals_never_exceed_session_seats(on_file):
    conference = open_conference(capacity_in_person=None)
    session = SessionFactory(conference=conference, seat_limit=SESSION_SEATS)
    staff = UserFactory(is_staff=True)

    assert_no_errors(register_and_approve_together(conference, staff, sessions=[session]))

    assert statuses(conference) == [Status.APPROVED] * THREADS
    requests = SeatRequest.objects.filter(session=session)
    assert requests.count() == THREADS  # none lost
    assert requests.filter(status=SeatStatus.HELD).count() == SESSION_SEATS
    assert requests.filter(status=SeatStatus.WAITLISTED).count() == THREADS - SESSION_SEATS


def all_read_the_seats_first(monkeypatch):
    """Make every decision read the seats, then wait until the others have read them too."""
    race = threading.Barrier(THREADS)
    monkeypatch.setattr(services, "lock_conference", unlocked_lock_conference(race))
    return race


def test_control_deferred_transactions_turn_people_away(on_file_deferred, monkeypatch):
    """With DEFERRED transactions that all read the seats before any of them writes, the writers after
    the first are refused as busy: the race is real, and IMMEDIATE is what lets everyone through."""
    race = all_read_the_seats_first(monkeypatch)
    conference = open_conference(capacity_in_person=SEATS)
    staff = UserFactory(is_staff=True)

    errors = register_and_approve_together(conference, staff, barriers=[race])

    assert errors
    assert {type(error) for _, error in errors} == {services.Busy}
    # SQLite never lets a stale writer through, so the seats stay right; the refused were changed in nothing.
    assert Participant.objects.filter(conference=conference, status=Status.APPROVED).count() <= SEATS
