"""Uploads never fill memory or disk: a file past UPLOAD_MAX_BYTES stops being kept as it arrives."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(UploadedFile):
    """A file whose content was dropped for its size: empty, but with the size that was sent, so
    that the form's size check refuses it with the usual message."""

    def __init__(self, name, content_type, size, charset=None):
        from io import BytesIO

        super().__init__(BytesIO(), name, content_type, size, charset)


class SizeLimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: passes chunks on to the memory or temporary-file handler
    until the file passes the limit, then counts the rest without keeping it."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return None if self.received > settings.UPLOAD_MAX_BYTES else raw_data

    def file_complete(self, file_size):
        if self.received > settings.UPLOAD_MAX_BYTES:
            return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)
        return None  # the next handler's file
