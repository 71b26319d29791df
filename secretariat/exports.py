"""Exports of participants: CSV and Excel for the Secretariat (a person's data on request: secretariat.personal_data).

Both tabular exports stream: rows are read from the database in chunks and written out
as they come, so 10,000 participants take no more memory than 2,000. Exports of more than a
page of the admin are prepared by a task worker (secretariat.tasks) into a file.
"""

import csv
import datetime
import tempfile

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference.choices import Gender
from registration.models import Attendance, Category, Status, Title

CHUNK = 2000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _label(choices):
    # One dict lookup per cell: get_FOO_display() rebuilds the choices every time.
    labels = dict(choices)
    return lambda value: labels.get(value, value)


STATUS, TITLE, GENDER = _label(Status.choices), _label(Title.choices), _label(Gender.choices)
CATEGORY, ATTENDANCE = _label(Category.choices), _label(Attendance.choices)


def form_of_address(participant):
    """ "H.E. Ms.": Participant.form_of_address without rebuilding the title's choices per row."""
    parts = (_("H.E.") if participant.excellency else "", TITLE(participant.title))
    return " ".join(str(part) for part in parts if part)


def conference_time(participant, moment):
    """A moment in the conference's own zone, with the zone's abbreviation: "2021-06-28 10:00 EDT"."""
    if moment is None:
        return ""
    return moment.astimezone(participant.conference.zone).strftime("%Y-%m-%d %H:%M %Z")


COLUMNS = [
    (_("Reference"), lambda p: p.reference),
    (_("Conference"), lambda p: p.conference.title),
    (_("Status"), lambda p: STATUS(p.status)),
    (_("Title"), lambda p: form_of_address(p)),
    (_("Given name"), lambda p: p.given_name),
    (_("Family name"), lambda p: p.family_name),
    (_("Email"), lambda p: p.email),
    (_("Gender"), lambda p: GENDER(p.gender)),
    (_("Nationality"), lambda p: p.nationality.name),
    (_("Category"), lambda p: CATEGORY(p.category)),
    (_("Member State or organization"), lambda p: p.represents),
    (_("Function"), lambda p: p.function),
    (_("Attendance"), lambda p: ATTENDANCE(p.attendance)),
    (_("Accessibility needs"), lambda p: p.accessibility_needs),
    (_("Registered at (conference time)"), lambda p: conference_time(p, p.created_at)),
    (_("Decided at (conference time)"), lambda p: conference_time(p, p.decided_at)),
    (_("Checked in at (conference time)"), lambda p: conference_time(p, p.checked_in_at)),
    (_("In the public list"), lambda p: bool(p.public_list_consent_at)),
]


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header():
    return [str(label) for label, _value in COLUMNS]


def rows(participants):
    """The rows of `participants`: a queryset (read in chunks, by pk) or any iterable of them."""
    if isinstance(participants, QuerySet):
        participants = participants.select_related("conference").order_by("pk").iterator(chunk_size=CHUNK)
    for participant in participants:
        yield [safe_cell(value(participant)) for _label, value in COLUMNS]


class _Echo:
    """A file-like object that hands back what is written: csv.writer writes, the response streams."""

    def write(self, value):
        return value


def csv_response(queryset, filename):
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in _with_header(rows(queryset)))
    response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _with_header(body):
    yield header()
    yield from body


def _with_bom(lines):
    yield "\ufeff"  # so that spreadsheet programs read UTF-8 (Arabic, Chinese, Cyrillic names)
    yield from lines


def write_csv(participants, output, progress=None):
    """The CSV export into `output`, a binary file; `progress(rows written)` after each chunk."""
    writer = csv.writer(_Echo())
    output.write(b"\xef\xbb\xbf")  # the BOM: see _with_bom
    for count, row in enumerate(_with_header(rows(participants))):
        output.write(writer.writerow(row).encode())
        if progress and count and count % CHUNK == 0:
            progress(count)


def write_xlsx(participants, output, progress=None):
    """The Excel export into `output`, a binary file; `progress(rows written)` after each chunk."""
    from openpyxl import Workbook  # imported here: only this export needs it

    workbook = Workbook(write_only=True)  # rows go to disk as they are added
    sheet = workbook.create_sheet(str(_("Participants")))
    sheet.append(header())
    for count, row in enumerate(rows(participants), start=1):
        sheet.append(row)
        if progress and count % CHUNK == 0:
            progress(count)
    workbook.save(output)


def xlsx_response(queryset, filename):
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    write_xlsx(queryset, output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
