import datetime

import pytest
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

    assert '<time datetime="2030-06-10T23:30:00-04:00" dir="ltr">23:30 EDT</time>' in cell


def test_month_previous_and_next_links_keep_filters(client, week):
    response = client.get("/calendar/?month=2030-06&pillar=pillar-1&kind=thematic&access=closed")

    assert link(response, "prev") == "?pillar=pillar-1&kind=thematic&access=closed&month=2030-05"
    assert link(response, "next") == "?pillar=pillar-1&kind=thematic&access=closed&month=2030-07"


def test_month_previous_and_next_links_cross_years(client):
    january = client.get("/calendar/?month=2031-01")
    december = client.get("/calendar/?month=2030-12")

    assert (link(january, "prev"), link(january, "next")) == ("?month=2030-12", "?month=2031-02")
    assert (link(december, "prev"), link(december, "next")) == ("?month=2030-11", "?month=2031-01")


def test_month_today_marked(client):
    today = timezone.localdate()

    cells = month_cells(client.get("/calendar/"))

    assert [day for day, is_today, _ in cells if is_today] == [today]


def test_month_other_month_has_no_today(client):
    cells = month_cells(client.get("/calendar/?month=2030-06"))

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


@pytest.mark.parametrize("value", ["abc", "2018-13", "2018-00", "9999-12", "0001-01", "99999-01", "2030", "", "-1-1"])
def test_month_malformed_or_out_of_range_shows_current_month(client, value):
    response = client.get("/calendar/", {"month": value})

    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)
    assert this_month_heading() in page(response)


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
