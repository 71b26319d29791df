"""Every page carries the Content-Security-Policy (no inline code) and the Permissions-Policy."""

import pytest
from csp.decorators import csp_update
from django.http import HttpResponse
from django.urls import path

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/", "/health/"])
def test_pages_carry_the_policies(client, path):
    response = client.get(path)

    policy = dict(directive.split(" ", 1) for directive in response["Content-Security-Policy"].split("; "))
    assert (policy["default-src"], policy["script-src"], policy["style-src"], policy["frame-ancestors"]) == (
        "'self'",
        "'self'",
        "'self'",
        "'none'",
    )
    assert response["Permissions-Policy"] == (
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
    )


@csp_update({"img-src": "https://maps.example.org"})
def page_showing_a_map(request):
    return HttpResponse("<img src='https://maps.example.org/venue.png' alt='Venue'>")


urlpatterns = [path("map/", page_showing_a_map)]


@pytest.mark.urls(__name__)
def test_page_may_widen_its_own_policy(client):
    """The policy is built once for every page, but a view's own additions still count."""
    policy = dict(directive.split(" ", 1) for directive in client.get("/map/")["Content-Security-Policy"].split("; "))

    assert (policy["img-src"], policy["script-src"]) == ("'self' data: https://maps.example.org", "'self'")
