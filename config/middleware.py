"""Requests that can only be probes or mistakes, answered before any view sees them."""

import logging

from django.http import Http404, HttpResponse

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
    conference.caching.public_page) are the same for everyone: a shared cache may keep them, so they
    lose `Vary: Cookie` (the session was only looked at, to learn nobody is logged in) and are
    compressed, holding no secret to leak. Placed before SessionMiddleware, whose `Vary` it undoes.

    The proxy must still pass requests with a session cookie through (README, "Deploying")."""

    def __init__(self, get_response):
        from django.middleware.gzip import GZipMiddleware

        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        from django.utils.cache import patch_cache_control

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
        kept = [field for field in vary if field.lower() != "cookie"]
        if kept:
            response["Vary"] = ", ".join(kept)
        elif response.has_header("Vary"):
            del response["Vary"]
        return self.gzip.process_response(request, response)
