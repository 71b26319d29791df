"""A long programme opens on one day, the other days and the whole programme a link away: the page
stays small whatever the number of sessions. A short one shows every day."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from conference import selectors
from tests.conference.support import ignored_message, page, session_titles
from tests.factories import ConferenceFactory, PillarFactory, SessionFactory, SessionPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def long_from_four_sessions(monkeypatch):
    monkeypatch.setattr(selectors, "LONG_PROGRAMME_SESSIONS", 4)


def programme(start, *, per_day=2, pillar=None):
    """A three-day conference from `start`, its sessions titled "Day N, session M"."""
    conference = ConferenceFactory(start_date=start)
    for offset in range(3):
        for number in range(1, per_day + 1):
            SessionFactory(
                conference=conference,
                date=start + datetime.timedelta(days=offset),
                title=f"Day {offset + 1}, session {number}",
                pillars=[pillar] if pillar and number == 1 else [],
            )
    return conference


def day_links(response):
    """[(label, address, is current)] of the links to each day, and to the full programme."""
    nav = page(response).split('aria-label="Days of the programme"')[1].split("</nav>")[0]
    return [
        (" ".join(label.split()), html.unescape(href), bool(current))
        for href, current, label in re.findall(r'<a href="([^"]+)"( aria-current="date")?>(.*?)</a>', nav)
    ]


def selected_day(response):
    select = page(response).split('name="day"')[1].split("</select>")[0]
    return re.search(r'<option value="([^"]+)" selected>', select).group(1)


def test_long_programme_ahead_opens_on_its_first_day(client):
    start = timezone.localdate() + datetime.timedelta(days=30)
    conference = programme(start)

    response = client.get(conference.get_absolute_url())

    assert session_titles(response) == ["Day 1, session 1", "Day 1, session 2"]
    assert selected_day(response) == start.isoformat()
    assert "Clear filters" not in page(response)
    links = day_links(response)
    assert [(href, current) for _label, href, current in links] == [
        (f"?day={start.isoformat()}", True),
        (f"?day={start + datetime.timedelta(days=1)}", False),
        (f"?day={start + datetime.timedelta(days=2)}", False),
        ("?day=all", False),
    ]
    assert links[-1][0] == "Full programme (all days)"


def test_long_programme_under_way_opens_on_the_conference_day_it_is(client):
    conference = ConferenceFactory(start_date=timezone.localdate() - datetime.timedelta(days=1))
    today = timezone.localdate(timezone=conference.zone)
    conference.start_date = today - datetime.timedelta(days=1)
    conference.end_date = today + datetime.timedelta(days=1)
    conference.save()
    for offset, day in enumerate([today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1)]):
        for number in (1, 2, 3):
            SessionFactory(conference=conference, date=day, title=f"Day {offset + 1}, session {number}")

    response = client.get(conference.get_absolute_url())

    assert session_titles(response) == ["Day 2, session 1", "Day 2, session 2", "Day 2, session 3"]


def test_long_programme_over_opens_on_its_first_day(client):
    conference = programme(timezone.localdate() - datetime.timedelta(days=60))

    assert session_titles(client.get(conference.get_absolute_url()))[:1] == ["Day 1, session 1"]


def test_full_programme_and_each_day_one_link_away(client):
    start = timezone.localdate() + datetime.timedelta(days=30)
    conference = programme(start)

    everything = client.get(conference.get_absolute_url() + "?day=all")
    second_day = client.get(conference.get_absolute_url() + f"?day={start + datetime.timedelta(days=1)}")

    assert len(session_titles(everything)) == 6
    assert selected_day(everything) == "all"
    assert session_titles(second_day) == ["Day 2, session 1", "Day 2, session 2"]
    assert "Clear filters" in page(second_day)


def test_day_links_keep_the_other_filters(client):
    pillar = PillarFactory(number=3)
    start = timezone.localdate() + datetime.timedelta(days=30)
    conference = programme(start, pillar=pillar)

    response = client.get(conference.get_absolute_url() + f"?pillar={pillar.slug}")

    assert session_titles(response) == ["Day 1, session 1"]
    assert day_links(response)[-1][1] == f"?pillar={pillar.slug}&day=all"


def test_day_not_understood_opens_on_the_first_day_and_says_so(client):
    start = timezone.localdate() + datetime.timedelta(days=30)
    conference = programme(start)

    response = client.get(conference.get_absolute_url() + "?day=someday")

    assert session_titles(response) == ["Day 1, session 1", "Day 1, session 2"]
    assert ignored_message(["Day"]) in page(response)


def test_short_programme_shows_every_day(client, monkeypatch):
    monkeypatch.setattr(selectors, "LONG_PROGRAMME_SESSIONS", 6)
    conference = programme(timezone.localdate() + datetime.timedelta(days=30))

    response = client.get(conference.get_absolute_url())

    assert len(session_titles(response)) == 6
    assert "Full programme (all days)" not in page(response)
    assert [href[:5] for _label, href, _current in day_links(response)] == ["#day-"] * 3


def test_a_day_of_a_long_programme_leaves_details_to_the_sessions_pages(client):
    pillar = PillarFactory(number=2, short_name="Preventing and combating terrorism")
    conference = programme(datetime.date(2031, 3, 3), pillar=pillar)
    conference.sessions.update(description="Why borders matter to everyone")
    one = conference.sessions.get(title="Day 1, session 1")
    SessionPersonFactory(session=one, role="chair", name="Amina Diallo", function="Director", organization="UNOCT")

    day = page(client.get(conference.get_absolute_url() + "?day=2031-03-03"))
    full = page(client.get(conference.get_absolute_url() + "?day=all"))
    session = page(client.get(f"/sessions/{one.pk}/"))

    assert ("Why borders matter" in day, "its pillars’ names are on its own page" in day) == (False, True)
    assert ("Chair:</span> <bdi>Amina Diallo</bdi></li>" in day, "Director" in day) == (True, False)
    assert (full.count("Why borders matter"), "its pillars’ names are on its own page" in full) == (6, False)
    assert "<bdi>Amina Diallo</bdi>, Director, UNOCT" in full
    assert (f'/{pillar.slug}/">Pillar 2</a>' in day, "Pillar 2: Preventing and combating terrorism</a>" in day) == (
        True,
        False,
    )
    assert full.count(f'href="/pillars/{pillar.slug}/">Pillar 2: Preventing and combating terrorism</a>') == 3
    assert ("Why borders matter" in session, "Director" in session) == (True, True)


def test_a_short_programme_shows_descriptions_on_a_day_chosen(client, monkeypatch):
    monkeypatch.setattr(selectors, "LONG_PROGRAMME_SESSIONS", 100)
    conference = programme(datetime.date(2031, 3, 3))
    conference.sessions.update(description="Why borders matter to everyone")

    response = client.get(conference.get_absolute_url() + "?day=2031-03-04")

    assert page(response).count("Why borders matter") == 2
