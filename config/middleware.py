"""The site's own middleware: requests that can only be probes or mistakes, answered before any view
sees them; headers every answer carries; public pages marked shareable; and Django's and django-csp's
middleware doing less for the requests that do not need their work."""

import logging

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty

from conference import caching

logger = logging.getLogger(__name__)


class RejectNulCharactersMiddleware:
    """No address of ours holds a NUL character, and PostgreSQL refuses one in a query:
    answer 404 rather than let it reach the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            raise Http404("No such address.")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY: the browser features the site never uses stay off."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.policy)
        return response


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached, pages answer 503 with a hint to retry, not a bare 500."""

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError
        from django.template.loader import render_to_string

        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.exception("The database could not be reached", exc_info=exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


# How long a shared cache (a proxy or CDN) may keep a public page, and serve it stale while it asks
# again: an edit shows within a minute. Browsers keep nothing and revalidate (a 304 is cheap).
SHARED_CACHE_SECONDS = 60
STALE_WHILE_REVALIDATE_SECONDS = 30


class PublicPageCacheMiddleware:
    """Public pages served to visitors who are not logged in (marked `for_everyone` by
    conference.caching.public_page, which also compresses them) are the same for everyone: a shared
    cache may keep them, so they lose `Vary: Cookie` (the session was only looked at, to learn nobody
    is logged in). Placed before SessionMiddleware, whose `Vary` it undoes, and after the middleware
    that may redirect or refuse a request (security, static files): a page kept is served from here,
    before the session, the language and the address are looked at, and what the views render is
    kept from here, with the headers the stack below gave it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kept = caching.early_response(request)
        if kept is not None:
            return kept
        response = self.get_response(request)
        if not getattr(response, "for_everyone", False) or response.cookies:
            return response
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=SHARED_CACHE_SECONDS,
            stale_while_revalidate=STALE_WHILE_REVALIDATE_SECONDS,
        )
        vary = [field.strip() for field in response.get("Vary", "").split(",") if field.strip()]
        shared = [field for field in vary if field.lower() != "cookie"]
        if shared:
            response["Vary"] = ", ".join(shared)
        elif response.has_header("Vary"):
            del response["Vary"]
        caching.keep(response)
        return response


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware prepares the messages' storage (a cookie signer, the session) for
    every request; here it is prepared when something first reads or adds a message, which a public
    page served from the cache never does."""

    def process_request(self, request):
        from django.contrib.messages.storage import default_storage

        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response  # nothing was read or added: there is nothing to store
        return super().process_response(request, response)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp builds the header from the settings anew for every response, a sixth of the work
    of a public page served from the cache. The settings do not change while the site runs, so the
    header is built once here; django-csp still handles a response that uses a nonce or whose policy
    a decorator changes, a policy in report-only mode, and its debug exemptions."""

    # What django-csp's decorators set on a response to change its policy or exempt it.
    DECORATED = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )

    def __init__(self, get_response):
        from csp.utils import build_policy
        from django.conf import settings

        super().__init__(get_response)
        self.debug = settings.DEBUG
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        self.policy = None if report_only or policy.get("EXCLUDE_URL_PREFIXES") else build_policy() or None

    def process_response(self, request, response):
        if (
            self.policy is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.DECORATED)
            or (self.debug and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        response.headers.setdefault(CSP_HEADER, self.policy)
        # As django-csp does: a nonce asked for after the header is written would not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
