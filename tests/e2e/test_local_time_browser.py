"""The session page adds the visitor's own time where their browser's zone differs."""

import datetime

import pytest
from selenium.webdriver.common.by import By

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def geneva_session():
    """10:00-11:00 New York time on 1 July 2030, which is 16:00-17:00 in Geneva."""
    conference = factories.ConferenceFactory(start_date=datetime.date(2030, 7, 1))
    return factories.SessionFactory(conference=conference, title="Opening Session")


def open_in_zone(browser, url, zone):
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})
    browser.get(url)


def test_visitor_in_another_zone_sees_their_own_time(browser, live_server, geneva_session):
    open_in_zone(browser, live_server.url + geneva_session.get_absolute_url(), "Europe/Zurich")

    local = browser.find_element(By.CSS_SELECTOR, "[data-local-time]")
    assert local.is_displayed()
    assert local.text.startswith("Your time: Monday 1 July, 16:00–17:00 (CEST)")


def test_visitor_in_the_conference_zone_sees_no_second_time(browser, live_server, geneva_session):
    open_in_zone(browser, live_server.url + geneva_session.get_absolute_url(), "America/New_York")

    assert browser.find_element(By.CSS_SELECTOR, "[data-local-time]").is_displayed() is False
