"""The six languages in a real browser: no English text of ours on the main pages, accessibility checked
by axe-core in English and Arabic, and screenshots of the Arabic pages at phone and desktop widths.

Screenshots are written to tests/e2e/screenshots/ (kept out of git), where CI leaves them as artefacts.
"""

import datetime
import json
import pathlib
import re

import polib
import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone, translation
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCREENSHOTS = HERE / "screenshots"
PASSWORD = "a long and unusual passphrase"
OTHER_LANGUAGES = {"ar": "ar", "zh-hans": "zh_Hans", "fr": "fr", "ru": "ru", "es": "es"}

# Every text a person meets on the page: what is shown, what screen readers read (visually hidden
# text, labels, titles) and the options of lists; content shown in English for want of a
# translation is marked lang="en" and left out, as is everything in another language's link.
PAGE_TEXT = """
function texts(node) {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return "";
  const page = document.documentElement;
  if (node !== page && node.hasAttribute("lang") && node.lang !== page.lang) return "\\n";
  if (["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"].includes(node.tagName)) return "\\n";
  if (getComputedStyle(node).display === "none") return "\\n";
  const labels = ["aria-label", "title", "placeholder", "alt"].map((name) => node.getAttribute(name) || "");
  if (node.tagName === "INPUT" && ["submit", "button"].includes(node.type)) labels.push(node.value);
  let text = "\\n" + labels.join("\\n") + "\\n";
  for (const child of node.childNodes) text += texts(child);
  return text + "\\n";
}
return texts(document.documentElement);
"""


def visible_texts(browser, url):
    browser.get(url)
    return browser.execute_script(PAGE_TEXT)


def our_texts():
    """{English text: {language: its translation}} of every plain text of ours (no placeholders)."""
    catalogues = {
        language: polib.pofile(str(ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"))
        for language, locale in OTHER_LANGUAGES.items()
    }
    texts = {}
    for language, catalogue in catalogues.items():
        for entry in catalogue:
            if entry.msgid and not entry.msgid_plural and "%" not in entry.msgid and len(entry.msgid) >= 3:
                texts.setdefault(entry.msgid, {})[language] = entry.msgstr
    return texts


def found(text, page):
    return re.search(rf"(?<!\w){re.escape(text)}(?!\w)", page) is not None


def english_left(english_page, translated_page, language, texts):
    """Our texts that the English page shows and that the same page in `language` still shows in English."""
    return sorted(
        text
        for text, translations in texts.items()
        # A translation that keeps the English ("Dr." → "Dr./Dra.") cannot tell.
        if text not in translations[language] and found(text, english_page) and found(text, translated_page)
    )


def in_language(language, path):
    return path if language == "en" else f"/{language}{path}"


@pytest.fixture
def programme(django_user_model):
    """Reference data (the pillars in six languages), an open conference with sessions, and a participant."""
    call_command("load_reference_data", verbosity=0)
    conference = factories.ConferenceFactory(
        slug="week-2030",
        title_en="Fourth High-Level Conference",
        format="hybrid",
        start_date=datetime.date(2030, 6, 10),
        registration_opens_at=timezone.now() - datetime.timedelta(days=1),
    )
    session = factories.SessionFactory(conference=conference, title_en="Opening session", seat_limit=30)
    user = django_user_model.objects.create_user(email="amina@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    factories.ParticipantFactory(user=user, conference=factories.ConferenceFactory(title_en="Third Conference"))
    return {"conference": conference, "session": session, "user": user}


def log_in(browser, live_server, user):
    browser.get(live_server.url + "/accounts/login/")
    browser.find_element(By.NAME, "login").send_keys(user.email)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD + Keys.ENTER)
    browser.find_element(By.CSS_SELECTOR, "a[href='/registrations/']")  # waits until logged in


def pages_of(programme):
    """The pages a visitor meets before logging in, and those of a participant after."""
    session = programme["session"]
    public = [
        "/",
        "/archive/",
        "/calendar/?month=2030-06",
        "/calendar/list/?month=2030-06",
        "/pillars/",
        "/pillars/prevent-and-combat/",
        "/strategy/",
        "/conferences/week-2030/",
        f"/sessions/{session.pk}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]
    reference = programme["user"].registrations.get().reference
    participant = ["/conferences/week-2030/register/", "/registrations/", f"/registrations/{reference}/"]
    return public, participant


@pytest.mark.parametrize("language", sorted(OTHER_LANGUAGES))
def test_pages_have_no_english_text_of_ours(browser, live_server, programme, language):
    texts = our_texts()
    public, participant = pages_of(programme)

    def english_shown(paths):
        left = {}
        for path in paths:
            english = visible_texts(browser, live_server.url + path)
            translated = visible_texts(browser, live_server.url + in_language(language, path))
            assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
            if found_here := english_left(english, translated, language, texts):
                left[path] = found_here
        return left

    left = english_shown(public)
    log_in(browser, live_server, programme["user"])
    left |= english_shown(participant)

    assert left == {}


def test_english_text_left_in_a_page_is_found():
    texts = {"Register": {"fr": "S'inscrire"}, "Calendar": {"fr": "Calendrier"}}

    assert english_left("Register · Calendar", "S'inscrire · Calendar", "fr", texts) == ["Calendar"]


AXE = (HERE / "vendor" / "axe.min.js").read_text(encoding="utf-8")
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (results) => done(JSON.stringify(results.violations.filter((v) => ["critical", "serious"].includes(v.impact))
    .map((v) => [v.id, v.impact, v.nodes.map((node) => node.target.join(" ")).slice(0, 3)]))),
  (error) => done(JSON.stringify([["axe failed", String(error), []]])),
);
"""


def serious_violations(browser, url):
    browser.get(url)
    browser.execute_script(AXE)
    browser.set_script_timeout(60)
    return json.loads(browser.execute_async_script(RUN_AXE))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pages_have_no_serious_accessibility_violations(browser, live_server, programme, language):
    public, participant = pages_of(programme)

    def violations_on(paths):
        return {
            path: violations
            for path in paths
            if (violations := serious_violations(browser, live_server.url + in_language(language, path)))
        }

    found_violations = violations_on(public)
    log_in(browser, live_server, programme["user"])
    found_violations |= violations_on(participant)

    assert found_violations == {}


def test_arabic_pages_photographed_at_phone_and_desktop_widths(browser, live_server, programme):
    SCREENSHOTS.mkdir(exist_ok=True)
    log_in(browser, live_server, programme["user"])
    saved = []
    for width in (390, 1280):
        browser.set_window_size(width, 900)
        for name, path in [
            ("home", "/"),
            ("conference", "/conferences/week-2030/"),
            ("register", "/conferences/week-2030/register/"),
        ]:
            browser.get(live_server.url + in_language("ar", path))
            overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            target = SCREENSHOTS / f"ar-{name}-{width}.png"
            browser.save_screenshot(str(target))
            saved.append((target.name, target.read_bytes()[:4], overflow <= 0))

    with translation.override("ar"):
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    assert saved == [
        (f"ar-{name}-{width}.png", b"\x89PNG", True)
        for width in (390, 1280)
        for name in ("home", "conference", "register")
    ]


def test_axe_finds_a_serious_violation(browser, live_server):
    """The check above can fail: a page with an image and no text alternative."""
    page = "<html lang='en'><title>Test</title><body><img src='x.png'></body></html>"
    violations = serious_violations(browser, "data:text/html," + page)

    assert [(rule, impact) for rule, impact, _nodes in violations] == [("image-alt", "critical")]
