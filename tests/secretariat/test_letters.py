"""Letters of invitation on the Secretariat's side: issuing and declining (service and admin actions), the
email, the PDF and its signed QR code, the check anyone can open, and the downloads."""

import contextlib
import datetime
import functools
import io
import logging
import re

import pypdfium2 as pdfium
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from registration.models import LetterRequest, OutgoingEmail, Participant
from secretariat import services
from secretariat.letters import letter_html, masked_passport_number, render_letter_pdf, verify_url
from secretariat.roles import CHECK_IN_DESK, SECRETARIAT
from secretariat.signing import badge_token, letter_reference_from_token, letter_token, reference_from_token
from tests import factories
from tests.registration import failing_email_backend
from tests.secretariat.test_badges import qr_texts

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registration_letterrequest_changelist")


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """`with sent() as emails:` runs the block, sends its emails as its commit would, lists [(to, subject)]."""

    @contextlib.contextmanager
    def block():
        mail.outbox.clear()
        emails = []
        with django_capture_on_commit_callbacks(execute=True):
            yield emails
        emails.extend((message.to[0], message.subject) for message in mail.outbox)

    return block


@pytest.fixture
def secretary():
    return factories.StaffUserFactory(email="secretary@un.org", groups=[SECRETARIAT])


@pytest.fixture
def secretariat_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def delegate(conference):
    return factories.ParticipantFactory(
        conference=conference,
        approved=True,
        given_name="Amina",
        family_name="Diallo",
        function="Director, National Counter-Terrorism Agency",
    )


@pytest.fixture
def requested(delegate):
    return factories.LetterRequestFactory(
        participant=delegate, passport_name="Amina Diallo", passport_number="A01234567"
    )


@pytest.fixture
def issued(requested, secretary):
    return services.issue_letter(requested, by=secretary)


def pdf_lines(pdf):
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def act(client, action, letters, **data):
    return client.post(
        CHANGELIST, {"action": action, "index": "0", "_selected_action": [x.pk for x in letters], **data}
    )


# Issuing and declining


def test_issue_records_who_and_when_and_emails_the_participant(sent, requested, secretary):
    before = timezone.now()

    with sent() as emails:
        letter = services.issue_letter(requested, by=secretary)

    letter.refresh_from_db()
    assert (letter.status, letter.decided_by, before <= letter.decided_at <= timezone.now()) == (
        "issued",
        secretary,
        True,
    )
    assert emails == [(requested.participant.email, "Your letter of invitation is ready: Fourth Conference")]
    assert mail.outbox[0].body.splitlines()[2:5] == [
        f"Your letter of invitation for Fourth Conference is ready (reference {letter.reference}). Download it as a "
        "PDF from your registration's page and join it to your visa application.",
        "",
        f"Your registration: http://127.0.0.1:8000/registrations/{requested.participant.reference}/",
    ]


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl"), ("ru", "ltr")])
def test_issue_email_in_the_participants_language(sent, requested, secretary, language, direction):
    participant = requested.participant
    participant.language = language
    participant.save()
    with translation.override(language):
        subject = gettext("Your letter of invitation is ready: %(conference)s") % {"conference": "Fourth Conference"}
        greeting = gettext("Dear %(name)s,") % {"name": participant.full_name}
        link = (
            gettext("Your registration:") + f" http://127.0.0.1:8000/{language}/registrations/{participant.reference}/"
        )

    with sent() as emails:
        services.issue_letter(requested, by=secretary)

    body, (html, _mimetype) = mail.outbox[0].body, mail.outbox[0].alternatives[0]
    assert emails == [(participant.email, subject)]
    assert body.splitlines()[0] == greeting
    assert body.splitlines().count(link) == 1
    assert html.count(f'<html lang="{language}" dir="{direction}">') == 1
    assert translation.get_language() == "en"


@pytest.mark.parametrize(
    ("traits", "message"),
    [
        ({"status": "cancelled"}, "The registration is no longer approved: no letter of invitation can be issued."),
        ({"rejected": True}, "The registration is no longer approved: no letter of invitation can be issued."),
    ],
)
def test_issue_refused_for_a_participant_no_longer_approved(sent, requested, secretary, traits, message):
    participant = requested.participant
    for field, value in factories.ParticipantFactory.build(**traits).__dict__.items():
        if field in ("status", "decided_at"):
            setattr(participant, field, value)
    participant.save()

    with sent() as emails, pytest.raises(services.LetterError) as refused:
        services.issue_letter(requested, by=secretary)

    requested.refresh_from_db()
    assert (str(refused.value), requested.status, requested.decided_at, emails) == (message, "requested", None, [])


@pytest.mark.parametrize(
    ("traits", "message"),
    [
        ({"issued": True}, "This letter of invitation is already issued."),
        ({"declined": True}, "This letter of invitation was declined."),
    ],
)
def test_issue_or_decline_only_once(sent, delegate, secretary, traits, message):
    letter = factories.LetterRequestFactory(participant=delegate, **traits)

    with sent() as emails:
        for change in (services.issue_letter, functools.partial(services.decline_letter, message="No visa needed.")):
            with pytest.raises(services.LetterError) as refused:
                change(letter, by=secretary)
            assert str(refused.value) == message

    assert (LetterRequest.objects.get().status, emails) == (letter.status, [])


def test_decline_emails_the_message(sent, requested, secretary):
    with sent() as emails:
        services.decline_letter(requested, by=secretary, message="Nationals of your country need no visa.")

    requested.refresh_from_db()
    assert (requested.status, requested.decided_by, requested.decision_message) == (
        "declined",
        secretary,
        "Nationals of your country need no visa.",
    )
    assert emails == [(requested.participant.email, "Letter of invitation not issued: Fourth Conference")]
    assert mail.outbox[0].body.splitlines()[2:7] == [
        "The Secretariat cannot issue the letter of invitation you asked for to attend Fourth Conference.",
        "",
        "Nationals of your country need no visa.",
        "",
        "You may ask again from your registration's page, for example with corrected passport details.",
    ]


def test_decline_of_a_member_without_an_account_points_to_their_focal_point(sent, requested, secretary):
    Participant.objects.filter(pk=requested.participant.pk).update(user=None)
    requested.refresh_from_db()

    with sent():
        services.decline_letter(requested, by=secretary, message="The passport has expired.")

    body = mail.outbox[0].body
    assert "The focal point of your delegation may ask again for you" in body
    assert "from your registration's page" not in body


def test_decline_refused_without_a_reason(sent, requested, secretary):
    with sent() as emails, pytest.raises(services.LetterError) as refused:
        services.decline_letter(requested, by=secretary, message="  ")

    requested.refresh_from_db()
    assert str(refused.value) == "A letter of invitation is declined with a reason for the participant."
    assert (requested.status, emails) == ("requested", [])


def test_letter_asked_for_again_after_a_decline_is_a_request_again_for_staff(secretariat_client, requested, secretary):
    from registration import services as registration_services

    services.decline_letter(requested, by=secretary, message="The passport number is incomplete.")
    registration_services.request_letter(
        requested.participant,
        data={"passport_name": "Amina Diallo", "nationality": "SN", "passport_number": "A012345678"},
    )

    listed = secretariat_client.get(CHANGELIST, {"status__exact": "requested"})
    issued = services.issue_letter(requested, by=secretary)

    assert list(listed.context["cl"].result_list) == [requested]
    assert (issued.status, issued.passport_number, LetterRequest.objects.count()) == ("issued", "A012345678", 1)


# The admin: list, actions, download


def test_admin_issue_action_issues_the_requested_and_names_the_others(sent, secretariat_client, conference, requested):
    withdrawn = factories.LetterRequestFactory(
        participant__conference=conference, participant__given_name="Lena", participant__family_name="Weber"
    )
    withdrawn.participant.status = "cancelled"
    withdrawn.participant.save()

    with sent() as emails:
        response = act(secretariat_client, "issue", [requested, withdrawn])

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert messages_of(response) == [
        "Lena Weber: The registration is no longer approved: no letter of invitation can be issued.",
        "1 letter of invitation is issued; its participant is told by email.",
    ]
    assert sorted(LetterRequest.objects.values_list("reference", "status")) == sorted(
        [(requested.reference, "issued"), (withdrawn.reference, "requested")]
    )
    assert emails == [(requested.participant.email, "Your letter of invitation is ready: Fourth Conference")]


# Committed for real, so that the email is sent, and fails, before the action reports.
@pytest.mark.django_db(transaction=True)
def test_admin_issue_action_says_when_an_email_failed(staff_client, requested, settings, caplog):
    settings.EMAIL_BACKEND = failing_email_backend.PATH

    with caplog.at_level(logging.CRITICAL):
        response = act(staff_client, "issue", [requested])

    assert messages_of(response) == [
        "1 letter of invitation is issued; its participant is told by email.",
        "1 email could not be sent; the mail server may be unavailable. Emails filtered by Failed shows the error.",
    ]
    assert list(OutgoingEmail.objects.values_list("kind", "delivery")) == [("letter_issued", "failed")]


def test_admin_decline_action_asks_for_the_message_then_declines(sent, secretariat_client, requested):
    confirmation = act(secretariat_client, "decline", [requested])
    with sent() as emails:
        response = act(secretariat_client, "decline", [requested], apply="1", message="Please write to us.")

    requested.refresh_from_db()
    assert (confirmation.status_code, confirmation.templates[0].name) == (
        200,
        "admin/registration/letterrequest/decline.html",
    )
    assert requested.reference in confirmation.content.decode()
    assert (response.status_code, requested.status, requested.decision_message) == (
        302,
        "declined",
        "Please write to us.",
    )
    assert messages_of(response) == ["1 letter of invitation is declined; its participant is told by email."]
    assert emails == [(requested.participant.email, "Letter of invitation not issued: Fourth Conference")]


def test_admin_decline_action_needs_a_reason(sent, secretariat_client, requested):
    with sent() as emails:
        response = act(secretariat_client, "decline", [requested], apply="1", message="")

    requested.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "message": ["Give the reason for declining: the participant needs it to ask again."]
    }
    assert (requested.status, emails) == ("requested", [])


def test_admin_list_filters_by_conference_and_status(secretariat_client, conference, requested):
    issued = factories.LetterRequestFactory(participant__conference=conference, issued=True)
    factories.LetterRequestFactory(participant__conference__title="Fifth Conference")

    response = secretariat_client.get(
        CHANGELIST, {"participant__conference__id__exact": conference.pk, "status__exact": "requested"}
    )
    everything = secretariat_client.get(CHANGELIST, {"participant__conference__id__exact": conference.pk})

    assert [letter.reference for letter in response.context["cl"].result_list] == [requested.reference]
    assert sorted(letter.reference for letter in everything.context["cl"].result_list) == sorted(
        [requested.reference, issued.reference]
    )


# Session, user, two-factor check; the account's permissions, its own and its group's; the conference
# filter; the filtered and the full count; the page of letters with their participants and conferences.
CHANGELIST_QUERIES = 9


@pytest.mark.parametrize("count", [1, 20])
def test_admin_list_queries_do_not_grow_with_letters(secretariat_client, conference, count, django_assert_num_queries):
    factories.LetterRequestFactory.create_batch(count, participant__conference=conference, issued=True)

    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = secretariat_client.get(CHANGELIST)

    html = response.content.decode()
    assert (response.status_code, len(response.context["cl"].result_list)) == (200, count)
    assert html.count("/letter.pdf") == count


def test_admin_change_page_shows_the_passport_details_until_issued(secretariat_client, requested):
    url = reverse("admin:registration_letterrequest_change", args=[requested.pk])

    before = secretariat_client.get(url).context["adminform"].form.fields
    services.issue_letter(requested, by=factories.StaffUserFactory())
    after = secretariat_client.get(url).context["adminform"].form.fields

    assert sorted(before) == ["nationality", "passport_expires_on", "passport_name", "passport_number"]
    assert sorted(after) == []


@pytest.mark.pdf
def test_staff_download_the_letter_from_the_admin(secretariat_client, issued):
    url = reverse("admin:registration_letterrequest_pdf", args=[issued.pk])

    response = secretariat_client.get(url)

    cache_control = {directive.strip() for directive in response["Cache-Control"].split(",")}
    assert (response.status_code, response["Content-Type"], {"private", "no-store"} <= cache_control) == (
        200,
        "application/pdf",
        True,
    )
    assert response["Content-Disposition"] == f'attachment; filename="letter-of-invitation-{issued.reference}.pdf"'
    assert pdf_lines(response.content).count("Name as in the passport Amina Diallo") == 1


def test_staff_download_of_a_letter_not_issued_not_found(secretariat_client, requested):
    response = secretariat_client.get(reverse("admin:registration_letterrequest_pdf", args=[requested.pk]))

    assert response.status_code == 404


def test_check_in_desk_cannot_see_letters(client, issued):
    client.force_login(factories.StaffUserFactory(groups=[CHECK_IN_DESK]))

    assert [
        client.get(CHANGELIST).status_code,
        client.get(reverse("admin:registration_letterrequest_pdf", args=[issued.pk])).status_code,
    ] == [403, 403]


# The PDF


@pytest.mark.pdf
def test_letter_prints_the_person_the_conference_and_the_request(issued, conference):
    year = conference.start_date.year
    day = issued.decided_at.astimezone(conference.zone)

    lines = pdf_lines(render_letter_pdf(issued))

    assert lines[:4] == [
        "United Nations",
        "United Nations Office of Counter-Terrorism",
        f"Reference: {issued.reference} Date of issue: {day.day} {day:%B} {day.year}",
        "Letter of invitation",
    ]
    assert [
        "Name as in the passport Amina Diallo",
        "Nationality Senegal",
        "Passport number A01234567",
        "Function Director, National Counter-Terrorism Agency",
        "Represents Senegal",
        "Conference Fourth Conference",
        f"Dates 1 July {year} – 3 July {year}",
        f"Venue {conference.venue.name}, New York, United States of America",
    ] == [
        line
        for line in lines
        if line.startswith(("Name as", "Nationality", "Passport", "Function", "Rep", "Conf", "Dates", "Venue"))
    ]
    text = " ".join(lines)
    assert (
        text.count(
            "The Office would be grateful to the competent authorities for facilitating the issuance of the visa"
        )
        == 1
    )
    assert text.count("This letter does not commit the United Nations to any cost") == 1


@pytest.mark.pdf
def test_letter_prints_the_passport_expiry_when_given(delegate):
    letter = factories.LetterRequestFactory(
        participant=delegate, issued=True, passport_expires_on=datetime.date(2040, 3, 31)
    )

    assert "Passport valid until 31 March 2040" in pdf_lines(render_letter_pdf(letter))


@pytest.mark.pdf
@pytest.mark.parametrize("name", ["Amina Diallo", "Мария Иванова", "فاطمة الزهراء", "王小明"])
def test_letter_name_as_in_the_passport_in_any_script(delegate, name):
    letter = factories.LetterRequestFactory(participant=delegate, issued=True, passport_name=name)

    lines = pdf_lines(render_letter_pdf(letter))

    assert [line for line in lines if name in line] == [f"Name as in the passport {name}"]


@pytest.mark.pdf
def test_letter_written_in_the_participants_language_right_to_left_in_arabic(delegate):
    delegate.language = "ar"
    delegate.save()
    letter = factories.LetterRequestFactory(participant=delegate, issued=True)
    with translation.override("ar"):
        nationality, conference_label = gettext("Nationality"), gettext("Conference")

    html = letter_html(letter)
    pdf = render_letter_pdf(letter)

    assert html.count('<html lang="ar" dir="rtl">') == 1
    page = pdfium.PdfDocument(pdf)[0]
    text = page.get_textpage()
    found = text.get_text_range()
    start = found.index(nationality)
    left, _bottom, _right, _top = text.get_charbox(start)
    # The labels stand at the start of their lines: on the right of the page in Arabic.
    assert (nationality != "Nationality", left > page.get_width() / 2) == (True, True)
    assert conference_label in found


# The QR code and the check it opens


@pytest.mark.pdf
def test_letter_qr_code_opens_the_check_of_this_letter(issued):
    [text] = qr_texts(render_letter_pdf(issued))

    token = text.removeprefix("http://127.0.0.1:8000/letters/verify/").removesuffix("/")
    assert text == verify_url(issued)
    assert (letter_reference_from_token(token), token) == (issued.reference, letter_token(issued))


def test_letter_and_badge_tokens_cannot_stand_for_each_other(issued):
    participant = issued.participant

    assert letter_reference_from_token(letter_token(issued)) == issued.reference
    assert reference_from_token(badge_token(participant)) == participant.reference
    assert letter_reference_from_token(badge_token(participant)) is None
    assert reference_from_token(letter_token(issued)) is None


def verify(client, token):
    return client.get(reverse("secretariat:letter_verify", kwargs={"token": token}))


def shown_details(response):
    html = response.content.decode()
    return [
        (term, " ".join(re.sub(r"<[^>]+>", " ", value).split()))
        for term, value in re.findall(
            r'<dt class="col-sm-3">([^<]+)</dt>\s*<dd class="col-sm-9">(.*?)</dd>', html, re.S
        )
    ]


def test_letter_check_shows_a_genuine_letter_with_the_passport_number_masked(client, issued, conference):
    day = issued.decided_at.astimezone(conference.zone)
    year = conference.start_date.year

    response = verify(client, letter_token(issued))

    html = response.content.decode()
    assert (response.status_code, response["Cache-Control"], response["X-Robots-Tag"]) == (
        200,
        "private, no-store",
        "noindex",
    )
    assert (
        html.count("The Secretariat issued this letter of invitation, and the registration it supports is approved.")
        == 1
    )
    assert shown_details(response) == [
        ("Reference", issued.reference),
        ("Date of issue", f"{day.day} {day:%B} {day.year}"),
        ("Name as in the passport", "Amina Diallo"),
        ("Nationality", "Senegal"),
        ("Passport number", "••••••567 (only its last three characters are shown)"),
        ("Conference", "Fourth Conference"),
        ("Dates", f"1 July {year} – 3 July {year}"),
        ("Venue", f"{conference.venue.name}, New York, United States of America"),
    ]
    assert "A01234567" not in html


def test_letter_check_of_a_withdrawn_registration_says_it_is_no_longer_valid(client, issued):
    issued.participant.status = "cancelled"
    issued.participant.save()

    response = verify(client, letter_token(issued))

    assert response.status_code == 200
    assert (
        response.content.decode().count(
            "The Secretariat issued this letter of invitation, but it is no longer valid: the registration it supports "
            "was withdrawn or is no longer approved."
        )
        == 1
    )


@pytest.mark.parametrize(
    "forge",
    [
        lambda letter: badge_token(letter.participant),
        lambda letter: letter_token(letter)[:-1] + ("A" if letter_token(letter)[-1] != "A" else "B"),
        lambda letter: letter.reference,
        lambda letter: (
            f"{letter.reference[:-1]}{'XY'[letter.reference[-1] == 'X']}:{letter_token(letter).split(':')[1]}"
        ),
    ],
    ids=["badge token", "signature changed", "reference alone", "reference changed"],
)
def test_letter_check_refuses_what_is_not_a_letters_token(client, issued, forge):
    response = verify(client, forge(issued))

    assert response.status_code == 404
    assert response.content.decode().count("This code matches no letter of invitation issued by the Secretariat.") == 1
    assert "Amina Diallo" not in response.content.decode()


def test_letter_check_of_a_letter_not_issued_finds_nothing(client, requested):
    assert verify(client, letter_token(requested)).status_code == 404


def test_masked_passport_number_shows_its_last_three_characters():
    assert [masked_passport_number(number) for number in ["A01234567", "AB1234", "123", ""]] == [
        "••••••567",
        "•••234",
        "•••",
        "",
    ]


# The participant's download


def letter_download_url(participant):
    return reverse("secretariat:letter", kwargs={"reference": participant.reference})


@pytest.mark.pdf
def test_participant_downloads_their_letter(client, issued):
    client.force_login(issued.participant.user)

    response = client.get(letter_download_url(issued.participant))

    assert (response.status_code, response["Content-Type"], response["Cache-Control"]) == (
        200,
        "application/pdf",
        "private, no-store",
    )
    assert response["Content-Disposition"] == f'attachment; filename="letter-of-invitation-{issued.reference}.pdf"'
    assert pdf_lines(response.content)[3] == "Letter of invitation"


def test_letter_of_someone_else_not_found(client, conference, issued):
    other = factories.LetterRequestFactory(participant__conference=conference, issued=True)
    client.force_login(other.participant.user)

    assert client.get(letter_download_url(issued.participant)).status_code == 404


def test_letter_not_yet_issued_not_found(client, requested):
    client.force_login(requested.participant.user)

    assert client.get(letter_download_url(requested.participant)).status_code == 404


def test_letter_of_a_cancelled_registration_not_given(client, issued):
    participant = issued.participant
    participant.status = "cancelled"
    participant.save()
    client.force_login(participant.user)

    response = client.get(letter_download_url(participant), follow=True)

    assert response.redirect_chain == [(participant.get_absolute_url(), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Your letter of invitation is available once your registration is approved."
    ]


def test_render_letter_refuses_a_letter_not_valid(requested):
    with pytest.raises(ValueError, match="is not issued to an approved participant"):
        render_letter_pdf(requested)
