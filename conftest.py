import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Fast password hashing, in-memory email and media in a temporary folder for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    # An existing STATIC_ROOT, so that WhiteNoise does not warn about a missing folder.
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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
def _empty_cache():
    """Cached feeds are keyed by version; a fresh cache per test keeps tests independent."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
