"""Letters of invitation: one A4 page asking the authorities to facilitate a participant's visa, in the
participant's language, with a QR code of the address where anyone can check that it is genuine.

WeasyPrint lays the letter out from templates/secretariat/letter.html, as it does badges.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from registration.models import LetterRequest, LetterStatus
from secretariat.badges import qr_code_uri, text_direction
from secretariat.signing import letter_reference_from_token, letter_token

# A passport number on the page anyone with the letter's code may open: enough to compare with the
# passport in hand, not enough to copy it.
PASSPORT_DIGITS_SHOWN = 3


def verify_url(letter):
    """The absolute address of the letter's check, without a language prefix: it opens in the reader's language."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("secretariat:letter_verify", kwargs={"token": letter_token(letter)})
    return settings.SITE_URL + path


def letter_for_token(token):
    """The letter a token vouches for, with its participant and conference; None for a forged or unknown
    token, and for a letter whose personal data were removed after the retention period."""
    reference = letter_reference_from_token(token)
    if reference is None:
        return None
    return (
        LetterRequest.objects.select_related("participant__conference__venue")
        .filter(reference=reference, status=LetterStatus.ISSUED, participant__anonymized_at__isnull=True)
        .first()
    )


def masked_passport_number(number):
    """ "••••••123": the last three characters only."""
    shown = number[-PASSPORT_DIGITS_SHOWN:] if len(number) > PASSPORT_DIGITS_SHOWN else ""
    return "•" * (len(number) - len(shown)) + shown


def issued_on(letter):
    """The day of issue in the conference's zone, where the Secretariat that signs it works."""
    return timezone.localtime(letter.decided_at, letter.participant.conference.zone).date()


def render_letter_pdf(letter):
    """The PDF (bytes) of a letter, in its participant's language.

    Only a valid letter (issued, for a participant still approved) is printed: anything else is a
    mistake of the caller, and raises ValueError."""
    if not letter.is_valid:
        raise ValueError(f"Letter {letter.reference} is not issued to an approved participant.")
    from weasyprint import HTML  # imported here: only letter downloads need it

    return HTML(string=letter_html(letter)).write_pdf()


def letter_html(letter):
    """The letter's page for WeasyPrint, in its participant's language and direction."""
    participant = letter.participant
    url = verify_url(letter)
    with translation.override(participant.language):
        represents = participant.represents  # a State's name in the letter's language
        context = {
            "letter": letter,
            "participant": participant,
            "conference": participant.conference,
            "venue": participant.conference.venue,
            "issued_on": issued_on(letter),
            "represents": represents,
            "name_direction": text_direction(letter.passport_name),
            "function_direction": text_direction(participant.function),
            "represents_direction": text_direction(represents),
            "verify_url": url,
            "qr_code": qr_code_uri(url),
        }
        return render_to_string("secretariat/letter.html", context)
