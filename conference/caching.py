"""Public pages for visitors not logged in: one page for everyone, so it is rendered once per version
of the programme (conference.versioning) and kept in the shared cache with its brotli and gzip forms,
answered with 304 Not Modified on a repeat, and marked as shareable by caches
(config.middleware.PublicPageCacheMiddleware). A page already kept costs one round trip to the
shared cache, and no rendering or compressing."""

import functools
import hashlib
import math
import time
from datetime import UTC, datetime
from typing import NamedTuple

import brotli
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language
from django.views.decorators.http import condition

from conference import versioning

# Public pages change with the clock too (what is coming, whether registration is open): their
# validators change every few minutes, whatever the edits.
CLOCK_STEP_SECONDS = 300
# Rendered pages are kept with the programme's version they show: an edit makes a new version, so
# nothing stale is ever served; old entries expire.
RENDERED_PAGE_SECONDS = 60 * 60
# Brotli at quality 5 makes pages about a tenth smaller than gzip in about the same time; quality 11
# would save another tenth for a hundred times the work, and each page is compressed again every
# few minutes (the clock step).
BROTLI_QUALITY = 5
ENCODINGS = ("br", "gzip")  # preferred first


NOT_FETCHED = object()  # the page kept was not asked for yet


class PublicPage(NamedTuple):
    """The page every visitor gets at one address, as this request finds it."""

    version: tuple  # (programme version, clock step)
    key: str  # where the rendered page is kept
    encoding: str | None  # what the client accepts: "br", "gzip" or None (as it is)
    kept: dict | None  # the rendered page kept for this version, if any (or NOT_FETCHED)


def _public(request):
    """The PublicPage of this request; None for a logged-in person (whose pages name them, and show
    drafts to staff) or with a message waiting to be shown. Worked out once a request."""
    if not hasattr(request, "_public_page"):
        request._public_page = _look_up(request) if _for_everyone(request) else None
    return request._public_page


def _for_everyone(request):
    """Nobody is logged in and no message waits. Without the session's cookie or the messages' one,
    neither can be: the session is then not even loaded."""
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies:
        return True
    return not request.user.is_authenticated and not len(get_messages(request))


def _look_up(request):
    """The programme's version and the page kept for it, in one round trip to the shared cache."""
    # The page links to its own address (scheme and host).
    address = f"{get_language()} {request.scheme}://{request.get_host()}{request.get_full_path()}"
    key = "public-page:" + hashlib.sha256(address.encode()).hexdigest()
    # A conditional request is mostly answered 304: the page is fetched only if it is not.
    conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
    found = cache.get_many([versioning.KEY] if conditional else [versioning.KEY, key])
    programme = found.get(versioning.KEY) or versioning.schedule_version()  # made when missing
    version = (programme, int(time.time()) // CLOCK_STEP_SECONDS)
    kept = NOT_FETCHED if conditional else _current(found.get(key), version)
    return PublicPage(version, key, preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", "")), kept)


def _current(kept, version):
    """The page kept, if it shows `version`."""
    return kept if kept is not None and kept["version"] == version else None


def preferred_encoding(accept_encoding):
    """Which of brotli ("br") and gzip an Accept-Encoding header weighs more (brotli when equal), or
    None when it accepts neither."""
    weights = {}
    for item in accept_encoding.lower().split(","):
        name, *parameters = (part.strip() for part in item.split(";"))
        weight = 1.0
        for parameter in parameters:
            field, _, value = parameter.partition("=")
            if field.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name] = weight
    weighed = {encoding: weights.get(encoding, weights.get("*", 0.0)) for encoding in ENCODINGS}
    best = max(ENCODINGS, key=weighed.get)
    return best if weighed[best] > 0 else None


def compress(content, encoding):
    if encoding == "br":
        return brotli.compress(content, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    return compress_string(content)  # gzip without a timestamp: the same page, the same bytes


def _etag(request, *args, **kwargs):
    """One validator per version, language and encoding: a cache holds each encoding as its own
    representation, and a repeat with the validator it got is answered 304."""
    public = _public(request)
    if public is None:
        return None
    programme, step = public.version
    encoding = f"-{public.encoding}" if public.encoding else ""
    return f"{programme}-{step}-{get_language()}{encoding}"


def _last_modified(request, *args, **kwargs):
    public = _public(request)
    if public is None:
        return None
    programme, step = public.version
    seconds = max(math.ceil(programme / 1e9), step * CLOCK_STEP_SECONDS)
    return datetime.fromtimestamp(seconds, tz=UTC)


def public_page(view):
    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(_rendered_once(view))

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        response.for_everyone = (
            response.status_code in (200, 304) and _public(request) is not None and not _holds_secret(request)
        )
        if response.for_everyone:
            patch_vary_headers(response, ("Accept-Encoding",))
        return response

    return page


def _rendered_once(view):
    @functools.wraps(view)
    def rendered_once(request, *args, **kwargs):
        public = _public(request)
        if public is None or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        kept = _current(cache.get(public.key), public.version) if public.kept is NOT_FETCHED else public.kept
        changed = False
        if kept is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies or _holds_secret(request):
                return response
            headers = {name: value for name, value in response.items() if name != "Vary"}
            kept = {"version": public.version, "content": response.content, "headers": headers, "encoded": {}}
            changed = True
        if public.encoding and public.encoding not in kept["encoded"]:
            # Each encoding is made the first time a client asks for it, then kept with the page.
            kept["encoded"][public.encoding] = compress(kept["content"], public.encoding)
            changed = True
        if changed:
            cache.set(public.key, kept, RENDERED_PAGE_SECONDS)
        return _response(kept, public.encoding)

    return rendered_once


def _holds_secret(request):
    """The page holds this visitor's CSRF token: it is theirs alone, and compressing it next to text
    an attacker can choose would let its length give the token away (BREACH)."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _response(kept, encoding):
    body = kept["encoded"][encoding] if encoding else kept["content"]
    response = HttpResponse(body)
    for name, value in kept["headers"].items():
        response[name] = value
    if encoding:
        response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(body))
    return response
