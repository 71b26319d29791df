"""Checks on uploaded nomination documents: a real PDF, within the size limit."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"


def check_size(upload, message):
    limit = settings.REGISTRATION_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            message, params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}, code="too_large"
        )


def validate_pdf(upload):
    """Accept only a PDF that a PDF library can open, whatever the file is called."""
    check_size(upload, _("The document is %(size)s; the limit is %(limit)s."))
    upload.seek(0)
    if upload.read(len(PDF_MAGIC)) != PDF_MAGIC:
        raise ValidationError(_("The document must be a PDF file."), code="not_pdf")
    upload.seek(0)
    from pypdf import PdfReader  # imported here: only uploads need it
    from pypdf.errors import PdfReadError

    try:
        pages = len(PdfReader(upload).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise ValidationError(_("The PDF file could not be read; it may be damaged."), code="unreadable") from None
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError(_("The PDF file has no pages."), code="empty")


PHOTO_MAX_PIXELS = (600, 800)
# A small file can hold a huge image that would take gigabytes to decode: refuse it first.
PHOTO_MAX_SOURCE_PIXELS = 40_000_000


def normalized_photo(upload):
    """A badge photo as a small JPEG without metadata, or a ValidationError if it is not an image."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image, ImageOps, UnidentifiedImageError

    check_size(upload, _("The photo is %(size)s; the limit is %(limit)s."))
    try:
        upload.seek(0)
        image = Image.open(upload)  # reads the header only
        if image.width * image.height > PHOTO_MAX_SOURCE_PIXELS:
            raise ValidationError(_("The photo is too large; please send a smaller one."), code="too_many_pixels")
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("The photo must be a JPEG or PNG image."), code="not_image") from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail(PHOTO_MAX_PIXELS)
    output = BytesIO()
    image.save(output, format="JPEG", quality=88)  # saving anew drops EXIF data such as location
    return ContentFile(output.getvalue(), name="photo.jpg")
