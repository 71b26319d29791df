"""A session whose access the programme never gave is shown as neither open nor closed.

The 2018 reference programme has the three kinds: the Opening Session open (webcast), Sessions I
and II closed, and Sessions III, IV and the Closing Session with no access published.
"""

import re

import pytest
from django.utils.html import strip_tags

from conference.models import Session
from tests.conference.support import CLOSED_BADGE, OPEN_BADGE, events, page, session_titles

pytestmark = pytest.mark.django_db

SLUG_2018 = "first-high-level-conference-2018"
NOT_ANNOUNCED = ["Session III", "Session IV", "Closing Session"]


def short(titles):
    return [title.split(":")[0] for title in titles]


def session_2018(prefix):
    return Session.objects.get(conference__slug=SLUG_2018, title__startswith=prefix)


def test_conference_page_badges_only_the_access_published(client, reference_data):
    programme = page(client.get(f"/conferences/{SLUG_2018}/")).split('id="programme-heading"')[1]
    day_2 = programme.split('<section aria-labelledby="day-2018-06-29"')[1]

    assert (programme.count(OPEN_BADGE), programme.count(CLOSED_BADGE)) == (1, 2)
    assert (OPEN_BADGE in day_2, CLOSED_BADGE in day_2) == (False, False)
    assert "General Assembly Hall" not in programme


@pytest.mark.parametrize("prefix", NOT_ANNOUNCED)
def test_session_page_says_access_not_announced(client, reference_data, prefix):
    response = client.get(session_2018(prefix).get_absolute_url())
    text = " ".join(strip_tags(page(response)).split())

    assert "Access Not announced" in text
    assert ("Closed: registered participants only" in text, ">Where</dt>" in page(response)) == (False, False)


def test_session_page_of_a_closed_session_still_says_closed(client, reference_data):
    text = " ".join(strip_tags(page(client.get(session_2018("Session I:").get_absolute_url()))).split())

    assert "Access Closed: registered participants only" in text


def test_month_calendar_marks_only_the_closed_sessions(client, reference_data):
    items = re.findall(r'<li class="mb-1[^"]*">(.*?)</li>', page(client.get("/calendar/?month=2018-06")), re.S)
    closed = [re.search(r'<a href="[^"]+">([^:<]+)', item).group(1) for item in items if CLOSED_BADGE in item]

    assert (len(items), closed) == (6, ["Session I", "Session II"])


def test_access_filter_not_announced_and_closed(client, reference_data):
    assert short(session_titles(client.get(f"/conferences/{SLUG_2018}/?access=not_announced"))) == NOT_ANNOUNCED
    assert short(session_titles(client.get(f"/conferences/{SLUG_2018}/?access=closed"))) == ["Session I", "Session II"]


def test_feed_describes_access_only_when_announced(client, reference_data):
    found = {
        str(event["SUMMARY"]): event for event in events(client.get(f"/conferences/{SLUG_2018}/calendar.ics")).values()
    }

    def access_line(prefix):
        return str(found[session_2018(prefix).title]["DESCRIPTION"]).split("\n\n")[1]

    assert [access_line(prefix) for prefix in ["Opening", "Session I:", "Session III", "Closing"]] == [
        "Open session (webcast).",
        "Closed session: registered participants only.",
        "Access not announced.",
        "Access not announced.",
    ]


def test_schedule_json_access_null_when_not_announced(client, reference_data):
    sessions = client.get(f"/conferences/{SLUG_2018}/schedule.json").json()["sessions"]

    assert [(s["is_open"], s["room"]) for s in sessions] == [
        (True, None),
        (False, None),
        (False, None),
        (None, None),
        (None, None),
        (None, None),
    ]
