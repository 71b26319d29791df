"""Rules that keep registrations consistent whatever order people and staff act in."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import with_two_factor
from registration import services
from registration.models import Participant
from secretariat import services as secretariat_services
from tests import factories
from tests.registration.support import register_url, registration_data

pytestmark = pytest.mark.django_db


def test_cancelled_participant_registers_again_as_pending(person_client, person, conference):
    cancelled = factories.ParticipantFactory(user=person, conference=conference, status="cancelled")

    response = person_client.post(register_url(conference), registration_data(function="Deputy Director"))

    cancelled.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, cancelled.get_absolute_url())
    assert (Participant.objects.count(), cancelled.status, cancelled.function) == (1, "pending", "Deputy Director")


def test_rejecting_a_checked_in_participant_clears_the_check_in(staff_user):
    participant = factories.ParticipantFactory(approved=True)
    secretariat_services.check_in(participant, by=staff_user)

    services.decide(participant, "rejected", by=staff_user)

    participant.refresh_from_db()
    assert (participant.status, participant.checked_in_at, participant.checked_in_by) == ("rejected", None, None)


def test_rejected_registration_cannot_be_cancelled(staff_user):
    participant = factories.ParticipantFactory(status="rejected", decided_at=timezone.now())

    with pytest.raises(services.RegistrationError):
        services.cancel(participant)

    participant.refresh_from_db()
    assert participant.status == "rejected"


def test_pending_registration_not_editable_once_registration_closed(person_client, person):
    conference = factories.ConferenceFactory(
        registration_opens_at=timezone.now() - datetime.timedelta(days=10),
        registration_closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    participant = factories.ParticipantFactory(user=person, conference=conference)

    response = person_client.post(
        reverse("registration:edit", args=[participant.reference]), registration_data(function="Changed")
    )

    participant.refresh_from_db()
    assert (response.status_code, participant.function) == (302, "Director, National Counter-Terrorism Agency")


def test_huge_image_in_a_small_file_is_refused(person_client, conference):
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, format="PNG")  # 81 million pixels, a few kilobytes
    photo = SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")

    response = person_client.post(register_url(conference), registration_data(photo=photo))

    assert response.context["form"].errors["photo"] == ["The photo is too large; please send a smaller one."]
    assert Participant.objects.count() == 0


def test_check_in_desk_staff_do_not_see_draft_conferences(client):
    desk = with_two_factor(factories.UserFactory(is_staff=True))
    draft = factories.ConferenceFactory(is_published=False)
    client.force_login(desk)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_admin_never_deletes_participants_and_freezes_decided_ones(client, staff_user):
    decided = factories.ParticipantFactory(approved=True)
    client.force_login(staff_user)

    delete = client.get(reverse("admin:registration_participant_delete", args=[decided.pk]))
    change = client.get(reverse("admin:registration_participant_change", args=[decided.pk]))

    assert delete.status_code == 403
    assert {"conference", "user", "attendance"} <= set(change.context["adminform"].readonly_fields)


def test_admin_session_form_names_the_conference_zone(client, staff_user):
    session = factories.SessionFactory()
    client.force_login(staff_user)

    response = client.get(reverse("admin:conference_session_change", args=[session.pk]))

    assert response.context["time_zone_note"] == (
        "Dates and times on this page are in New York time (America/New_York)."
    )


def test_photo_of_more_than_25_megapixels_is_refused(person_client, conference):
    buffer = io.BytesIO()
    Image.new("1", (5200, 5000)).save(buffer, format="PNG")  # 26 million pixels
    photo = SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")

    response = person_client.post(register_url(conference), registration_data(photo=photo))

    assert response.context["form"].errors["photo"] == ["The photo is too large; please send a smaller one."]
