"""iCalendar (RFC 5545) for sessions, made with the icalendar library.

Each session keeps one UID forever; DTSTAMP and LAST-MODIFIED follow its last change and
SEQUENCE grows with every change, so calendar apps update their copy. Times carry the
conference's zone (TZID, with the VTIMEZONE added); a session whose time is not announced
is an all-day event; a cancelled one stays, with STATUS:CANCELLED.
"""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

PRODUCT_ID = "-//United Nations Counter-Terrorism Conferences//Agenda//EN"


def site_host():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]


def session_uid(session):
    return f"session-{session.pk}@{site_host()}"


def build_calendar(sessions, *, name, extra_events=()):
    """The calendar of `sessions` (with conference, room and pillars loaded), as bytes."""
    from icalendar import Calendar  # imported here: only the feeds need it

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in extra_events:
        calendar.add_component(event)
    for session in sessions:
        calendar.add_component(session_event(session))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def session_event(session):
    from icalendar import Event

    event = Event()
    event.add("uid", session_uid(session))
    event.add("summary", session.title)
    if session.starts_at:
        zone = session.conference.zone
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
    else:
        event.add("dtstart", session.date)
        event.add("dtend", session.date + datetime.timedelta(days=1))
    event.add("dtstamp", session.updated_at.astimezone(datetime.UTC))
    event.add("last-modified", session.updated_at.astimezone(datetime.UTC))
    event.add("created", session.created_at.astimezone(datetime.UTC))
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("url", settings.SITE_URL + session.get_absolute_url())
    event.add("categories", [str(session.get_kind_display()), *(p.short_name for p in session.pillars.all())])
    event.add("description", _session_description(session))
    location = _location(session)
    if location:
        event.add("location", location)
    return event


def _location(session):
    if session.room:
        return session.room.name
    return _("Online") if session.is_online else ""


def _session_description(session):
    parts = [session.conference.title]
    if session.is_open:
        parts.append(_("Open session (webcast)."))
        if session.webcast_url:
            parts.append(session.webcast_url)
    elif session.is_open is False:
        parts.append(_("Closed session: registered participants only."))
    else:
        parts.append(_("Access not announced."))
    if not session.starts_at:
        parts.append(_("Time not announced."))
    if session.description:
        parts.append(session.description)
    return "\n\n".join(parts)
