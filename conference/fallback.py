"""Content in the page's language, and English where a text has none.

django-modeltranslation gives each text in the active language and falls back to English.
A fallback is marked as English (`lang="en"`, and `dir="ltr"` so that it keeps its order
inside right-to-left pages), for screen readers and the layout.
"""

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

FALLBACK_ATTRIBUTES = mark_safe(' lang="en" dir="ltr"')


def shows_fallback(obj, field):
    """True when `obj.field` shows in English because the page's language has no text of its own."""
    language = get_language()
    if obj is None or language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE or not getattr(obj, field):
        return False
    return not getattr(obj, build_localized_fieldname(field, language), None)


def marked_text(obj, field, text=None):
    """`text` (by default `obj.field`) as HTML, inside a span marked as English when it falls back."""
    text = getattr(obj, field) if text is None else text
    if shows_fallback(obj, field):
        return format_html("<span{}>{}</span>", FALLBACK_ATTRIBUTES, text)
    return format_html("{}", text)


def english_attributes():
    """The attributes that mark text kept in English only on this page: none on an English page."""
    return "" if get_language() == settings.MODELTRANSLATION_DEFAULT_LANGUAGE else FALLBACK_ATTRIBUTES


def english_text(text):
    """Text kept in English only, with no field per language (a speaker's function and organization,
    who organizes a session), as HTML: marked as English on pages in another language, as a fallback is."""
    attributes = english_attributes()
    if not text or not attributes:
        return format_html("{}", text)
    return format_html("<span{}>{}</span>", attributes, text)
