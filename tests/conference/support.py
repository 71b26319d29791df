"""Helpers for the public page and feed tests: reading pages and feeds back, and programmes in bulk."""

import datetime
import html
import re

from icalendar import Calendar

from conference.models import Session, SessionPerson
from tests.factories import PillarFactory, local_time

SITE_URL = "https://conference.example.org"
CLOSED_BADGE = '<span class="badge text-bg-secondary">Closed</span>'
OPEN_BADGE = '<span class="badge text-bg-success">Open (webcast)</span>'
NO_MATCH = "No session matches these filters."
EMPTY_MONTH = "No session in this month."


def page(response):
    return response.content.decode()


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def session_titles(response):
    """Titles of the sessions listed as agenda items (conference, list view and pillar pages), in order."""
    return [html.unescape(t) for t in re.findall(r'<h4><a href="/sessions/\d+/">(.*?)</a>', page(response))]


def ignored_message(labels):
    return f"Some filters were not understood and were ignored: {', '.join(labels)}."


def month_cells(response):
    """[(date, is_today, [session title, ...]), ...]: the cells of the month table, in order."""
    body = page(response).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = []
    for cell in body.split("<td ")[1:]:
        day = re.search(r'<time datetime="([\d-]+)">', cell).group(1)
        titles = re.findall(r'<a href="/sessions/\d+/">(.*?)</a>', cell)
        cells.append((datetime.date.fromisoformat(day), 'aria-current="date"' in cell.split(">", 1)[0], titles))
    return cells


def list_view(response):
    """[(day, [("conference" or "session", title), ...]), ...] as the calendar's list view reads."""
    result = []
    for section in page(response).split('<section aria-labelledby="day-')[1:]:
        day = re.search(r'<time datetime="([\d-]+)">', section).group(1)
        entries = re.findall(r'<h([34])(?: class="h5")?><a href="[^"]+">(.*?)</a>', section)
        result.append((day, [("conference" if level == "3" else "session", title) for level, title in entries]))
    return result


def link(response, rel):
    return html.unescape(re.search(rf'<a class="[^"]*" href="([^"]*)" rel="{rel}">', page(response)).group(1))


def parse_calendar(response):
    return Calendar.from_ical(response.content)


def events(response):
    """{UID: VEVENT} of an iCalendar response."""
    return {str(event["UID"]): event for event in parse_calendar(response).walk("VEVENT")}


def categories(event):
    return [str(category) for category in event["CATEGORIES"].cats]


def four_pillars():
    return [PillarFactory(number=number) for number in (1, 2, 3, 4)]


def build_sessions(conference, count, *, pillars=(), room=None, people=2, title="Session"):
    """`count` sessions over the conference's first three days, in bulk: a timed session each, with every
    fifth untimed, every third open with a webcast link, every seventh cancelled; `people` people each."""
    sessions = []
    for i in range(count):
        day = conference.start_date + datetime.timedelta(days=i % 3)
        timed = i % 5 != 4
        starts = local_time(conference, day, 8 + i % 12) if timed else None
        sessions.append(
            Session(
                conference=conference,
                title=f"{title} {i}",
                kind=["thematic", "side_event", "high_level"][i % 3],
                date=day,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=45) if timed else None,
                room=room,
                is_open=i % 3 == 0,
                webcast_url="https://webtv.un.org/live" if i % 3 == 0 else "",
                is_cancelled=i % 7 == 6,
            )
        )
    Session.objects.bulk_create(sessions)
    links = [Session.pillars.through(session_id=s.pk, pillar_id=p.pk) for s in sessions for p in pillars]
    Session.pillars.through.objects.bulk_create(links)
    SessionPerson.objects.bulk_create(
        SessionPerson(session=s, role="chair" if n == 0 else "speaker", name=f"Person {s.pk}-{n}", position=n)
        for s in sessions
        for n in range(people)
    )
    return sessions
