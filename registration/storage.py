"""Storage for nomination documents, out of the web server's reach."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    # A callable, so that tests (and deployments) can move PRIVATE_MEDIA_ROOT.
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def document_path(participant, filename):
    """Never the uploader's file name: it may carry personal data or path tricks."""
    return f"nominations/{participant.conference_id}/{uuid.uuid4().hex}.pdf"


def photo_path(participant, filename):
    return f"photos/{participant.conference_id}/{uuid.uuid4().hex}.jpg"
