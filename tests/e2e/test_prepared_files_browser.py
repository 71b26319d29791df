"""A prepared file's page follows the worker's progress by itself, under the site's security policy,
and offers the download once the file is ready, without a reload that would lose the reader's place."""

import pytest
from django.core.files.base import ContentFile
from selenium.webdriver.support.ui import WebDriverWait

from secretariat.models import PreparedFile
from tests.e2e.test_security_headers_browser import csp_violations, staff_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_progress_page_updates_itself_until_the_download(browser, live_server, django_user_model, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # the worker is us
    staff_session(browser, live_server, django_user_model)
    prepared = PreparedFile.objects.create(
        kind="badges", requested_by=django_user_model.objects.get(), total=500, done=312, state="running"
    )
    path = f"/admin/secretariat/preparedfile/{prepared.pk}/change/"

    _landed, violations = csp_violations(browser, live_server.url + path)
    status = browser.find_element("id", "prepared-status")
    before = status.text
    browser.execute_script("window.unchanged = true;")  # gone if the page were reloaded
    prepared.file.save("badges.pdf", ContentFile(b"%PDF-1.7 badges"), save=False)
    prepared.state, prepared.done = "ready", 500
    prepared.save()

    WebDriverWait(browser, 10).until(lambda driver: "Download" in driver.find_element("id", "prepared-status").text)

    assert violations == []
    assert ("Being prepared: 312 of 500" in before, "Ready: 500 of 500" in status.text) == (True, True)
    assert browser.execute_script("return window.unchanged === true;")
    assert status.get_attribute("role") == "status"
