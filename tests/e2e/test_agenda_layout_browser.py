"""The agenda and the calendar as a person sees them on a phone (390 px) and a desktop (1280 px): nothing
off screen, the month readable without sideways scrolling, the filters folded on a phone, and a jump to
each day of a long programme. Arabic screenshots go to tests/e2e/screenshots/ like the others."""

import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests import factories
from tests.e2e.test_languages_browser import SCREENSHOTS, in_language

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = datetime.date(2030, 6, 10)
WEEK = [MONDAY + datetime.timedelta(days=offset) for offset in range(7)]

# Where each element is, and whether something inside it is wider than its box.
BOXES = """
return Array.from(document.querySelectorAll(arguments[0])).map((element) => {
  const box = element.getBoundingClientRect();
  return {start: box.left, end: box.right, top: box.top, shown: element.checkVisibility(),
          overflow: element.scrollWidth - element.clientWidth};
});
"""


@pytest.fixture
def week():
    """A session on each day of a week, Monday to Sunday, with titles long enough to need room."""
    conference = factories.ConferenceFactory(slug="week-2030", start_date=MONDAY, end_date=WEEK[-1])
    for day in WEEK:
        factories.SessionFactory(
            conference=conference,
            date=day,
            title=f"Countering the financing of terrorism through international cooperation, {day:%A}",
        )
    return conference


def boxes(browser, selector):
    return browser.execute_script(BOXES, selector)


def shown(browser, selector):
    """Whether each element is rendered: the browser's own answer, which knows what CSS does to a
    closed <details> (WebDriver's is_displayed() takes any closed <details> for hidden)."""
    return [box["shown"] for box in boxes(browser, selector)]


def page_overflow(browser):
    return browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")


def open_at(browser, url, width):
    browser.set_window_size(width, 900)
    browser.get(url)
    return browser.execute_script("return window.innerWidth")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_month_fits_a_phone_with_every_day_that_has_sessions_in_view(browser, live_server, week, language):
    inner = open_at(browser, live_server.url + in_language(language, "/calendar/?month=2030-06"), 390)
    if language == "ar":
        SCREENSHOTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / "ar-calendar-390.png"))

    days = {day.isoformat(): boxes(browser, f".calendar-month time[datetime='{day}']")[0] for day in WEEK}
    sessions = boxes(browser, ".calendar-month a[href*='/sessions/']")

    assert page_overflow(browser) <= 0
    assert [box["overflow"] for box in boxes(browser, ".table-responsive, .calendar-month")] == [0, 0]
    assert [day for day, box in days.items() if not (box["shown"] and 0 <= box["start"] < box["end"] <= inner)] == []
    assert len(sessions) == 7
    assert [box for box in sessions if not (box["shown"] and 0 <= box["start"] < box["end"] <= inner)] == []


def test_month_is_a_grid_of_weeks_on_a_desktop(browser, live_server, week):
    open_at(browser, live_server.url + "/calendar/?month=2030-06", 1280)

    days = [boxes(browser, f".calendar-month time[datetime='{day}']")[0] for day in WEEK]

    assert page_overflow(browser) <= 0
    assert len({round(box["top"]) for box in days}) == 1  # one row: the week
    assert [box["start"] for box in days] == sorted(box["start"] for box in days)
    assert boxes(browser, ".calendar-month thead")[0]["shown"] is True


@pytest.mark.parametrize("language", ["en", "ar"])
def test_conference_filters_folded_on_a_phone_behind_one_control(browser, live_server, week, language):
    open_at(browser, live_server.url + in_language(language, "/conferences/week-2030/"), 390)
    if language == "ar":
        browser.save_screenshot(str(SCREENSHOTS / "ar-programme-390.png"))
    folded = shown(browser, ".session-filters select")

    browser.find_element(By.CSS_SELECTOR, ".filters-fold > summary").click()

    assert folded == [False] * 4
    assert shown(browser, ".session-filters select") == [True] * 4
    assert page_overflow(browser) <= 0


def test_conference_filters_in_use_stay_open_on_a_phone(browser, live_server, week):
    open_at(browser, live_server.url + "/conferences/week-2030/?kind=thematic", 390)

    assert shown(browser, ".session-filters select") == [True] * 4


def test_conference_filters_shown_on_a_desktop_without_the_control(browser, live_server, week):
    open_at(browser, live_server.url + "/conferences/week-2030/", 1280)

    assert shown(browser, ".session-filters select") == [True] * 4
    assert shown(browser, ".filters-fold > summary") == [False]


def test_programme_jumps_to_each_day(browser, live_server, week):
    open_at(browser, live_server.url + "/conferences/week-2030/", 390)
    jumps = browser.find_elements(By.CSS_SELECTOR, "nav.day-jumps a")
    targets = [jump.get_attribute("href").split("#")[1] for jump in jumps]

    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", jumps[4])
    jumps[4].click()
    friday = browser.find_element(By.ID, "day-2030-06-14")

    def friday_at_the_top(driver):
        return 0 <= driver.execute_script("return arguments[0].getBoundingClientRect().top", friday) < 100

    WebDriverWait(browser, 5).until(friday_at_the_top)  # Bootstrap scrolls smoothly

    assert [jump.text for jump in jumps][:2] == ["Monday 10 June", "Tuesday 11 June"]
    assert targets == [f"day-{day}" for day in WEEK]
    assert [browser.find_element(By.ID, target).tag_name for target in targets] == ["h3"] * 7
    assert browser.current_url.endswith("#day-2030-06-14")
