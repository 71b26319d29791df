import datetime
import re

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from tests.factories import (
    ConferenceFactory,
    PillarFactory,
    ResourceFactory,
    RoomFactory,
    SessionFactory,
    SessionPersonFactory,
    local_time,
)

pytestmark = pytest.mark.django_db

SLUG_2018 = "first-high-level-conference-2018"
TITLE_2018 = "First United Nations High-Level Conference of Heads of Counter-Terrorism Agencies of Member States"
PAST_TITLES = [  # latest first
    "Third United Nations High-Level Conference of Heads of Counter-Terrorism Agencies of Member States",
    "Second United Nations High-Level Conference of Heads of Counter-Terrorism Agencies of Member States",
    "2020 Virtual Counter-Terrorism Week",
    TITLE_2018,
]


def html(response):
    return response.content.decode()


def card_titles(fragment):
    return re.findall(r'<h3 class="h5 card-title"><a href="[^"]+">(.*?)</a></h3>', fragment)


def home_sections(response):
    """Titles of the cards under "Upcoming conferences" and under "Past conferences"."""
    upcoming, past = html(response).split('id="past-heading"')
    return card_titles(upcoming), card_titles(past)


def programme(response):
    """[(day, [(time, title), ...]), ...] as the conference page shows the programme."""
    days = html(response).split('id="programme-heading"')[1].split('<section aria-labelledby="day-')[1:]
    result = []
    for day in days:
        sessions = re.findall(r'<li(?: class="session-cancelled")?><p>(.*?) <span>.*?<h4>(.*?)</h4>', day, re.S)
        date = re.search(r'<time datetime="([\d-]+)">', day).group(1)
        result.append((date, [(" ".join(strip_tags(time).split()), strip_tags(title)) for time, title in sessions]))
    return result


def test_home_lists_upcoming_and_past_conferences(client, reference_data):
    future = ConferenceFactory(title="Fourth High-Level Conference")

    response = client.get("/")

    assert response.status_code == 200
    assert home_sections(response) == (["Fourth High-Level Conference"], PAST_TITLES)
    assert f'<a href="/conferences/{future.slug}/">' in html(response)


def test_home_without_upcoming_conference_says_so(client, reference_data):
    response = client.get("/")

    assert "No upcoming conference has been announced yet." in html(response)


def test_home_lists_upcoming_soonest_first(client):
    today = timezone.localdate()
    later = ConferenceFactory(start_date=today + datetime.timedelta(days=200))
    sooner = ConferenceFactory(start_date=today + datetime.timedelta(days=20))

    assert home_sections(client.get("/")) == ([sooner.title, later.title], [])


def test_home_hides_drafts_from_visitors(client, reference_data):
    ConferenceFactory(title="Draft conference", is_published=False)

    response = client.get("/")

    assert home_sections(response) == ([], PAST_TITLES)
    assert "Not published" not in html(response)


def test_home_shows_drafts_to_staff(client, staff_user, reference_data):
    ConferenceFactory(title="Draft conference", is_published=False)
    client.force_login(staff_user)

    response = client.get("/")

    assert home_sections(response) == (["Draft conference"], PAST_TITLES)
    assert html(response).count("Not published") == 1


@pytest.mark.parametrize("count", [2, 40])
def test_home_query_count_constant(client, django_assert_num_queries, count):
    ConferenceFactory.create_batch(count // 2)
    ConferenceFactory.create_batch(count // 2, start_date=datetime.date(2019, 5, 1))

    with django_assert_num_queries(2):
        response = client.get("/")

    assert [len(titles) for titles in home_sections(response)] == [count // 2, count // 2]


def test_conference_page_shows_facts(client, reference_data):
    response = client.get(f"/conferences/{SLUG_2018}/")
    page = html(response)

    assert response.status_code == 200
    assert f'<h1 id="conference-title">{TITLE_2018}</h1>' in page
    # Quotation marks come from <q>, in the language of the text.
    assert "Theme: <q>Strengthening international cooperation to combat the evolving threat of terrorism</q>" in page
    assert '<time datetime="2018-06-28">28 June 2018</time> – <time datetime="2018-06-29">29 June 2018</time>' in page
    assert "All times are New York time (America/New_York)." in page
    assert '<dd class="col-sm-9">United Nations Headquarters, New York</dd>' in page
    assert (
        '<a href="https://undocs.org/A/RES/72/284">Sixth Review of the United Nations Global Counter-Terrorism '
        "Strategy</a>\n            (A/RES/72/284, adopted on 26 June 2018)"
    ) in page
    assert f'Report of the {TITLE_2018}\n              <span class="text-body-secondary">(Report)</span>' in page


def test_conference_page_groups_sessions_by_day_in_order(client, reference_data):
    response = client.get(f"/conferences/{SLUG_2018}/")

    assert [
        (day, [(time, title.split(":")[0]) for time, title in sessions]) for day, sessions in programme(response)
    ] == [
        (
            "2018-06-28",
            [
                ("10:00–10:30 EDT", "Opening Session"),
                ("10:30–13:00 EDT", "Session I"),
                ("15:00–18:00 EDT", "Session II"),
            ],
        ),
        (
            "2018-06-29",
            [
                ("Time not announced", "Session III"),
                ("Time not announced", "Session IV"),
                ("Time not announced", "Closing Session"),
            ],
        ),
    ]
    assert '<time datetime="2018-06-28T10:00-04:00">10:00</time>' in html(response)
    assert html(response).count('<span class="badge text-bg-success">Open (webcast)</span>') == 1


@pytest.mark.parametrize("slug", ["second-high-level-conference-2021", "third-high-level-conference-2023"])
def test_past_conference_without_sessions_says_its_programme_is_not_on_this_site(client, reference_data, slug):
    page = html(client.get(f"/conferences/{slug}/"))

    assert "<p>The programme of this conference is not on this site.</p>" in page
    assert "has not been published" not in page


def test_upcoming_conference_without_sessions_says_its_programme_is_not_published_yet(client):
    conference = ConferenceFactory(start_date=timezone.localdate() + datetime.timedelta(days=30))

    page = html(client.get(f"/conferences/{conference.slug}/"))

    assert "<p>The programme has not been published yet.</p>" in page
    assert "not on this site" not in page


def test_conference_page_lists_resources_with_links(client):
    conference = ConferenceFactory()
    ResourceFactory(conference=conference, title="Concept note", url="https://www.un.org/cn.pdf", position=1)
    ResourceFactory(conference=conference, title="Programme", kind="programme", url="", position=0)

    page = html(client.get(conference.get_absolute_url()))

    assert page.index("Programme\n") < page.index('<a href="https://www.un.org/cn.pdf">Concept note</a>')
    assert "(Concept note)" in page


def test_conference_page_puts_late_evening_session_on_its_local_day(client):
    conference = ConferenceFactory(start_date=datetime.date(2030, 6, 10), end_date=datetime.date(2030, 6, 11))
    late = SessionFactory(
        conference=conference,
        title="Late reception",
        starts_at=local_time(conference, datetime.date(2030, 6, 10), 23, 30),
        ends_at=local_time(conference, datetime.date(2030, 6, 10), 23, 45),
    )
    SessionFactory(conference=conference, title="Morning session", date=datetime.date(2030, 6, 11))

    response = client.get(conference.get_absolute_url())

    assert late.starts_at.astimezone(datetime.UTC) == datetime.datetime(2030, 6, 11, 3, 30, tzinfo=datetime.UTC)
    assert programme(response) == [
        ("2030-06-10", [("23:30–23:45 EDT", "Late reception")]),
        ("2030-06-11", [("10:00–11:00 EDT", "Morning session")]),
    ]


def test_conference_page_shows_winter_times_in_est(client):
    conference = ConferenceFactory(start_date=datetime.date(2030, 1, 14), end_date=None)
    SessionFactory(conference=conference, title="Winter session")

    assert programme(client.get(conference.get_absolute_url())) == [
        ("2030-01-14", [("10:00–11:00 EST", "Winter session")])
    ]


def test_conference_page_unknown_slug_404(client):
    assert client.get("/conferences/no-such-conference/").status_code == 404


def test_conference_page_unpublished_404_for_visitor(client):
    conference = ConferenceFactory(is_published=False)

    assert client.get(conference.get_absolute_url()).status_code == 404


def test_conference_page_unpublished_shown_to_staff(client, staff_user):
    conference = ConferenceFactory(is_published=False, title="Draft conference")
    client.force_login(staff_user)

    response = client.get(conference.get_absolute_url())

    assert (response.status_code, response.context["conference"].title) == (200, "Draft conference")


def test_conference_page_escapes_html_in_session_title(client):
    session = SessionFactory(title="<script>alert('x')</script> & partners")

    page = html(client.get(session.conference.get_absolute_url()))

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; partners" in page


def build_programme(conference, count, room=None):
    pillars = [PillarFactory(number=1), PillarFactory(number=2)]
    for i in range(count):
        day = conference.start_date + datetime.timedelta(days=i % 3)
        start = local_time(conference, day, 8 + i % 12)
        session = SessionFactory(conference=conference, room=room, starts_at=start, pillars=pillars)
        SessionPersonFactory.create_batch(2, session=session)


@pytest.mark.parametrize("count", [5, 200])
def test_conference_page_query_count_constant(client, django_assert_num_queries, count):
    conference = ConferenceFactory()
    ResourceFactory(conference=conference)
    build_programme(conference, count, room=RoomFactory(venue=conference.venue))

    # conference, resources, pillars for the filters, days with sessions, sessions, their pillars, people
    with django_assert_num_queries(7):
        response = client.get(conference.get_absolute_url() + "?day=all")

    assert response.context["session_count"] == count
    assert html(response).count("badge-pillar-") == 2 * count


@pytest.mark.parametrize("count", [5, 200])
def test_conference_page_query_count_constant_for_online_sessions(client, django_assert_num_queries, count):
    # Sessions without a room (a virtual week) print "Online": the template reads session.conference.format.
    conference = ConferenceFactory(format="virtual", venue=None)
    ResourceFactory(conference=conference)
    build_programme(conference, count)

    with django_assert_num_queries(7):
        response = client.get(conference.get_absolute_url() + "?day=all")

    assert html(response).count("<p>Online ") == count
