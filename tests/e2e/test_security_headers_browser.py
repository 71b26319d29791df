"""The Content-Security-Policy allows no inline code, and no page of ours, the admin and the account
pages included, needs any: the browser reports no violation on them."""

import pytest
from django.test import Client

from conftest import with_two_factor
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def csp_violations(browser, url):
    """What the browser reported against the policy on the page at `url`, and where it landed."""
    browser.get_log("browser")  # forget what earlier pages said
    browser.get(url)
    browser.find_element("tag name", "body")
    messages = [
        entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]
    ]
    return browser.current_url.removeprefix(url.split("/", 3)[0] + "//" + url.split("/", 3)[2]), messages


def staff_session(browser, live_server, django_user_model):
    """Log a staff member with two-factor authentication in, as the browser's session."""
    staff = with_two_factor(django_user_model.objects.create_superuser(email="staff@example.org", password="pw"))
    client = Client()
    client.force_login(staff)
    browser.get(live_server.url + "/health/")
    browser.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value, "path": "/"})


def test_pages_run_under_the_policy_without_violations(browser, live_server, django_user_model):
    conference = factories.ConferenceFactory(slug="week-2030")
    session = factories.SessionFactory(conference=conference)
    participant = factories.ParticipantFactory(conference=conference)
    public = ["/", "/conferences/week-2030/", f"/sessions/{session.pk}/", "/calendar/", "/ar/strategy/"]
    accounts = ["/accounts/login/", "/accounts/signup/"]
    staff = [
        "/admin/",
        "/admin/registration/participant/",
        f"/admin/registration/participant/{participant.pk}/change/",
        f"/admin/registration/participant/dashboard/{conference.pk}/",
        f"/admin/conference/conference/{conference.pk}/change/",
        "/admin/conference/session/add/",
        "/checkin/",
    ]

    found = {path: csp_violations(browser, live_server.url + path) for path in public + accounts}
    staff_session(browser, live_server, django_user_model)
    found |= {path: csp_violations(browser, live_server.url + path) for path in staff}

    assert {path: messages for path, (_landed, messages) in found.items() if messages} == {}
    assert [landed for landed, _messages in found.values()] == public + accounts + staff  # no page redirected


def test_a_violation_is_reported(browser, live_server):
    """The check above can fail: an inline script is refused and reported."""
    browser.get(live_server.url + "/")
    browser.get_log("browser")
    browser.execute_script("const s = document.createElement('script'); s.textContent = '1'; document.body.append(s);")

    assert any("Content Security Policy" in entry["message"] for entry in browser.get_log("browser"))
