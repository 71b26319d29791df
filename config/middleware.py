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
