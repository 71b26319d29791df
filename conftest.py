import os

import pytest


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", help="run the tests marked slow (CI=true runs them too)")
    parser.addoption(
        "--clock-offset-days",
        type=int,
        default=0,
        metavar="N",
        help="run the whole session with the clock N days ahead (time-machine), to show no test depends on today",
    )


def pytest_configure(config):
    """With --clock-offset-days, every clock of the process (all threads) runs N days ahead and keeps ticking.

    Each xdist worker is its own process and loads this file, so each travels alike."""
    days = config.getoption("--clock-offset-days")
    if days:
        import datetime

        import time_machine

        destination = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)
        config._clock_traveller = time_machine.travel(destination, tick=True)
        config._clock_traveller.start()


def pytest_unconfigure(config):
    traveller = getattr(config, "_clock_traveller", None)
    if traveller is not None:
        traveller.stop()


def pytest_collection_modifyitems(config, items):
    """Tests marked slow build thousands of rows: CI runs them, a local run only with --run-slow."""
    if config.getoption("--run-slow") or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow or CI=true")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast password hashing, in-memory email, tasks run at once and media in a temporary folder for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks run at once, inside the request or command that queues them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The database cache of the settings would need the database in every test; one test is one process.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    # An existing STATIC_ROOT, so that WhiteNoise does not warn about a missing folder.
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each test starts in English: a page served in another language leaves it active in the thread."""
    from django.utils import translation

    with translation.override("en"):
        yield


def with_two_factor(user):
    """Give `user` an activated TOTP authenticator, as staff must have before the admin opens."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def staff_user(django_user_model):
    user = django_user_model.objects.create_superuser(email="staff@example.org", password="pw")
    return with_two_factor(user)


@pytest.fixture(autouse=True)
def _empty_cache(_fast_and_isolated):
    """Cached feeds are keyed by version; a fresh cache per test keeps tests independent."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
