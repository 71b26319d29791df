import datetime
import re

import pytest

from tests.conference.support import (
    CLOSED_BADGE,
    NO_MATCH,
    OPEN_BADGE,
    events,
    four_pillars,
    ignored_message,
    month_cells,
    page,
    session_titles,
)
from tests.factories import ConferenceFactory, PillarFactory, SessionFactory, local_time

pytestmark = pytest.mark.django_db

JUNE_10, JUNE_11, JUNE_12 = datetime.date(2030, 6, 10), datetime.date(2030, 6, 11), datetime.date(2030, 6, 12)
ALL = ["Opening", "Dialogue", "Side event A", "Webinar on youth", "Closing"]
CLOSED_DOOR_WEBCAST = "https://webtv.un.org/closed-door"


@pytest.fixture
def conference():
    conference = ConferenceFactory(slug="week-2030", start_date=JUNE_10, end_date=JUNE_12)
    p1, p2, _, p4 = four_pillars()

    def add(title, kind, day, hour, is_open, pillars):
        start = local_time(conference, day, hour) if hour else None
        return SessionFactory(
            conference=conference,
            title=title,
            kind=kind,
            date=day,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1) if start else None,
            is_open=is_open,
            webcast_url="https://webtv.un.org/live" if is_open else "",
            pillars=pillars,
        )

    add("Opening", "opening", JUNE_10, 10, True, [p1])
    add("Dialogue", "thematic", JUNE_10, 15, False, [p2])
    add("Side event A", "side_event", JUNE_11, 10, False, [p2, p4])
    add("Webinar on youth", "thematic", JUNE_11, 14, True, [p4])
    add("Closing", "closing", JUNE_12, None, True, [])
    return conference


def agenda(client, query=""):
    response = client.get(f"/conferences/week-2030/{query}")
    assert response.status_code == 200
    return response


def test_agenda_without_filters_lists_every_session(client, conference):
    response = agenda(client)

    assert session_titles(response) == ALL
    assert "Some filters were not understood" not in page(response)


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("?day=2030-06-11", ["Side event A", "Webinar on youth"]),
        ("?day=2030-06-12", ["Closing"]),
        ("?pillar=pillar-2", ["Dialogue", "Side event A"]),
        ("?pillar=pillar-4", ["Side event A", "Webinar on youth"]),
        ("?kind=thematic", ["Dialogue", "Webinar on youth"]),
        ("?kind=side_event", ["Side event A"]),
        ("?access=open", ["Opening", "Webinar on youth", "Closing"]),
        ("?access=closed", ["Dialogue", "Side event A"]),
    ],
)
def test_agenda_single_filter_selects_sessions(client, conference, query, titles):
    assert session_titles(agenda(client, query)) == titles


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("?day=2030-06-11&pillar=pillar-4", ["Side event A", "Webinar on youth"]),
        ("?day=2030-06-11&pillar=pillar-4&kind=thematic", ["Webinar on youth"]),
        ("?day=2030-06-11&pillar=pillar-4&kind=thematic&access=open", ["Webinar on youth"]),
        ("?pillar=pillar-2&access=closed&kind=side_event", ["Side event A"]),
        ("?day=2030-06-10&access=open", ["Opening"]),
    ],
)
def test_agenda_filters_combined_select_sessions(client, conference, query, titles):
    assert session_titles(agenda(client, query)) == titles


def test_agenda_filters_shown_selected_in_the_form(client, conference):
    form = page(agenda(client, "?day=2030-06-11&pillar=pillar-4&kind=thematic&access=open")).split("</form>")[0]

    assert re.findall(r'<option value="([^"]*)" selected>', form) == ["2030-06-11", "pillar-4", "thematic", "open"]


def test_agenda_filter_form_works_without_javascript(client, conference):
    form = page(agenda(client)).split('<form method="get" class="session-filters')[1].split("</form>")[0]

    assert re.findall(r'<select name="(\w+)"', form) == ["day", "pillar", "kind", "access"]
    assert '<button type="submit" class="btn btn-primary">Apply filters</button>' in form


def test_agenda_filter_without_match_says_so(client, conference):
    response = agenda(client, "?kind=webinar")

    assert session_titles(response) == []
    assert f"<p>{NO_MATCH}</p>" in page(response)


def test_agenda_combined_filters_without_match_says_so(client, conference):
    response = agenda(client, "?day=2030-06-12&access=closed")

    assert (session_titles(response), page(response).count(NO_MATCH)) == ([], 1)


@pytest.mark.parametrize(
    ("query", "ignored"),
    [
        ("?pillar=nope", ["Pillar"]),
        ("?kind=<script>alert(1)</script>", ["Kind"]),
        ("?day=2018-13-45", ["Day"]),
        ("?day=2030-06-20", ["Day"]),
        ("?day=yesterday", ["Day"]),
        ("?access=maybe", ["Access"]),
        ("?access=OPEN", ["Access"]),
        ("?day=2018-13-45&pillar=nope&kind=plenary&access=maybe", ["Day", "Pillar", "Kind", "Access"]),
    ],
)
def test_agenda_malformed_filter_ignored_and_named(client, conference, query, ignored):
    response = agenda(client, query)

    assert session_titles(response) == ALL
    assert page(response).count(ignored_message(ignored)) == 1


def test_agenda_repeated_filter_ignored_and_named(client, conference):
    # ?kind=thematic&kind=closing asks for two kinds at once: neither is applied, and the page says so.
    response = agenda(client, "?kind=thematic&kind=closing")

    assert session_titles(response) == ALL
    assert page(response).count(ignored_message(["Kind"])) == 1


def test_agenda_malformed_filter_ignored_valid_one_applied(client, conference):
    response = agenda(client, "?kind=thematic&pillar=nope")

    assert session_titles(response) == ["Dialogue", "Webinar on youth"]
    assert ignored_message(["Pillar"]) in page(response)


def test_agenda_malformed_value_never_echoed_as_html(client, conference):
    response = agenda(client, "?kind=<script>alert(1)</script>&month=<b>x</b>")

    assert "<script>alert(1)" not in page(response)
    assert "<b>x</b>" not in page(response)


def test_agenda_unknown_parameter_ignored_silently(client, conference):
    response = agenda(client, "?page=3&utm_source=newsletter")

    assert session_titles(response) == ALL
    assert "Some filters were not understood" not in page(response)


def test_agenda_session_item_shows_access_pillars_and_place(client, conference):
    pieces = page(agenda(client)).split('class="list-unstyled session-list">')[1].split("<li")[1:]
    dialogue = next(piece for piece in pieces if ">Dialogue</a>" in piece)
    opening = next(piece for piece in pieces if ">Opening</a>" in piece)

    assert (CLOSED_BADGE in dialogue, OPEN_BADGE in dialogue) == (True, False)
    assert (CLOSED_BADGE in opening, OPEN_BADGE in opening) == (False, True)
    assert re.findall(r'class="badge badge-pillar-\d" href="([^"]+)"', dialogue) == ["/pillars/pillar-2/"]


@pytest.fixture
def draft_session():
    draft = ConferenceFactory(slug="draft-2030", start_date=JUNE_10, end_date=JUNE_12, is_published=False)
    return SessionFactory(conference=draft, title="Draft-only session", pillars=[PillarFactory(number=1)])


@pytest.mark.parametrize(
    "url",
    ["/calendar/?month=2030-06", "/calendar/list/?month=2030-06", "/pillars/pillar-1/", "/pillars/", "/archive/", "/"],
)
def test_draft_conference_sessions_absent_from_public_pages(client, conference, draft_session, url):
    response = client.get(url)

    assert response.status_code == 200
    assert "Draft-only session" not in page(response)
    assert "draft-2030" not in page(response)


def test_draft_conference_sessions_absent_from_month_cells(client, conference, draft_session):
    cells = {day: titles for day, _, titles in month_cells(client.get("/calendar/?month=2030-06"))}

    assert cells[JUNE_10] == ["Opening", "Dialogue"]


@pytest.mark.parametrize("url", ["/calendar.ics", "/pillars/pillar-1/calendar.ics"])
def test_draft_conference_sessions_absent_from_feeds(client, conference, draft_session, url):
    titles = sorted(str(event["SUMMARY"]) for event in events(client.get(url)).values())

    assert "Draft-only session" not in titles
    assert titles == (sorted(ALL) if url == "/calendar.ics" else ["Opening"])


@pytest.mark.parametrize(
    "url",
    ["/conferences/draft-2030/", "/conferences/draft-2030/calendar.ics", "/conferences/draft-2030/schedule.json"],
)
def test_draft_conference_pages_and_feeds_404(client, draft_session, url):
    assert client.get(url).status_code == 404


def test_draft_conference_session_not_counted_on_pillar_list(client, conference, draft_session):
    counts = re.findall(r'small text-body-secondary">(\d+ sessions?)</p>', page(client.get("/pillars/")))

    assert counts == ["1 session", "2 sessions", "0 sessions", "2 sessions"]


@pytest.fixture
def closed_door(conference):
    # A webcast link typed on a closed session by mistake must never be published.
    return SessionFactory(
        conference=conference,
        title="Closed-door briefing",
        date=JUNE_12,
        starts_at=local_time(conference, JUNE_12, 9),
        is_open=False,
        webcast_url=CLOSED_DOOR_WEBCAST,
    )


def test_closed_session_marked_closed_in_agenda(client, closed_door):
    response = agenda(client)
    item = page(response).split(">Closed-door briefing</a>")[1].split("</li>")[0]

    assert CLOSED_BADGE in item
    assert CLOSED_DOOR_WEBCAST not in page(response)


def test_closed_session_marked_closed_in_calendar(client, closed_door):
    month = page(client.get("/calendar/?month=2030-06"))
    listed = page(client.get("/calendar/list/?month=2030-06"))
    cell = month.split(">Closed-door briefing</a>")[1].split("</li>")[0]

    assert CLOSED_BADGE in cell
    assert CLOSED_BADGE in listed.split(">Closed-door briefing</a>")[1].split("</li>")[0]
    assert (CLOSED_DOOR_WEBCAST in month, CLOSED_DOOR_WEBCAST in listed) == (False, False)


def test_closed_session_page_without_webcast(client, closed_door):
    response = client.get(f"/sessions/{closed_door.pk}/")

    assert "Closed: registered participants only" in page(response)
    assert (CLOSED_DOOR_WEBCAST in page(response), "Watch the webcast" in page(response)) == (False, False)


def test_closed_session_json_webcast_url_null(client, closed_door):
    sessions = {s["title"]: s for s in client.get("/conferences/week-2030/schedule.json").json()["sessions"]}

    assert (sessions["Closed-door briefing"]["is_open"], sessions["Closed-door briefing"]["webcast_url"]) == (
        False,
        None,
    )
    assert sessions["Opening"]["webcast_url"] == "https://webtv.un.org/live"


@pytest.mark.parametrize("url", ["/calendar.ics", "/conferences/week-2030/calendar.ics", "/sessions/{pk}/calendar.ics"])
def test_closed_session_feeds_without_webcast(client, settings, closed_door, url):
    settings.SITE_URL = "https://conference.example.org"

    response = client.get(url.format(pk=closed_door.pk))
    event = events(response)[f"session-{closed_door.pk}@conference.example.org"]

    assert CLOSED_DOOR_WEBCAST.encode() not in response.content
    assert str(event["DESCRIPTION"]).split("\n\n")[1] == "Closed session: registered participants only."
