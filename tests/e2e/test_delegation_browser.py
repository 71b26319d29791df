"""A delegation's journey in a real browser: its focal point nominates three members, one completes
their registration from the invitation, the Secretariat approves the delegation, the list of
participants shows it, and the member's letter of invitation downloads as a PDF."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import with_two_factor
from registration.models import DelegationMember, LetterRequest, OutgoingEmail, Participant
from tests import factories
from tests.e2e.test_registration_browser import PASSWORD, click, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def account(django_user_model, email):
    user = django_user_model.objects.create_user(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def nominate(browser, given_name, family_name, email, *, head=False):
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/members/']")
    form.find_element(By.NAME, "given_name").send_keys(given_name)
    form.find_element(By.NAME, "family_name").send_keys(family_name)
    form.find_element(By.NAME, "email").send_keys(email)
    form.find_element(By.NAME, "function").send_keys("Counsellor")
    click(browser, form.find_element(By.CSS_SELECTOR, "input[name=attendance][value=in_person]"))
    if head:
        click(browser, form.find_element(By.NAME, "is_head"))
    click(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    # The page after this nomination, which names the member: the page of the one before says
    # "nominated" too until it is replaced, and its elements go stale meanwhile.
    WebDriverWait(browser, 30, ignored_exceptions=[WebDriverException]).until(
        lambda driver: f"{given_name} {family_name}" in driver.find_element(By.CSS_SELECTOR, ".alert-success").text
    )


def as_staff(browser, live_server, staff):
    """The browser's session becomes the staff member's (two-factor authentication done)."""
    client = Client()
    client.force_login(staff)
    browser.delete_all_cookies()
    browser.get(live_server.url + "/health/")
    browser.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value, "path": "/"})


def log_out(browser):
    browser.delete_all_cookies()


def fetched_pdf(browser, url):
    """(status, content type, first bytes) of `url` fetched by the page, with the browser's session."""
    return browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(async (response) => {
          const bytes = new Uint8Array(await response.arrayBuffer());
          done([response.status, response.headers.get("Content-Type"), String.fromCharCode(...bytes.slice(0, 5))]);
        });
        """,
        url,
    )


def test_delegation_from_nomination_to_letter_of_invitation(browser, live_server, open_conference, django_user_model):
    delegation = factories.DelegationFactory(conference=open_conference, places_in_person=5, places_online=5)
    focal_point = factories.FocalPointFactory(
        delegation=delegation, user=account(django_user_model, "focal.point@example.org")
    )
    member_account = account(django_user_model, "fatou.sarr@example.org")
    staff = with_two_factor(django_user_model.objects.create_superuser(email="staff@example.org", password=PASSWORD))

    # The focal point nominates three members, the first as head of delegation.
    log_in(browser, live_server, focal_point.user)
    browser.find_element(By.LINK_TEXT, "My registrations").click()
    browser.find_element(By.LINK_TEXT, "Senegal").click()
    nominate(browser, "Fatou", "Sarr", "fatou.sarr@example.org", head=True)
    nominate(browser, "Moussa", "Ndiaye", "moussa.ndiaye@example.org")
    nominate(browser, "ليلى", "بن علي", "leila@example.org")
    places = browser.find_element(By.ID, "places-heading").find_element(By.XPATH, "..").text
    assert "In person: 3 of 5 taken, 2 left" in places

    # One member completes their registration from the link in their invitation.
    invitation = OutgoingEmail.objects.get(to="fatou.sarr@example.org")
    link = re.search(r"/nominations/\d+/", invitation.body_text).group(0)
    log_out(browser)
    log_in(browser, live_server, member_account)
    browser.get(live_server.url + link)
    Select(browser.find_element(By.NAME, "gender")).select_by_value("female")
    Select(browser.find_element(By.NAME, "nationality")).select_by_value("SN")
    click(browser, browser.find_element(By.NAME, "data_consent"))
    click(browser, browser.find_element(By.CSS_SELECTOR, "form.registration-form [type=submit]"))
    assert browser.find_element(By.CSS_SELECTOR, ".badge.status-pending").text == "Pending"

    # The Secretariat approves the delegation.
    as_staff(browser, live_server, staff)
    browser.get(live_server.url + "/admin/registration/delegation/")
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=_selected_action]"))
    Select(browser.find_element(By.NAME, "action")).select_by_value("approve_registrations")
    click(browser, browser.find_element(By.NAME, "index"))
    WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".messagelist"))
    assert "Approved" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text
    participant = Participant.objects.get()
    assert (participant.status, participant.delegation_member.is_head) == ("approved", True)

    # The list of participants shows the delegation, its head first.
    browser.get(live_server.url + f"/admin/participant-lists/{open_conference.pk}/")
    listing = browser.find_element(By.TAG_NAME, "main").text
    assert "Senegal" in listing
    assert "Fatou Sarr" in listing or "SARR" in listing

    # The member asks for a letter of invitation; the Secretariat issues it; it downloads as a PDF.
    log_out(browser)
    log_in(browser, live_server, member_account)
    browser.get(live_server.url + participant.get_absolute_url())
    browser.find_element(By.LINK_TEXT, "Ask for a letter of invitation").click()
    browser.find_element(By.NAME, "passport_name").send_keys("Fatou Sarr")
    passport_number = browser.find_element(By.NAME, "passport_number")
    passport_number.send_keys("A01234567")
    click(
        browser, passport_number.find_element(By.XPATH, "ancestor::form").find_element(By.CSS_SELECTOR, "[type=submit]")
    )
    browser.find_element(By.CSS_SELECTOR, ".alert-success")
    letter = LetterRequest.objects.get()
    as_staff(browser, live_server, staff)
    browser.get(live_server.url + "/admin/registration/letterrequest/")
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=_selected_action]"))
    Select(browser.find_element(By.NAME, "action")).select_by_value("issue")
    click(browser, browser.find_element(By.NAME, "index"))
    # Wait for the action's answer before reading the database: a busy machine is slow to give it.
    WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".messagelist"))
    letter.refresh_from_db()
    assert letter.status == "issued"
    log_out(browser)
    log_in(browser, live_server, member_account)
    browser.get(live_server.url + participant.get_absolute_url())
    download = browser.find_element(By.PARTIAL_LINK_TEXT, "letter of invitation (PDF)").get_attribute("href")

    assert fetched_pdf(browser, download) == [200, "application/pdf", "%PDF-"]
    assert DelegationMember.objects.filter(delegation=delegation).count() == 3


def test_delegation_page_on_a_phone_fits_and_a_note_verbale_error_takes_the_focus(
    browser, live_server, open_conference, django_user_model
):
    delegation = factories.DelegationFactory(conference=open_conference, places_in_person=5, places_online=5)
    focal_point = factories.FocalPointFactory(
        delegation=delegation, user=account(django_user_model, "focal.point@example.org")
    )
    for family_name in ("Sarr", "Ndiaye", "Diop"):
        factories.DelegationMemberFactory(delegation=delegation, given_name="Fatou", family_name=family_name)
    log_in(browser, live_server, focal_point.user)
    browser.set_window_size(390, 900)

    browser.get(f"{live_server.url}/delegations/{delegation.pk}/")
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/note-verbale/']")
    click(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))  # no file chosen
    summary = browser.find_element(By.ID, "note-verbale-errors")
    focused = browser.execute_script("return document.activeElement.id")
    link = summary.find_element(By.TAG_NAME, "a")

    assert overflow <= 0
    assert (focused, summary.get_attribute("role")) == ("note-verbale-errors", "alert")
    assert (link.text, link.get_attribute("href").split("#")[1]) == (
        "Note verbale: This field is required.",
        "id_note_verbale",
    )
