"""Failed logins are counted per account and client address, the client found behind the proxy:
someone guessing a password elsewhere cannot lock the owner out, and cannot go on guessing."""

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def log_in(client, email, password, address):
    """A login through the proxy: the proxy connects, and names the client in X-Forwarded-For."""
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def refused_as_too_many(response):
    return "Too many failed login attempts. Try again later." in response.content.decode()


def test_guessing_from_one_address_is_stopped_after_five_tries(db):
    owner = factories.VerifiedUserFactory(email="secretariat@un.org")

    tries = [log_in(Client(), owner.email, f"guess {n}", "203.0.113.5") for n in range(6)]

    assert [refused_as_too_many(response) for response in tries] == [False] * 5 + [True]


def test_owner_logs_in_from_their_own_address_while_another_guesses(db):
    owner = factories.VerifiedUserFactory(email="secretariat@un.org")
    for n in range(6):
        log_in(Client(), owner.email, f"guess {n}", "203.0.113.5")

    response = log_in(Client(), owner.email, "pw", "198.51.100.7")

    assert (response.status_code, response["Location"]) == (302, "/")
