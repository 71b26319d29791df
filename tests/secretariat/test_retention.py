"""Personal data are removed once a conference's retention period has passed; the figures stay."""

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from registration.models import LetterRequest, OutgoingEmail, Participant
from registration.storage import private_storage
from secretariat.roles import CHECK_IN_DESK, SECRETARIAT
from secretariat.services import ANONYMOUS
from secretariat.signing import letter_token
from tests import factories
from tests.registration.support import pdf_upload, stored_documents, utc

pytestmark = pytest.mark.django_db


def photo_upload():
    """A real JPEG photo that Pillow writes."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (0, 158, 219)).save(buffer, "JPEG")
    return SimpleUploadedFile("amina.jpg", buffer.getvalue(), content_type="image/jpeg")


def conference_ending(days_ago, retention_days, title):
    """A three-day conference whose last day was `days_ago` days ago."""
    last_day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return factories.ConferenceFactory(
        title=title,
        start_date=last_day - datetime.timedelta(days=2),
        end_date=last_day,
        retention_days=retention_days,
    )


@pytest.fixture
def expired():
    """Its personal data expired yesterday: last day 31 days ago, kept for 30 days."""
    return conference_ending(31, 30, "Third Conference")


@pytest.fixture
def within():
    """Its personal data expire today, so are kept until tomorrow: last day 30 days ago, kept for 30 days."""
    return conference_ending(30, 30, "Fourth Conference")


def full_registration(conference, email="amina.diallo@example.org", **fields):
    """An approved, checked-in registration with every piece of personal data, a document, a photo and emails."""
    participant = factories.ParticipantFactory(
        conference=conference,
        approved=True,
        title="dr",
        given_name="Amina",
        family_name="Diallo",
        email=email,
        function="Director, National Counter-Terrorism Agency",
        accessibility_needs="Wheelchair access",
        decision_message="Welcome to New York.",
        public_list_consent_at=utc(2030, 5, 2, 8, 30),
        checked_in_at=utc(2030, 7, 1, 13, 5),
        checked_in_by=factories.StaffUserFactory(groups=[CHECK_IN_DESK]),
        nomination_document=pdf_upload(),
        photo=photo_upload(),
        **fields,
    )
    factories.OutgoingEmailFactory(participant=participant, subject="Registration received")
    factories.OutgoingEmailFactory(participant=participant, kind="approved", subject="Registration approved")
    return participant


@pytest.fixture
def amina(expired):
    return full_registration(expired)


@pytest.fixture
def okafor(expired):
    """A civil society participant of the same conference, rejected, with one email."""
    participant = factories.ParticipantFactory(
        conference=expired,
        ngo=True,
        rejected=True,
        given_name="Chidi",
        family_name="Okafor",
        gender="male",
        nationality="NG",
        decision_message="We regret.",
    )
    factories.OutgoingEmailFactory(participant=participant, kind="rejected", subject="Registration not approved")
    return participant


@pytest.fixture
def kept(within):
    return full_registration(within, user=factories.UserFactory(email="kept@example.org"), email="kept@example.org")


def snapshot(participant):
    """Every column of the participant's row, as stored."""
    return Participant.objects.filter(pk=participant.pk).values().get()


def emails_of(*participants):
    return sorted(OutgoingEmail.objects.filter(participant__in=participants).values_list("subject", flat=True))


def purge(*args):
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def anonymized(before, after):
    """What the purge must have changed in `before`, with the removal time taken from `after`."""
    return before | {
        "user_id": None,
        "title": "",
        "given_name": ANONYMOUS,
        "family_name": ANONYMOUS,
        "search_name": "",
        "email": f"removed-{before['id']}@invalid",
        "function": "",
        "accessibility_needs": "",
        "decision_message": "",
        "public_list_consent_at": None,
        "nomination_document": "",
        "photo": "",
        "anonymized_at": after["anonymized_at"],
        "updated_at": after["updated_at"],
    }


def test_purge_removes_personal_data_and_keeps_the_figures(amina, okafor, kept):
    before = {p.pk: snapshot(p) for p in (amina, okafor, kept)}
    amina_files = [amina.nomination_document.name, amina.photo.name]
    kept_files = sorted([kept.nomination_document.name, kept.photo.name])
    assert sorted(stored_documents()) == sorted([*amina_files, *kept_files])
    started = timezone.now()

    output = purge()

    after = {p.pk: snapshot(p) for p in (amina, okafor, kept)}
    assert output == "Removed the personal data of 2 participants.\n"
    assert after[amina.pk] == anonymized(before[amina.pk], after[amina.pk])
    assert after[okafor.pk] == anonymized(before[okafor.pk], after[okafor.pk])
    assert (started <= after[amina.pk]["anonymized_at"] <= timezone.now()) is True
    # What the aggregate figures need stays.
    figures = ["conference_id", "category", "represented_country", "organization", "gender", "nationality"]
    figures += ["status", "attendance", "checked_in_at"]
    assert [after[amina.pk][name] for name in figures] == [
        amina.conference_id,
        "member_state",
        "SN",
        "",
        "female",
        "SN",
        "approved",
        "in_person",
        utc(2030, 7, 1, 13, 5),
    ]
    assert [after[okafor.pk][name] for name in figures] == [
        okafor.conference_id,
        "civil_society",
        "",
        "Peace Forum",
        "male",
        "NG",
        "rejected",
        "in_person",
        None,
    ]
    # The files are gone from storage; the emails to these people too.
    assert ([private_storage().exists(name) for name in amina_files], stored_documents()) == (
        [False, False],
        kept_files,
    )
    assert (emails_of(amina, okafor), emails_of(kept)) == ([], ["Registration approved", "Registration received"])
    assert OutgoingEmail.objects.filter(to="amina.diallo@example.org").count() == 0


def test_purge_leaves_a_conference_within_its_retention_period(kept):
    before = snapshot(kept)
    files = stored_documents()

    output = purge()

    assert output == "Removed the personal data of 0 participants.\n"
    assert (snapshot(kept), stored_documents(), emails_of(kept)) == (
        before,
        files,
        ["Registration approved", "Registration received"],
    )


def test_purge_dry_run_changes_nothing_and_counts(amina, okafor, kept):
    before = [snapshot(p) for p in (amina, okafor, kept)]
    files = stored_documents()

    output = purge("--dry-run")

    assert output == "2 participants' personal data would be removed.\n"
    assert [snapshot(p) for p in (amina, okafor, kept)] == before
    assert (stored_documents(), len(files), OutgoingEmail.objects.count()) == (files, 4, 5)


def test_purge_twice_is_harmless(amina, okafor, kept):
    purge()
    after_first = [snapshot(p) for p in (amina, okafor, kept)]
    files = stored_documents()

    output = purge()

    assert output == "Removed the personal data of 0 participants.\n"
    assert ([snapshot(p) for p in (amina, okafor, kept)], stored_documents()) == (after_first, files)
    assert OutgoingEmail.objects.count() == 2


def test_purge_with_conference_of_unannounced_last_day(db):
    """Without a last day, the retention period runs from the first day."""
    first_day = timezone.localdate() - datetime.timedelta(days=31)
    conference = factories.ConferenceFactory(start_date=first_day, end_date=None, retention_days=30)
    participant = factories.ParticipantFactory(conference=conference)

    assert purge() == "Removed the personal data of 1 participant.\n"
    assert snapshot(participant)["given_name"] == ANONYMOUS


def test_purged_participant_leaves_the_account_usable_for_other_registrations(amina, within):
    account = amina.user

    purge()
    again = factories.ParticipantFactory(user=account, conference=within)

    assert (snapshot(amina)["user_id"], list(account.registrations.all())) == (None, [again])


def test_staff_export_personal_data_before_removal(client, amina, okafor):
    client.force_login(factories.StaffUserFactory(groups=[SECRETARIAT]))
    changelist = reverse("admin:registration_participant_changelist")
    action = {"action": "export_personal_data", "index": "0", "_selected_action": [amina.pk]}

    before = json.loads(client.post(changelist, action).content)
    purge()
    after = json.loads(client.post(changelist, action).content)

    assert [len(before), len(after)] == [1, 1]
    assert [
        before[0][key] for key in ["Reference", "Given name", "Family name", "Email", "Function", "Accessibility needs"]
    ] == [
        amina.reference,
        "Amina",
        "Diallo",
        "amina.diallo@example.org",
        "Director, National Counter-Terrorism Agency",
        "Wheelchair access",
    ]
    assert (before[0]["decision_message"], before[0]["nomination_document"], before[0]["photo"]) == (
        "Welcome to New York.",
        True,
        True,
    )
    assert sorted(email["subject"] for email in before[0]["emails"]) == [
        "Registration approved",
        "Registration received",
    ]
    assert [
        after[0][key]
        for key in ["Reference", "Given name", "Family name", "Email", "Function", "decision_message", "emails"]
    ] == [amina.reference, ANONYMOUS, ANONYMOUS, f"removed-{amina.pk}@invalid", "", "", []]
    assert (after[0]["nomination_document"], after[0]["photo"], after[0]["In the public list"]) == (False, False, "no")


# Letters of invitation: the passport's details go with the rest; the letter's record stays.


def letter_snapshot(letter):
    return LetterRequest.objects.filter(pk=letter.pk).values().get()


def test_purge_removes_the_passport_details_of_letters(amina, kept):
    letter = factories.LetterRequestFactory(
        participant=amina,
        issued=True,
        passport_name="Amina Diallo",
        passport_number="A01234567",
        passport_expires_on=datetime.date(2040, 3, 31),
        decision_message="Here is your letter.",
    )
    kept_letter = factories.LetterRequestFactory(participant=kept, passport_number="B07654321")
    before, kept_before = letter_snapshot(letter), letter_snapshot(kept_letter)

    purge()

    after = letter_snapshot(letter)
    assert after == before | {
        "passport_name": ANONYMOUS,
        "nationality": "",
        "passport_number": "",
        "passport_expires_on": None,
        "decision_message": "",
        "updated_at": after["updated_at"],
    }
    assert (after["reference"], after["status"], after["decided_at"]) == (
        letter.reference,
        "issued",
        before["decided_at"],
    )
    assert letter_snapshot(kept_letter) == kept_before


def test_purged_letter_no_longer_checks_as_genuine(client, amina):
    letter = factories.LetterRequestFactory(participant=amina, issued=True)
    url = reverse("secretariat:letter_verify", kwargs={"token": letter_token(letter)})
    genuine = client.get(url).status_code

    purge()
    response = client.get(url)

    assert (genuine, response.status_code) == (200, 404)
    assert "Amina" not in response.content.decode()


def test_staff_export_personal_data_holds_the_letter_then_its_removal(client, amina):
    letter = factories.LetterRequestFactory(
        participant=amina,
        issued=True,
        passport_name="Amina Diallo",
        passport_number="A01234567",
        passport_expires_on=datetime.date(2040, 3, 31),
    )
    LetterRequest.objects.filter(pk=letter.pk).update(
        requested_at=utc(2030, 5, 3, 9, 0), decided_at=utc(2030, 5, 4, 10, 0)
    )
    client.force_login(factories.StaffUserFactory(groups=[SECRETARIAT]))
    changelist = reverse("admin:registration_participant_changelist")
    action = {"action": "export_personal_data", "index": "0", "_selected_action": [amina.pk]}

    before = json.loads(client.post(changelist, action).content)[0]["letter_of_invitation"]
    purge()
    after = json.loads(client.post(changelist, action).content)[0]["letter_of_invitation"]

    assert before == {
        "reference": letter.reference,
        "status": "issued",
        "passport_name": "Amina Diallo",
        "nationality_code": "SN",
        "passport_number": "A01234567",
        "passport_expires_on": "2040-03-31",
        "requested_at": "2030-05-03T09:00:00Z",
        "decided_at": "2030-05-04T10:00:00Z",
        "decision_message": "",
    }
    assert after == before | {
        "passport_name": ANONYMOUS,
        "nationality_code": "",
        "passport_number": "",
        "passport_expires_on": None,
    }
