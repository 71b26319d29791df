"""The site's URLs and a bare view: what the smallest response costs through the same middleware and server."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("ok")


# The site's patterns as they are, not include()d: the language prefixes must stay at the top level.
urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
