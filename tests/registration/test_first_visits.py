"""A new person's first visit keeps where they were going: signing up from a conference's form,
confirming the address in the same browser logs them in and brings them back to that form; staff
coming to the admin are brought back to it, without typing the password twice."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.registration.support import register_url

# Committed for real, as allauth's confirmation reads what the sign-up stored.
pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Harbour-Lights-2030"


def confirmation_link(message):
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_sign_up_from_a_conference_form_returns_to_it_logged_in(conference):
    client = Client()
    login_page = client.get(client.get(register_url(conference))["Location"]).content.decode()
    sign_up_url = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', login_page).group(1).replace("&amp;", "&")
    sign_up_page = client.get(sign_up_url).content.decode()
    data = {"email": "new.delegate@example.org", "password1": PASSWORD, "password2": PASSWORD}
    data["next"] = re.search(r'name="next" value="([^"]+)"', sign_up_page).group(1)
    client.post(sign_up_url, data)
    link = confirmation_link(mail.outbox[-1])

    confirm_page = client.get(link).content.decode()
    confirmed = client.post(link)
    form = client.get(confirmed["Location"])

    assert "Please confirm that <bdi>new.delegate@example.org</bdi> is your email address." in confirm_page
    assert "for user" not in confirm_page
    assert (confirmed.status_code, confirmed["Location"]) == (302, register_url(conference))
    assert (form.status_code, form.context["form"].initial["email"]) == (200, "new.delegate@example.org")


def test_unverified_staff_confirming_their_address_are_brought_to_the_admin(django_user_model):
    """A staff account made in the admin (its address not yet verified): the first login sends the
    confirmation; confirming logs in and goes on to the two-factor set-up, then the admin, without
    asking for the password again."""
    staff = django_user_model.objects.create_user(email="officer@un.org", password=PASSWORD, is_staff=True)
    client = Client()
    login = client.get("/admin/")["Location"]
    client.post(login, {"login": staff.email, "password": PASSWORD})
    link = confirmation_link(mail.outbox[-1])

    confirmed = client.post(link)
    two_factor = client.get(confirmed["Location"])
    set_up = client.get(two_factor["Location"])

    assert confirmed["Location"] == "/admin/"
    assert two_factor["Location"].startswith(reverse("mfa_activate_totp"))
    assert (set_up.status_code, set_up.templates[0].name) == (200, "mfa/totp/activate_form.html")


def test_make_superuser_account_needs_no_email_confirmation(django_user_model):
    staff = django_user_model.objects.create_superuser(email="head@un.org", password=PASSWORD)
    client = Client()

    logged_in = client.post("/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD})

    assert (logged_in.status_code, logged_in["Location"], mail.outbox) == (302, "/admin/", [])
