"""Accounts: the email address is the login, stored in lower case, and one address has one account."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse

from tests import factories
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Blue-Harbour-1945"


def emails():
    return sorted(User.objects.values_list("email", flat=True))


# The database


@pytest.mark.parametrize("other_case", ["Amina.Diallo@UN.org", "AMINA.DIALLO@UN.ORG"])
def test_account_email_differing_only_in_case_refused_by_database(other_case):
    User(email="amina.diallo@un.org").save()

    with pytest.raises(IntegrityError), transaction.atomic():
        User(email=other_case).save()  # no manager, no normalization: only the database stands in the way

    assert emails() == ["amina.diallo@un.org"]


def test_account_email_differing_only_in_case_refused_through_manager_create():
    User.objects.create(email="Amina.Diallo@un.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="amina.diallo@UN.ORG")

    assert emails() == ["Amina.Diallo@un.org"]


def test_account_same_email_twice_refused_by_database():
    User.objects.create_user(email="amina.diallo@un.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email=" Amina.Diallo@UN.org ")

    assert emails() == ["amina.diallo@un.org"]


# The manager


def test_create_user_stores_email_stripped_and_in_lower_case():
    user = User.objects.create_user(email="  Amina.Diallo@UN.org ", password=PASSWORD)

    user.refresh_from_db()
    assert (user.email, str(user), user.get_username(), user.check_password(PASSWORD)) == (
        "amina.diallo@un.org",
        "amina.diallo@un.org",
        "amina.diallo@un.org",
        True,
    )
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_create_superuser_stores_email_in_lower_case():
    user = User.objects.create_superuser(email="Secretariat@UN.org", password=PASSWORD)

    assert (user.email, user.is_staff, user.is_superuser) == ("secretariat@un.org", True, True)


def test_create_user_without_email_refused():
    with pytest.raises(ValueError, match=r"^An account needs an email address\.$"):
        User.objects.create_user(email="", password=PASSWORD)

    assert User.objects.count() == 0


def test_get_by_natural_key_finds_email_in_other_case():
    user = factories.UserFactory(email="amina.diallo@un.org")

    assert User.objects.get_by_natural_key(" Amina.Diallo@UN.org") == user


# Signing up, logging in


def sign_up(client, email):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the email is queued once the sign-up commits
        return client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def test_sign_up_stores_email_in_lower_case(client):
    response = sign_up(client, "Amina.Diallo@UN.org")

    assert (response.status_code, response["Location"]) == (302, reverse("account_email_verification_sent"))
    assert emails() == ["amina.diallo@un.org"]
    assert [message.to for message in mail.outbox] == [["amina.diallo@un.org"]]


def test_sign_up_existing_email_in_other_case_refused(client):
    """Nothing is created. The page does not tell whether the address has an account (allauth prevents
    enumeration); the address's owner is told by email that the account already exists."""
    existing = factories.VerifiedUserFactory(email="amina.diallo@un.org")

    response = sign_up(client, "Amina.Diallo@UN.org")

    assert (response.status_code, response["Location"]) == (302, reverse("account_email_verification_sent"))
    assert (emails(), existing.emailaddress_set.count()) == (["amina.diallo@un.org"], 1)
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["amina.diallo@un.org"], "[UN Counter-Terrorism Conferences] Account Already Exists")
    ]
    assert "an account using that email address already exists" in mail.outbox[0].body


def test_account_emails_name_the_site_by_its_name_and_public_address(client, settings):
    settings.SITE_URL = "https://conferences.example.org"

    sign_up(client, "amina.diallo@un.org")

    (message,) = mail.outbox
    assert (message.subject, message.body.splitlines()[0]) == (
        "[UN Counter-Terrorism Conferences] Please Confirm Your Email Address",
        "Hello from UN Counter-Terrorism Conferences!",
    )
    assert "Thank you for using UN Counter-Terrorism Conferences!\nhttps://conferences.example.org" in message.body
    assert "testserver" not in message.subject + message.body.replace("http://testserver/accounts/confirm-email/", "")


@pytest.mark.parametrize("page", ["account_email_verification_sent", "account_reset_password", "account_login"])
def test_account_pages_that_say_contact_us_give_the_secretariats_address(client, settings, page):
    settings.SECRETARIAT_EMAIL = "ctconference@un.org"

    html = client.get(reverse(page)).content.decode()

    contact = re.search(r'<p [^>]*id="secretariat-contact">\s*(.*?)\s*</p>', html, re.S).group(1)
    assert contact == (
        'For assistance, please write to the Secretariat at <a href="mailto:ctconference@un.org">'
        "<bdi>ctconference@un.org</bdi></a>."
    )


def test_account_pages_without_a_secretariat_address_give_none(client, settings):
    settings.SECRETARIAT_EMAIL = ""

    html = client.get(reverse("account_reset_password")).content.decode()

    assert ("secretariat-contact" in html, "mailto:" in html) == (False, False)


def error_summary(response):
    """The summary of errors at the top of an account form: (announced and focused, texts, link targets)."""
    html = response.content.decode()
    box = re.search(r'<div class="alert alert-danger"([^>]*)>(.*?)</div>', html, re.S)
    attributes, body = box.groups()
    announced = all(attribute in attributes for attribute in ('role="alert"', 'tabindex="-1"', "autofocus"))
    texts = [" ".join(text.split()) for text in re.findall(r"<(?:h2|p|a)[^>]*>([^<]+)</", body)]
    targets = [target for target in re.findall(r'href="#([^"]+)"', body) if f'id="{target}"' in html]
    return announced, texts, targets, html.count("alert-danger")


def test_log_in_refused_is_announced_first(client):
    factories.VerifiedUserFactory(email="amina.diallo@un.org", password=PASSWORD)

    response = client.post(reverse("account_login"), {"login": "amina.diallo@un.org", "password": "wrong"})

    assert error_summary(response) == (
        True,
        ["Please correct the errors below.", "The email address and/or password you specified are not correct."],
        [],
        1,
    )


def test_sign_up_refused_lists_each_error_linked_to_its_field(client):
    response = client.post(reverse("account_signup"), {"email": "amina", "password1": "short", "password2": "short"})

    assert error_summary(response) == (
        True,
        [
            "Please correct the errors below.",
            "Email: Enter a valid email address.",
            "Password: This password is too short. It must contain at least 8 characters.",
        ],
        ["id_email", "id_password1"],
        1,
    )


def test_log_in_with_email_in_other_case(client):
    user = factories.VerifiedUserFactory(email="amina.diallo@un.org", password=PASSWORD)

    response = client.post(reverse("account_login"), {"login": "AMINA.DIALLO@UN.ORG", "password": PASSWORD})

    assert (response.status_code, client.session.get("_auth_user_id")) == (302, str(user.pk))


# createsuperuser (make superuser)


def test_createsuperuser_noinput_with_email(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    out = io.StringIO()

    call_command("createsuperuser", "--noinput", "--email", "Secretariat@UN.org", stdout=out)

    user = User.objects.get()
    assert (out.getvalue(), user.email, user.is_staff, user.is_superuser, user.check_password(PASSWORD)) == (
        "Superuser created successfully.\n",
        "secretariat@un.org",
        True,
        True,
        True,
    )


def test_createsuperuser_existing_email_in_other_case_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    factories.UserFactory(email="secretariat@un.org")

    with pytest.raises(CommandError) as error:
        call_command("createsuperuser", "--noinput", "--email", "Secretariat@UN.org", stdout=io.StringIO())

    assert (str(error.value), emails()) == ("Error: That email address is already taken.", ["secretariat@un.org"])


# add_to_group


def test_add_to_group_finds_account_typed_in_other_case():
    user = factories.VerifiedUserFactory(email="desk@un.org")

    call_command("add_to_group", " Desk@UN.org ", "Check-in desk", stdout=io.StringIO())

    user.refresh_from_db()
    assert (user.is_staff, list(user.groups.values_list("name", flat=True))) == (True, ["Check-in desk"])


# The admin


def test_admin_add_account_stores_email_in_lower_case(client, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:registration_user_add")
    data = form_data(client.get(url).content.decode())

    response = client.post(
        url,
        data
        | {"email": "Amina.Diallo@UN.org", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD},
    )

    user = User.objects.get(email="amina.diallo@un.org")
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("admin:registration_user_change", args=[user.pk]),
    )
    assert user.check_password(PASSWORD) is True


def test_admin_add_account_existing_email_in_other_case_refused(client, staff_user):
    factories.UserFactory(email="amina.diallo@un.org")
    client.force_login(staff_user)
    url = reverse("admin:registration_user_add")
    data = form_data(client.get(url).content.decode())

    response = client.post(
        url,
        data
        | {"email": "Amina.Diallo@UN.org", "usable_password": "true", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"email": ["Account with this Email address already exists."]}
    assert emails() == ["amina.diallo@un.org", "staff@example.org"]


def test_admin_change_account_to_other_accounts_email_in_other_case_refused(client, staff_user):
    factories.UserFactory(email="amina.diallo@un.org")
    other = factories.UserFactory(email="fatima@un.org")
    client.force_login(staff_user)
    url = reverse("admin:registration_user_change", args=[other.pk])
    data = form_data(client.get(url).content.decode())

    response = client.post(url, data | {"email": "Amina.Diallo@UN.org"})

    other.refresh_from_db()
    assert (response.status_code, other.email) == (200, "fatima@un.org")
    assert response.context["adminform"].form.errors == {"email": ["Account with this Email address already exists."]}
