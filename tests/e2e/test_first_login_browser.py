"""First visits, as a new person makes them: every step returns to where they were going, and the
password is typed once."""

import time

import pytest
from django.core.management import call_command
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from registration.models import Status
from tests import factories
from tests.e2e.test_registration_browser import click, fill_registration_form, submit

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Harbour-Lights-2030-Secretariat"


def wait_for_path(browser, fragment):
    """Wait until the browser has left the page it was on for one whose address holds `fragment`."""
    WebDriverWait(browser, 10).until(lambda driver: fragment in driver.current_url)


def totp_code(secret):
    """The current code, taken early enough in its 30 seconds that the server still accepts it when
    the form arrives (a code typed in its last seconds may reach a server already in the next step)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    left = 30 - time.time() % 30
    if left < 8:
        time.sleep(left + 0.1)
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
    wait_for_path(browser, "/accounts/2fa/totp/activate/")
    secret = browser.find_element(By.ID, "authenticator_secret").get_attribute("value")  # the set-up page at once
    browser.find_element(By.NAME, "code").send_keys(totp_code(secret) + Keys.ENTER)
    wait_for_path(browser, "/accounts/2fa/recovery-codes/")
    codes_page = browser.find_element(By.TAG_NAME, "h1").text
    click(browser, browser.find_element(By.LINK_TEXT, "I have kept my codes: continue"))
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.endswith("/admin/"))
    admin_url = browser.current_url
    click(browser, browser.find_element(By.LINK_TEXT, "Participants"))
    click(browser, browser.find_element(By.CSS_SELECTOR, f"input[name=_selected_action][value='{delegate.pk}']"))
    browser.find_element(By.NAME, "action").send_keys("Approve")
    click(browser, browser.find_element(By.CSS_SELECTOR, "button[name=index]"))
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=apply]"))
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".messagelist"))
    message = browser.find_element(By.CSS_SELECTOR, ".messagelist").text

    delegate.refresh_from_db()
    assert (codes_page, admin_url, password_fields_seen) == ("Recovery Codes", live_server.url + "/admin/", 1)
    assert ("1 participant is now: Approved." in message, delegate.status) == (True, Status.APPROVED)


def test_participant_signs_up_from_the_conference_and_registers_without_a_detour(
    browser, live_server, open_conference, pdf_path
):
    """Register → sign up → confirm the address from the email in the same browser → the form, logged
    in → registered. The home page is never on the way."""
    import re

    from django.core import mail

    from registration.models import Participant

    conference, visited = open_conference, []

    def go(url):
        browser.get(url)
        visited.append(browser.current_url.removeprefix(live_server.url))

    go(live_server.url + conference.get_absolute_url())
    click(browser, browser.find_element(By.LINK_TEXT, "Register"))
    click(browser, browser.find_element(By.CSS_SELECTOR, "main a[href^='/accounts/signup/']"))
    browser.find_element(By.NAME, "email").send_keys("new.delegate@example.org")
    browser.find_element(By.NAME, "password1").send_keys(PASSWORD)
    browser.find_element(By.NAME, "password2").send_keys(PASSWORD + Keys.ENTER)
    wait_for_path(browser, "/accounts/confirm-email/")  # the "verify your email" page
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    go(live_server.url + link)
    click(browser, browser.find_element(By.CSS_SELECTOR, "main form [type=submit]"))
    wait_for_path(browser, "/register/")
    landed = browser.current_url.removeprefix(live_server.url)
    fill_registration_form(browser, pdf_path, given_name="Amina", family_name="Diallo")
    submit(browser)
    wait_for_path(browser, "/registrations/")
    status = browser.find_element(By.CSS_SELECTOR, ".badge.status-pending").text

    participant = Participant.objects.get()
    assert landed == f"/conferences/{conference.slug}/register/"
    assert (status, participant.email, participant.user.email) == (
        "Pending",
        "new.delegate@example.org",
        "new.delegate@example.org",
    )
    assert "/" not in visited  # never sent to the home page
