"""Long jobs for the Secretariat (badge batches, large exports) run on the task worker: the request
only queues them, staff follow the progress, and only the person who asked downloads the file."""

import datetime
import io
import logging

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.admin.participants import BADGES_AT_ONCE
from secretariat.models import PreparedFile
from secretariat.roles import CHECK_IN_DESK, SECRETARIAT
from secretariat.services import remove_old_prepared_files
from secretariat.signing import badge_token
from tests import factories
from tests.secretariat.test_badges import page_count, page_lines, qr_texts

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registration_participant_changelist")


def page(prepared):
    return reverse("admin:secretariat_preparedfile_change", args=[prepared.pk])


def download(prepared):
    return reverse("admin:secretariat_preparedfile_download", args=[prepared.pk])


def staff(email, groups=(SECRETARIAT,)):
    client = Client()
    client.force_login(factories.StaffUserFactory(email=email, groups=list(groups)))
    return client


@pytest.fixture
def secretary():
    return staff("secretary@un.org")


def act(client, action, selected):
    data = {"action": action, "index": "0", "_selected_action": [p.pk for p in selected]}
    return client.post(CHANGELIST, data)


@pytest.mark.pdf
def test_badge_batch_is_prepared_by_the_worker_with_its_progress(secretary, conference):
    approved = factories.ParticipantFactory.create_batch(BADGES_AT_ONCE + 5, conference=conference, approved=True)
    pending = factories.ParticipantFactory(conference=conference)

    response = act(secretary, "print_badges", [*approved, pending])

    prepared = PreparedFile.objects.get()
    progress = secretary.get(response["Location"])
    pdf = secretary.get(download(prepared))
    content = b"".join(pdf.streaming_content)
    first = sorted(approved, key=lambda p: (p.family_name, p.given_name, p.pk))[0]
    assert (response.status_code, response["Location"]) == (302, page(prepared))
    assert (prepared.kind, prepared.state, prepared.done, prepared.total) == ("badges", "ready", 25, 25)
    assert "25 of 25" in progress.content.decode()
    assert f'href="{download(prepared)}"' in progress.content.decode()
    assert (pdf.status_code, pdf["Content-Disposition"], "private, no-store" in pdf["Cache-Control"]) == (
        200,
        'attachment; filename="badges.pdf"',
        True,
    )
    assert (page_count(content), qr_texts(content)[0]) == (7, badge_token(first))  # four a sheet
    assert first.family_name in "\n".join(page_lines(content))


def test_progress_page_while_the_worker_has_not_finished(secretary, conference, settings, django_user_model):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no worker yet
    prepared = PreparedFile.objects.create(
        kind="csv", requested_by=django_user_model.objects.get(email="secretary@un.org"), total=500, done=312
    )

    text = secretary.get(page(prepared)).content.decode()
    listing = secretary.get(reverse("admin:secretariat_preparedfile_changelist")).content.decode()

    assert ("Waiting for its turn" in text, "312 of 500" in text) == (True, True)
    assert '<progress max="500" value="312">' in text
    assert ("Check again" in text, download(prepared) in text) == (True, False)
    assert "312 of 500" in listing
    assert secretary.get(download(prepared)).status_code == 404  # nothing to download yet


def test_large_export_is_prepared_and_small_one_streams(secretary, conference, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    participants = factories.ParticipantFactory.create_batch(101, conference=conference)

    small = act(secretary, "export_csv", participants[:100])
    large = act(secretary, "export_xlsx", participants)

    prepared = PreparedFile.objects.get()
    assert (small.status_code, small.streaming, PreparedFile.objects.count()) == (200, True, 1)
    assert (large["Location"], prepared.kind, prepared.state, prepared.total) == (page(prepared), "xlsx", "queued", 101)


def test_prepared_export_in_the_language_of_the_person_who_asked(secretary, conference):
    participants = factories.ParticipantFactory.create_batch(101, conference=conference)

    secretary.post(
        "/fr" + CHANGELIST,
        {"action": "export_csv", "index": "0", "_selected_action": [p.pk for p in participants]},
    )

    prepared = PreparedFile.objects.get()
    with prepared.file.open("rb") as content:
        header = content.read().decode("utf-8").splitlines()[0]
    assert (prepared.language, header.split(",")[:2]) == ("fr", ["\ufeffRéférence", "Conférence"])


def test_other_staff_cannot_see_or_download_someone_elses_file(secretary, conference):
    act(secretary, "export_csv", factories.ParticipantFactory.create_batch(101, conference=conference))
    prepared = PreparedFile.objects.get()
    colleague, desk = staff("colleague@un.org"), staff("desk@un.org", groups=[CHECK_IN_DESK])

    assert [colleague.get(page(prepared)).status_code, colleague.get(download(prepared)).status_code] == [404, 404]
    assert [desk.get(page(prepared)).status_code, desk.get(download(prepared)).status_code] == [403, 403]
    listing = colleague.get(reverse("admin:secretariat_preparedfile_changelist"))
    assert listing.context["cl"].result_count == 0
    assert secretary.get(download(prepared)).status_code == 200


def test_failed_job_says_so(secretary, conference, monkeypatch, caplog):
    from secretariat import tasks

    def broken(prepared, output):
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(tasks.MAKERS, PreparedFile.Kind.CSV, broken)
    with caplog.at_level(logging.CRITICAL):
        act(secretary, "export_csv", factories.ParticipantFactory.create_batch(101, conference=conference))

    prepared = PreparedFile.objects.get()
    text = secretary.get(page(prepared)).content.decode()
    assert (prepared.state, prepared.error) == ("failed", "RuntimeError: the disk is full")
    assert "The file could not be prepared." in text


def test_prepared_files_removed_after_two_days(secretary, conference):
    act(secretary, "export_csv", factories.ParticipantFactory.create_batch(101, conference=conference))
    prepared = PreparedFile.objects.get()
    name = prepared.file.name

    kept = remove_old_prepared_files(now=timezone.now() + datetime.timedelta(days=1))
    removed = remove_old_prepared_files(now=timezone.now() + datetime.timedelta(days=2, minutes=1))

    assert (kept, removed, PreparedFile.objects.count(), prepared.file.storage.exists(name)) == (0, 1, 0, False)


def test_purge_command_queues_the_work(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    out = io.StringIO()

    call_command("purge_personal_data", stdout=out)

    from django_tasks_db.models import DBTaskResult

    assert out.getvalue() == "The removal is queued; a task worker does it.\n"
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == ["secretariat.tasks.purge_personal_data"]
