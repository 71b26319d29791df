"""The check-in desk in a browser: a typed reference, a name typed in Latin letters or in its own
script, and a badge's QR code read through the camera (Chromium's fake camera plays a video of it)."""

import base64
import io

import pytest
import segno
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from registration.models import Participant
from secretariat.signing import badge_token
from tests import factories
from tests.e2e.conftest import start_browser
from tests.e2e.test_security_headers_browser import csp_violations, staff_session
from tests.registration.support import july_1

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def conference():
    return factories.ConferenceFactory(start_date=july_1(), title="Fourth Conference")


@pytest.fixture
def delegate(conference):
    return factories.ParticipantFactory(conference=conference, approved=True, given_name="Amina", family_name="Diallo")


def open_desk(browser, live_server, django_user_model):
    staff_session(browser, live_server, django_user_model)
    browser.get(live_server.url + "/checkin/")


def type_and_check(browser, text):
    box = browser.find_element(By.NAME, "query")
    box.send_keys(text + Keys.ENTER)  # as a USB scanner types it
    return browser.find_element(By.CSS_SELECTOR, "main")


def verdict(browser):
    return " ".join(browser.find_element(By.CSS_SELECTOR, ".checkin-verdict").text.split())


def badge_qr_png(participant, scale=6):
    """The QR code of the participant's badge token, as on the badge (level M), as a PNG."""
    buffer = io.BytesIO()
    segno.make_qr(badge_token(participant), error="m", boost_error=False).save(
        buffer, kind="png", scale=scale, border=4
    )
    return buffer.getvalue()


def blank_png():
    buffer = io.BytesIO()
    Image.new("L", (200, 200), 255).save(buffer, format="PNG")
    return buffer.getvalue()


def test_typed_reference_checks_in(browser, live_server, django_user_model, delegate):
    open_desk(browser, live_server, django_user_model)

    type_and_check(browser, delegate.reference)

    assert verdict(browser) == "✓ Checked in now"
    assert Participant.objects.get(pk=delegate.pk).checked_in_at is not None


@pytest.mark.parametrize(
    ("given_name", "family_name", "typed"),
    [("小明", "王", "Wang"), ("أحمد", "الحسيني", "احمد"), ("Иван", "Петров", "Petrov")],
    ids=["chinese-in-latin-letters", "arabic-without-hamza", "cyrillic-in-latin-letters"],
)
def test_name_in_another_script_is_found_and_checked_in(
    browser, live_server, django_user_model, conference, given_name, family_name, typed
):
    person = factories.ParticipantFactory(
        conference=conference, approved=True, given_name=given_name, family_name=family_name
    )
    factories.ParticipantFactory(conference=conference, approved=True, given_name="Amina", family_name="Diallo")
    open_desk(browser, live_server, django_user_model)

    type_and_check(browser, typed)
    heading = browser.find_element(By.ID, "candidates-heading").text
    listed = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "[aria-labelledby=candidates-heading] li")]
    browser.find_element(By.CSS_SELECTOR, "[aria-labelledby=candidates-heading] button").click()

    assert heading == "One person matches: check that this is the person in front of you"
    assert [item.split(" · ")[0] for item in listed] == [f"{given_name} {family_name}"]
    assert verdict(browser) == "✓ Checked in now"
    assert Participant.objects.get(pk=person.pk).checked_in_at is not None


def test_camera_button_appears_with_javascript(browser, live_server, django_user_model, conference):
    open_desk(browser, live_server, django_user_model)

    assert browser.find_element(By.CSS_SELECTOR, "[data-camera-start]").is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "[data-camera-start]").text == "Scan with camera"


def test_without_javascript_the_box_works_and_no_camera_button(
    browser_binaries, tmp_path, live_server, django_user_model, delegate
):
    no_script = start_browser(
        browser_binaries, tmp_path / "no-js", prefs={"profile.managed_default_content_settings.javascript": 2}
    )
    try:
        open_desk(no_script, live_server, django_user_model)
        camera_shown = no_script.find_element(By.CSS_SELECTOR, "[data-camera-start]").is_displayed()
        type_and_check(no_script, badge_token(delegate))

        assert (camera_shown, verdict(no_script)) == (False, "✓ Checked in now")
    finally:
        no_script.quit()


def decode_in_page(browser, function, png):
    """Run window.checkInCamera[function] on the PNG drawn into an <img>; what it read, or an error."""
    return browser.execute_async_script(
        """
        const [name, uri, done] = arguments;
        const image = new Image();
        image.onload = () => window.checkInCamera[name](image).then(done, (error) => done("error: " + error));
        image.onerror = () => done("error: image not loaded");
        image.src = uri;
        """,
        function,
        "data:image/png;base64," + base64.b64encode(png).decode(),
    )


def test_decoder_reads_a_badge_qr_code_under_the_policy(browser, live_server, django_user_model, delegate):
    open_desk(browser, live_server, django_user_model)
    browser.set_script_timeout(20)
    browser.get_log("browser")

    with_library = decode_in_page(browser, "decodeWithLibrary", badge_qr_png(delegate))
    as_the_page_chooses = decode_in_page(browser, "decode", badge_qr_png(delegate, scale=3))
    nothing = decode_in_page(browser, "decodeWithLibrary", blank_png())
    reports = [
        entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]
    ]

    assert (with_library, as_the_page_chooses, nothing) == (badge_token(delegate), badge_token(delegate), None)
    assert browser.execute_script("return typeof window.jsQR") == "function"  # loaded from our static files
    assert reports == []
    assert csp_violations(browser, live_server.url + "/checkin/")[1] == []


def y4m_video(png, path, frames=5):
    """A short video in the YUV4MPEG2 format that Chromium's fake camera plays in a loop: the QR code
    on a white 640×480 picture, as a camera held over a badge would see it."""
    frame = Image.new("RGB", (640, 480), "white")
    code = Image.open(io.BytesIO(png)).convert("RGB")
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (320, 240)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(frames):
            video.write(b"FRAME\n" + planes)
    return path


def test_scanning_with_the_camera_checks_in(browser_binaries, tmp_path, live_server, django_user_model, delegate):
    video = y4m_video(badge_qr_png(delegate), tmp_path / "badge.y4m")
    camera = start_browser(
        browser_binaries,
        tmp_path / "camera",
        extra_flags=[
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",  # the camera is allowed without asking
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        open_desk(camera, live_server, django_user_model)
        camera.find_element(By.CSS_SELECTOR, "[data-camera-start]").click()
        camera.find_element(By.CSS_SELECTOR, ".checkin-verdict")  # waits for the page after the scan

        assert verdict(camera) == "✓ Checked in now"
        assert camera.current_url == live_server.url + "/checkin/"
        assert Participant.objects.get(pk=delegate.pk).checked_in_at is not None
    finally:
        camera.quit()
