"""The whole journey of a participant, through the pages only: account, registration, decision, calendar."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from icalendar import Calendar

from registration.models import Participant
from tests import factories
from tests.html_forms import form_data
from tests.registration.support import july_1, login_redirect, pdf_upload, register_url, utc

pytestmark = pytest.mark.django_db

EMAIL = "amina.diallo@example.org"
PASSWORD = "Blue-Harbour-1945"
SITE_URL = "https://ct-conferences.example.org"


def sign_up(client, email=EMAIL, password=PASSWORD):
    assert client.get(reverse("account_signup")).status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):  # the email is queued once the sign-up commits
        return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def link_in(message, path_prefix):
    """The path of the only link of `message` that starts with `path_prefix` on the test server."""
    found = re.findall(rf"http://testserver({re.escape(path_prefix)}\S+)", message.body)
    assert len(found) == 1, message.body
    return found[0]


def confirm_email(client, message):
    """Follow the link of allauth's email: the page asks to confirm, and a POST confirms."""
    link = link_in(message, "/accounts/confirm-email/")
    page = client.get(link)
    response = client.post(link)
    return page, response


def log_in(client, email=EMAIL, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def journey_conference(settings):
    settings.SITE_URL = SITE_URL
    conference = factories.ConferenceFactory(
        open_for_registration=True, start_date=july_1(), title="Fourth High-Level Conference", slug="fourth"
    )
    year = conference.start_date.year
    morning = factories.SessionFactory(
        conference=conference, title="Border security", seat_limit=2, starts_at=utc(year, 7, 1, 14)
    )
    afternoon = factories.SessionFactory(
        conference=conference,
        title="Countering the financing of terrorism",
        seat_limit=1,
        starts_at=utc(year, 7, 2, 19, 30),
        ends_at=utc(year, 7, 2, 21),
    )
    factories.SessionFactory(conference=conference, title="Opening", starts_at=utc(year, 7, 1, 13))  # no limit
    return conference, morning, afternoon


def test_journey_from_sign_up_to_calendar_download(
    client, staff_user, journey_conference, django_capture_on_commit_callbacks
):
    conference, morning, afternoon = journey_conference

    # 1. Sign up, then confirm the address from the email.
    signed_up = sign_up(client)
    assert (signed_up.status_code, signed_up["Location"]) == (302, reverse("account_email_verification_sent"))
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    page, confirmed = confirm_email(client, mail.outbox[0])
    assert (page.status_code, confirmed.status_code) == (200, 302)
    assert list(EmailAddress.objects.filter(user__is_staff=False).values_list("email", "verified")) == [(EMAIL, True)]

    # 2. Log in with the email and password.
    logged_in = log_in(client)
    user = get_user_model().objects.get(email=EMAIL)
    assert (logged_in.status_code, logged_in["Location"], logged_in_user_id(client)) == (
        302,
        reverse("conference:home"),
        str(user.pk),
    )

    # 3. From the conference page, follow "Register" and fill in the form.
    conference_page = client.get(conference.get_absolute_url()).content.decode()
    assert re.findall(r'href="([^"]+)">Register</a>', conference_page) == [register_url(conference)]
    form_page = client.get(register_url(conference))
    data = form_data(form_page.content.decode())
    assert (form_page.status_code, data["email"]) == (200, EMAIL)
    data |= {
        "title": "dr",
        "given_name": "Amina",
        "family_name": "Diallo",
        "gender": "female",
        "nationality": "SN",
        "category": "member_state",
        "represented_country": "SN",
        "function": "Director, National Counter-Terrorism Agency",
        "attendance": "in_person",
        "sessions": [str(morning.pk), str(afternoon.pk)],
        "data_consent": "on",
        "nomination_document": pdf_upload(),
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registered = client.post(register_url(conference), data)

    participant = Participant.objects.get()
    registration_url = SITE_URL + participant.get_absolute_url()
    assert (registered.status_code, registered["Location"]) == (302, participant.get_absolute_url())
    assert (participant.user, participant.status, participant.email) == (user, "pending", EMAIL)
    assert list(participant.seat_requests.values_list("session__title", "status")) == [
        ("Border security", "pending"),
        ("Countering the financing of terrorism", "pending"),
    ]
    assert [(message.to, message.subject) for message in mail.outbox] == [
        ([EMAIL], "Registration received: Fourth High-Level Conference")
    ]
    assert re.findall(r"https?://\S+", mail.outbox[0].body) == [registration_url, SITE_URL + "/registrations/"]

    # 4. The Secretariat approves in the admin, with a message.
    staff = Client()
    staff.force_login(staff_user)
    changelist = reverse("admin:registration_participant_changelist")
    action = {"action": "decide_approved", "_selected_action": [participant.pk]}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirmation = staff.post(changelist, action)
        applied = staff.post(changelist, action | {"apply": "1", "message": "Please bring your passport."})

    participant.refresh_from_db()
    assert (confirmation.status_code, applied.status_code, applied["Location"]) == (200, 302, changelist)
    assert (participant.status, participant.decided_by, participant.decision_message) == (
        "approved",
        staff_user,
        "Please bring your passport.",
    )
    approval = mail.outbox[0]
    assert [(message.to, message.subject) for message in mail.outbox] == [
        ([EMAIL], "Registration approved: Fourth High-Level Conference")
    ]
    assert re.findall(r"https?://\S+", approval.body) == [
        registration_url,
        f"{SITE_URL}/registrations/{participant.reference}/calendar.ics",
        SITE_URL + "/registrations/",
    ]
    assert approval.body.count("Please bring your passport.") == 1
    assert approval.body.count("- Border security\n- Countering the financing of terrorism\n") == 1

    # 5. The participant sees the decision and downloads the calendar.
    detail = client.get(participant.get_absolute_url()).content.decode()
    assert (
        detail.count('<span class="badge status-approved">Approved</span>'),
        detail.count(f'<code class="fs-5" dir="ltr">{participant.reference}</code>'),
        re.findall(r'href="([^"]+\.ics)"', detail),
    ) == (1, 1, [f"/registrations/{participant.reference}/calendar.ics"])
    download = client.get(f"/registrations/{participant.reference}/calendar.ics")
    assert (download.status_code, download["Content-Type"], download["Content-Disposition"]) == (
        200,
        "text/calendar; charset=utf-8",
        'attachment; filename="fourth.ics"',
    )
    events = Calendar.from_ical(download.content).walk("VEVENT")
    year = conference.start_date.year
    assert [(str(event["SUMMARY"]), event.decoded("DTSTART"), event.decoded("DTEND")) for event in events] == [
        ("Fourth High-Level Conference", datetime.date(year, 7, 1), datetime.date(year, 7, 4)),
        ("Border security", utc(year, 7, 1, 14), utc(year, 7, 1, 15)),
        ("Countering the financing of terrorism", utc(year, 7, 2, 19, 30), utc(year, 7, 2, 21)),
    ]


def test_sign_up_second_person_gets_own_account(client):
    first = sign_up(client, email="first@example.org")
    second = sign_up(Client(), email="second@example.org")

    assert (first.status_code, second.status_code) == (302, 302)
    assert sorted(get_user_model().objects.values_list("email", flat=True)) == [
        "first@example.org",
        "second@example.org",
    ]


def test_log_in_unverified_account_refused(client):
    sign_up(client)

    response = log_in(client)

    assert (response.status_code, response["Location"]) == (302, reverse("account_email_verification_sent"))
    assert logged_in_user_id(client) is None
    assert client.get(reverse("registration:list"))["Location"] == login_redirect(reverse("registration:list"))


def test_register_unverified_account_refused(client, conference):
    sign_up(client)
    user = get_user_model().objects.get(email=EMAIL)
    client.force_login(user)  # even with a session, the address is not verified

    page = client.get(register_url(conference))
    posted = client.post(register_url(conference), {"given_name": "Amina", "data_consent": "on"})

    assert (page.status_code, posted.status_code) == (200, 200)
    assert "account/verified_email_required.html" in [template.name for template in page.templates]
    assert "form" not in page.context
    assert Participant.objects.count() == 0


def test_password_reset_email_link_sets_new_password(client):
    factories.VerifiedUserFactory(email=EMAIL)

    with TestCase.captureOnCommitCallbacks(execute=True):
        requested = client.post(reverse("account_reset_password"), {"email": EMAIL})
    assert (requested.status_code, requested["Location"]) == (302, reverse("account_reset_password_done"))
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    key_page = client.get(link_in(mail.outbox[0], "/accounts/password/reset/key/"))
    assert key_page.status_code == 302  # the key moves into the session, out of the address bar
    form_page = client.get(key_page["Location"])
    reset = client.post(key_page["Location"], {"password1": "New-Harbour-2030", "password2": "New-Harbour-2030"})

    assert (form_page.status_code, reset.status_code, reset["Location"]) == (
        200,
        302,
        reverse("account_reset_password_from_key_done"),
    )
    assert log_in(Client(), password=PASSWORD).status_code == 200  # the old password: the form again
    fresh = Client()
    assert (log_in(fresh, password="New-Harbour-2030").status_code, logged_in_user_id(fresh) is not None) == (
        302,
        True,
    )


def test_log_out_by_post_ends_session(client, person):
    assert log_in(client, email=person.email, password="pw").status_code == 302
    shown = client.get(reverse("account_logout"))
    assert (shown.status_code, logged_in_user_id(client) is not None) == (200, True)  # GET only asks

    response = client.post(reverse("account_logout"))

    assert (response.status_code, response["Location"], logged_in_user_id(client)) == (302, "/", None)
    assert client.get(reverse("registration:list"))["Location"] == login_redirect(reverse("registration:list"))
