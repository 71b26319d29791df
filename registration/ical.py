"""The .ics file of an approved participant: the conference and the sessions they hold seats in."""

import datetime

from django.conf import settings

from conference.ical import build_calendar, site_host


def participant_calendar(participant, held_sessions):
    conference = participant.conference
    return build_calendar(
        held_sessions, name=conference.title, extra_events=[_conference_event(conference, participant)]
    )


def _conference_event(conference, participant):
    from icalendar import Event  # imported here: only this download needs it

    event = Event()
    event.add("uid", f"conference-{conference.pk}@{site_host()}")
    event.add("summary", conference.title)
    event.add("dtstart", conference.start_date)
    event.add("dtend", conference.last_day + datetime.timedelta(days=1))  # all-day events end the day after
    event.add("dtstamp", conference.updated_at.astimezone(datetime.UTC))
    event.add("url", settings.SITE_URL + conference.get_absolute_url())
    if conference.venue:
        event.add("location", str(conference.venue))
    event.add("description", f"{participant.full_name}, {participant.reference}")
    return event
