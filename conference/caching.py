"""Public pages for visitors not logged in: one page for everyone, so it is rendered once per version
of the programme (conference.versioning) and kept in the shared cache, in each encoding a client
asks for (brotli, gzip, or as it is), answered with 304 Not Modified on a repeat, and marked as
shareable by caches.

config.middleware.PublicPageCacheMiddleware serves a page kept before the session, the language and
the address are even looked at, with the headers the whole stack gave it, and keeps what the views
below render: a page kept costs one round trip to the shared cache, for its version and its bytes in
the client's encoding, and no rendering or compressing."""

import functools
import hashlib
import logging
import math
import time
from datetime import UTC, datetime
from typing import NamedTuple

import brotli
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language, get_language_from_path
from django.views.decorators.http import condition

from conference import versioning

logger = logging.getLogger(__name__)

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
# Headers that differ between the encodings of one page; the others are kept once per page.
HEADERS_OF_ENCODING = ("Content-Encoding", "Content-Length", "ETag")

NOT_FETCHED = object()  # the page kept was not asked for yet


class PublicPage(NamedTuple):
    """The page every visitor gets at one address, as this request finds it."""

    version: tuple  # (programme version, clock step)
    language: str
    encoding: str | None  # what the client accepts: "br", "gzip" or None (as it is)
    key: str  # where the page is kept in that encoding
    plain_key: str  # where it is kept as it is, which the other encodings are made from
    kept: dict | None  # the page kept in that encoding for this version, if any (or NOT_FETCHED)


def early_response(request):
    """The page kept for this request, served without the rest of the stack; None when the request
    must go through it: not a plain GET (a conditional one is answered by the view's validators), a
    visitor who may be logged in or have a message waiting, or no page kept for this version."""
    if request.method not in ("GET", "HEAD") or not _without_session(request) or _conditional(request):
        return None
    # As LocaleMiddleware decides with i18n_patterns: the prefix, else the default language.
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    public = _look_up_if_cache_answers(request, language)
    if public is None:
        request._public_page = None  # the cache does not answer: the page is rendered without it
        return None
    request._early_public_page = public
    return _response(public.kept, request) if public.kept is not None else None


def keep(response):
    """Keeps the pages a view below rendered or compressed for this request, with the headers the
    whole stack below the middleware gave them (those of its place in the stack and above are
    added again to every answer)."""
    pages = getattr(response, "kept_pages", None)
    if not pages or not getattr(response, "for_everyone", False) or response.cookies:
        return
    headers = {name: value for name, value in response.items() if name not in HEADERS_OF_ENCODING}
    try:
        cache.set_many({key: {**page, "headers": headers} for key, page in pages.items()}, RENDERED_PAGE_SECONDS)
    except Exception:  # the shared cache is down: the page is served, and rendered again next time
        logger.warning("The shared cache did not keep a public page", exc_info=True)


def _public(request):
    """The PublicPage of this request; None for a logged-in person (whose pages name them, and show
    drafts to staff) or with a message waiting to be shown, unless the page is the same for everyone
    (a feed). Worked out once a request."""
    if not hasattr(request, "_public_page"):
        early = getattr(request, "_early_public_page", None)
        if early is not None and early.language == get_language():
            request._public_page = early  # looked up by early_response, and not found
        elif getattr(request, "_same_for_everyone", False) or _for_everyone(request):
            request._public_page = _look_up_if_cache_answers(request, get_language())
        else:
            request._public_page = None
    return request._public_page


def _without_session(request):
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


def _for_everyone(request):
    """Nobody is logged in and no message waits. Without the session's cookie or the messages' one,
    neither can be: the session is then not even loaded."""
    return _without_session(request) or (not request.user.is_authenticated and not len(get_messages(request)))


def _conditional(request):
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


def _look_up(request, language):
    """The programme's version and the page kept for it, in one round trip to the shared cache."""
    # The page links to its own address (scheme and host).
    address = f"{language} {request.scheme}://{request.get_host()}{request.get_full_path()}"
    page = "public-page:" + hashlib.sha256(address.encode()).hexdigest()
    encoding = preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    key, plain_key = f"{page}:{encoding or 'plain'}", f"{page}:plain"
    # A conditional request is mostly answered 304: the page is fetched only if it is not.
    conditional = _conditional(request)
    found = cache.get_many([versioning.KEY] if conditional else [versioning.KEY, key])
    programme = found.get(versioning.KEY) or versioning.schedule_version()  # made when missing
    version = (programme, int(time.time()) // CLOCK_STEP_SECONDS)
    kept = NOT_FETCHED if conditional else _current(found.get(key), version)
    return PublicPage(version, language, encoding, key, plain_key, kept)


def _look_up_if_cache_answers(request, language):
    """_look_up, or None while the shared cache does not answer: the page is then rendered for this
    request alone, as for a logged-in person, rather than not served."""
    try:
        return _look_up(request, language)
    except DisallowedHost:
        raise
    except Exception:  # any failure of the cache server or the network
        logger.warning("The shared cache did not answer; the page is rendered without it", exc_info=True)
        return None


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


def _validator(version, language, encoding):
    """One ETag per version, language and encoding: a cache holds each encoding as its own
    representation, and a repeat with the validator it got is answered 304."""
    programme, step = version
    return f'"{programme}-{step}-{language}{f"-{encoding}" if encoding else ""}"'


def _etag(request, *args, **kwargs):
    public = _public(request)
    return None if public is None else _validator(public.version, public.language, public.encoding)


def _last_modified(request, *args, **kwargs):
    public = _public(request)
    if public is None:
        return None
    programme, step = public.version
    seconds = max(math.ceil(programme / 1e9), step * CLOCK_STEP_SECONDS)
    return datetime.fromtimestamp(seconds, tz=UTC)


def public_page(view=None, *, same_for_everyone=False):
    """A public page, kept and revalidated as above. `same_for_everyone`: the page shows nothing of
    who asks (a feed), so logged-in people get the page kept too."""
    if view is None:
        return functools.partial(public_page, same_for_everyone=same_for_everyone)
    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(_rendered_once(view))

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        request._same_for_everyone = same_for_everyone
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
        if kept is not None:
            return _response(kept, request)
        to_keep = {}
        plain = _current(cache.get(public.plain_key), public.version) if public.encoding else None
        if plain is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies or _holds_secret(request):
                return response
            headers = {name: value for name, value in response.items() if name != "Vary"}
            plain = to_keep[public.plain_key] = _page(public, None, response.content, headers)
        kept = plain
        if public.encoding:
            # Each encoding is made the first time a client asks for it, then kept.
            kept = to_keep[public.key] = _page(public, public.encoding, compress(plain["content"], public.encoding))
            kept["headers"] = plain["headers"]
        response = _response(kept, request)
        response.kept_pages = to_keep  # kept by the middleware, with the headers of the whole stack
        return response

    return rendered_once


def _page(public, encoding, content, headers=None):
    return {
        "version": public.version,
        "encoding": encoding,
        "etag": _validator(public.version, public.language, encoding),
        "content": content,
        "headers": headers or {},
    }


def _holds_secret(request):
    """The page holds this visitor's CSRF token: it is theirs alone, and compressing it next to text
    an attacker can choose would let its length give the token away (BREACH)."""
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _response(kept, request):
    # HEAD gets the headers of GET, its Content-Length among them, and no body (RFC 9110): the server
    # (gunicorn) would otherwise be handed the page, to send or to drop.
    response = HttpResponse(b"" if request.method == "HEAD" else kept["content"])
    for name, value in kept["headers"].items():
        response[name] = value
    if kept["encoding"]:
        response["Content-Encoding"] = kept["encoding"]
    response["Content-Length"] = str(len(kept["content"]))
    response["ETag"] = kept["etag"]
    return response
