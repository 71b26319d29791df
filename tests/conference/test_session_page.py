import datetime
import re

import pytest
from django.utils.html import strip_tags

from tests.conference.support import events, page, parse_calendar, utc
from tests.factories import (
    ConferenceFactory,
    PillarFactory,
    RoomFactory,
    SessionFactory,
    SessionPersonFactory,
    VenueFactory,
    local_time,
)

pytestmark = pytest.mark.django_db

JUNE_10 = datetime.date(2030, 6, 10)
WEBCAST = "https://webtv.un.org/en/asset/k1x/k1xyz"


@pytest.fixture
def session():
    venue = VenueFactory(name="United Nations Headquarters", city="New York")
    conference = ConferenceFactory(
        title="Fourth High-Level Conference", slug="fourth", venue=venue, start_date=JUNE_10, end_date=JUNE_10
    )
    session = SessionFactory(
        conference=conference,
        title="Session I: Terrorism and new technologies",
        kind="thematic",
        starts_at=local_time(conference, JUNE_10, 15),
        ends_at=local_time(conference, JUNE_10, 18),
        room=RoomFactory(venue=venue, name="Trusteeship Council Chamber"),
        is_open=True,
        webcast_url=WEBCAST,
        seat_limit=120,
        online_seat_limit=300,
        organizers="UNOCT and CTED",
        description="A discussion of emerging threats.",
        pillars=[PillarFactory(number=2, short_name="Preventing and combating terrorism", slug="prevent-and-combat")],
    )
    session.pillars.add(PillarFactory(number=4, short_name="Human rights and the rule of law", slug="human-rights"))
    SessionPersonFactory(session=session, role="speaker", name="Kenji Sato", function="Director", position=2)
    SessionPersonFactory(
        session=session, role="chair", name="Amina Diallo", function="Under-Secretary-General", position=1
    )
    SessionPersonFactory(
        session=session, role="moderator", name="María López", function="", organization="", position=3
    )
    return session


def facts(response):
    """{label: text} of the session's description list."""
    pairs = re.findall(r'<dt class="col-sm-3">(.*?)</dt>\s*<dd class="col-sm-9">(.*?)</dd>', page(response), re.S)
    return {label: " ".join(strip_tags(value).split()) for label, value in pairs}


def test_session_page_shows_every_detail(client, session):
    response = client.get(f"/sessions/{session.pk}/")

    assert response.status_code == 200
    assert '<h1 id="session-title">Session I: Terrorism and new technologies</h1>' in page(response)
    assert '<a href="/conferences/fourth/">Fourth High-Level Conference</a>' in page(response)
    assert facts(response) == {
        "When": "Monday 10 June 2030, 15:00–18:00 EDT (New York time)",
        "Kind": "Thematic session",
        "Where": "Trusteeship Council Chamber, United Nations Headquarters, New York",
        "Access": "Open (webcast) · Watch the webcast",
        "Seats": "120 seats in the room · 300 seats online",
        "Pillars": "Pillar 2: Preventing and combating terrorism Pillar 4: Human rights and the rule of law",
        "Organized by": "UNOCT and CTED",
    }
    assert "<p>A discussion of emerging threats.</p>" in page(response)


def test_session_page_lists_people_in_programme_order(client, session):
    people = page(client.get(f"/sessions/{session.pk}/")).split('id="people-heading"')[1].split("</ul>")[0]

    assert [" ".join(strip_tags(item).split()) for item in re.findall(r"<li>(.*?)</li>", people, re.S)] == [
        "Chair: Amina Diallo, Under-Secretary-General, Member State",
        "Speaker: Kenji Sato, Director, Member State",
        "Moderator: María López",
    ]
    assert ">Chair and speakers</h2>" in page(client.get(f"/sessions/{session.pk}/"))


def test_session_page_pillars_as_badges_linking_pillar_pages(client, session):
    badges = re.findall(
        r'<a class="badge badge-pillar-(\d)" href="([^"]+)"', page(client.get(f"/sessions/{session.pk}/"))
    )

    assert badges == [("2", "/pillars/prevent-and-combat/"), ("4", "/pillars/human-rights/")]


def test_session_page_open_shows_webcast_link(client, session):
    assert f'<a href="{WEBCAST}">Watch the webcast</a>' in page(client.get(f"/sessions/{session.pk}/"))


def test_session_page_closed_hides_webcast_link(client, session):
    session.is_open = False
    session.save()

    response = client.get(f"/sessions/{session.pk}/")

    assert facts(response)["Access"] == "Closed: registered participants only"
    assert (WEBCAST in page(response), "Watch the webcast" in page(response)) == (False, False)


def test_session_page_cancelled_says_so_without_webcast(client, session):
    session.is_cancelled = True
    session.save()

    response = client.get(f"/sessions/{session.pk}/")

    assert '<p class="alert alert-danger">This session is cancelled.</p>' in page(response)
    assert (facts(response)["Access"], WEBCAST in page(response)) == ("Open (webcast)", False)


def test_session_page_online_session_says_online(client):
    conference = ConferenceFactory(format="virtual", venue=None)
    session = SessionFactory(conference=conference, online_url="https://meet.example.org/webinar")

    assert facts(client.get(f"/sessions/{session.pk}/"))["Where"] == "Online"


def test_session_page_time_not_announced(client, session):
    session.starts_at = session.ends_at = None
    session.save()

    response = client.get(f"/sessions/{session.pk}/")

    assert facts(response)["When"] == "Monday 10 June 2030, time not announced (New York time)"
    assert "data-local-time" not in page(response)


def test_session_page_local_time_element_carries_iso_times_and_zone(client, session):
    element = re.search(r"<span [^>]*data-local-time[^>]*>", page(client.get(f"/sessions/{session.pk}/"))).group(0)

    assert dict(re.findall(r'(data-[\w-]+)="([^"]*)"', element)) == {
        "data-zone": "America/New_York",
        "data-start": "2030-06-10T15:00:00-04:00",
        "data-end": "2030-06-10T18:00:00-04:00",
        "data-label": "Your time:",
    }
    assert element.endswith(" hidden>")  # shown only by static/js/local-time.js; the page reads fully without it


def test_session_page_local_time_across_daylight_saving_change(client):
    conference = ConferenceFactory(start_date=datetime.date(2030, 11, 3), end_date=datetime.date(2030, 11, 3))
    session = SessionFactory(
        conference=conference,
        starts_at=local_time(conference, datetime.date(2030, 11, 3), 0, 30),
        ends_at=local_time(conference, datetime.date(2030, 11, 3), 3, 30),
    )

    response = client.get(f"/sessions/{session.pk}/")

    assert 'data-start="2030-11-03T00:30:00-04:00" data-end="2030-11-03T03:30:00-05:00"' in page(response)
    assert facts(response)["When"] == "Sunday 3 November 2030, 00:30–03:30 EST (New York time)"


def test_session_page_links_its_ics(client, session):
    assert f'href="/sessions/{session.pk}/calendar.ics">Add to my calendar (.ics)</a>' in page(
        client.get(f"/sessions/{session.pk}/")
    )


def test_session_ics_parses_with_this_session_only(client, session, settings):
    settings.SITE_URL = "https://conference.example.org"

    response = client.get(f"/sessions/{session.pk}/calendar.ics")
    event = events(response)[f"session-{session.pk}@conference.example.org"]

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="session-{session.pk}.ics"'
    assert [c.name for c in parse_calendar(response).subcomponents] == ["VTIMEZONE", "VEVENT"]
    assert str(event["SUMMARY"]) == "Session I: Terrorism and new technologies"
    assert event.decoded("DTSTART").astimezone(datetime.UTC) == utc(2030, 6, 10, 19)
    assert event.decoded("DTEND").astimezone(datetime.UTC) == utc(2030, 6, 10, 22)
    assert str(event["LOCATION"]) == "Trusteeship Council Chamber, United Nations Headquarters, New York"
    assert str(event["URL"]) == f"https://conference.example.org/sessions/{session.pk}/"
    assert str(event["DESCRIPTION"]) == (
        f"Fourth High-Level Conference\n\nOpen session (webcast).\n\n{WEBCAST}\n\nA discussion of emerging threats."
    )


def test_session_ics_time_not_announced_all_day(client, session):
    session.starts_at = session.ends_at = None
    session.save()

    event = next(iter(events(client.get(f"/sessions/{session.pk}/calendar.ics")).values()))

    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (JUNE_10, datetime.date(2030, 6, 11))


def test_session_of_draft_conference_404_for_visitor(client):
    session = SessionFactory(conference=ConferenceFactory(is_published=False))

    assert client.get(f"/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/sessions/{session.pk}/calendar.ics").status_code == 404


def test_session_of_draft_conference_shown_to_staff(client, staff_user):
    session = SessionFactory(conference=ConferenceFactory(is_published=False), title="Preview session")
    client.force_login(staff_user)

    response = client.get(f"/sessions/{session.pk}/")

    assert (response.status_code, response.context["session"].title) == (200, "Preview session")


def test_session_unknown_404(client):
    assert client.get("/sessions/999999/").status_code == 404
    assert client.get("/sessions/999999/calendar.ics").status_code == 404


@pytest.mark.parametrize("people", [1, 40])
def test_session_page_query_count_constant(client, django_assert_num_queries, session, people):
    SessionPersonFactory.create_batch(people, session=session)

    with django_assert_num_queries(3):  # the session with its conference, venue and room; pillars; people
        response = client.get(f"/sessions/{session.pk}/")

    assert page(response).count("<bdi>") == 3 + people


@pytest.mark.parametrize(
    ("prefix", "zone_text"),
    [
        ("/zh-hans", "（纽约时间）"),  # full-width brackets in Chinese text
        ("/ru", "(местное время: Нью-Йорк)"),
        ("/ar", "(بتوقيت نيويورك)"),
        ("/es", "(hora de Nueva York)"),
        ("/fr", "(heure de New York)"),
        ("", "(New York time)"),
    ],
)
def test_session_page_names_the_zone_city_in_the_page_language(client, session, prefix, zone_text):
    assert f'<span class="text-body-secondary">{zone_text}</span>' in page(
        client.get(f"{prefix}/sessions/{session.pk}/")
    )


def test_session_page_joins_day_and_hours_as_the_language_does(client, session, monkeypatch):
    """The day and what follows are one translated text, so that each language gives its own punctuation."""
    patterns = {"%(date)s, %(time)s": "%(date)s %(time)s", "%(date)s, time not announced": "%(date)s，时间未公布"}
    monkeypatch.setattr("conference.templatetags.content._", lambda text: patterns.get(text, text))

    announced = facts(client.get(f"/sessions/{session.pk}/"))["When"]
    session.starts_at = session.ends_at = None
    session.save()
    not_announced = facts(client.get(f"/sessions/{session.pk}/"))["When"]

    assert announced.startswith("Monday 10 June 2030 15:00–18:00 EDT")
    assert not_announced.startswith("Monday 10 June 2030，时间未公布")
