"""Requests that can only be probes or mistakes, answered before any view sees them."""

from django.http import Http404


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
