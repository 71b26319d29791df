"""Content in the page's language, marked as English where it falls back (see conference/fallback.py):

{{ session|in_language:"title" }}                        inline text
<div{% fallback_lang session "description" %}>…</div>   an element holding the text
{{ conference.venue|in_language_as_text:"name" }}        the object's own text (str()), marked by one field
"""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from conference.fallback import FALLBACK_ATTRIBUTES, marked_text, shows_fallback

register = template.Library()


@register.filter
def in_language(obj, field):
    return marked_text(obj, field) if obj is not None else ""


@register.filter
def in_language_as_text(obj, field):
    return marked_text(obj, field, str(obj)) if obj is not None else ""


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
