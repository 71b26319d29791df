from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def health(request):
    """For load balancers and monitoring: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


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
