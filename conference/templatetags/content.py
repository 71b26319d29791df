"""Content in the page's language, marked as English where it falls back (see conference/fallback.py):

{{ session|in_language:"title" }}                        inline text
<div{% fallback_lang session "description" %}>…</div>   an element holding the text
{{ conference.venue|in_language_as_text:"name" }}        the object's own text (str()), marked by one field
{{ session.organizers|in_english }}                      text kept in English only, marked on other pages
"""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from conference.fallback import FALLBACK_ATTRIBUTES, english_text, marked_text, shows_fallback

register = template.Library()


@register.filter
def in_language(obj, field):
    return marked_text(obj, field) if obj is not None else ""


@register.filter
def in_language_as_text(obj, field):
    return marked_text(obj, field, str(obj)) if obj is not None else ""


@register.filter
def in_english(text):
    return english_text(text)


@register.simple_tag
def fallback_lang(obj, field):
    return FALLBACK_ATTRIBUTES if shows_fallback(obj, field) else ""


@register.filter
def moment(value):
    """A date and time in the active zone, the time kept left to right inside right-to-left pages:
    "1 May 2030, <span dir="ltr">09:00 EDT</span>"; the date in the language's own form."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_html('{}, <span dir="ltr">{}</span>', date_format(local, "DATE_FORMAT"), date_format(local, "H:i T"))


@register.filter
def short_moment(value):
    """A moment as `moment` shows it, without the date when it is today in the active zone:
    "<span dir="ltr">09:33 EDT</span>", and "1 May 2030, <span dir="ltr">09:33 EDT</span>" another day."""
    if not value:
        return ""
    if timezone.localdate(value) != timezone.localdate():
        return moment(value)
    return format_html('<span dir="ltr">{}</span>', date_format(timezone.localtime(value), "H:i T"))


@register.simple_tag
def day_and_time(session):
    """A session's day and hours in the active zone, joined as the language joins them:
    "Monday 10 June 2030, 15:00–18:00 EDT", "Monday 10 June 2030, time not announced"; the hours
    kept left to right inside right-to-left pages."""
    day = session.date
    date = format_html(
        '<time datetime="{}">{} {}</time>', day.isoformat(), date_format(day, "l"), date_format(day, "DATE_FORMAT")
    )
    if not session.time_announced:
        # Translators: a session's day, then that its hours are not known yet.
        return _joined(_("%(date)s, time not announced"), date=date)
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    hours = format_html(
        '<span dir="ltr"><time datetime="{}">{}</time>–<time datetime="{}">{}</time></span>',
        starts.isoformat(),
        date_format(starts, "H:i"),
        ends.isoformat(),
        date_format(ends, "H:i T"),
    )
    # Translators: a session's day and its hours: "Monday 10 June 2030, 15:00–18:00 EDT".
    return _joined(_("%(date)s, %(time)s"), date=date, time=hours)


def _joined(pattern, **parts):
    """A translated pattern (escaped) with HTML parts put in its placeholders."""
    return mark_safe(conditional_escape(pattern) % parts)
