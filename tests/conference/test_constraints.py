import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conference.models import Conference, Resource, Room, Session, SessionPerson, Venue
from tests.factories import (
    ConferenceFactory,
    ResourceFactory,
    RoomFactory,
    SessionFactory,
    SessionPersonFactory,
    local_time,
)

pytestmark = pytest.mark.django_db

JUNE_28 = datetime.date(2018, 6, 28)
JUNE_29 = datetime.date(2018, 6, 29)
OUTSIDE = "The session must lie within the conference's dates."


@pytest.fixture
def conference():
    """28-29 June 2018 in New York: from 04:00 UTC on the 28th to 04:00 UTC on the 30th."""
    return ConferenceFactory(start_date=JUNE_28, end_date=JUNE_29)


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_conference_saves_with_utc_bounds_of_its_local_days(conference):
    stored = Conference.objects.get(pk=conference.pk)

    assert (stored.starts_at, stored.ends_at) == (utc(2018, 6, 28, 4), utc(2018, 6, 30, 4))


def test_conference_without_last_day_saves():
    conference = ConferenceFactory(start_date=JUNE_28, end_date=None)

    assert Conference.objects.get(pk=conference.pk).ends_at is None


def test_venue_room_resource_and_person_save_when_valid(conference):
    room = RoomFactory(name="General Assembly Hall")
    ResourceFactory(conference=conference, title="Concept note")
    SessionPersonFactory(session=SessionFactory(conference=conference, room=room), name="António Guterres")

    assert (Venue.objects.count(), Room.objects.count(), Resource.objects.count()) == (2, 1, 1)
    assert SessionPerson.objects.get().name == "António Guterres"


def test_room_name_unique_per_venue_refused():
    room = RoomFactory(name="Conference Room 4")

    with pytest.raises(IntegrityError), transaction.atomic():
        RoomFactory(venue=room.venue, name="Conference Room 4")


def test_conference_ending_before_start_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ConferenceFactory(start_date=JUNE_29, end_date=JUNE_28)


@pytest.mark.parametrize("closes_after", [datetime.timedelta(days=-1), datetime.timedelta(0)])
def test_conference_registration_closing_before_opening_refused(closes_after):
    opens = utc(2018, 5, 1, 12)

    with pytest.raises(IntegrityError), transaction.atomic():
        ConferenceFactory(registration_opens_at=opens, registration_closes_at=opens + closes_after)


def test_conference_invalid_format_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ConferenceFactory(format="telepathy")


def test_session_saves_with_local_day_derived_from_start(conference):
    session = SessionFactory(conference=conference, date=JUNE_29, starts_at=local_time(conference, JUNE_28, 23, 30))

    stored = Session.objects.get(pk=session.pk)
    assert (stored.date, stored.starts_at) == (JUNE_28, utc(2018, 6, 29, 3, 30))


def test_session_from_first_to_last_local_midnight_saves(conference):
    SessionFactory(conference=conference, starts_at=utc(2018, 6, 28, 4), ends_at=utc(2018, 6, 30, 4))

    assert Session.objects.count() == 1


@pytest.mark.parametrize("length", [datetime.timedelta(hours=-1), datetime.timedelta(0)])
def test_session_ending_before_or_at_start_refused(conference, length):
    starts_at = local_time(conference, JUNE_28, 10)

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(conference=conference, starts_at=starts_at, ends_at=starts_at + length)


def test_session_with_only_start_time_refused(conference):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(conference=conference, ends_at=None)


def test_session_with_only_end_time_refused(conference):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(conference=conference, starts_at=None, ends_at=local_time(conference, JUNE_28, 11))


def test_session_seat_limit_zero_refused(conference):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(conference=conference, seat_limit=0)


def test_session_seat_limit_one_saves(conference):
    assert SessionFactory(conference=conference, seat_limit=1).seat_limit == 1


def test_session_invalid_kind_refused(conference):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(conference=conference, kind="party")


@pytest.mark.parametrize("day", [datetime.date(2018, 6, 27), datetime.date(2018, 6, 30)])
def test_session_created_on_day_outside_conference_refused(conference, day):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(conference=conference, date=day, starts_at=None, ends_at=None)


@pytest.mark.parametrize("day", [datetime.date(2018, 6, 27), datetime.date(2018, 6, 30)])
def test_session_updated_to_day_outside_conference_refused(conference, day):
    session = SessionFactory(conference=conference, starts_at=None, ends_at=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(date=day)


def test_session_created_starting_before_first_local_midnight_refused(conference):
    # 23:30 New York on 27 June is 03:30 UTC on the 28th: the UTC day is right, the local day is not.
    starts_at = local_time(conference, datetime.date(2018, 6, 27), 23, 30)

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(conference=conference, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1))


def test_session_updated_to_start_before_first_local_midnight_refused(conference):
    session = SessionFactory(conference=conference)

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(starts_at=utc(2018, 6, 28, 3, 59))


def test_session_created_ending_after_last_day_refused(conference):
    starts_at = local_time(conference, JUNE_29, 23)

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(conference=conference, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2))


def test_session_updated_to_end_after_last_day_refused(conference):
    session = SessionFactory(conference=conference, date=JUNE_29)

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(ends_at=utc(2018, 6, 30, 4, 1))


def test_conference_shortened_leaving_session_outside_refused(conference):
    SessionFactory(conference=conference, date=JUNE_29, starts_at=None, ends_at=None)
    conference.end_date = JUNE_28

    with pytest.raises(IntegrityError), transaction.atomic():
        conference.save()


def test_conference_moved_leaving_timed_session_outside_refused(conference):
    SessionFactory(conference=conference, date=JUNE_28)
    conference.start_date, conference.end_date = JUNE_29, datetime.date(2018, 6, 30)

    with pytest.raises(IntegrityError), transaction.atomic():
        conference.save()


def test_conference_moved_to_another_zone_leaving_session_outside_refused(conference):
    # Midnight in New York on the 28th (04:00 UTC) is still 27 June in Honolulu (UTC-10): the session's
    # day stays the 28th, only its start time falls before the conference's first local midnight.
    SessionFactory(conference=conference, starts_at=utc(2018, 6, 28, 4), ends_at=utc(2018, 6, 28, 5))
    conference.time_zone = "Pacific/Honolulu"

    with pytest.raises(IntegrityError), transaction.atomic():
        conference.save()


def test_conference_moved_to_another_zone_keeping_sessions_saves(conference):
    SessionFactory(conference=conference, starts_at=utc(2018, 6, 28, 4), ends_at=utc(2018, 6, 28, 5))
    conference.time_zone = "Asia/Tokyo"  # 15:00 UTC on the 27th to 15:00 UTC on the 29th
    conference.save()

    assert Conference.objects.get(pk=conference.pk).starts_at == utc(2018, 6, 27, 15)


def test_conference_lengthened_with_sessions_saves(conference):
    SessionFactory(conference=conference, date=JUNE_29)
    conference.end_date = datetime.date(2018, 6, 30)
    conference.save()

    assert Conference.objects.get(pk=conference.pk).ends_at == utc(2018, 7, 1, 4)


def test_session_clean_with_times_outside_conference_errs_on_starts_at(conference):
    starts_at = local_time(conference, datetime.date(2018, 6, 27), 23, 30)
    session = SessionFactory.build(conference=conference, starts_at=starts_at)

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert error.value.message_dict == {"starts_at": [OUTSIDE]}


@pytest.mark.parametrize("day", [datetime.date(2018, 6, 27), datetime.date(2018, 6, 30)])
def test_session_clean_without_times_outside_conference_errs_on_date(conference, day):
    session = SessionFactory.build(conference=conference, date=day, starts_at=None, ends_at=None)

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert error.value.message_dict == {"date": [OUTSIDE]}


def test_session_clean_ending_after_last_day_errs_on_ends_at(conference):
    starts_at = local_time(conference, JUNE_29, 23)
    session = SessionFactory.build(
        conference=conference, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2)
    )

    with pytest.raises(ValidationError) as error:
        session.full_clean()

    assert error.value.message_dict == {"ends_at": ["The session must end by the conference's last day."]}


def test_session_clean_with_only_start_errs_on_ends_at(conference):
    session = SessionFactory.build(conference=conference, ends_at=None)

    with pytest.raises(ValidationError) as error:
        session.clean()

    assert error.value.message_dict == {
        "ends_at": ["Give both the start and the end, or neither while they are not announced."]
    }


def test_session_clean_ending_at_start_errs_on_ends_at(conference):
    session = SessionFactory.build(conference=conference)
    session.ends_at = session.starts_at

    with pytest.raises(ValidationError) as error:
        session.clean()

    assert error.value.message_dict == {"ends_at": ["A session ends after it starts."]}


def test_session_clean_within_conference_passes(conference):
    session = SessionFactory.build(conference=conference, date=JUNE_29, starts_at=None, ends_at=None)

    assert session.full_clean() is None
