"""Badges: A4 sheets of four (2 × 2, each 105 × 148.5 mm), one badge per approved participant.

WeasyPrint lays the sheets out from templates/secretariat/badges.html; each badge carries
a QR code (segno) of the signed token that the check-in desk scans (registration.signing).
"""

import base64
import logging
import unicodedata

from django.db.models import QuerySet
from django.template.loader import render_to_string

from registration.models import Category, Status
from secretariat.signing import badge_token

logger = logging.getLogger(__name__)

BADGES_PER_SHEET = 4
# A name longer than this is set smaller, so that it keeps to two lines.
LONG_NAME = 26

# The band of each category: (background, text). Every pair keeps a contrast of at least
# 4.5:1 (tests/registration/test_badges.py checks it), and the category is also printed in
# words, so colour is never the only cue.
CATEGORY_COLOURS = {
    Category.MEMBER_STATE: ("#003f87", "#ffffff"),  # dark blue
    Category.OBSERVER_STATE: ("#6a1b9a", "#ffffff"),  # purple
    Category.UN_ENTITY: ("#009edb", "#000000"),  # UN blue
    Category.INTERNATIONAL_ORGANIZATION: ("#00796b", "#ffffff"),  # teal
    Category.CIVIL_SOCIETY: ("#7cb342", "#000000"),  # light green
    Category.PRIVATE_SECTOR: ("#e65100", "#000000"),  # orange
    Category.ACADEMIA: ("#b71c1c", "#ffffff"),  # dark red
    Category.MEDIA: ("#fdd835", "#000000"),  # yellow
}


def render_badges_pdf(participants):
    """The PDF (bytes) of the badges of `participants`, in the order given.

    Every participant must be approved: a badge opens the doors, so a list with anyone else
    in it is a mistake of the caller, who should choose (and tell) whom to leave out.
    Raises ValueError for such a list and for an empty one.
    """
    if isinstance(participants, QuerySet):
        participants = participants.select_related("conference")
    participants = list(participants)
    not_approved = [p.reference for p in participants if p.status != Status.APPROVED]
    if not_approved:
        raise ValueError(f"Only approved participants get a badge; not approved: {', '.join(not_approved)}.")
    if not participants:
        raise ValueError("No participants to print badges for.")
    from weasyprint import HTML  # imported here: only badge downloads need it

    badges = [_badge(participant) for participant in participants]
    sheets = [badges[start : start + BADGES_PER_SHEET] for start in range(0, len(badges), BADGES_PER_SHEET)]
    html = render_to_string("secretariat/badges.html", {"sheets": sheets, "category_colours": CATEGORY_COLOURS.items()})
    return HTML(string=html).write_pdf()


def _badge(participant):
    name = participant.full_name
    return {
        "participant": participant,
        "directions": {
            "name": text_direction(name),
            "function": text_direction(participant.function),
            "represents": text_direction(participant.represents),
        },
        "long_name": len(name) > LONG_NAME,
        "qr_code": qr_code_uri(badge_token(participant)),
        "photo": photo_uri(participant),
    }


def qr_code_uri(text):
    """An SVG data: URI of the QR code of `text`, at error correction level M exactly."""
    import segno  # imported here: only badges need it

    return segno.make_qr(text, error="m", boost_error=False).svg_data_uri(border=4)


def photo_uri(participant):
    """The participant's photo as a JPEG data: URI; None without a photo (or when its file is gone)."""
    if not participant.photo:
        return None
    try:
        with participant.photo.open("rb") as photo:
            data = photo.read()
    except FileNotFoundError:
        logger.warning("The photo of participant %s is missing from the storage.", participant.reference)
        return None
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")


def text_direction(text):
    """ "rtl" or "ltr" after the first strongly directional letter, as HTML's dir="auto" decides.

    WeasyPrint does not implement dir="auto", so the PDF templates are told the direction.
    """
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
