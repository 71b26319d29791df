"""Storage for private files (nomination documents, photos, prepared exports), out of the web server's reach."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read from the settings when used (so tests can move it), never by URL."""

    @cached_property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def private_storage():
    """The "private" storage of STORAGES: local folders, or private objects in an S3 bucket."""
    return storages["private"]


def document_path(participant, filename):
    """Never the uploader's file name: it may carry personal data or path tricks."""
    return f"nominations/{participant.conference_id}/{uuid.uuid4().hex}.pdf"


def photo_path(participant, filename):
    return f"photos/{participant.conference_id}/{uuid.uuid4().hex}.jpg"


def note_verbale_path(delegation, filename):
    return f"notes-verbales/{delegation.conference_id}/{uuid.uuid4().hex}.pdf"
