"""First visits, as a new person makes them: every step returns to where they were going, and the
password is typed once."""

import time

import pytest
from django.core.management import call_command
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from registration.models import Status
from tests import factories
from tests.e2e.test_registration_browser import click

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Harbour-Lights-2030-Secretariat"


def totp_code(secret):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_staff_first_login_from_the_admin_to_an_approval(browser, live_server, conference, monkeypatch):
    """An account made with `make superuser` (createsuperuser): log in once, set up two-factor
    authentication, keep the recovery codes, continue to the admin and approve a registration."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", "--email", "head@un.org", verbosity=0)
    delegate = factories.ParticipantFactory(conference=conference, family_name="Diallo")
    password_fields_seen = 0

    browser.get(live_server.url + "/admin/")
    browser.find_element(By.NAME, "login").send_keys("head@un.org")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD + Keys.ENTER)
    password_fields_seen += 1
    secret = browser.find_element(By.ID, "authenticator_secret").get_attribute("value")  # the set-up page at once
    browser.find_element(By.NAME, "code").send_keys(totp_code(secret) + Keys.ENTER)
    codes_page = browser.find_element(By.TAG_NAME, "h1").text
    click(browser, browser.find_element(By.LINK_TEXT, "I have kept my codes: continue"))
    admin_url = browser.current_url
    click(browser, browser.find_element(By.LINK_TEXT, "Participants"))
    click(browser, browser.find_element(By.CSS_SELECTOR, f"input[name=_selected_action][value='{delegate.pk}']"))
    browser.find_element(By.NAME, "action").send_keys("Approve")
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[name=index]"))
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=apply]"))
    message = browser.find_element(By.CSS_SELECTOR, ".messagelist").text

    delegate.refresh_from_db()
    assert (codes_page, admin_url, password_fields_seen) == ("Recovery Codes", live_server.url + "/admin/", 1)
    assert ("1 participant is now: Approved." in message, delegate.status) == (True, Status.APPROVED)
