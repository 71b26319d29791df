"""Content (titles, descriptions, names) in the page's language, and English where a text has none.

django-modeltranslation gives each text in the active language and falls back to English.
A fallback is marked as English (`lang="en"`, and `dir="ltr"` so that it keeps its order
inside right-to-left pages), for screen readers and the layout:

    {{ session|in_language:"title" }}                        inline text
    <div{% fallback_lang session "description" %}>…</div>   an element holding the text
"""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

register = template.Library()

FALLBACK_ATTRIBUTES = ' lang="en" dir="ltr"'


def shows_fallback(obj, field):
    """True when `obj.field` shows in English because the page's language has no text of its own."""
    language = get_language()
    if obj is None or language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE or not getattr(obj, field):
        return False
    return not getattr(obj, build_localized_fieldname(field, language), None)


@register.filter
def in_language(obj, field):
    if shows_fallback(obj, field):
        return format_html("<span{}>{}</span>", mark_safe(FALLBACK_ATTRIBUTES), getattr(obj, field))
    return getattr(obj, field) if obj is not None else ""


@register.simple_tag
def fallback_lang(obj, field):
    return mark_safe(FALLBACK_ATTRIBUTES) if shows_fallback(obj, field) else ""
