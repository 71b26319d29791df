from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag(takes_context=True)
def webcal(context, path):
    """The webcal:// address of a feed, which calendar apps open as a subscription."""
    url = context["request"].build_absolute_uri(path)
    return "webcal://" + url.split("://", 1)[1]


@register.simple_tag(takes_context=True)
def with_query(context, **changes):
    """The current query string with `changes` applied (None or "" removes a key)."""
    query = QueryDict(mutable=True)
    query.update(context["request"].GET)
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
