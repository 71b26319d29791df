"""Where the keyboard's focus is shows clearly on the UN-blue header and on the white page alike: each
focus indicator has a band of at least 2 px whose colour contrasts 3:1 or more with what was there
before the focus came (WCAG 2.2, focus appearance)."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

pytestmark = pytest.mark.django_db(transaction=True)

# The focused element's outline and ring, and the colour of what lies behind it.
FOCUS_STYLE = """
const element = arguments[0];
element.focus();
const style = getComputedStyle(element);
let behind = element, background = "rgba(0, 0, 0, 0)";
while (behind && /rgba\\(0, 0, 0, 0\\)|transparent/.test(background)) {
  background = getComputedStyle(behind).backgroundColor;
  behind = behind.parentElement;
}
return {visible: element.matches(":focus-visible"), outline: style.outlineStyle, width: style.outlineWidth,
        outlineColor: style.outlineColor, shadow: style.boxShadow, background: background};
"""


def luminance(rgb):
    channels = [value / 255 for value in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def focus_bands(browser, element):
    """[(colour, width in px) of each band of the indicator], and the colour behind the element."""
    style = browser.execute_script(FOCUS_STYLE, element)
    assert style["visible"]
    bands = []
    if style["outline"] not in ("none", "") and float(style["width"].removesuffix("px")) > 0:
        bands.append((colour(style["outlineColor"]), float(style["width"].removesuffix("px"))))
    ring = re.match(r"(rgba?\([^)]*\)) 0px 0px 0px (\d+(?:\.\d+)?)px", style["shadow"])
    if ring:
        bands.append((colour(ring.group(1)), float(ring.group(2))))
    return bands, colour(style["background"])


@pytest.mark.parametrize(
    "selector", [".navbar .nav-link", ".navbar-brand", "main a", "main select", "main button"], ids=str
)
def test_focus_shows_on_the_header_and_the_page(browser, live_server, open_conference, selector):
    browser.get(live_server.url + "/calendar/?pillar=unknown")  # the filters unfolded
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)  # the keyboard is in use
    element = next(found for found in browser.find_elements(By.CSS_SELECTOR, selector) if found.is_displayed())

    bands, behind = focus_bands(browser, element)

    assert [band for band in bands if band[1] >= 2 and contrast(band[0], behind) >= 3], (bands, behind)
