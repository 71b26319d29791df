from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from registration import printing_views

# Staff log in through allauth, which asks for their second factor, never the admin's own form.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Counter-Terrorism Conferences: Secretariat")
admin.site.site_title = _("Secretariat")
admin.site.index_title = _("Conferences, agenda and participants")


def health(request):
    """For load balancers and monitoring: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("health/", health, name="health"),
    # Under /admin/ so that the staff areas' two-factor rule covers it; before the admin's catch-all.
    path(
        "admin/participant-lists/<int:conference_id>/",
        printing_views.participant_list_staff,
        name="participant_list_staff",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("registration.urls")),
    path("", include("strategy.urls")),
    path("", include("conference.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
