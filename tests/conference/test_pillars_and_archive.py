import datetime
import itertools
import re
from html import unescape

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from strategy.models import Pillar
from tests.conference.support import build_sessions, page, session_titles
from tests.factories import ConferenceFactory, ResourceFactory, SessionFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "Measures to address the conditions conducive to the spread of terrorism.",
    "Measures to prevent and combat terrorism.",
    "Measures to build States' capacity to prevent and combat terrorism and to strengthen the role of the "
    "United Nations system in that regard.",
    "Measures to ensure respect for human rights for all and the rule of law as the fundamental basis of the "
    "fight against terrorism.",
]
PAST_TITLES = [  # latest first
    "Third United Nations High-Level Conference of Heads of Counter-Terrorism Agencies of Member States",
    "Second United Nations High-Level Conference of Heads of Counter-Terrorism Agencies of Member States",
    "2020 Virtual Counter-Terrorism Week",
    "First United Nations High-Level Conference of Heads of Counter-Terrorism Agencies of Member States",
]


def pillar(number):
    return Pillar.objects.get(number=number)


def pillar_cards(response):
    """[(heading, href, official title, count), ...] of the pillar list."""
    cards = re.findall(
        r'<h2 class="h4"><a href="([^"]+)">(.*?)</a></h2>\s*<p class="mb-1">(.*?)</p>\s*'
        r'<p class="mb-0 small text-body-secondary">(.*?)</p>',
        page(response),
    )
    return [(unescape(heading), href, unescape(title), count) for href, heading, title, count in cards]


def test_pillar_list_official_titles_and_counts(client, reference_data):
    june = ConferenceFactory(start_date=datetime.date(2030, 6, 10))
    SessionFactory(conference=june, pillars=[pillar(2), pillar(4)])
    SessionFactory(conference=june, pillars=[pillar(2)])
    SessionFactory(conference=ConferenceFactory(), pillars=[pillar(2)])
    SessionFactory(conference=ConferenceFactory(is_published=False), pillars=[pillar(1)])

    assert pillar_cards(client.get("/pillars/")) == [
        ("Pillar 1: Conditions conducive to terrorism", "/pillars/conditions-conducive/", TITLES[0], "0 sessions"),
        ("Pillar 2: Preventing and combating terrorism", "/pillars/prevent-and-combat/", TITLES[1], "3 sessions"),
        ("Pillar 3: Building States' capacity", "/pillars/capacity-building/", TITLES[2], "0 sessions"),
        ("Pillar 4: Human rights and the rule of law", "/pillars/human-rights-rule-of-law/", TITLES[3], "1 session"),
    ]


def test_pillar_list_one_query(client, django_assert_num_queries, reference_data):
    build_sessions(ConferenceFactory(), 50, pillars=[pillar(1), pillar(3)])

    with django_assert_num_queries(1):
        response = client.get("/pillars/")

    assert [count for *_, count in pillar_cards(response)] == ["50 sessions", "0 sessions", "50 sessions", "0 sessions"]


def test_pillar_detail_official_title(client, reference_data):
    response = client.get("/pillars/human-rights-rule-of-law/")

    assert "<h1>Pillar 4: Human rights and the rule of law</h1>" in page(response)
    assert f'<p class="lead">{TITLES[3]}</p>' in page(response)
    assert "No session carries this pillar yet." in page(response)


def pillar_programme(response):
    """[(conference title, [session title, ...]), ...] of a pillar page."""
    sections = page(response).split('<section aria-labelledby="conference-')[1:]
    return [
        (strip_tags(re.search(r"<h2 [^>]*>(.*?)</h2>", section).group(1)), session_titles_in(section))
        for section in sections
    ]


def session_titles_in(fragment):
    return re.findall(r'<h4><a href="/sessions/\d+/">(.*?)</a>', fragment)


def test_pillar_detail_sessions_across_conferences_latest_first(client, reference_data):
    later = ConferenceFactory(title="Later", start_date=datetime.date(2031, 6, 9))
    sooner = ConferenceFactory(title="Sooner", start_date=datetime.date(2030, 6, 10))
    SessionFactory(conference=sooner, title="S day 2", date=datetime.date(2030, 6, 11), pillars=[pillar(2)])
    SessionFactory(conference=later, title="L day 1", pillars=[pillar(2)])
    SessionFactory(conference=sooner, title="S day 1", pillars=[pillar(2), pillar(3)])
    SessionFactory(conference=sooner, title="Not this pillar", pillars=[pillar(3)])
    SessionFactory(conference=ConferenceFactory(is_published=False), title="Draft", pillars=[pillar(2)])

    assert pillar_programme(client.get("/pillars/prevent-and-combat/")) == [
        ("Later", ["L day 1"]),
        ("Sooner", ["S day 1", "S day 2"]),
    ]


def pillar_days(response):
    """[(conference title, [(day heading, [session title, ...]), ...]), ...] of a pillar page."""
    sections = page(response).split('<section aria-labelledby="conference-')[1:]
    return [
        (
            strip_tags(re.search(r"<h2 [^>]*>(.*?)</h2>", section).group(1)),
            [
                (strip_tags(heading), session_titles_in(day))
                for heading, day in re.findall(r"<h3 [^>]*>(.*?)</h3>(.*?)</section>", section, re.DOTALL)
            ],
        )
        for section in sections
    ]


def test_pillar_detail_sessions_under_their_conference_and_day(client, reference_data):
    week = ConferenceFactory(title="Week", start_date=datetime.date(2030, 6, 10))
    SessionFactory(conference=week, title="Monday at ten", pillars=[pillar(2)])
    SessionFactory(conference=week, title="Tuesday", date=datetime.date(2030, 6, 11), pillars=[pillar(2)])
    SessionFactory(
        conference=week,
        title="Monday late",  # 03:30 UTC on Tuesday, but Monday night in New York: under Monday
        starts_at=datetime.datetime(2030, 6, 11, 3, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 6, 11, 3, 55, tzinfo=datetime.UTC),
        pillars=[pillar(2)],
    )

    assert pillar_days(client.get("/pillars/prevent-and-combat/")) == [
        ("Week", [("Monday 10 June 2030", ["Monday at ten", "Monday late"]), ("Tuesday 11 June 2030", ["Tuesday"])])
    ]


def test_pillar_detail_two_conferences_starting_same_day_each_once(client, reference_data):
    day_1, day_2 = datetime.date(2030, 6, 10), datetime.date(2030, 6, 11)
    forum = ConferenceFactory(title="Forum", start_date=day_1)
    summit = ConferenceFactory(title="Summit", start_date=day_1)
    for conference in (forum, summit):
        for day in (day_1, day_2):
            SessionFactory(conference=conference, title=f"{conference.title} {day.day}", date=day, pillars=[pillar(1)])

    programme = pillar_programme(client.get("/pillars/conditions-conducive/"))

    assert sorted(programme) == [("Forum", ["Forum 10", "Forum 11"]), ("Summit", ["Summit 10", "Summit 11"])]


def test_pillar_detail_untimed_session_after_timed_ones_of_its_day(client, reference_data):
    conference = ConferenceFactory(title="Week")
    SessionFactory(conference=conference, title="Untimed", starts_at=None, pillars=[pillar(1)])
    SessionFactory(conference=conference, title="At ten", pillars=[pillar(1)])

    # As on the conference page: "time not announced" comes after the day's timed sessions, on every database.
    assert pillar_programme(client.get("/pillars/conditions-conducive/")) == [("Week", ["At ten", "Untimed"])]


def test_pillar_detail_session_items_show_access_and_badges(client, reference_data):
    SessionFactory(title="Dialogue", is_open=True, pillars=[pillar(1), pillar(4)])

    response = client.get("/pillars/conditions-conducive/")

    assert session_titles(response) == ["Dialogue"]
    assert re.findall(r'class="badge badge-pillar-(\d)"', page(response)) == ["1", "4"]


@pytest.mark.parametrize("count", [5, 500])
def test_pillar_detail_query_count_constant(client, django_assert_num_queries, reference_data, count):
    build_sessions(ConferenceFactory(), count, pillars=[pillar(1), pillar(2)])

    with django_assert_num_queries(4):  # the pillar, sessions with conference and room, pillars, people
        response = client.get("/pillars/conditions-conducive/")

    assert len(session_titles(response)) == count


def test_pillar_unknown_404(client, reference_data):
    assert client.get("/pillars/no-such-pillar/").status_code == 404


def archive_titles(response):
    return re.findall(r'<h2 class="h5 card-title"><a href="[^"]+">(.*?)</a></h2>', page(response))


@pytest.mark.parametrize("url", ["/archive/", "/"])
def test_conference_lists_headings_go_down_one_level_at_a_time(client, reference_data, url):
    ConferenceFactory(title="Upcoming conference")

    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", page(client.get(url)))]

    assert levels[0] == 1
    assert [(above, below) for above, below in itertools.pairwise(levels) if below > above + 1] == []


def test_archive_lists_past_conferences_only_latest_first(client, reference_data):
    today = timezone.localdate()
    ConferenceFactory(title="Upcoming conference")
    ConferenceFactory(title="Ongoing conference", start_date=today - datetime.timedelta(days=1))
    ConferenceFactory(title="Draft past conference", start_date=datetime.date(2019, 5, 1), is_published=False)

    response = client.get("/archive/")

    assert response.status_code == 200
    assert archive_titles(response) == PAST_TITLES


def test_archive_empty_says_so(client):
    ConferenceFactory(title="Upcoming conference")

    response = client.get("/archive/")

    assert (archive_titles(response), "No past conference yet." in page(response)) == ([], True)


def test_past_conference_page_shows_agenda_and_resources(client):
    conference = ConferenceFactory(
        slug="past-week",
        start_date=datetime.date(2019, 5, 6),
        end_date=datetime.date(2019, 5, 7),
        registration_opens_at=datetime.datetime(2019, 3, 1, tzinfo=datetime.UTC),
    )
    SessionFactory(conference=conference, title="Opening of 2019", is_open=True, webcast_url="https://webtv.un.org/a")
    ResourceFactory(conference=conference, title="Final report", url="https://www.un.org/report.pdf")

    response = client.get("/conferences/past-week/")

    assert response.status_code == 200
    assert '<span class="badge text-bg-light border">Past</span>' in page(response)
    assert session_titles(response) == ["Opening of 2019"]
    assert '<a href="https://www.un.org/report.pdf">Final report</a>' in page(response)
    assert ">Register</a>" not in page(response)
    assert client.get("/conferences/past-week/schedule.json").json()["sessions"][0]["title"] == "Opening of 2019"


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        (
            "/conferences/first-high-level-conference-2018/",
            "/conferences/first-high-level-conference-2018/calendar.ics",
        ),
        ("/pillars/prevent-and-combat/", "/pillars/prevent-and-combat/calendar.ics"),
        ("/calendar/", "/calendar.ics"),
        ("/calendar/list/", "/calendar.ics"),
    ],
)
def test_page_offers_webcal_subscription(client, reference_data, url, feed):
    subscribe = page(client.get(url)).split('<p class="subscribe small">')[1].split("</p>")[0]

    assert re.findall(r'href="([^"]+)"', subscribe)[:2] == [f"webcal://testserver{feed}", feed]
    assert ">Subscribe in your calendar app</a>" in subscribe


def test_conference_page_links_json_schedule(client, reference_data):
    response = client.get("/conferences/first-high-level-conference-2018/")

    assert '<a href="/conferences/first-high-level-conference-2018/schedule.json">Schedule as JSON</a>' in page(
        response
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/archive/",
        "/calendar/",
        "/calendar/list/",
        "/calendar.ics",
        "/pillars/",
        "/pillars/prevent-and-combat/",
        "/pillars/prevent-and-combat/calendar.ics",
        "/strategy/",
        "/conferences/first-high-level-conference-2018/",
        "/conferences/first-high-level-conference-2018/calendar.ics",
        "/conferences/first-high-level-conference-2018/schedule.json",
        "/sessions/{pk}/",
        "/sessions/{pk}/calendar.ics",
    ],
)
def test_public_page_without_login(client, reference_data, url):
    pk = SessionFactory().pk

    response = client.get(url.format(pk=pk))

    assert (response.status_code, response.wsgi_request.user.is_authenticated) == (200, False)


@pytest.mark.parametrize("url", ["/", "/calendar/?month=2030-06", "/calendar/list/", "/pillars/", "/strategy/"])
def test_archive_linked_from_the_footer(client, reference_data, url):
    footer = page(client.get(url)).split('<footer class="site-footer')[1]

    assert '<a href="/archive/">Past conferences</a>' in footer


@pytest.mark.parametrize("url", ["/calendar/?month=2030-06", "/calendar/list/?month=2030-06"])
def test_archive_linked_from_the_calendar(client, url):
    months = page(client.get(url)).split('<nav class="d-flex')[1].split("</nav>")[0]

    assert '<a href="/archive/">Past conferences</a>' in months


@pytest.mark.parametrize("path", ["/calendar/", "/calendar/list/"])
def test_calendar_filtered_by_pillar_offers_the_pillar_feed_then_all_sessions(client, reference_data, path):
    response = client.get(path, {"pillar": "prevent-and-combat", "month": "2018-06"})
    feeds = page(response).split('<p class="subscribe small')[1:3]
    links = [re.findall(r'<a href="([^"]+)">([^<]+)</a>', feed.split("</p>")[0]) for feed in feeds]

    pillar_feed = "/pillars/prevent-and-combat/calendar.ics"
    assert links[0] == [
        (
            f"webcal://testserver{pillar_feed}",
            f"Subscribe to the sessions of {Pillar.objects.get(number=2)} in your calendar app",
        ),
        (pillar_feed, "Download (.ics)"),
    ]
    assert links[1] == [
        ("webcal://testserver/calendar.ics", "Subscribe to all sessions"),
        ("/calendar.ics", "Download all sessions (.ics)"),
    ]
