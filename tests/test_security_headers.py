"""Every page carries the Content-Security-Policy (no inline code) and the Permissions-Policy."""

import pytest

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
