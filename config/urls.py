from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import include, path


def health(request):
    """For load balancers and monitoring: "ok" while the database and the shared cache answer,
    503 naming what does not (and no page is served well without them)."""
    failing = [name for name, works in (("database", _database_answers), ("cache", _cache_answers)) if not works()]
    if failing:
        response = HttpResponse("unavailable: " + ", ".join(failing), content_type="text/plain", status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse("ok", content_type="text/plain")


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _cache_answers():
    try:
        cache.set("health-check", "ok", 10)
        return cache.get("health-check") == "ok"
    except Exception:  # any failure of the cache server or the network
        return False


urlpatterns = [
    path("health/", health, name="health"),
    # Every page in every language: /fr/conferences/… in French, unprefixed in English,
    # so that a link shared in one language opens in it.
    *i18n_patterns(
        # Before the admin, whose catch-all would swallow the Secretariat's pages under /admin/.
        path("", include("secretariat.urls")),
        path("admin/", admin.site.urls),
        path("accounts/", include("allauth.urls")),
        path("", include("registration.urls")),
        path("", include("conference.urls")),
        prefix_default_language=False,
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
