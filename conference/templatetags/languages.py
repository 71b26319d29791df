"""The same page in each of the site's languages: the language links and the hreflang alternates."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in its own language: "Français", "العربية"
    url: str
    bidi: bool
    current: bool


@register.simple_tag(takes_context=True)
def language_links(context):
    """This page (with its query) in every language of the site, in the order of settings.LANGUAGES."""
    request = context["request"]
    # Asked twice a page (the head's alternates, the footer's links): resolved once.
    if not hasattr(request, "_language_links"):
        here, current = request.get_full_path(), get_language()
        request._language_links = [
            LanguageLink(code, info["name_local"], translate_url(here, code), info["bidi"], code == current)
            for code, info in ((code, get_language_info(code)) for code, _name in settings.LANGUAGES)
        ]
    return request._language_links
