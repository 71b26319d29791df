"""Uploads are limited while they arrive: a file past the limit is counted, never kept, and refused
with its true size; private files in an S3 bucket stay private objects, served only by the app."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.uploads import OversizedUpload
from registration.models import Participant
from tests.registration.support import pdf_bytes, pdf_upload, register_url, registration_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_file_past_the_limit_is_counted_but_not_kept(settings):
    settings.UPLOAD_MAX_BYTES = 100_000
    request = RequestFactory().post("/", {"document": pdf_upload(content=b"%PDF-" + b"x" * 3_000_000)})

    upload = request.FILES["document"]

    assert (type(upload), upload.size, upload.read()) == (OversizedUpload, 3_000_005, b"")


def test_file_within_the_limit_arrives_whole(settings):
    settings.UPLOAD_MAX_BYTES = 100_000
    content = pdf_bytes()

    upload = RequestFactory().post("/", {"document": pdf_upload(content=content)}).FILES["document"]

    assert upload.read() == content


def test_oversized_nomination_document_refused_with_its_size(person_client, conference, settings):
    settings.UPLOAD_MAX_BYTES = 1_000_000
    big = pdf_upload(content=pdf_bytes() + b"%" * 7_000_000)

    response = person_client.post(register_url(conference), registration_data(nomination_document=big))

    assert response.context["form"].errors["nomination_document"] == [
        "The document is 6.7\xa0MB; the limit is 5.0\xa0MB."
    ]
    assert Participant.objects.count() == 0


def test_oversized_conference_resource_refused(settings):
    from django.core.exceptions import ValidationError

    from conference.models.conferences import validate_upload_size

    settings.UPLOAD_MAX_BYTES = 1_000

    with pytest.raises(ValidationError) as refused:
        validate_upload_size(OversizedUpload("agenda.pdf", "application/pdf", 3_000))
    validate_upload_size(OversizedUpload("agenda.pdf", "application/pdf", 1_000))  # at the limit: accepted

    assert refused.value.messages == ["The file is 2.9\xa0KB; the limit is 1000\xa0bytes."]


def s3_storages():
    """STORAGES as the settings build them when DJANGO_S3_BUCKET is set."""
    environment = {"DJANGO_S3_BUCKET": "conference-files", "DJANGO_S3_REGION": "us-east-1", "PATH": "/usr/bin:/bin"}
    script = (
        "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.STORAGES))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout)


def test_private_files_in_s3_are_private_objects_served_by_the_app(person_client, conference, settings, monkeypatch):
    import boto3
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="conference-files")
        settings.STORAGES = s3_storages()
        field = Participant._meta.get_field("nomination_document")
        from django.core.files.storage import storages

        monkeypatch.setattr(field, "storage", storages["private"])

        response = person_client.post(register_url(conference), registration_data())
        participant = Participant.objects.get()
        key = f"private/{participant.nomination_document.name}"
        grants = s3.get_object_acl(Bucket="conference-files", Key=key)["Grants"]
        download = person_client.get(reverse("registration:document", args=[participant.reference]))
        signed_url = participant.nomination_document.url

    assert response.status_code == 302
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner's only: no public read
    assert (download.status_code, b"".join(download.streaming_content)) == (200, pdf_bytes())
    assert ("Signature=" in signed_url, "Expires=" in signed_url) == (True, True)
