import pytest
from django.core.cache import cache

from tests import factories
from tests.registration.support import JULY_1


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts sign-ups, logins and emails per address in the cache: every test starts afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def conference(db):
    """An in-person conference open for registration, on 1-3 July 2030 in New York."""
    return factories.ConferenceFactory(open_for_registration=True, start_date=JULY_1, title="Fourth Conference")


@pytest.fixture
def person(db):
    """Someone with a verified account."""
    return factories.VerifiedUserFactory(email="amina.diallo@example.org")


@pytest.fixture
def person_client(client, person):
    client.force_login(person)
    return client
