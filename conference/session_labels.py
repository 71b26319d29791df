"""Sessions as people choose among them (the registration form, the check-in desk): grouped by day,
each with its local time and room, so that two sessions of the same title can be told apart."""

import itertools

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from conference.fallback import marked_text


def day_label(day):
    """ "Monday 1 July 2030", the date in the language's own form."""
    return f"{date_format(day, 'l')} {date_format(day, 'DATE_FORMAT')}" if day else _("Day not announced")


def session_label(session, zone, *, html=True):
    """ "10:00–11:30 EDT · Title · Conference Room 4"; as HTML, the time kept left to right and the
    title and room marked when they show in English; as plain text for a <select>'s options."""
    if session.starts_at and session.ends_at:
        start, end = timezone.localtime(session.starts_at, zone), timezone.localtime(session.ends_at, zone)
        when = f"{date_format(start, 'H:i')}–{date_format(end, 'H:i T')}"
        when = format_html('<span dir="ltr">{}</span>', when) if html else when
    else:
        when = _("Time not announced")
    title = marked_text(session, "title") if html else session.title
    room = (marked_text(session.room, "name") if html else session.room.name) if session.room_id else ""
    parts = [part for part in (when, title, room) if part]
    return format_html(" · ".join(["{}"] * len(parts)), *parts) if html else " · ".join(parts)


def choices_by_day(sessions, zone, *, html=True):
    """[(day, [(pk, label), ...]), ...]: the sessions (ordered by day and time) as grouped choices."""
    return [
        (day_label(day), [(session.pk, session_label(session, zone, html=html)) for session in group])
        for day, group in itertools.groupby(sessions, key=lambda session: session.date)
    ]
