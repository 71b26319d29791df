"""The participant's own pages: list, change, cancel, document and calendar; who may see what."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import with_two_factor
from registration import services
from registration.models import Participant
from tests import factories
from tests.html_forms import form_data
from tests.registration.support import login_redirect, pdf_bytes, pdf_upload, register_url, registration_data

pytestmark = pytest.mark.django_db


def url(name, participant):
    return reverse(f"registration:{name}", kwargs={"reference": participant.reference})


@pytest.fixture
def own(person, conference):
    """The person's pending registration, with a nomination document."""
    return factories.ParticipantFactory(
        user=person, conference=conference, nomination_document=pdf_upload(content=pdf_bytes(pages=2))
    )


def test_my_registrations_lists_only_own_with_status(person_client, person):
    later = timezone.localdate() + datetime.timedelta(days=200)
    pending = factories.ParticipantFactory(
        user=person, conference__title="Fifth Conference", conference__start_date=later
    )
    approved = factories.ParticipantFactory(user=person, approved=True, conference__title="Fourth Conference")
    others = factories.ParticipantFactory(conference__title="Other Conference")

    response = person_client.get(reverse("registration:list"))

    html = response.content.decode()
    assert [p.reference for p in response.context["registrations"]] == [pending.reference, approved.reference]
    assert re.findall(r'<a href="/registrations/(\w+)/">([^<]+)</a>', html) == [
        (pending.reference, "Fifth Conference"),
        (approved.reference, "Fourth Conference"),
    ]
    assert re.findall(r'<span class="badge status-\w+">([^<]+)</span>', html) == ["Pending", "Approved"]
    assert (html.count(others.reference), html.count("Other Conference")) == (0, 0)


def test_registration_page_punctuates_as_each_language_does(person_client, own):
    page = url("detail", own)
    french = person_client.get("/fr" + page).content.decode()
    chinese = person_client.get("/zh-hans" + page).content.decode()

    assert "État Membre\u00a0: <bdi>Sénégal</bdi>" in french
    assert "会员国：<bdi>塞内加尔</bdi>" in chinese


def test_edit_pending_saves_changes_and_replaces_seat_requests(person_client, own):
    first = factories.SessionFactory(conference=own.conference, title="Border security", seat_limit=5)
    second = factories.SessionFactory(conference=own.conference, title="Aviation security", seat_limit=5)
    factories.SeatRequestFactory(participant=own, session=first)
    document = own.nomination_document.name
    data = form_data(person_client.get(url("edit", own)).content.decode())
    assert (data["sessions"], data["data_consent"]) == (str(first.pk), "on")

    response = person_client.post(url("edit", own), data | {"function": "Deputy Director", "sessions": [second.pk]})

    own.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, own.get_absolute_url())
    assert (own.function, own.status, own.nomination_document.name) == ("Deputy Director", "pending", document)
    assert list(own.seat_requests.values_list("session__title", "status")) == [("Aviation security", "pending")]


def test_edit_pending_with_new_document_replaces_it(person_client, own):
    data = form_data(person_client.get(url("edit", own)).content.decode())
    new = pdf_bytes(pages=3)

    person_client.post(url("edit", own), data | {"nomination_document": pdf_upload(content=new)})

    own.refresh_from_db()
    assert own.nomination_document.read() == new


def test_edit_approved_refused(person_client, own, staff_user):
    services.decide(own, "approved", by=staff_user)
    data = registration_data(function="Deputy Director")

    page = person_client.get(url("edit", own))
    posted = person_client.post(url("edit", own), data)

    own.refresh_from_db()
    assert [(r.status_code, r["Location"]) for r in (page, posted)] == [(302, own.get_absolute_url())] * 2
    assert (own.function, own.status) == ("Director, National Counter-Terrorism Agency", "approved")
    messages = [str(m) for m in person_client.get(own.get_absolute_url()).context["messages"]]
    assert messages == ["Only a pending registration can be changed."] * 2


def test_cancel_asks_then_cancels(person_client, own, django_capture_on_commit_callbacks):
    page = person_client.get(url("cancel", own))
    own.refresh_from_db()
    assert (page.status_code, own.status) == (200, "pending")
    assert page.content.decode().count(f"Cancel your registration {own.reference} for Fourth Conference?") == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = person_client.post(url("cancel", own))

    own.refresh_from_db()
    assert (response.status_code, response["Location"], own.status) == (302, own.get_absolute_url(), "cancelled")
    assert [(m.to, m.subject) for m in mail.outbox] == [([own.email], "Registration cancelled: Fourth Conference")]


def test_cancel_approved_frees_seats_for_waiting_list(
    person_client, own, conference, staff_user, django_capture_on_commit_callbacks
):
    conference.capacity_in_person = 1
    conference.save()
    session = factories.SessionFactory(conference=conference, title="Border security", seat_limit=1)
    waiting = factories.ParticipantFactory(conference=conference)
    for participant in (own, waiting):
        factories.SeatRequestFactory(participant=participant, session=session)
        services.decide(participant, "approved", by=staff_user)
    assert list(Participant.objects.order_by("pk").values_list("status", flat=True)) == ["approved", "waitlisted"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        person_client.post(url("cancel", own))

    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlisted_at) == ("approved", None)
    assert list(session.seat_requests.values_list("participant", "status")) == [
        (own.pk, "cancelled"),
        (waiting.pk, "held"),
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([own.email], "Registration cancelled: Fourth Conference"),
        ([waiting.email], "A seat is yours: Fourth Conference"),
    ]


def test_cancel_after_conference_started_refused(person_client, person):
    started = factories.ConferenceFactory(start_date=timezone.localdate() - datetime.timedelta(days=1))
    participant = factories.ParticipantFactory(user=person, conference=started)

    response = person_client.post(url("cancel", participant))

    participant.refresh_from_db()
    assert (response.status_code, participant.status) == (302, "pending")
    messages = [str(m) for m in person_client.get(participant.get_absolute_url()).context["messages"]]
    assert messages == ["The conference has started; please contact the Secretariat."]


PARTICIPANT_URLS = [
    ("get", "detail"),
    ("get", "edit"),
    ("post", "edit"),
    ("get", "cancel"),
    ("post", "cancel"),
    ("get", "document"),
    ("get", "calendar"),
]
by_url = pytest.mark.parametrize(("method", "name"), PARTICIPANT_URLS, ids=[f"{m}-{n}" for m, n in PARTICIPANT_URLS])


@by_url
def test_participant_url_of_another_user_not_found(client, own, method, name):
    client.force_login(factories.VerifiedUserFactory())

    response = getattr(client, method)(url(name, own), registration_data() if method == "post" else None)

    own.refresh_from_db()
    assert (response.status_code, own.status, own.given_name) == (404, "pending", "Amina")


@pytest.mark.parametrize("status", ["pending", "approved"])
@by_url
def test_participant_url_anonymous_redirected_to_log_in(client, own, staff_user, method, name, status):
    if status == "approved":
        services.decide(own, "approved", by=staff_user)

    response = getattr(client, method)(url(name, own))

    own.refresh_from_db()
    assert (response.status_code, response["Location"], own.status) == (302, login_redirect(url(name, own)), status)


def staff_document_url(participant):
    return reverse("secretariat:document", kwargs={"reference": participant.reference})


def test_document_download_by_staff_with_view_permission(client, own):
    staff = with_two_factor(factories.UserFactory(is_staff=True))
    staff.user_permissions.add(Permission.objects.get(codename="view_participant"))
    client.force_login(staff)

    response = client.get(staff_document_url(own))

    assert (response.status_code, b"".join(response.streaming_content)) == (200, pdf_bytes(pages=2))
    assert response["Cache-Control"] == "private, no-store"


def test_document_of_another_not_on_the_participants_address_even_for_staff(client, own):
    staff = with_two_factor(factories.UserFactory(is_staff=True))
    staff.user_permissions.add(Permission.objects.get(codename="view_participant"))
    client.force_login(staff)

    assert client.get(url("document", own)).status_code == 404


def test_staff_document_needs_two_factor_first(client, own):
    staff = factories.UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_participant"))
    client.force_login(staff)

    response = client.get(staff_document_url(own))

    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("mfa_activate_totp"))


@pytest.mark.parametrize(
    ("is_staff", "permission"), [(True, False), (False, True)], ids=["staff_without_permission", "permission_only"]
)
def test_staff_document_without_staff_and_permission_forbidden(client, own, is_staff, permission):
    user = with_two_factor(factories.UserFactory(is_staff=is_staff))
    if permission:
        user.user_permissions.add(Permission.objects.get(codename="view_participant"))
    client.force_login(user)

    assert client.get(staff_document_url(own)).status_code == 403


def test_document_download_is_private_pdf_attachment(person_client, own):
    response = person_client.get(url("document", own))

    assert (
        response.status_code,
        response["Content-Type"],
        response["Content-Disposition"],
        response["Cache-Control"],
        b"".join(response.streaming_content),
    ) == (
        200,
        "application/pdf",
        f'attachment; filename="nomination-{own.reference}.pdf"',
        "private, no-store",
        pdf_bytes(pages=2),
    )


def test_document_stored_privately_under_new_name(person_client, conference, settings):
    person_client.post(register_url(conference), registration_data(nomination_document=pdf_upload("Amina CV.pdf")))

    stored = Participant.objects.get().nomination_document
    private = sorted(p for p in settings.PRIVATE_MEDIA_ROOT.rglob("*") if p.is_file())
    public = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) if settings.MEDIA_ROOT.exists() else []
    assert (private, public) == ([settings.PRIVATE_MEDIA_ROOT / stored.name], [])
    assert re.fullmatch(rf"nominations/{conference.pk}/[0-9a-f]{{32}}\.pdf", stored.name) is not None
    assert stored.path == str(settings.PRIVATE_MEDIA_ROOT / stored.name)


@pytest.mark.parametrize("name", ["register", "edit", "cancel"])
def test_post_without_csrf_token_forbidden(person, own, conference, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    other = factories.ConferenceFactory(open_for_registration=True)
    target = register_url(other) if name == "register" else url(name, own)

    response = client.post(target, registration_data(function="Deputy Director"))

    own.refresh_from_db()
    assert (response.status_code, Participant.objects.count(), own.status, own.function) == (
        403,
        1,
        "pending",
        "Director, National Counter-Terrorism Agency",
    )


def submit_labels(html):
    return re.findall(r'<input type="submit"\s+name="submit"\s+value="([^"]+)"', html)


def jpeg_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (0, 158, 219)).save(buffer, "JPEG")
    return SimpleUploadedFile("amina.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_edit_names_the_kept_document_by_its_private_download_and_offers_no_removal(person_client, own):
    html = person_client.get(url("edit", own)).content.decode()

    kept = re.search(r'<p class="mb-2" id="id_nomination_document_kept">\s*(.*?)\s*</p>', html, re.S).group(1)
    assert kept == f'Currently: <a href="{url("document", own)}">Nomination document (PDF)</a>'
    assert (own.nomination_document.name in html, "/media/" in html, "nomination_document-clear" in html) == (
        False,
        False,
        False,
    )
    assert person_client.get(url("document", own))["Content-Type"] == "application/pdf"
    assert submit_labels(html) == ["Save changes"]


def test_edit_asking_to_clear_the_document_keeps_it(person_client, own):
    document = own.nomination_document.name
    data = form_data(person_client.get(url("edit", own)).content.decode())

    response = person_client.post(url("edit", own), data | {"nomination_document-clear": "on"})

    own.refresh_from_db()
    assert (response.status_code, own.nomination_document.name) == (302, document)
    assert own.nomination_document.storage.exists(document)


def test_edit_remove_the_photo_removes_it(person_client, own, django_capture_on_commit_callbacks):
    services.update_registration(own, data={}, sessions=[], files={"photo": jpeg_upload()})
    own.refresh_from_db()
    photo = own.photo.name
    html = person_client.get(url("edit", own)).content.decode()
    kept = re.search(r'<p class="mb-2" id="id_photo_kept">\s*(.*?)\s*</p>', html, re.S).group(1)
    assert (
        kept,
        photo in html,
        '<label class="form-check-label" for="photo-clear_id">Remove the photo</label>' in html,
    ) == (
        "Currently: Your photo (JPEG)",
        False,
        True,
    )

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the change is committed
        response = person_client.post(url("edit", own), form_data(html) | {"photo-clear": "on"})

    own.refresh_from_db()
    assert (response.status_code, own.photo.name, own.photo.storage.exists(photo)) == (302, "", False)
    assert own.nomination_document


def test_register_anew_after_cancelling_without_the_photo_removes_it(
    person_client, own, django_capture_on_commit_callbacks
):
    services.update_registration(own, data={}, sessions=[], files={"photo": jpeg_upload()})
    own.refresh_from_db()
    photo = own.photo.name
    Participant.objects.filter(pk=own.pk).update(status="cancelled")
    html = person_client.get(register_url(own.conference)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = person_client.post(
            register_url(own.conference), form_data(html) | {"photo-clear": "on", "data_consent": "on"}
        )

    own.refresh_from_db()
    assert (response.status_code, own.status, own.photo.name, own.photo.storage.exists(photo)) == (
        302,
        "pending",
        "",
        False,
    )


def test_register_anew_after_cancelling_submits_a_registration(person_client, own):
    Participant.objects.filter(pk=own.pk).update(status="cancelled")

    html = person_client.get(register_url(own.conference)).content.decode()

    assert submit_labels(html) == ["Submit registration"]
