"""A URL configuration with one staff page that forgot the staff rule, for tests/secretariat/test_access.py."""

from django.http import HttpResponse
from django.urls import include, path

from secretariat.access import staff_required


def desk(request):
    return HttpResponse("participants' data")


urlpatterns = [
    path("desk/", desk),
    path("guarded/", staff_required("registration.view_participant")(desk)),
    path("accounts/", include("allauth.urls")),  # where the rule sends people to log in and set up two-factor
]
