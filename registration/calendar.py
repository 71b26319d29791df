"""The .ics file of an approved participant: the conference and the sessions they hold seats in."""

import datetime

from django.conf import settings

PRODUCT_ID = "-//United Nations Counter-Terrorism Conferences//Registration//EN"


def participant_calendar(participant, held_sessions):
    from icalendar import Calendar, Event  # imported here: only this download needs it

    conference = participant.conference
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", conference.title)
    calendar.add("x-wr-timezone", conference.time_zone)
    calendar.add_component(_conference_event(Event(), conference, participant))
    for session in held_sessions:
        if session.starts_at:
            calendar.add_component(_session_event(Event(), session))
    return calendar.to_ical()


def _conference_event(event, conference, participant):
    last_day = conference.end_date or conference.start_date
    event.add("uid", f"conference-{conference.pk}@{_host()}")
    event.add("summary", conference.title)
    event.add("dtstart", conference.start_date)
    event.add("dtend", last_day + datetime.timedelta(days=1))  # all-day events end the day after
    event.add("dtstamp", conference.updated_at)
    event.add("url", settings.SITE_URL + conference.get_absolute_url())
    if conference.venue:
        event.add("location", str(conference.venue))
    event.add("description", f"{participant.full_name}, {participant.reference}")
    return event


def _session_event(event, session):
    event.add("uid", f"session-{session.pk}@{_host()}")
    event.add("summary", session.title)
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    event.add("dtstamp", session.updated_at)
    if session.room:
        event.add("location", session.room.name)
    elif session.online_url:
        event.add("location", session.online_url)
    if session.is_cancelled:
        event.add("status", "CANCELLED")
    return event


def _host():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
