"""Sessions as people choose among them (the registration form, the check-in desk): grouped by day,
each with its local time and room, so that two sessions of the same title can be told apart."""

import itertools

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from conference.fallback import marked_text


def session_label(session, zone):
    """ "10:00–11:30 EDT · Conference Room 4 · Title" (as HTML, the title marked when in English)."""
    parts = []
    if session.starts_at:
        start, end = timezone.localtime(session.starts_at, zone), timezone.localtime(session.ends_at, zone)
        parts.append(format_html('<span dir="ltr">{}–{}</span>', date_format(start, "H:i"), date_format(end, "H:i T")))
    else:
        parts.append(_("Time not announced"))
    if session.room_id:
        parts.append(marked_text(session.room, "name"))
    parts.append(marked_text(session, "title"))
    return format_html(" · ".join(["{}"] * len(parts)), *parts)


def choices_by_day(sessions, zone):
    """[(day, [(pk, label), ...]), ...]: the sessions (ordered by day and time) as grouped choices."""
    return [
        (
            date_format(day, "l j F Y") if day else _("Day not announced"),
            [(s.pk, session_label(s, zone)) for s in group],
        )
        for day, group in itertools.groupby(sessions, key=lambda session: session.date)
    ]
