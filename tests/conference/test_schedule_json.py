import datetime
import json
import re

import pytest
from django.conf import settings

from conference.models import Session
from tests.conference.support import SITE_URL, build_sessions, four_pillars
from tests.factories import (
    ConferenceFactory,
    PillarFactory,
    RoomFactory,
    SessionFactory,
    SessionPersonFactory,
    local_time,
)

pytestmark = pytest.mark.django_db

SLUG_2018 = "first-high-level-conference-2018"
JAN_14 = datetime.date(2030, 1, 14)
# Documented in README.md, below the example, for the objects of "pillars" and "people".
PILLAR_KEYS = ["number", "slug", "short_name"]
PERSON_KEYS = ["role", "name", "function", "organization"]
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def documented():
    """The example of README.md's section on the JSON schedule."""
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("/schedule.json` gives a conference's schedule", 1)[1]
    return json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))


def schedule(client, slug):
    response = client.get(f"/conferences/{slug}/schedule.json")
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    return response.json()


def test_schedule_2018_matches_readme_example(client, reference_data):
    example = documented()
    data = schedule(client, SLUG_2018)
    opening = Session.objects.get(conference__slug=SLUG_2018, title="Opening Session")

    # What cannot be the same: the moment of the export, database ids and the time of the last change.
    assert data["sessions"][0] == {
        **example["sessions"][0],
        "id": opening.pk,
        "url": f"{SITE_URL}/sessions/{opening.pk}/",
        "updated_at": opening.updated_at.isoformat(),
    }
    assert data["conference"] == example["conference"]
    assert (data["version"], list(data)) == (example["version"], list(example))
    assert data["sessions"][0]["start"] == "2018-06-28T10:00:00-04:00"


def test_schedule_2018_every_session_in_programme_order(client, reference_data):
    sessions = schedule(client, SLUG_2018)["sessions"]

    assert [(s["date"], s["start"], s["end"], s["kind"]) for s in sessions] == [
        ("2018-06-28", "2018-06-28T10:00:00-04:00", "2018-06-28T10:30:00-04:00", "opening"),
        ("2018-06-28", "2018-06-28T10:30:00-04:00", "2018-06-28T13:00:00-04:00", "thematic"),
        ("2018-06-28", "2018-06-28T15:00:00-04:00", "2018-06-28T18:00:00-04:00", "thematic"),
        ("2018-06-29", None, None, "thematic"),
        ("2018-06-29", None, None, "thematic"),
        ("2018-06-29", None, None, "closing"),
    ]


def test_schedule_keys_and_types_as_documented(client):
    example = documented()
    conference = ConferenceFactory(slug="full", start_date=JAN_14, end_date=JAN_14)
    session = SessionFactory(
        conference=conference,
        room=RoomFactory(venue=conference.venue),
        is_open=True,
        webcast_url="https://webtv.un.org/live",
        seat_limit=80,
        online_seat_limit=200,
        organizers="UNOCT",
        pillars=four_pillars()[1:3],
    )
    SessionPersonFactory(session=session, role="chair")

    data = schedule(client, "full")
    exported = data["sessions"][0]

    assert list(data["conference"]) == list(example["conference"])
    assert list(data["conference"]["venue"]) == list(example["conference"]["venue"])
    assert list(exported) == list(example["sessions"][0])
    assert [list(p) for p in exported["pillars"]] == [PILLAR_KEYS, PILLAR_KEYS]
    assert [list(p) for p in exported["people"]] == [PERSON_KEYS]
    text = ["url", "title", "kind", "description", "date", "start", "end", "room", "webcast_url", "organizers"]
    assert {key: type(value).__name__ for key, value in exported.items()} == {
        **dict.fromkeys([*text, "updated_at"], "str"),
        **dict.fromkeys(["id", "seat_limit", "online_seat_limit", "sequence"], "int"),
        **dict.fromkeys(["online", "is_open", "is_cancelled"], "bool"),
        "pillars": "list",
        "people": "list",
    }
    conference_text = ["slug", "title", "theme", "start_date", "end_date", "time_zone", "format", "url"]
    assert {key: type(value).__name__ for key, value in data["conference"].items()} == {
        **dict.fromkeys(conference_text, "str"),
        "venue": "dict",
    }


def test_schedule_session_values(client):
    conference = ConferenceFactory(slug="full", start_date=JAN_14, end_date=JAN_14)
    pillar = PillarFactory(number=2, short_name="Preventing and combating terrorism", slug="prevent-and-combat")
    session = SessionFactory(
        conference=conference,
        title="Winter dialogue",
        room=RoomFactory(venue=conference.venue, name="Conference Room 1"),
        pillars=[pillar],
    )
    SessionPersonFactory(session=session, role="speaker", name="B", function="", organization="UN", position=2)
    SessionPersonFactory(session=session, role="chair", name="A", function="Director", organization="", position=1)

    exported = schedule(client, "full")["sessions"][0]

    assert (exported["start"], exported["end"], exported["date"]) == (
        "2030-01-14T10:00:00-05:00",
        "2030-01-14T11:00:00-05:00",
        "2030-01-14",
    )
    assert (exported["room"], exported["online"], exported["is_open"], exported["webcast_url"]) == (
        "Conference Room 1",
        False,
        False,
        None,
    )
    assert exported["pillars"] == [{"number": 2, "slug": "prevent-and-combat", "short_name": pillar.short_name}]
    assert exported["people"] == [
        {"role": "chair", "name": "A", "function": "Director", "organization": ""},
        {"role": "speaker", "name": "B", "function": "", "organization": "UN"},
    ]


def test_schedule_times_across_daylight_saving_change(client):
    nov_3 = datetime.date(2030, 11, 3)
    conference = ConferenceFactory(slug="autumn", start_date=nov_3, end_date=nov_3)
    SessionFactory(
        conference=conference,
        starts_at=local_time(conference, nov_3, 0, 30),
        ends_at=local_time(conference, nov_3, 3, 30),
    )

    exported = schedule(client, "autumn")["sessions"][0]

    assert (exported["start"], exported["end"]) == ("2030-11-03T00:30:00-04:00", "2030-11-03T03:30:00-05:00")
    assert ISO_WITH_OFFSET.match(exported["start"]) is not None


def test_schedule_untimed_session_null_times(client):
    conference = ConferenceFactory(slug="untimed", start_date=JAN_14, end_date=None, format="virtual", venue=None)
    SessionFactory(conference=conference, starts_at=None)

    data = schedule(client, "untimed")

    assert (data["sessions"][0]["start"], data["sessions"][0]["end"], data["sessions"][0]["date"]) == (
        None,
        None,
        "2030-01-14",
    )
    assert (data["conference"]["end_date"], data["conference"]["venue"], data["conference"]["format"]) == (
        None,
        None,
        "virtual",
    )
    assert (data["sessions"][0]["room"], data["sessions"][0]["online"]) == (None, True)


@pytest.mark.parametrize(
    ("is_open", "webcast_url", "expected"),
    [
        (True, "https://webtv.un.org/live", "https://webtv.un.org/live"),
        (True, "", None),
        (False, "https://webtv.un.org/live", None),
        (False, "", None),
    ],
)
def test_schedule_webcast_url_only_for_open_sessions(client, is_open, webcast_url, expected):
    SessionFactory(conference=ConferenceFactory(slug="c"), is_open=is_open, webcast_url=webcast_url)

    assert schedule(client, "c")["sessions"][0]["webcast_url"] == expected


def test_schedule_sequence_grows_with_each_change(client):
    session = SessionFactory(conference=ConferenceFactory(slug="c"))
    session.title = "Renamed"
    session.save()
    session.save()

    assert schedule(client, "c")["sessions"][0]["sequence"] == 2


def test_schedule_cancelled_session_listed(client):
    SessionFactory(conference=ConferenceFactory(slug="c"), is_cancelled=True)

    assert [s["is_cancelled"] for s in schedule(client, "c")["sessions"]] == [True]


def test_schedule_open_to_other_sites(client):
    ConferenceFactory(slug="c")

    assert client.get("/conferences/c/schedule.json")["Access-Control-Allow-Origin"] == "*"


def test_schedule_draft_conference_404(client, staff_user):
    SessionFactory(conference=ConferenceFactory(slug="draft", is_published=False))

    assert client.get("/conferences/draft/schedule.json").status_code == 404
    client.force_login(staff_user)
    assert client.get("/conferences/draft/schedule.json").status_code == 404


def test_schedule_unknown_conference_404(client):
    assert client.get("/conferences/no-such/schedule.json").status_code == 404


@pytest.mark.parametrize("count", [5, 500])
def test_schedule_query_count_constant(client, django_assert_num_queries, count):
    conference = ConferenceFactory(slug="busy", start_date=JAN_14, end_date=datetime.date(2030, 1, 16))
    build_sessions(conference, count, pillars=four_pillars()[:3], room=RoomFactory(venue=conference.venue))

    with django_assert_num_queries(4):  # the conference with its venue, sessions with rooms, pillars, people
        data = schedule(client, "busy")

    assert len(data["sessions"]) == count
    assert sum(len(s["people"]) for s in data["sessions"]) == 2 * count
