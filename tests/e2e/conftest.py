"""A real browser (Debian's Chromium through chromedriver) against Django's live server."""

import datetime
import io
import os
import shutil

import pytest
from django.utils import timezone
from pypdf import PdfWriter

from tests import factories

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="session")
def browser_binaries():
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium and chromedriver are required under CI (apt-get install chromium chromium-driver).")
        pytest.skip("Chromium and chromedriver are not installed.")
    return CHROMIUM, CHROMEDRIVER


def start_browser(binaries, profile, extra_flags=(), prefs=None):
    """A headless Chromium with its own profile folder; `extra_flags` and `prefs` for tests that need more
    (a fake camera, JavaScript off)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = binaries
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
        *extra_flags,
    ]:
        options.add_argument(flag)
    if prefs:
        options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console messages, CSP reports among them
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def browser(browser_binaries, tmp_path):
    driver = start_browser(browser_binaries, tmp_path / "chromium")
    yield driver
    driver.quit()


@pytest.fixture
def open_conference():
    conference = factories.ConferenceFactory(
        title="Fourth High-Level Conference",
        format="hybrid",
        registration_opens_at=timezone.now() - datetime.timedelta(days=1),
    )
    factories.SessionFactory(conference=conference, title="Side event: victims of terrorism", seat_limit=30)
    return conference


@pytest.fixture
def pdf_path(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "note-verbale.pdf"
    path.write_bytes(buffer.getvalue())
    return path
