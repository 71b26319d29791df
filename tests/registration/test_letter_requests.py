"""Asking for a letter of invitation from the registration's page: the form, its checks, who may ask, once."""

import datetime
import re

import pytest
from django.urls import reverse

from registration import services
from registration.models import LetterRequest
from tests import factories
from tests.html_forms import form_data
from tests.registration.support import login_redirect, registration_data

pytestmark = pytest.mark.django_db

FIELDS = ["passport_name", "nationality", "passport_number", "passport_expires_on"]


def letter_url(participant):
    return reverse("registration:letter", kwargs={"reference": participant.reference})


def passport(**overrides):
    """What a delegate types in the form."""
    return {
        "passport_name": "Amina Diallo",
        "nationality": "SN",
        "passport_number": "A01234567",
        "passport_expires_on": "",
        **overrides,
    }


def messages_after(client, response):
    return [str(message) for message in client.get(response["Location"]).context["messages"]]


@pytest.fixture
def delegate(person, conference):
    """The person's approved registration, in person."""
    return factories.ParticipantFactory(user=person, conference=conference, approved=True, nationality="SN")


def test_letter_form_asks_only_for_the_passport_details(person_client, delegate):
    response = person_client.get(letter_url(delegate))

    html = response.content.decode()
    fields = {name: values for name, values in form_data(html).items() if name != "csrfmiddlewaretoken"}
    assert response.status_code == 200
    assert fields == {"passport_name": "", "nationality": "SN", "passport_number": "", "passport_expires_on": ""}
    assert re.findall(r'<label\s+for="id_(\w+)"[^>]*>\s*([^<*]+?)\s*<', html) == [
        ("passport_name", "Name as in the passport"),
        ("nationality", "Nationality"),
        ("passport_number", "Passport number"),
        ("passport_expires_on", "Passport valid until"),
    ]


@pytest.mark.parametrize("name", ["Amina Diallo", "فاطمة الزهراء", "王小明", "Мария Иванова"])
def test_letter_request_saved_in_any_script(person_client, delegate, name):
    response = person_client.post(letter_url(delegate), passport(passport_name=f"  {name} "))

    letter = LetterRequest.objects.get()
    assert (response.status_code, response["Location"]) == (302, delegate.get_absolute_url())
    assert (letter.participant, letter.passport_name, letter.nationality.code, letter.passport_number) == (
        delegate,
        name,
        "SN",
        "A01234567",
    )
    assert (letter.status, letter.passport_expires_on, letter.decided_at) == ("requested", None, None)
    assert re.fullmatch(rf"LOI-{delegate.conference.start_date.year}-[A-Z2-9]{{8}}", letter.reference)
    assert messages_after(person_client, response) == [
        "Your request for a letter of invitation is received. We will email you once the letter is ready."
    ]


def test_letter_request_passport_number_kept_without_spaces_in_capitals(person_client, delegate):
    last_day = delegate.conference.last_day

    person_client.post(
        letter_url(delegate), passport(passport_number=" ab 123 4567 ", passport_expires_on=last_day.isoformat())
    )

    assert list(LetterRequest.objects.values_list("passport_number", "passport_expires_on")) == [
        ("AB1234567", last_day)
    ]


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        (
            {"passport_name": " ", "passport_number": ""},
            [
                ("id_passport_name", "Name as in the passport", "This field is required."),
                ("id_passport_number", "Passport number", "This field is required."),
            ],
        ),
        (
            {"nationality": "XX"},
            [
                (
                    "id_nationality",
                    "Nationality",
                    "Select a valid choice. XX is not one of the available choices.",
                )
            ],
        ),
        (
            {"passport_number": "A-123/45"},
            [
                (
                    "id_passport_number",
                    "Passport number",
                    "Type the passport number as printed: 5 to 20 Latin letters and digits, without other signs.",
                )
            ],
        ),
        (
            {"passport_number": "АБ12345"},  # Cyrillic letters that look Latin
            [
                (
                    "id_passport_number",
                    "Passport number",
                    "Type the passport number as printed: 5 to 20 Latin letters and digits, without other signs.",
                )
            ],
        ),
        (
            {"passport_expires_on": "31/12/2040"},
            [("id_passport_expires_on", "Passport valid until", "Enter a valid date.")],
        ),
    ],
)
def test_letter_request_errors_say_what_to_correct(person_client, delegate, typed, errors):
    response = person_client.post(letter_url(delegate), passport(**typed))

    assert response.status_code == 200
    assert [(anchor, str(label), error) for anchor, label, error in response.context["form"].error_links()] == errors
    assert "Please correct the errors below; nothing has been saved yet." in response.content.decode()
    assert LetterRequest.objects.count() == 0


def test_letter_request_refuses_a_passport_expiring_during_the_conference(person_client, delegate):
    expiring = delegate.conference.last_day - datetime.timedelta(days=1)

    response = person_client.post(letter_url(delegate), passport(passport_expires_on=expiring.isoformat()))

    assert response.context["form"].errors == {
        "passport_expires_on": [
            "This passport expires before the conference ends: a visa needs a passport valid for the whole stay."
        ]
    }
    assert LetterRequest.objects.count() == 0


@pytest.mark.parametrize(
    "traits", [{}, {"waitlisted": True}, {"rejected": True}, {"status": "cancelled"}], ids=lambda traits: str(traits)
)
def test_letter_request_refused_unless_approved(person_client, person, conference, traits):
    participant = factories.ParticipantFactory(user=person, conference=conference, **traits)

    shown = person_client.get(letter_url(participant))
    sent = person_client.post(letter_url(participant), passport())

    assert [(shown.status_code, shown["Location"]), (sent.status_code, sent["Location"])] == [
        (302, participant.get_absolute_url())
    ] * 2
    assert (
        messages_after(person_client, sent)
        == ["A letter of invitation can be asked for once your registration is approved."] * 2
    )
    assert LetterRequest.objects.count() == 0


def test_letter_request_refused_to_an_online_participant(person_client, person, conference):
    conference.format = "hybrid"
    conference.save()
    online = factories.ParticipantFactory(user=person, conference=conference, approved=True, online=True)

    response = person_client.post(letter_url(online), passport())

    assert messages_after(person_client, response) == [
        "A letter of invitation is for participants who attend in person."
    ]
    assert LetterRequest.objects.count() == 0


def test_letter_asked_for_once_per_registration(person_client, delegate):
    first = person_client.post(letter_url(delegate), passport())
    messages_after(person_client, first)

    again = person_client.post(letter_url(delegate), passport(passport_number="B7654321"))

    assert (again.status_code, again["Location"]) == (302, delegate.get_absolute_url())
    assert messages_after(person_client, again) == [
        "You have already asked for a letter of invitation for this registration."
    ]
    assert list(LetterRequest.objects.values_list("passport_number", flat=True)) == ["A01234567"]


def test_letter_request_service_refuses_a_second_request(delegate):
    services.request_letter(delegate, data=passport(passport_expires_on=None))

    with pytest.raises(services.LetterRefused) as refused:
        services.request_letter(delegate, data=passport(passport_expires_on=None))

    assert str(refused.value) == "You have already asked for a letter of invitation for this registration."


def test_letter_asked_for_again_after_a_decline_with_corrected_passport_details(person_client, delegate):
    declined = factories.LetterRequestFactory(
        participant=delegate,
        declined=True,
        passport_number="A0123456",
        decision_message="The passport number has one digit too few.",
    )

    page = letter_section(person_client, delegate)
    form = person_client.get(letter_url(delegate))
    response = person_client.post(letter_url(delegate), passport(passport_number="A01234567"))

    letter = LetterRequest.objects.get()
    assert page.endswith(
        "Status Declined The passport number has one digit too few. "
        f"Reference {declined.reference} "
        "You may ask again, for example with corrected passport details. Ask again for a letter of invitation"
    )
    assert "The passport number has one digit too few." in form.content.decode()
    assert form_data(form.content.decode())["passport_number"] == "A0123456"
    assert (response.status_code, response["Location"]) == (302, delegate.get_absolute_url())
    assert (letter.pk, letter.reference, letter.passport_number) == (declined.pk, declined.reference, "A01234567")
    assert (letter.status, letter.decided_at, letter.decided_by, letter.decision_message) == (
        "requested",
        None,
        None,
        "",
    )
    assert letter.requested_at > declined.requested_at


def test_letter_request_service_refuses_a_registration_withdrawn_meanwhile(delegate):
    services.cancel(delegate)

    with pytest.raises(services.LetterRefused) as refused:
        services.request_letter(delegate, data=passport(passport_expires_on=None))

    assert str(refused.value) == "A letter of invitation can be asked for once your registration is approved."
    assert LetterRequest.objects.count() == 0


def test_letter_request_of_someone_else_not_found(person_client, conference):
    other = factories.ParticipantFactory(conference=conference, approved=True)

    shown = person_client.get(letter_url(other))
    sent = person_client.post(letter_url(other), passport())

    assert (shown.status_code, sent.status_code, LetterRequest.objects.count()) == (404, 404, 0)


def test_letter_request_needs_login(client, delegate):
    response = client.get(letter_url(delegate))

    assert (response.status_code, response["Location"]) == (302, login_redirect(letter_url(delegate)))


# The registration's page shows the request and what became of it.


def letter_section(client, participant):
    """The text of the letter's section of the registration's page, in short; None without one."""
    html = client.get(participant.get_absolute_url()).content.decode()
    match = re.search(r'<h2 class="h4">Letter of invitation for a visa</h2>(.*?)<div class="d-flex', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()) if match else None


def test_registration_page_offers_the_letter_to_the_approved(person_client, delegate):
    html = person_client.get(delegate.get_absolute_url()).content.decode()

    assert letter_section(person_client, delegate) == (
        "If you need a visa to travel to the conference, the Secretariat can issue a letter of invitation to "
        "support your application. Ask for a letter of invitation"
    )
    assert html.count(f'href="{letter_url(delegate)}"') == 1


def test_registration_page_offers_no_letter_before_approval(person_client, person, conference):
    pending = factories.ParticipantFactory(user=person, conference=conference)

    assert letter_section(person_client, pending) is None


@pytest.mark.parametrize(
    ("traits", "shown"),
    [
        ({}, "Status Requested The Secretariat is preparing your letter; we will email you once it is ready."),
        ({"issued": True}, "Status Issued"),
        ({"declined": True, "decision_message": "Please write to us."}, "Status Declined Please write to us."),
    ],
)
def test_registration_page_shows_the_letter_status(person_client, delegate, traits, shown):
    letter = factories.LetterRequestFactory(participant=delegate, **traits)
    download = reverse("secretariat:letter", kwargs={"reference": delegate.reference})

    section = letter_section(person_client, delegate)
    html = person_client.get(delegate.get_absolute_url()).content.decode()

    assert section.startswith(f"{shown} Reference {letter.reference}") is True
    assert html.count(f'href="{download}"') == (1 if letter.status == "issued" else 0)
    # Asked for again only after a decline.
    assert html.count(f'href="{letter_url(delegate)}"') == (1 if letter.status == "declined" else 0)


def test_registration_page_of_a_cancelled_registration_offers_no_download(person_client, delegate):
    factories.LetterRequestFactory(participant=delegate, issued=True)
    delegate.status = "cancelled"
    delegate.save()

    html = person_client.get(delegate.get_absolute_url()).content.decode()

    assert html.count("Download my letter of invitation (PDF)") == 0


def test_registering_again_after_cancelling_asks_for_a_letter_anew(person, conference):
    cancelled = factories.ParticipantFactory(user=person, conference=conference, status="cancelled")
    factories.LetterRequestFactory(participant=cancelled, issued=True)
    data = registration_data(nomination_document=None, data_consent=None, title="")

    again = services.register(user=person, conference=conference, data=data | {"data_consent_at": cancelled.created_at})

    assert (again.pk, again.status, LetterRequest.objects.count()) == (cancelled.pk, "pending", 0)
