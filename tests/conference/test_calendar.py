import datetime
import html
import re

import pytest
import time_machine
from django.utils import timezone
from django.utils.dateformat import format as date_format

from tests.conference.support import (
    EMPTY_MONTH,
    build_sessions,
    four_pillars,
    ignored_message,
    link,
    list_view,
    month_cells,
    page,
    session_titles,
)
from tests.factories import ConferenceFactory, RoomFactory, SessionFactory, local_time

pytestmark = pytest.mark.django_db

JUNE_10 = datetime.date(2030, 6, 10)


def days(first, last):
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def this_month_heading():
    return f"<h1>Calendar: {date_format(timezone.localdate(), 'F Y')}</h1>"


@pytest.fixture
def week():
    conference = ConferenceFactory(title="Week 2030", start_date=JUNE_10, end_date=datetime.date(2030, 6, 12))
    p1, p2, _, _ = four_pillars()
    SessionFactory(conference=conference, title="Opening", kind="opening", is_open=True, pillars=[p1])
    SessionFactory(
        conference=conference,
        title="Late reception",
        kind="side_event",
        starts_at=local_time(conference, JUNE_10, 23, 30),
        ends_at=local_time(conference, JUNE_10, 23, 55),
        pillars=[p2],
    )
    SessionFactory(conference=conference, title="Day two", date=datetime.date(2030, 6, 11), pillars=[p1, p2])
    SessionFactory(conference=conference, title="Untimed", date=datetime.date(2030, 6, 12), starts_at=None)
    return conference


def test_month_table_one_cell_per_day_of_displayed_weeks(client, week):
    response = client.get("/calendar/?month=2030-06")
    cells = month_cells(response)

    # June 2030 starts on a Saturday and ends on a Sunday: weeks from Monday 27 May to Sunday 30 June.
    assert [day for day, _, _ in cells] == days(datetime.date(2030, 5, 27), datetime.date(2030, 6, 30))
    assert page(response).count("<tr>") == 1 + 5
    assert page(response).count('<th scope="col">') == 7


def test_month_table_is_accessible(client, week):
    table = page(client.get("/calendar/?month=2030-06")).split('<table class="table table-bordered calendar-month">')[1]

    assert table.split("</caption>")[0].strip() == (
        '<caption class="visually-hidden">Sessions in June 2030, one cell a day'
    )
    assert table.count('<th scope="col">Monday</th>') == 1


def test_month_sessions_in_cells_of_their_local_day(client, week):
    cells = {day: titles for day, _, titles in month_cells(client.get("/calendar/?month=2030-06"))}

    # The reception starts at 03:30 UTC on 11 June, but on 10 June in New York.
    assert cells[JUNE_10] == ["Opening", "Late reception"]
    assert cells[datetime.date(2030, 6, 11)] == ["Day two"]
    assert cells[datetime.date(2030, 6, 12)] == ["Untimed"]
    assert sum(len(titles) for titles in cells.values()) == 4


def test_month_late_session_on_last_day_stays_in_its_month(client):
    conference = ConferenceFactory(start_date=datetime.date(2030, 7, 31), end_date=datetime.date(2030, 8, 1))
    SessionFactory(
        conference=conference,
        title="Night session",
        starts_at=local_time(conference, datetime.date(2030, 7, 31), 23, 30),
        ends_at=local_time(conference, datetime.date(2030, 7, 31), 23, 45),
    )

    july = {day: titles for day, _, titles in month_cells(client.get("/calendar/?month=2030-07"))}
    august = client.get("/calendar/?month=2030-08")

    assert july[datetime.date(2030, 7, 31)] == ["Night session"]
    assert EMPTY_MONTH in page(august)


def test_month_session_time_shown_in_conference_zone(client, week):
    cell = page(client.get("/calendar/?month=2030-06")).split('<time datetime="2030-06-10">')[1].split("</td>")[0]

    assert '<time datetime="2030-06-10T23:30-04:00" dir="ltr">23:30 EDT</time>' in cell


def test_month_previous_and_next_links_keep_filters(client, week):
    response = client.get("/calendar/?month=2030-06&pillar=pillar-1&kind=thematic&access=closed")

    assert link(response, "prev") == "?pillar=pillar-1&kind=thematic&access=closed&month=2030-05"
    assert link(response, "next") == "?pillar=pillar-1&kind=thematic&access=closed&month=2030-07"


def test_month_previous_and_next_links_cross_years(client):
    january = client.get("/calendar/?month=2031-01")
    december = client.get("/calendar/?month=2030-12")

    assert (link(january, "prev"), link(january, "next")) == ("?month=2030-12", "?month=2031-02")
    assert (link(december, "prev"), link(december, "next")) == ("?month=2030-11", "?month=2031-01")


# 04:30 UTC on 1 December 2030: still 30 November in New York, already 1 December in Vienna.
NEW_YORK_EVENING = datetime.datetime(2030, 12, 1, 4, 30, tzinfo=datetime.UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_month_today_marked_by_the_date_where_its_sessions_are_held(client):
    SessionFactory(conference=ConferenceFactory(start_date=datetime.date(2030, 11, 28)))  # New York

    with at(NEW_YORK_EVENING):
        response = client.get("/calendar/?month=2030-11")

    assert [day for day, is_today, _ in month_cells(response) if is_today] == [datetime.date(2030, 11, 30)]
    assert '<a class="btn btn-link" href="?month=2030-11">This month</a>' in page(response)


def test_month_of_zones_on_different_dates_marks_no_day_as_today(client):
    SessionFactory(conference=ConferenceFactory(start_date=datetime.date(2030, 11, 28)))
    SessionFactory(conference=ConferenceFactory(start_date=datetime.date(2030, 11, 12), time_zone="Europe/Vienna"))

    with at(NEW_YORK_EVENING):
        apart = month_cells(client.get("/calendar/?month=2030-11"))
    with at(datetime.datetime(2030, 11, 15, 12, tzinfo=datetime.UTC)):
        together = month_cells(client.get("/calendar/?month=2030-11"))

    assert [day for day, is_today, _ in apart if is_today] == []
    assert [day for day, is_today, _ in together if is_today] == [datetime.date(2030, 11, 15)]


def test_month_without_sessions_marks_no_day_as_today(client):
    with at(NEW_YORK_EVENING):
        cells = month_cells(client.get("/calendar/?month=2030-12"))

    assert [day for day, is_today, _ in cells if is_today] == []


def test_month_other_month_has_no_today(client):
    later = timezone.localdate() + datetime.timedelta(days=100)  # never this month, whatever today is
    SessionFactory(conference=ConferenceFactory(start_date=later), title="Later session")

    cells = month_cells(client.get(f"/calendar/?month={later:%Y-%m}"))

    assert [titles for _, _, titles in cells if titles] == [["Later session"]]
    assert [day for day, is_today, _ in cells if is_today] == []


def test_month_empty_says_so(client, week):
    response = client.get("/calendar/?month=2030-09")

    assert page(response).count(f'<p role="status">{EMPTY_MONTH}</p>') == 1
    assert [titles for _, _, titles in month_cells(response) if titles] == []


def test_month_with_sessions_does_not_say_empty(client, week):
    response = client.get("/calendar/?month=2030-06")

    assert response.status_code == 200
    assert [titles for _, _, titles in month_cells(response) if titles] != []
    assert EMPTY_MONTH not in page(response)


def test_month_filtered_to_nothing_says_empty(client, week):
    assert EMPTY_MONTH in page(client.get("/calendar/?month=2030-06&kind=webinar"))


@pytest.mark.parametrize("value", ["abc", "2018-13", "2018-00", "9999-12", "0001-01", "99999-01", "2030", "-1-1"])
def test_month_malformed_or_out_of_range_named_and_shows_the_month_of_the_next_session(client, value):
    ahead = month_start(timezone.localdate(), 3) + datetime.timedelta(days=4)
    SessionFactory(conference=ConferenceFactory(start_date=ahead, end_date=ahead), title="Announced session")

    response = client.get("/calendar/", {"month": value, "pillar": "99"})

    assert response.status_code == 200
    assert response.context["month"] == client.get("/calendar/").context["month"] == month_start(ahead)
    assert ignored_message(["Pillar", "Month"]) in page(response)
    assert 'name="month"' not in page(response)  # the filters' form does not carry the month on


def test_month_empty_is_no_month(client):
    response = client.get("/calendar/", {"month": ""})

    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert this_month_heading() in page(response)
    assert "not understood" not in page(response)


@pytest.mark.parametrize("value", ["1900-01", "2200-12"])
def test_month_at_range_bounds_shown(client, value):
    response = client.get("/calendar/", {"month": value})

    assert response.context["month"] == datetime.date.fromisoformat(f"{value}-01")


@pytest.mark.parametrize(
    ("query", "cells_with_sessions"),
    [
        ("&pillar=pillar-1", {JUNE_10: ["Opening"], datetime.date(2030, 6, 11): ["Day two"]}),
        ("&kind=side_event", {JUNE_10: ["Late reception"]}),
        ("&access=open", {JUNE_10: ["Opening"]}),
        ("&pillar=pillar-2&access=closed", {JUNE_10: ["Late reception"], datetime.date(2030, 6, 11): ["Day two"]}),
    ],
)
def test_month_filters_select_sessions(client, week, query, cells_with_sessions):
    cells = month_cells(client.get(f"/calendar/?month=2030-06{query}"))

    assert {day: titles for day, _, titles in cells if titles} == cells_with_sessions


def test_month_malformed_filter_ignored_and_named(client, week):
    response = client.get("/calendar/?month=2030-06&pillar=nope&access=maybe")

    assert sum(len(titles) for _, _, titles in month_cells(response)) == 4
    assert ignored_message(["Pillar", "Access"]) in page(response)


def test_month_links_to_list_view_with_same_query(client, week):
    response = client.get("/calendar/?month=2030-06&kind=thematic")

    assert '<a href="/calendar/list/?month=2030-06&amp;kind=thematic">Show as a list</a>' in page(response)


def test_list_groups_by_day_and_conference(client, week):
    assert list_view(client.get("/calendar/list/?month=2030-06")) == [
        ("2030-06-10", [("conference", "Week 2030"), ("session", "Opening"), ("session", "Late reception")]),
        ("2030-06-11", [("conference", "Week 2030"), ("session", "Day two")]),
        ("2030-06-12", [("conference", "Week 2030"), ("session", "Untimed")]),
    ]


def test_list_groups_two_conferences_on_one_day(client):
    forum = ConferenceFactory(title="Forum", start_date=JUNE_10, end_date=JUNE_10)
    summit = ConferenceFactory(title="Summit", start_date=JUNE_10, end_date=JUNE_10)
    SessionFactory(conference=forum, title="Forum at nine", starts_at=local_time(forum, JUNE_10, 9))
    SessionFactory(conference=summit, title="Summit at ten", starts_at=local_time(summit, JUNE_10, 10))
    SessionFactory(conference=forum, title="Forum at eleven", starts_at=local_time(forum, JUNE_10, 11))

    # Each conference once a day, its sessions under it in time order.
    assert list_view(client.get("/calendar/list/?month=2030-06")) == [
        (
            "2030-06-10",
            [
                ("conference", "Forum"),
                ("session", "Forum at nine"),
                ("session", "Forum at eleven"),
                ("conference", "Summit"),
                ("session", "Summit at ten"),
            ],
        )
    ]


def test_list_filters_select_sessions(client, week):
    response = client.get("/calendar/list/?month=2030-06&pillar=pillar-2&kind=side_event")

    assert session_titles(response) == ["Late reception"]
    assert link(response, "next") == "?pillar=pillar-2&kind=side_event&month=2030-07"


def test_list_empty_month_says_so(client, week):
    response = client.get("/calendar/list/?month=2030-07")

    assert (session_titles(response), page(response).count(EMPTY_MONTH)) == ([], 1)


def test_list_malformed_month_shows_current_month(client):
    response = client.get("/calendar/list/?month=2018-13")

    assert (response.status_code, response.context["month"]) == (200, timezone.localdate().replace(day=1))


def test_list_links_to_month_view_with_same_query(client):
    response = client.get("/calendar/list/?month=2030-06&access=open")

    assert '<a href="/calendar/?month=2030-06&amp;access=open">Show as a month</a>' in page(response)


def busy_month(count):
    conference = ConferenceFactory(start_date=JUNE_10, end_date=datetime.date(2030, 6, 12))
    room = RoomFactory(venue=conference.venue)
    build_sessions(conference, count, pillars=four_pillars()[:2], room=room)
    # A second conference: sessions of several conferences in the same month.
    other = ConferenceFactory(format="virtual", venue=None, start_date=datetime.date(2030, 6, 20), end_date=None)
    build_sessions(other, 5, title="Webinar")


@pytest.mark.parametrize("count", [5, 500])
def test_month_query_count_constant(client, django_assert_num_queries, count):
    busy_month(count)

    with django_assert_num_queries(4):  # pillars for the filters, sessions, their pillars, their people
        response = client.get("/calendar/?month=2030-06")

    assert sum(len(titles) for _, _, titles in month_cells(response)) == count + 5


@pytest.mark.parametrize("count", [5, 500])
def test_list_query_count_constant(client, django_assert_num_queries, count):
    busy_month(count)

    with django_assert_num_queries(4):
        response = client.get("/calendar/list/?month=2030-06&pillar=pillar-1")

    assert len(session_titles(response)) == count
    assert page(response).count("badge-pillar-") == 2 * count


def month_start(day, months_ahead=0):
    """The first day of the month `months_ahead` months after `day`'s (negative: before)."""
    index = day.year * 12 + day.month - 1 + months_ahead
    return datetime.date(index // 12, index % 12 + 1, 1)


def nearest_links(response):
    """[(label, href), ...] of the links to the nearest sessions of an empty month."""
    found = page(response).split('<ul class="list-unstyled nearest-sessions mb-3">')[1:]
    if not found:
        return []
    items = found[0].split("</ul>")[0]
    return [
        (label, html.unescape(href), text)
        for label, href, text in re.findall(r'<li>([^<]*) <a href="([^"]+)">([^<]+)</a></li>', items)
    ]


@pytest.mark.parametrize("path", ["/calendar/", "/calendar/list/"])
def test_calendar_without_month_opens_on_the_month_of_the_next_session(client, path):
    ahead = month_start(timezone.localdate(), 3) + datetime.timedelta(days=4)
    conference = ConferenceFactory(title="Ahead", start_date=ahead, end_date=ahead)
    SessionFactory(conference=conference, title="Announced session")
    SessionFactory(conference=ConferenceFactory(start_date=datetime.date(2019, 5, 6)), title="Long past")

    response = client.get(path)

    assert response.context["month"] == month_start(ahead)
    assert f"<h1>Calendar: {date_format(ahead, 'F Y')}</h1>" in page(response)
    assert re.findall(r'<a href="/sessions/\d+/">(.*?)</a>', page(response)) == ["Announced session"]
    assert EMPTY_MONTH not in page(response)


def test_calendar_without_month_follows_the_filters(client):
    soon = month_start(timezone.localdate(), 2) + datetime.timedelta(days=9)
    later = month_start(timezone.localdate(), 5) + datetime.timedelta(days=9)
    SessionFactory(conference=ConferenceFactory(start_date=soon), kind="thematic")
    SessionFactory(conference=ConferenceFactory(start_date=later), kind="webinar")

    response = client.get("/calendar/", {"kind": "webinar"})

    assert response.context["month"] == month_start(later)


def test_calendar_without_month_and_nothing_ahead_says_so_and_links_the_latest_month(client):
    past = month_start(timezone.localdate(), -14) + datetime.timedelta(days=2)
    SessionFactory(conference=ConferenceFactory(start_date=past - datetime.timedelta(days=400)))
    SessionFactory(conference=ConferenceFactory(start_date=past))

    response = client.get("/calendar/")

    assert response.context["month"] == month_start(timezone.localdate())
    assert "No session is announced after today." in page(response)
    assert nearest_links(response) == [("Earlier sessions:", f"?month={past:%Y-%m}", date_format(past, "F Y"))]


def test_calendar_without_any_session_opens_on_this_month(client):
    response = client.get("/calendar/")

    assert response.context["month"] == month_start(timezone.localdate())
    assert ("No session is announced after today." in page(response), nearest_links(response)) == (True, [])


@pytest.mark.parametrize("path", ["/calendar/", "/calendar/list/"])
def test_empty_month_links_the_next_and_earlier_sessions(client, week, path):
    SessionFactory(conference=ConferenceFactory(start_date=datetime.date(2031, 2, 3)), kind="webinar")

    between = client.get(path, {"month": "2030-09"})
    before = client.get(path, {"month": "2030-03", "kind": "webinar"})
    after = client.get(path, {"month": "2031-05"})

    assert page(between).count(EMPTY_MONTH) == 1
    assert nearest_links(between) == [
        ("Next sessions:", "?month=2031-02", "February 2031"),
        ("Earlier sessions:", "?month=2030-06", "June 2030"),
    ]
    assert nearest_links(before) == [("Next sessions:", "?kind=webinar&month=2031-02", "February 2031")]
    assert nearest_links(after) == [("Earlier sessions:", "?month=2031-02", "February 2031")]
    assert "No session is announced after today." not in page(between) + page(before) + page(after)


def test_month_with_sessions_links_no_nearest_sessions(client, week):
    assert nearest_links(client.get("/calendar/?month=2030-06")) == []


def test_this_month_link_names_this_month(client):
    response = client.get("/calendar/?month=2030-06")

    assert f'<a class="btn btn-link" href="?month={timezone.localdate():%Y-%m}">This month</a>' in page(response)


@pytest.mark.parametrize("count", [5, 500])
def test_month_query_count_constant_when_opening_on_the_next_sessions(client, django_assert_num_queries, count):
    ahead = ConferenceFactory(start_date=month_start(timezone.localdate(), 2) + datetime.timedelta(days=5))
    build_sessions(ahead, count, pillars=four_pillars()[:2])

    # pillars for the filters, the nearest days with sessions, sessions, their pillars, their people
    with django_assert_num_queries(5):
        response = client.get("/calendar/")

    assert sum(len(titles) for _, _, titles in month_cells(response)) == count


@pytest.mark.parametrize("count", [5, 500])
def test_month_query_count_constant_in_an_empty_month(client, django_assert_num_queries, count):
    busy_month(count)

    with django_assert_num_queries(3):  # pillars for the filters, sessions (none), the nearest days with sessions
        response = client.get("/calendar/", {"month": "2030-09"})

    assert nearest_links(response) == [("Earlier sessions:", "?month=2030-06", "June 2030")]
