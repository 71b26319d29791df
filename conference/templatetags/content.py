"""Content in the page's language, marked as English where it falls back (see conference/fallback.py):

{{ session|in_language:"title" }}                        inline text
<div{% fallback_lang session "description" %}>…</div>   an element holding the text
{{ conference.venue|in_language_as_text:"name" }}        the object's own text (str()), marked by one field
"""

from django import template

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
