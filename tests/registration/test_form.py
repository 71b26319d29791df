"""The registration form: every rule gives a clear message and saves nothing; what is valid is kept as typed."""

import datetime
import re
import zoneinfo

import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from conference.models import Format
from registration.forms import summary_label
from registration.models import Participant
from tests import factories
from tests.html_forms import form_data
from tests.registration.support import (
    july_1,
    pdf_bytes,
    pdf_upload,
    register_url,
    registration_data,
    stored_documents,
    utc,
)

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def assert_refused(response, errors):
    """The form comes back with exactly `errors`, each shown on the page, and nothing is saved."""
    html = response.content.decode()
    shown = [message for messages in errors.values() for message in messages if escape(message) not in html]
    assert (response.status_code, response.context["form"].errors, shown) == (200, errors, [])
    assert (Participant.objects.count(), stored_documents()) == (0, [])


@pytest.fixture
def limited_session(conference):
    return factories.SessionFactory(conference=conference, title="Border security", seat_limit=20)


NOT_A_STATE = "Choose a Member State or an Observer State of the United Nations from the list."
INVALID = {
    "given_name_151_characters": (
        {"given_name": "A" * 151},
        {"given_name": ["Ensure this value has at most 150 characters (it has 151)."]},
    ),
    "unknown_country_code": (
        {"nationality": "XX"},
        {"nationality": ["Select a valid choice. XX is not one of the available choices."]},
    ),
    "tampered_category": (
        {"category": "ministry"},
        {"category": ["Select a valid choice. ministry is not one of the available choices."]},
    ),
    "online_for_in_person_conference": (
        {"attendance": "online"},
        {"attendance": ["Select a valid choice. online is not one of the available choices."]},
    ),
    "missing_data_consent": (
        {"data_consent": None},
        {"data_consent": ["Registration needs your consent to the processing of your data."]},
    ),
    "member_state_without_country": (
        {"represented_country": ""},
        {"represented_country": ["Choose the State you represent."]},
    ),
    "member_state_holy_see": (
        {"represented_country": "VA"},
        {"represented_country": ["This State is an Observer State; choose that category."]},
    ),
    "observer_state_not_observer": (
        {"category": "observer_state", "represented_country": "FR"},
        {"represented_country": ["This State is not an Observer State."]},
    ),
    **{
        f"member_state_{name}": ({"represented_country": code}, {"represented_country": [NOT_A_STATE]})
        for code, name in [("TW", "taiwan"), ("AQ", "antarctica"), ("FO", "faroe_islands"), ("HM", "heard_island")]
    },
    "observer_state_territory": (
        {"category": "observer_state", "represented_country": "AQ"},
        {"represented_country": [NOT_A_STATE]},
    ),
    "organization_category_without_organization": (
        {"category": "civil_society", "organization": "   "},
        {"organization": ["Name the organization you represent."]},
    ),
    "missing_document": (
        {"nomination_document": None},
        {"nomination_document": ["This field is required."]},
    ),
    "not_a_pdf_named_pdf": (
        {"nomination_document": pdf_upload("note.pdf", b"PK\x03\x04 a zip file, not a PDF")},
        {"nomination_document": ["The document must be a PDF file."]},
    ),
    "pdf_header_then_garbage": (
        {"nomination_document": pdf_upload("note.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8)},
        {"nomination_document": ["The PDF file could not be read; it may be damaged."]},
    ),
}


@pytest.mark.parametrize(("overrides", "errors"), INVALID.values(), ids=INVALID.keys())
def test_register_invalid_field_refused_with_message(person_client, conference, overrides, errors):
    response = person_client.post(register_url(conference), registration_data(**overrides))

    assert_refused(response, errors)


def test_register_state_select_offers_the_member_states_then_the_observer_states(person_client, conference):
    html = person_client.get(register_url(conference)).content.decode()

    select = re.search(r'<select name="represented_country".*?</select>', html, re.S).group()
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S))
    option = re.compile(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>')
    options = {label: option.findall(body) for label, body in groups.items()}
    assert (list(options), len(options["Member States"])) == (["Member States", "Observer States"], 193)
    assert options["Observer States"] == [("VA", "Holy See"), ("PS", "State of Palestine")]
    assert {"TW", "AQ", "FO", "HM"}.isdisjoint(code for code, _name in options["Member States"])


def test_register_observer_state_saves(person_client, conference):
    response = person_client.post(
        register_url(conference), registration_data(category="observer_state", represented_country="PS")
    )

    participant = Participant.objects.get()
    assert (response.status_code, participant.represents) == (302, "State of Palestine")


def test_register_session_of_other_conference_refused(person_client, conference, limited_session):
    other = factories.SessionFactory(seat_limit=20)

    response = person_client.post(register_url(conference), registration_data(sessions=[limited_session.pk, other.pk]))

    assert_refused(response, {"sessions": [f"Select a valid choice. {other.pk} is not one of the available choices."]})


def test_register_oversized_pdf_refused(person_client, conference, settings):
    content = pdf_bytes(pages=3)
    settings.REGISTRATION_DOCUMENT_MAX_BYTES = len(content) - 1

    response = person_client.post(
        register_url(conference), registration_data(nomination_document=pdf_upload(content=content))
    )

    expected = f"The document is {filesizeformat(len(content))}; the limit is {filesizeformat(len(content) - 1)}."
    assert_refused(response, {"nomination_document": [expected]})


def test_register_pdf_at_size_limit_saves(person_client, conference, settings):
    content = pdf_bytes()
    settings.REGISTRATION_DOCUMENT_MAX_BYTES = len(content)

    response = person_client.post(
        register_url(conference), registration_data(nomination_document=pdf_upload(content=content))
    )

    assert (response.status_code, Participant.objects.get().nomination_document.read()) == (302, content)


def test_register_html_in_text_fields_stored_as_typed_and_shown_escaped(person_client, conference):
    typed = {
        "given_name": "<script>alert(1)</script>",
        "family_name": "O'Brien & <b>Sons</b>",
        "function": '<img src=x onerror="alert(2)">',
        "accessibility_needs": "<script>alert(3)</script>",
    }

    person_client.post(register_url(conference), registration_data(**typed))

    participant = Participant.objects.get()
    html = person_client.get(participant.get_absolute_url()).content.decode()
    assert {name: getattr(participant, name) for name in typed} == typed
    assert (
        html.count("&lt;script&gt;alert(1)&lt;/script&gt;"),
        html.count("&lt;script&gt;alert(3)&lt;/script&gt;"),
    ) == (
        1,
        1,
    )
    assert (html.count("<script>"), html.count("<img src=x"), html.count("O&#x27;Brien &amp; &lt;b&gt;Sons")) == (
        0,
        0,
        1,
    )


@pytest.mark.parametrize(
    ("given_name", "family_name"),
    [("عائشة", "العتيبي"), ("明", "王"), ("Анна", "Иванова-Петрова")],
    ids=["arabic", "chinese", "cyrillic"],
)
def test_register_non_latin_names_round_trip_unchanged(person_client, conference, given_name, family_name):
    person_client.post(register_url(conference), registration_data(given_name=given_name, family_name=family_name))

    participant = Participant.objects.get()
    html = person_client.get(participant.get_absolute_url()).content.decode()
    assert (participant.given_name, participant.family_name) == (given_name, family_name)
    assert html.count(f"<bdi>Dr. {given_name} {family_name}</bdi>") == 1


def test_register_again_redirects_to_existing_registration(person_client, person, conference):
    existing = factories.ParticipantFactory(user=person, conference=conference)

    page = person_client.get(register_url(conference))
    posted = person_client.post(register_url(conference), registration_data(given_name="Other"))

    assert [(r.status_code, r["Location"]) for r in (page, posted)] == [(302, existing.get_absolute_url())] * 2
    assert list(Participant.objects.values_list("given_name", flat=True)) == ["Amina"]
    assert stored_documents() == []


def outside_window(window):
    """A conference on 1-3 July next year (or in 2024) with its registration window; and what the page says."""
    year = july_1().year
    return {
        "before_opening": (
            july_1(),
            datetime.datetime(year, 5, 1, 9, tzinfo=NEW_YORK),
            None,
            "Registration is not open",
            f'Registration opens on 1 May {year}, <span dir="ltr">09:00 EDT</span> and closes on '
            f'1 July {year}, <span dir="ltr">00:00 EDT</span>.',
        ),
        "after_closing": (
            july_1(),
            datetime.datetime(2024, 1, 10, 9, tzinfo=NEW_YORK),
            datetime.datetime(2024, 2, 1, 17, tzinfo=NEW_YORK),
            "Registration is closed",
            'Registration for this conference closed on 1 February 2024, <span dir="ltr">17:00 EST</span>.',
        ),
        "not_announced": (july_1(), None, None, "Registration is not open", "has not been announced yet."),
        "past_without_window": (
            datetime.date(2024, 3, 4),
            None,
            None,
            "Registration is closed",
            "Registration for this conference is closed.",
        ),
    }[window]


@pytest.mark.parametrize("window", ["before_opening", "after_closing", "not_announced", "past_without_window"])
def test_register_outside_window_says_why_once_and_saves_nothing(person_client, window):
    start_date, opens, closes, heading, says = outside_window(window)
    conference = factories.ConferenceFactory(
        start_date=start_date, registration_opens_at=opens, registration_closes_at=closes
    )

    page = person_client.get(register_url(conference))
    posted = person_client.post(register_url(conference), registration_data())

    for response in (page, posted):
        html = response.content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert (response.status_code, f"<h1>{heading}</h1>" in main, main.count(says), "form" in response.context) == (
            200,
            True,
            1,
            False,
        )
        assert (main.count("New York"), main.count("Registration is open")) == (0, 0)
        assert response.templates[0].name == "registration/closed.html"
    assert (Participant.objects.count(), stored_documents()) == (0, [])


@pytest.mark.parametrize(
    ("conference_format", "choices"),
    [
        (Format.IN_PERSON, ["in_person"]),
        (Format.VIRTUAL, ["online"]),
        (Format.HYBRID, ["in_person", "online"]),
    ],
)
def test_register_attendance_choices_follow_conference_format(person_client, conference_format, choices):
    conference = factories.ConferenceFactory(open_for_registration=True, format=conference_format)

    response = person_client.get(register_url(conference))

    html = response.content.decode()
    assert [value for value, _ in response.context["form"].fields["attendance"].choices] == choices
    assert re.findall(r'name="attendance" value="([^"]+)"', html) == choices


def test_register_virtual_conference_online_saves(person_client):
    conference = factories.ConferenceFactory(open_for_registration=True, format=Format.VIRTUAL)

    response = person_client.post(register_url(conference), registration_data(attendance="online"))

    assert (response.status_code, Participant.objects.get().attendance) == (302, "online")


def test_register_in_person_for_virtual_conference_refused(person_client):
    conference = factories.ConferenceFactory(open_for_registration=True, format=Format.VIRTUAL)

    response = person_client.post(register_url(conference), registration_data(attendance="in_person"))

    assert_refused(response, {"attendance": ["Select a valid choice. in_person is not one of the available choices."]})


def test_register_email_prefilled_from_account(person_client, person, conference):
    response = person_client.get(register_url(conference))

    assert (response.status_code, form_data(response.content.decode())["email"]) == (200, person.email)


@pytest.mark.parametrize(("public", "listed"), [("on", True), (None, False)], ids=["public_list", "not_listed"])
def test_register_consents_time_stamped(person_client, conference, public, listed):
    before = timezone.now()
    person_client.post(register_url(conference), registration_data(public_list_consent=public))
    after = timezone.now()

    participant = Participant.objects.get()
    assert before <= participant.data_consent_at <= after
    if listed:
        assert before <= participant.public_list_consent_at <= after
    else:
        assert participant.public_list_consent_at is None


def test_register_language_of_the_page_kept(person_client, conference):
    with translation.override("fr"):
        french_form = register_url(conference)

    person_client.post(french_form, registration_data(), HTTP_ACCEPT_LANGUAGE="es")

    assert (french_form, Participant.objects.get().language) == (f"/fr/conferences/{conference.slug}/register/", "fr")


def test_register_in_english_at_the_unprefixed_address(person_client, conference):
    person_client.post(register_url(conference), registration_data(), HTTP_ACCEPT_LANGUAGE="fr")

    assert Participant.objects.get().language == "en"


def test_register_valid_saves_with_sessions_and_document(person_client, person, conference, limited_session):
    upload = pdf_upload("Note verbale.pdf")

    response = person_client.post(
        register_url(conference), registration_data(nomination_document=upload, sessions=[limited_session.pk])
    )

    participant = Participant.objects.get()
    assert (response.status_code, response["Location"]) == (302, participant.get_absolute_url())
    assert (participant.user, participant.status, participant.represents, participant.title) == (
        person,
        "pending",
        "Senegal",
        "dr",
    )
    assert list(participant.seat_requests.values_list("session", "status")) == [(limited_session.pk, "pending")]
    assert stored_documents() == [participant.nomination_document.name]


# Registering again, and helping the person fill the form in


def test_registering_again_after_cancelling_starts_from_the_cancelled_registration(person_client, conference):
    person_client.post(register_url(conference), registration_data(function="Director of Legal Affairs"))
    participant = Participant.objects.get()
    document = participant.nomination_document.name
    person_client.post(reverse("registration:cancel", args=[participant.reference]))

    form = person_client.get(register_url(conference)).context["form"]
    again = person_client.post(register_url(conference), registration_data(nomination_document=None))

    participant.refresh_from_db()
    assert (form["given_name"].value(), form["function"].value(), form["nationality"].value()) == (
        "Amina",
        "Director of Legal Affairs",
        "SN",
    )
    assert (form.fields["nomination_document"].required, form["data_consent"].value()) == (False, None)
    assert (again.status_code, participant.status, participant.nomination_document.name) == (302, "pending", document)


def test_name_email_and_organization_fields_say_what_they_hold(person_client, conference):
    page = person_client.get(register_url(conference)).content.decode()

    tokens = dict(re.findall(r'<(?:input|select)[^>]*name="(\w+)"[^>]*autocomplete="([\w-]+)"', page))
    tokens |= {name: token for token, name in re.findall(r'autocomplete="([\w-]+)"[^>]*name="(\w+)"', page)}
    assert {name: tokens.get(name) for name in ("title", "given_name", "family_name", "email", "organization")} == {
        "title": "honorific-prefix",
        "given_name": "given-name",
        "family_name": "family-name",
        "email": "email",
        "organization": "organization",
    }
    assert tokens.get("function") == "organization-title"


def test_sessions_to_choose_show_day_time_and_room(person_client, conference):
    year = conference.start_date.year
    room = factories.RoomFactory(venue=conference.venue, name="Conference Room 4") if conference.venue else None
    for day, hour in ((1, 10), (2, 10)):
        factories.SessionFactory(
            conference=conference,
            title="Protecting critical infrastructure",
            starts_at=utc(year, 7, day, hour + 4),
            ends_at=utc(year, 7, day, hour + 5, 30),
            seat_limit=40,
            room=room,
        )

    page = person_client.get(register_url(conference)).content.decode()

    text = re.sub(r"<[^>]+>", " ", page)
    text = re.sub(r"\s+", " ", text)
    days = [datetime.date(year, 7, day) for day in (1, 2)]
    assert [f"{day:%A} {day.day} July {year}" in text for day in days] == [True, True]
    assert (
        text.count("10:00–11:30 EDT · Protecting critical infrastructure" + (" · Conference Room 4" if room else ""))
        == 2
    )


def test_error_summary_links_to_the_first_session_of_its_day_and_ends_labels_without_full_stop(
    person_client, conference, limited_session
):
    response = person_client.post(register_url(conference), registration_data(data_consent=None, sessions="999"))

    html = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger"[^>]*id="form-errors".*?</ul>', html, re.S).group()
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        (
            "id_sessions_0_0",
            "Sessions with limited seats you ask for: Select a valid choice. 999 is not one of the available choices.",
        ),
        (
            "id_data_consent",
            "I agree to the processing of my personal data for this conference: "
            "Registration needs your consent to the processing of your data.",
        ),
    ]
    assert all(f'id="{anchor}"' in html for anchor, _ in links)


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("I agree.", "I agree"),
        ("我同意。", "我同意"),
        ("我同意．", "我同意"),
        ("أوافق.", "أوافق"),
        ("أوافق۔", "أوافق"),
        ("Sessions", "Sessions"),
    ],
)
def test_error_summary_label_without_its_full_stop(label, shown):
    assert summary_label(label) == shown
