"""Badges: what they print, their QR codes, four to a sheet, approved participants only, the download."""

import io

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from registration.models import Category
from secretariat.badges import CATEGORY_COLOURS, render_badges_pdf, text_direction
from secretariat.signing import badge_token, reference_from_token
from secretariat.views import badges_response
from tests import factories
from tests.registration.support import login_redirect

pytestmark = pytest.mark.pdf


def page_lines(pdf, page=0):
    document = pdfium.PdfDocument(pdf)
    return document[page].get_textpage().get_text_range().splitlines()


def page_count(pdf):
    return len(pdfium.PdfDocument(pdf))


def qr_texts(pdf, page=0):
    """The texts of the QR codes on a page, read from a raster at about 216 dpi, left to right, top to bottom."""
    image = pdfium.PdfDocument(pdf)[page].render(scale=3).to_pil()
    codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    codes = sorted(codes, key=lambda code: (code.position.top_left.y // 100, code.position.top_left.x))
    return [code.text for code in codes]


def font_names(pdf):
    """The fonts embedded in the PDF, without the subset prefix ("ABCDEF+")."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(font.get_object()["/BaseFont"].split("+", 1)[-1])
    return names


def embedded_images(pdf):
    """The data of the raster images in the PDF (the QR codes are vector drawings)."""
    return [image.data for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]


def jpeg(size=(300, 400), colour=(120, 90, 60)):
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="JPEG")
    return output.getvalue()


def contrast(background, text):
    """The WCAG contrast ratio of two "#rrggbb" colours."""

    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted([luminance(background), luminance(text)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture
def delegate(conference):
    return factories.ParticipantFactory(
        conference=conference, approved=True, title="dr", given_name="Amina", family_name="Diallo"
    )


def test_badge_prints_name_function_state_category_and_conference(delegate):
    lines = page_lines(render_badges_pdf([delegate]))
    # The reference is letter-spaced for reading aloud; text extraction reads the wider gap of some
    # pairs ("EJ") as a space, which is not on the badge.
    lines[8] = lines[8].replace(" ", "")

    assert lines == [
        "UNITED NATIONS",
        "Fourth Conference",
        f"1 July {delegate.conference.start_date.year} – 3 July {delegate.conference.start_date.year}",
        "Dr.",
        "Amina Diallo",
        "Director, National Counter-Terrorism Agency",
        "Senegal",
        "Reference",
        delegate.reference,
        "MEMBER STATE",
    ]


def test_badge_prints_his_or_her_excellency_with_the_title(delegate):
    delegate.excellency, delegate.title = True, "ms"

    lines = page_lines(render_badges_pdf([delegate]))

    assert lines[3:5] == ["H.E. Ms.", "Amina Diallo"]


@pytest.mark.parametrize(("code", "name"), [("VA", "Holy See"), ("PS", "State of Palestine")])
def test_badge_of_an_observer_state_prints_its_united_nations_name(conference, code, name):
    observer = factories.ParticipantFactory(
        conference=conference, approved=True, category="observer_state", represented_country=code
    )

    lines = page_lines(render_badges_pdf([observer]))

    assert (name in lines, lines[-1]) == (True, "OBSERVER STATE")


def test_badge_of_an_organization_prints_the_organization(conference):
    participant = factories.ParticipantFactory(
        conference=conference, approved=True, ngo=True, given_name="Lena", family_name="Weber", function="Adviser"
    )

    lines = page_lines(render_badges_pdf([participant]))

    assert lines[3:6] == ["Lena Weber", "Adviser", "Peace Forum"]
    assert lines[-1] == "CIVIL SOCIETY ORGANIZATION"


@pytest.mark.parametrize(
    ("given_name", "family_name", "fonts"),
    [
        ("فاطمة", "الزهراء", {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Arabic-Bold"}),
        ("小明", "王", {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-CJK-SC-Bold"}),
        ("Мария", "Иванова", {"Noto-Sans", "Noto-Sans-Bold"}),
    ],
)
def test_badge_non_latin_name_extracts_unchanged_with_noto_font(conference, given_name, family_name, fonts):
    participant = factories.ParticipantFactory(
        conference=conference, approved=True, given_name=given_name, family_name=family_name
    )

    pdf = render_badges_pdf([participant])

    assert page_lines(pdf)[3] == f"{given_name} {family_name}"
    assert font_names(pdf) == fonts


def test_badge_arabic_ligature_keeps_its_letters(conference):
    # Lam-alef is one glyph; pdfium reverses its letters when it extracts right-to-left text,
    # so the PDF's own text (its ToUnicode map) is read with pypdf here.
    participant = factories.ParticipantFactory(
        conference=conference, approved=True, given_name="سلام", family_name="الأحمد"
    )

    pdf = render_badges_pdf([participant])

    assert PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()[3] == "سلام الأحمد"


def test_badge_name_direction_follows_its_first_letter():
    assert [text_direction(text) for text in ["فاطمة الزهراء", "Amina Diallo", "王 小明", "(שרה) Cohen", "123"]] == [
        "rtl",
        "ltr",
        "ltr",
        "rtl",
        "ltr",
    ]


def test_badge_qr_code_carries_the_signed_reference(delegate):
    [token] = qr_texts(render_badges_pdf([delegate]))

    assert token == badge_token(delegate)
    assert reference_from_token(token) == delegate.reference


def test_badge_token_tampered_is_refused(delegate):
    [token] = qr_texts(render_badges_pdf([delegate]))
    reference, signature = token.split(":")
    other_letter = "B" if reference[0] != "B" else "C"
    other_sign = "a" if signature[0] != "a" else "b"

    assert reference_from_token(f"{other_letter}{reference[1:]}:{signature}") is None
    assert reference_from_token(f"{reference}:{other_sign}{signature[1:]}") is None
    assert reference_from_token(reference) is None


def test_badges_four_to_a_sheet(conference):
    participants = factories.ParticipantFactory.create_batch(5, conference=conference, approved=True)

    pdf = render_badges_pdf(participants)

    assert page_count(pdf) == 2
    assert [reference_from_token(token) for token in qr_texts(pdf, 0)] == [p.reference for p in participants[:4]]
    assert [reference_from_token(token) for token in qr_texts(pdf, 1)] == [participants[4].reference]


def test_badges_refused_for_participants_not_approved(conference, delegate):
    pending = factories.ParticipantFactory(conference=conference)
    waitlisted = factories.ParticipantFactory(conference=conference, waitlisted=True)

    with pytest.raises(ValueError, match="not approved") as error:
        render_badges_pdf([delegate, pending, waitlisted])

    assert str(error.value) == (
        f"Only approved participants get a badge; not approved: {pending.reference}, {waitlisted.reference}."
    )


def test_badges_refused_for_nobody():
    with pytest.raises(ValueError, match="No participants"):
        render_badges_pdf([])


def test_badges_from_a_queryset(conference, delegate, django_assert_num_queries):
    factories.ParticipantFactory(conference=conference, approved=True)
    participants = conference.participants.order_by("pk")

    with django_assert_num_queries(1):  # the participants with their conference
        pdf = render_badges_pdf(participants)

    assert page_count(pdf) == 1


def test_badge_photo_embedded_as_given(conference):
    photo = jpeg()
    with_photo = factories.ParticipantFactory(conference=conference, approved=True)
    with_photo.photo.save("photo.jpg", ContentFile(photo))
    without_photo = factories.ParticipantFactory(conference=conference, approved=True)

    assert embedded_images(render_badges_pdf([with_photo])) == [photo]
    assert embedded_images(render_badges_pdf([without_photo])) == []


def test_badge_photo_missing_from_storage_leaves_it_out(conference):
    participant = factories.ParticipantFactory(conference=conference, approved=True, photo="photos/gone.jpg")

    pdf = render_badges_pdf([participant])

    assert embedded_images(pdf) == []
    assert page_lines(pdf)[3] == participant.full_name


def test_badge_category_colours_distinct_and_readable():
    backgrounds = [background for background, _text in CATEGORY_COLOURS.values()]

    assert list(CATEGORY_COLOURS) == list(Category)
    assert len(set(backgrounds)) == len(Category)
    assert min(contrast(background, text) for background, text in CATEGORY_COLOURS.values()) >= 4.5


def test_badges_response_is_a_pdf_download(delegate):
    response = badges_response([delegate], "badges.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="badges.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert page_lines(response.content)[4] == "Amina Diallo"


# The participant's download.


def badge_url(participant):
    return reverse("secretariat:badge", kwargs={"reference": participant.reference})


def test_badge_download_by_the_participant(client, delegate):
    client.force_login(delegate.user)

    response = client.get(badge_url(delegate))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="badge-{delegate.reference}.pdf"'
    assert page_lines(response.content)[4] == "Amina Diallo"


def test_badge_download_of_someone_else_not_found(client, conference, delegate):
    other = factories.ParticipantFactory(conference=conference, approved=True)
    client.force_login(other.user)

    response = client.get(badge_url(delegate))

    assert response.status_code == 404


def test_badge_download_before_approval_redirects_with_message(client, conference):
    pending = factories.ParticipantFactory(conference=conference)
    client.force_login(pending.user)

    response = client.get(badge_url(pending), follow=True)

    assert response.redirect_chain == [(pending.get_absolute_url(), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Your badge is available once your registration is approved."
    ]


def test_badge_download_needs_login(client, delegate):
    response = client.get(badge_url(delegate))

    assert response.status_code == 302
    assert response["Location"] == login_redirect(badge_url(delegate))


# The Secretariat's "Print badges" action in the participants' admin.


def print_badges(client, selected):
    changelist = reverse("admin:registration_participant_changelist")
    data = {"action": "print_badges", "index": "0", "_selected_action": [p.pk for p in selected]}
    return client.post(changelist, data, follow=True)


def test_print_badges_action_prints_the_approved_and_names_the_others(client, staff_user, conference, delegate):
    pending = factories.ParticipantFactory(conference=conference, family_name="Zeller")
    client.force_login(staff_user)

    response = print_badges(client, [delegate, pending])

    assert (response.status_code, response["Content-Disposition"]) == (200, 'attachment; filename="badges.pdf"')
    assert (page_count(response.content), qr_texts(response.content)) == (1, [badge_token(delegate)])
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["1 selected participant is not approved and gets no badge."]


def test_print_badges_action_with_nobody_approved_prints_nothing(client, staff_user, conference):
    pending = factories.ParticipantFactory(conference=conference)
    client.force_login(staff_user)

    response = print_badges(client, [pending])

    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert [str(message) for message in response.context["messages"]] == [
        "None of the selected participants is approved: no badges to print."
    ]
