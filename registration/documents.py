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
        reader = PdfReader(upload)
        pages = len(reader.pages)
        active = active_content(reader)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise ValidationError(_("The PDF file could not be read; it may be damaged."), code="unreadable") from None
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError(_("The PDF file has no pages."), code="empty")
    if active == TOO_COMPLEX:
        raise ValidationError(
            _("The PDF file is too complex to be checked; please send a simpler one."), code="complex"
        )
    if active:
        raise ValidationError(
            _(
                "The PDF file holds active content (scripts, actions that open other files, attached files or "
                "forms that send data), which staff must not be asked to open. Please send a plain PDF, for "
                "example by printing the document to PDF again."
            ),
            code="active_content",
        )


# What a PDF may carry that acts when staff open it: scripts, launching programs or other
# files, attached files, forms that send or fetch data, embedded media.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/RichMediaExecute"}
# A document of a few pages holds some hundreds of objects, nested a few levels deep.
MAX_OBJECTS = 50_000
MAX_DEPTH = 64
TOO_COMPLEX = "too complex"


def active_content(reader):
    """The first active element found in the PDF's objects ("/JavaScript", "/Launch", ...), TOO_COMPLEX
    for a file past the limits, or None. Walks every object reachable from the trailer, each once,
    without recursion, reading names as pypdf decodes them (so "/J#53" is "/JS")."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen, stack, count = set(), [(reader.trailer, 0)], 0
    while stack:
        obj, depth = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        count += 1
        if depth > MAX_DEPTH or count > MAX_OBJECTS:
            return TOO_COMPLEX
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in ACTIVE_KEYS or (key == "/S" and value in ACTIVE_ACTIONS):
                    return str(key if key in ACTIVE_KEYS else value)
                stack.append((value, depth + 1))
        elif isinstance(obj, ArrayObject):
            stack.extend((item, depth + 1) for item in obj)
    return None


PHOTO_MAX_PIXELS = (600, 800)
# A small file can hold a huge image that would take gigabytes to decode: refuse it first.
PHOTO_MAX_SOURCE_PIXELS = 25_000_000


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
