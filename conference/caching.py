"""Public pages for visitors not logged in: one page for everyone, so it is rendered once per version
of the programme (conference.versioning), answered with 304 Not Modified on a repeat, and marked
as shareable by caches (config.middleware.PublicPageCacheMiddleware)."""

import functools
import math
import time
from datetime import UTC, datetime

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import condition

from conference.versioning import schedule_version

# Public pages change with the clock too (what is coming, whether registration is open): their
# validators change every few minutes, whatever the edits.
CLOCK_STEP_SECONDS = 300
# Rendered pages are kept under the programme's version: an edit makes a new version, so nothing
# stale is ever served; old entries expire.
RENDERED_PAGE_SECONDS = 60 * 60


def page_version(request):
    """(programme version, clock step) of the page every visitor gets; None for a logged-in person
    (whose pages name them, and show drafts to staff) or with a message waiting to be shown.
    Worked out once a request: the version is a round trip to the shared cache."""
    if not hasattr(request, "_public_page_version"):
        for_everyone = not request.user.is_authenticated and not len(get_messages(request))
        step = int(time.time()) // CLOCK_STEP_SECONDS
        request._public_page_version = (schedule_version(), step) if for_everyone else None
    return request._public_page_version


def _etag(request, *args, **kwargs):
    version = page_version(request)
    return version and f"{version[0]}-{version[1]}-{get_language()}"


def _last_modified(request, *args, **kwargs):
    version = page_version(request)
    if version is None:
        return None
    seconds = max(math.ceil(version[0] / 1e9), version[1] * CLOCK_STEP_SECONDS)
    return datetime.fromtimestamp(seconds, tz=UTC)


def public_page(view):
    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(_rendered_once(view))

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        response.for_everyone = response.status_code in (200, 304) and page_version(request) is not None
        return response

    return page


def _rendered_once(view):
    @functools.wraps(view)
    def rendered_once(request, *args, **kwargs):
        version = page_version(request)
        if request.method != "GET" or version is None:
            return view(request, *args, **kwargs)
        key = f"page:{version[0]}:{version[1]}:{get_language()}:{request.get_full_path()}"
        kept = cache.get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = {name: value for name, value in response.items() if name != "Vary"}
            cache.set(key, (response.content, headers), RENDERED_PAGE_SECONDS)
        return response

    return rendered_once
