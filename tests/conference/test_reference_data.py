import datetime

import pytest
from django.apps import apps
from django.db import models

from conference.models import Conference, Resource, Room, Session, Venue
from strategy.models import Pillar, StrategyReview

pytestmark = pytest.mark.django_db

NEW_YORK = datetime.timezone(datetime.timedelta(hours=-4))  # EDT, for the June and July dates below
REFERENCE_MODELS = [Pillar, StrategyReview, Venue, Room, Conference, Resource, Session]
MANGLED = ["¡°", "¡±", "¡¯", "&²Ô²ú²õ±è;"]
SLUG_2018 = "first-high-level-conference-2018"


def counts():
    return {model.__name__: model.objects.count() for model in REFERENCE_MODELS}


def ny(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=NEW_YORK)


def session_2018(prefix):
    return Session.objects.get(conference__slug=SLUG_2018, title__startswith=prefix)


def test_load_first_run_reports_created(load_reference_data):
    output = load_reference_data()

    assert output == "Reference data: 26 created, 0 updated, 2 unchanged.\n"
    assert counts() == {
        "Pillar": 4,
        "StrategyReview": 9,
        "Venue": 1,
        "Room": 0,
        "Conference": 4,
        "Resource": 1,
        "Session": 7,
    }


def test_load_second_run_changes_nothing(load_reference_data):
    load_reference_data()
    before = counts()
    stamps = {
        "conferences": dict(Conference.objects.values_list("slug", "updated_at")),
        "sessions": dict(Session.objects.values_list("title", "updated_at")),
    }

    output = load_reference_data()

    assert output == "Reference data: 0 created, 0 updated, 28 unchanged.\n"
    assert counts() == before
    assert {
        "conferences": dict(Conference.objects.values_list("slug", "updated_at")),
        "sessions": dict(Session.objects.values_list("title", "updated_at")),
    } == stamps


def test_load_restores_fact_edited_by_staff(load_reference_data):
    load_reference_data()
    Conference.objects.filter(slug=SLUG_2018).update(theme="Edited by the secretariat")

    output = load_reference_data()

    assert output == "Reference data: 0 created, 1 updated, 27 unchanged.\n"
    assert Conference.objects.get(slug=SLUG_2018).theme == (
        "Strengthening international cooperation to combat the evolving threat of terrorism"
    )


def test_load_restores_session_time_edited_by_staff(load_reference_data):
    load_reference_data()
    opening = session_2018("Opening")
    Session.objects.filter(pk=opening.pk).update(ends_at=opening.ends_at + datetime.timedelta(minutes=30))

    output = load_reference_data()

    assert output == "Reference data: 0 created, 1 updated, 27 unchanged.\n"
    assert session_2018("Opening").ends_at == ny(datetime.date(2018, 6, 28), 10, 30)


def test_pillars_have_official_titles(reference_data):
    assert list(Pillar.objects.values_list("number", "title")) == [
        (1, "Measures to address the conditions conducive to the spread of terrorism."),
        (2, "Measures to prevent and combat terrorism."),
        (
            3,
            "Measures to build States' capacity to prevent and combat terrorism and to strengthen the role of "
            "the United Nations system in that regard.",
        ),
        (
            4,
            "Measures to ensure respect for human rights for all and the rule of law as the fundamental basis "
            "of the fight against terrorism.",
        ),
    ]


def test_strategy_adoption_and_reviews(reference_data):
    assert list(StrategyReview.objects.values_list("ordinal", "resolution", "adopted_on")) == [
        (0, "A/RES/60/288", datetime.date(2006, 9, 8)),
        (1, "A/RES/62/272", datetime.date(2008, 9, 5)),
        (2, "A/RES/64/297", datetime.date(2010, 9, 8)),
        (3, "A/RES/66/282", datetime.date(2012, 6, 29)),
        (4, "A/RES/68/276", datetime.date(2014, 6, 13)),
        (5, "A/RES/70/291", datetime.date(2016, 7, 1)),
        (6, "A/RES/72/284", datetime.date(2018, 6, 26)),
        (7, "A/RES/75/291", datetime.date(2021, 6, 30)),
        (8, "A/RES/77/298", datetime.date(2023, 6, 22)),
    ]
    adoption = StrategyReview.objects.get(ordinal=0)
    assert (adoption.is_adoption, adoption.document_url) == (True, "https://undocs.org/A/RES/60/288")
    assert StrategyReview.objects.get(ordinal=6).title == (
        "Sixth Review of the United Nations Global Counter-Terrorism Strategy"
    )


def test_conferences_dates_formats_and_reviews(reference_data):
    rows = Conference.objects.order_by("start_date").values_list(
        "slug", "start_date", "end_date", "format", "strategy_review__ordinal", "time_zone", "is_published"
    )

    assert list(rows) == [
        (SLUG_2018, datetime.date(2018, 6, 28), datetime.date(2018, 6, 29), "in_person", 6, "America/New_York", True),
        (
            "virtual-counter-terrorism-week-2020",
            datetime.date(2020, 7, 6),
            datetime.date(2020, 7, 10),
            "virtual",
            None,
            "America/New_York",
            True,
        ),
        (
            "second-high-level-conference-2021",
            datetime.date(2021, 6, 28),
            datetime.date(2021, 6, 30),
            "hybrid",
            7,
            "America/New_York",
            True,
        ),
        (
            "third-high-level-conference-2023",
            datetime.date(2023, 6, 19),
            None,
            "in_person",
            8,
            "America/New_York",
            True,
        ),
    ]


def test_2018_programme_times_and_access(reference_data):
    """Only the Opening Session (open, webcast) and Sessions I and II (closed) had their access
    published; the source names the hall for the conference, not a room per session."""
    day_1, day_2 = datetime.date(2018, 6, 28), datetime.date(2018, 6, 29)
    programme = [
        (s.title.split(":")[0], s.kind, s.date, s.starts_at, s.ends_at, s.is_open, s.room)
        for s in Session.objects.filter(conference__slug=SLUG_2018)
    ]

    assert programme == [
        ("Opening Session", "opening", day_1, ny(day_1, 10), ny(day_1, 10, 30), True, None),
        ("Session I", "thematic", day_1, ny(day_1, 10, 30), ny(day_1, 13), False, None),
        ("Session II", "thematic", day_1, ny(day_1, 15), ny(day_1, 18), False, None),
        ("Session III", "thematic", day_2, None, None, None, None),
        ("Session IV", "thematic", day_2, None, None, None, None),
        ("Closing Session", "closing", day_2, None, None, None, None),
    ]


def test_2018_hall_named_for_the_conference(reference_data):
    conference = Conference.objects.get(slug=SLUG_2018)

    assert conference.venue.name == "United Nations Headquarters"
    assert "in the General Assembly Hall at United Nations Headquarters" in conference.description


def test_load_corrects_access_and_room_given_by_an_earlier_version(load_reference_data):
    """A database loaded before has the unannounced sessions closed and the 2018 ones in the hall: a run fixes it."""
    load_reference_data()
    hall = Room.objects.create(venue=Venue.objects.get(), name="General Assembly Hall")
    Session.objects.filter(conference__slug=SLUG_2018).update(room=hall)
    Session.objects.filter(is_open__isnull=True).update(is_open=False)
    sequence = session_2018("Session III").sequence

    output = load_reference_data()

    assert output == "Reference data: 0 created, 7 updated, 21 unchanged.\n"
    assert list(Session.objects.filter(conference__slug=SLUG_2018).values_list("is_open", "room")) == [
        (True, None),
        (False, None),
        (False, None),
        (None, None),
        (None, None),
        (None, None),
    ]
    assert session_2018("Session III").sequence == sequence + 1  # calendar apps take the change
    assert load_reference_data() == "Reference data: 0 created, 0 updated, 28 unchanged.\n"


def test_2018_opening_session_in_utc(reference_data):
    opening = session_2018("Opening")
    utc = datetime.UTC

    assert (opening.starts_at, opening.ends_at) == (
        datetime.datetime(2018, 6, 28, 14, tzinfo=utc),
        datetime.datetime(2018, 6, 28, 14, 30, tzinfo=utc),
    )


def test_2020_opening_high_level_session(reference_data):
    day = datetime.date(2020, 7, 6)
    sessions = Session.objects.filter(conference__slug="virtual-counter-terrorism-week-2020")

    assert [(s.kind, s.date, s.starts_at, s.ends_at, s.is_open, s.room) for s in sessions] == [
        ("high_level", day, ny(day, 10), ny(day, 12), None, None)
    ]


def test_2018_report_resource(reference_data):
    resource = Resource.objects.get(conference__slug=SLUG_2018)

    assert (resource.kind, resource.title) == (
        "report",
        "Report of the First United Nations High-Level Conference of Heads of Counter-Terrorism Agencies "
        "of Member States",
    )


def test_venue_is_united_nations_headquarters(reference_data):
    venue = Venue.objects.get()

    assert (venue.name, venue.city, venue.country.code) == ("United Nations Headquarters", "New York", "US")
    assert set(Conference.objects.filter(venue=venue).values_list("start_date__year", flat=True)) == {
        2018,
        2021,
        2023,
    }


def test_no_text_has_mangled_encoding(reference_data):
    texts = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        for row in model.objects.values_list(*fields):
            texts.extend(value for value in row if value)

    assert len(texts) > 100
    assert [text for text in texts if any(bad in text for bad in MANGLED)] == []


def test_no_template_or_reference_source_has_mangled_encoding(settings):
    base = settings.BASE_DIR
    files = [*sorted((base / "templates").rglob("*.html")), base / "conference" / "reference_data.py"]

    assert len(files) > 5
    assert [str(f) for f in files if any(bad in f.read_text(encoding="utf-8") for bad in MANGLED)] == []
