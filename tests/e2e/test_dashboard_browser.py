"""The participation dashboard at a desktop's width (1280 px), with the sample edition: nothing cut off or
spilling out of its box, totals like the rows above them, and hours written alike in charts and tables."""

import re

import pytest
from django.core.management import call_command

from conference.models import Conference
from tests.e2e.test_languages_browser import SCREENSHOTS, in_language
from tests.e2e.test_security_headers_browser import staff_session

pytestmark = pytest.mark.django_db(transaction=True)

# Elements of the page that something cuts: wider than their own box, or reaching past an ancestor
# that hides what overflows it (as the admin's form rows do).
CLIPPED = """
const clipped = [];
for (const element of document.querySelectorAll("#content-main *")) {
  if (element.closest("svg") || !element.checkVisibility()) continue;
  const box = element.getBoundingClientRect();
  const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "");
  const text = (element.textContent || element.value || "").trim().slice(0, 40);
  if (element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== "visible") {
    clipped.push([name, text, "overflows itself"]);
  }
  for (let ancestor = element.parentElement; ancestor; ancestor = ancestor.parentElement) {
    if (getComputedStyle(ancestor).overflowX === "visible") continue;
    const frame = ancestor.getBoundingClientRect();
    if (box.left < frame.left - 1 || box.right > frame.right + 1) clipped.push([name, text, "cut off"]);
    break;
  }
}
return clipped;
"""

# Chart texts that reach past their picture's edges, or that were shortened with an ellipsis.
CHART_TEXTS = """
const found = [];
for (const svg of document.querySelectorAll("#content-main svg[role=img]")) {
  const width = svg.viewBox.baseVal.width;
  for (const text of svg.querySelectorAll("text")) {
    const box = text.getBBox();
    found.push({chart: svg.getAttribute("aria-labelledby"), text: text.lastChild.textContent,
                inside: box.x >= 0 && box.x + box.width <= width});
  }
}
return found;
"""

CELLS = """
return Array.from(document.querySelectorAll(arguments[0])).map((cell) => {
  const style = getComputedStyle(cell);
  return [cell.textContent.trim(), style.fontSize, style.paddingInlineStart, style.verticalAlign];
});
"""

HOURS = re.compile(r"^(\d+ h|\d+ h \d+ min|\d+ min)$")


@pytest.fixture
def sample_dashboard(browser, live_server, django_user_model):
    call_command("load_reference_data", verbosity=0)
    call_command("load_sample_data", participants=80, seed=7, verbosity=0)
    staff_session(browser, live_server, django_user_model)
    conference = Conference.objects.get(is_sample=True)
    return f"/admin/registration/participant/dashboard/{conference.pk}/"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_dashboard_nothing_cut_off_at_desktop_width(browser, live_server, sample_dashboard, language):
    browser.set_window_size(1280, 1000)
    browser.get(live_server.url + in_language(language, sample_dashboard))
    if language == "ar":
        SCREENSHOTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(SCREENSHOTS / "ar-dashboard-1280.png"))

    texts = browser.execute_script(CHART_TEXTS)

    assert browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert browser.execute_script(CLIPPED) == []
    assert len(texts) > 50
    assert [text for text in texts if not text["inside"] or "…" in text["text"]] == []


def test_dashboard_totals_read_like_their_rows(browser, live_server, sample_dashboard):
    browser.set_window_size(1280, 1000)
    browser.get(live_server.url + sample_dashboard)

    rows = browser.execute_script(CELLS, "#content-main tbody td")
    totals = browser.execute_script(CELLS, "#content-main tfoot td")

    assert len(totals) > 5
    # Same size, same start in their column, same alignment as the numbers above them.
    assert {tuple(total[1:]) for total in totals if total[0]} == {tuple(rows[0][1:])}


def test_dashboard_hours_written_alike_in_charts_and_tables(browser, live_server, sample_dashboard):
    browser.set_window_size(1280, 1000)
    browser.get(live_server.url + sample_dashboard)

    chart = [text["text"] for text in browser.execute_script(CHART_TEXTS) if text["chart"] == "chart-pillars-title"][
        1::2
    ]  # each bar's label, then its value
    table = [cell[0] for cell in browser.execute_script(CELLS, "#pillars-heading ~ div td")]

    assert len(chart) == 4
    assert len(table) == 6  # four pillars, no pillar, the whole agenda
    assert [value for value in chart + table if not HOURS.match(value)] == []
    assert chart == table[:4]
