"""Helpers for the registration tests: real PDF files, a complete form submission, stored documents."""

import datetime
import io
import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter


def july_1(years_ahead=1):
    """1 July of a coming year: always ahead of today, whatever today is, and in New York's summer time (EDT).

    A function, not a constant, so that it reads the clock when a test runs: conftest modules are imported before
    --clock-offset-days moves the clock."""
    return datetime.date(timezone.localdate().year + years_ahead, 7, 1)


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def pdf_bytes(pages=1):
    """A real PDF file that pypdf writes, with `pages` blank A4 pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name="note-verbale.pdf", content=None, content_type="application/pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type=content_type)


def registration_data(**overrides):
    """What a Member State delegate types in the registration form; `overrides` change or add fields."""
    data = {
        "title": "dr",
        "given_name": "Amina",
        "family_name": "Diallo",
        "email": "amina.diallo@example.org",
        "gender": "female",
        "nationality": "SN",
        "category": "member_state",
        "represented_country": "SN",
        "organization": "",
        "function": "Director, National Counter-Terrorism Agency",
        "attendance": "in_person",
        "accessibility_needs": "",
        "nomination_document": pdf_upload(),
        "data_consent": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def register_url(conference):
    return reverse("registration:register", kwargs={"slug": conference.slug})


def stored_documents():
    """The files under settings.PRIVATE_MEDIA_ROOT, relative to it."""
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def links(text, prefix="http"):
    """Every URL in `text` that starts with `prefix`, in order."""
    return re.findall(rf"{re.escape(prefix)}\S+", text)


def login_redirect(url):
    return f"{reverse('account_login')}?next={url}"
