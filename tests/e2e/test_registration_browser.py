"""The registration journey in a real browser: log in, find the conference, register, see the status."""

import pytest
from allauth.account.models import EmailAddress
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from registration.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a long and unusual passphrase"


@pytest.fixture
def verified_user(django_user_model):
    user = django_user_model.objects.create_user(email="amina@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def click(browser, element):
    """Click as a person would: scroll the element into view first."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def submit(browser):
    click(browser, browser.find_element(By.CSS_SELECTOR, "form.registration-form [type=submit]"))


def fill_registration_form(browser, pdf_path, *, given_name, family_name, attendance="in_person"):
    """What a Member State delegate types in the form, the nomination document chosen from `pdf_path`."""
    browser.find_element(By.NAME, "given_name").send_keys(given_name)
    browser.find_element(By.NAME, "family_name").send_keys(family_name)
    Select(browser.find_element(By.NAME, "gender")).select_by_value("female")
    Select(browser.find_element(By.NAME, "nationality")).select_by_value("SN")
    Select(browser.find_element(By.NAME, "category")).select_by_value("member_state")
    Select(browser.find_element(By.NAME, "represented_country")).select_by_value("SN")
    browser.find_element(By.NAME, "function").send_keys("Director, National Counter-Terrorism Agency")
    click(browser, browser.find_element(By.CSS_SELECTOR, f"input[name=attendance][value={attendance}]"))
    browser.find_element(By.NAME, "nomination_document").send_keys(str(pdf_path))
    click(browser, browser.find_element(By.NAME, "data_consent"))


def log_in(browser, live_server, user):
    browser.get(live_server.url + "/accounts/login/")
    browser.find_element(By.NAME, "login").send_keys(user.email)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD + Keys.ENTER)
    browser.find_element(By.LINK_TEXT, "My registrations")  # waits until logged in


def test_participant_registers_in_the_browser(browser, live_server, open_conference, verified_user, pdf_path):
    log_in(browser, live_server, verified_user)
    browser.get(live_server.url + open_conference.get_absolute_url())
    browser.find_element(By.LINK_TEXT, "Register").click()

    fill_registration_form(browser, pdf_path, given_name="Амина", family_name="ديالو", attendance="online")
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=sessions]"))
    submit(browser)

    status = browser.find_element(By.CSS_SELECTOR, ".badge.status-pending")
    participant = Participant.objects.get()
    assert status.text == "Pending"
    assert browser.find_element(By.TAG_NAME, "code").text == participant.reference
    assert (participant.given_name, participant.family_name, participant.attendance) == ("Амина", "ديالو", "online")
    assert list(participant.seat_requests.values_list("session__title", flat=True)) == [
        "Side event: victims of terrorism"
    ]


def test_registration_form_errors_keep_what_was_typed(browser, live_server, open_conference, verified_user, pdf_path):
    log_in(browser, live_server, verified_user)
    browser.get(live_server.url + f"/conferences/{open_conference.slug}/register/")
    browser.find_element(By.NAME, "given_name").send_keys("Amina")
    browser.find_element(By.NAME, "nomination_document").send_keys(str(pdf_path))
    submit(browser)

    alert = browser.find_element(By.CSS_SELECTOR, ".alert-danger")
    focused = browser.switch_to.active_element
    assert alert.text.startswith("Please correct the errors below")
    assert focused.get_attribute("id") == "form-errors"  # the summary is read first
    assert "please choose it again (Nomination document)" in alert.text
    assert browser.find_element(By.NAME, "given_name").get_attribute("value") == "Amina"
    assert Participant.objects.count() == 0
    # Each error links to its field, and following the link puts the focus in it.
    click(browser, alert.find_element(By.PARTIAL_LINK_TEXT, "Family name"))
    assert browser.switch_to.active_element.get_attribute("name") == "family_name"


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(browser, live_server, open_conference):
    browser.get(live_server.url + "/")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "Skip to main content"

    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"


def test_conference_page_fits_a_phone_screen(browser, live_server, open_conference):
    browser.set_window_size(390, 844)
    browser.get(live_server.url + open_conference.get_absolute_url())

    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
