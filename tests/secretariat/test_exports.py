"""Exports of participants for the Secretariat: CSV and Excel, streamed; one person's data as JSON."""

import csv
import io
import json
import random
import tracemalloc

import openpyxl
import pytest
from django.urls import reverse

from registration.models import OutgoingEmail, Participant, SeatRequest
from registration.sample import create_sample_participants
from secretariat.models import PreparedFile
from secretariat.roles import SECRETARIAT
from secretariat.tasks import prepare_file
from tests import factories
from tests.registration.support import utc

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registration_participant_changelist")
BOM = "\ufeff"
HEADER = [
    "Reference",
    "Conference",
    "Status",
    "Title",
    "Given name",
    "Family name",
    "Email",
    "Gender",
    "Nationality",
    "Category",
    "Member State or organization",
    "Function",
    "Attendance",
    "Accessibility needs",
    "Registered at (conference time)",
    "Decided at (conference time)",
    "Checked in at (conference time)",
    "In the public list",
]
# Peak memory of Python allocations while the CSV streams out. Measured on SQLite and PostgreSQL:
# about 9.3-9.6 MB for 4,000 and for 10,000 participants alike (two chunks of 2,000 rows at most).
# Holding all rows instead grows with their number: from 4,000 to 10,000 participants, model
# instances built at once take 18-20 MB, then 46-49 MB; lists of all rows grow by about 5 MB;
# the whole CSV text kept in memory grows by about 1.5 MB.
MEMORY_BOUND = 20 * 1024 * 1024
MEMORY_GROWTH_BOUND = 1024 * 1024


@pytest.fixture
def secretariat_client(client):
    client.force_login(factories.StaffUserFactory(email="secretary@un.org", groups=[SECRETARIAT]))
    return client


@pytest.fixture
def conference(db):
    return factories.ConferenceFactory(title="Fourth Conference", format="hybrid")


@pytest.fixture
def fatima(conference):
    """An approved Egyptian delegate, checked in, with her name in Arabic."""
    participant = factories.ParticipantFactory(
        conference=conference,
        approved=True,
        title="ms",
        given_name="فاطمة",
        family_name="الزهراء",
        email="fatima@example.org",
        nationality="EG",
        represented_country="EG",
        function="المديرة العامة",
        accessibility_needs="Wheelchair access",
        public_list_consent_at=utc(2030, 5, 2, 8, 30),
        data_consent_at=utc(2030, 5, 2, 8, 30),
    )
    Participant.objects.filter(pk=participant.pk).update(
        created_at=utc(2030, 5, 2, 8, 30), decided_at=utc(2030, 6, 1, 12), checked_in_at=utc(2030, 7, 1, 13, 5)
    )
    participant.refresh_from_db()
    return participant


@pytest.fixture
def wang(conference):
    """A pending online participant from an organization, name in Chinese, a function that looks like a formula."""
    participant = factories.ParticipantFactory(
        conference=conference,
        category="igo",
        represented_country="",
        organization="上海合作组织地区反恐怖机构",
        given_name="伟",
        family_name="王",
        email="wang.wei@example.org",
        gender="male",
        nationality="CN",
        function='=HYPERLINK("http://example.com/x","Click")',
        attendance="online",
    )
    Participant.objects.filter(pk=participant.pk).update(created_at=utc(2030, 5, 3, 9, 45))
    participant.refresh_from_db()
    return participant


def fatima_row(p):
    return [
        p.reference,
        "Fourth Conference",
        "Approved",
        "Ms.",
        "فاطمة",
        "الزهراء",
        "fatima@example.org",
        "Female",
        "Egypt",
        "Member State",
        "Egypt",
        "المديرة العامة",
        "In person",
        "Wheelchair access",
        "2030-05-02 04:30 EDT",
        "2030-06-01 08:00 EDT",
        "2030-07-01 09:05 EDT",
        "yes",
    ]


def wang_row(p):
    return [
        p.reference,
        "Fourth Conference",
        "Pending",
        "",
        "伟",
        "王",
        "wang.wei@example.org",
        "Male",
        "China",
        "International or regional organization",
        "上海合作组织地区反恐怖机构",
        '\'=HYPERLINK("http://example.com/x","Click")',
        "Online",
        "",
        "2030-05-03 05:45 EDT",
        "",
        "",
        "no",
    ]


def export(client, action, selected=(), query="", select_across=False):
    """Run an admin action on the participants' changelist as the browser posts it."""
    data = {"action": action, "index": "0", "_selected_action": [p.pk for p in selected]}
    if select_across:
        data["select_across"] = "1"
    return client.post(CHANGELIST + query, data)


def csv_text(response):
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    text = csv_text(response)
    assert text[0] == BOM
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return workbook.sheetnames, [list(row) for row in workbook["Participants"].iter_rows(values_only=True)]


# CSV


def test_csv_has_header_and_exact_rows_of_the_selected(secretariat_client, fatima, wang):
    factories.ParticipantFactory(conference=fatima.conference, given_name="Not", family_name="Selected")

    response = export(secretariat_client, "export_csv", [wang, fatima])

    assert (response.status_code, response.streaming) == (200, True)
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "text/csv; charset=utf-8",
        'attachment; filename="participants.csv"',
    )
    assert csv_rows(response) == [HEADER, fatima_row(fatima), wang_row(wang)]


def test_csv_starts_with_a_bom_and_keeps_arabic_and_chinese(secretariat_client, fatima, wang):
    content = b"".join(export(secretariat_client, "export_csv", [fatima, wang]).streaming_content)

    assert content.startswith(b"\xef\xbb\xbfReference,Conference,")
    assert ("فاطمة,الزهراء".encode() in content, "伟,王".encode() in content) == (True, True)


def test_csv_streams_line_by_line(secretariat_client, fatima, wang):
    response = export(secretariat_client, "export_csv", [fatima, wang])

    chunks = list(response.streaming_content)

    assert (len(chunks), chunks[0], chunks[1]) == (4, BOM.encode(), (",".join(HEADER) + "\r\n").encode())


@pytest.mark.parametrize(
    ("function", "exported"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tTab", "'\tTab"),
        ("Head of unit = leader", "Head of unit = leader"),
        ("Directeur-adjoint", "Directeur-adjoint"),
    ],
)
def test_csv_neutralises_formulas(secretariat_client, conference, function, exported):
    participant = factories.ParticipantFactory(conference=conference, function=function, family_name="=cmd|' /C'!A0")

    row = csv_rows(export(secretariat_client, "export_csv", [participant]))[1]

    assert (row[HEADER.index("Function")], row[HEADER.index("Family name")]) == (exported, "'=cmd|' /C'!A0")


@pytest.fixture
def population(conference):
    """Five participants that the admin's filters and search tell apart; one at another conference."""
    other = factories.ConferenceFactory(title="Fifth Conference")
    return {
        "sn": factories.ParticipantFactory(
            conference=conference, family_name="Diallo", approved=True, checked_in_at=utc(2030, 7, 1, 13, 5)
        ),
        "fr": factories.ParticipantFactory(
            conference=conference,
            family_name="Martin",
            gender="male",
            nationality="FR",
            represented_country="FR",
            online=True,
        ),
        "ngo": factories.ParticipantFactory(conference=conference, family_name="Okafor", ngo=True, waitlisted=True),
        "igo": factories.ParticipantFactory(
            conference=conference,
            family_name="Ivanov",
            gender="male",
            category="igo",
            represented_country="",
            organization="Sample Regional Organization",
            approved=True,
        ),
        "other": factories.ParticipantFactory(
            conference=other, family_name="Tanaka", nationality="JP", represented_country="JP"
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["sn", "fr", "ngo", "igo", "other"]),
        ("?state=SN", ["sn"]),
        ("?state=FR", ["fr"]),
        ("?organization=Peace+Forum", ["ngo"]),
        ("?status__exact=approved", ["sn", "igo"]),
        ("?category__exact=member_state", ["sn", "fr", "other"]),
        ("?gender__exact=male", ["fr", "igo"]),
        ("?attendance__exact=online", ["fr"]),
        ("?checked_in_at__isempty=0", ["sn"]),
        ("?status__exact=approved&checked_in_at__isempty=1", ["igo"]),
        ("?q=Okafor", ["ngo"]),
        ("?q=Sample+Regional", ["igo"]),
    ],
)
def test_csv_of_all_filtered_exports_exactly_the_filtered(secretariat_client, population, query, expected):
    shown = population["sn"]  # the checkbox the browser sends with "select all"

    rows = csv_rows(export(secretariat_client, "export_csv", [shown], query=query, select_across=True))

    assert [row[0] for row in rows[1:]] == [population[key].reference for key in expected]


def test_csv_of_all_of_one_conference(secretariat_client, population):
    other = population["other"]

    rows = csv_rows(
        export(
            secretariat_client,
            "export_csv",
            [other],
            query=f"?conference__id__exact={other.conference_id}",
            select_across=True,
        )
    )

    assert [(row[0], row[1], row[5]) for row in rows[1:]] == [(other.reference, "Fifth Conference", "Tanaka")]


@pytest.mark.parametrize("key", ["sn", "igo"])
def test_csv_search_by_email_and_reference(secretariat_client, population, key):
    participant = population[key]

    by_email = csv_rows(
        export(secretariat_client, "export_csv", [participant], query=f"?q={participant.email}", select_across=True)
    )
    by_reference = csv_rows(
        export(secretariat_client, "export_csv", [participant], query=f"?q={participant.reference}", select_across=True)
    )

    assert ([row[0] for row in by_email[1:]], [row[0] for row in by_reference[1:]]) == (
        [participant.reference],
        [participant.reference],
    )


def test_csv_filter_without_select_across_exports_only_the_ticked(secretariat_client, population):
    rows = csv_rows(export(secretariat_client, "export_csv", [population["fr"]], query="?status__exact=approved"))

    assert rows[1:] == []


def test_lists_exported_never_hold_passport_details(secretariat_client, fatima, wang):
    factories.LetterRequestFactory(participant=fatima, passport_name="FATIMA ALZAHRAA", passport_number="P98765432")

    csv_export = csv_rows(export(secretariat_client, "export_csv", [fatima, wang]))
    _sheets, excel_export = xlsx_rows(export(secretariat_client, "export_xlsx", [fatima, wang]))

    assert csv_export == [HEADER, fatima_row(fatima), wang_row(wang)]
    assert excel_export == [HEADER, fatima_row(fatima), [value or None for value in wang_row(wang)]]


# Excel


def test_excel_has_header_and_exact_rows(secretariat_client, fatima, wang):
    response = export(secretariat_client, "export_xlsx", [fatima, wang])

    assert (response.status_code, response.streaming) == (200, True)
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        'attachment; filename="participants.xlsx"',
    )
    sheets, rows = xlsx_rows(response)
    assert sheets == ["Participants"]
    # A spreadsheet gives back an empty cell as None.
    assert rows == [
        HEADER,
        fatima_row(fatima),
        [value or None for value in wang_row(wang)],
    ]


def test_excel_of_all_filtered(secretariat_client, population):
    response = export(
        secretariat_client, "export_xlsx", [population["sn"]], query="?status__exact=approved", select_across=True
    )

    _sheets, rows = xlsx_rows(response)
    assert [row[0] for row in rows] == ["Reference", population["sn"].reference, population["igo"].reference]


# 10,000 participants


def prepared_export_peak(client, first, settings):
    """(the response, data rows of the prepared CSV, peak bytes of Python allocations while the worker made it)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    response = export(client, "export_csv", [first], select_across=True)
    prepared = PreparedFile.objects.latest("pk")
    tracemalloc.start()
    try:
        prepare_file.call(prepared.pk)  # what the worker runs
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    prepared.refresh_from_db()
    with prepared.file.open("rb") as content:
        text = content.read().decode("utf-8")
    assert text[0] == BOM
    return response, sum(1 for _ in csv.reader(io.StringIO(text[1:]))) - 1, peak  # without the header


@pytest.mark.slow
def test_csv_of_10000_participants_prepared_in_bounded_memory(secretariat_client, conference, settings):
    """More than a page of participants is exported by the task worker (here at once) into a file."""
    create_sample_participants(conference, 4000, rng=random.Random(4000))
    first = Participant.objects.order_by("pk").first()
    _response, rows_4000, peak_4000 = prepared_export_peak(secretariat_client, first, settings)
    create_sample_participants(conference, 6000, rng=random.Random(6000))

    response, rows_10000, peak_10000 = prepared_export_peak(secretariat_client, first, settings)

    prepared = PreparedFile.objects.latest("pk")
    assert response["Location"] == reverse("admin:secretariat_preparedfile_change", args=[prepared.pk])
    assert (prepared.state, prepared.done, prepared.total, rows_4000, rows_10000) == (
        "ready",
        10000,
        10000,
        4000,
        10000,
    )
    assert peak_10000 < MEMORY_BOUND
    # 6,000 more participants, and no more memory: rows are never all held at once.
    assert peak_10000 - peak_4000 < MEMORY_GROWTH_BOUND


def changelist_queries(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get(CHANGELIST)
    return response


# Session, user, two-factor check; the newest conference (dashboard link); the conference filter;
# the State and organization filters; the filtered and the full count; the page of 100 rows with
# their conferences; the date hierarchy's range and its days; the emails not sent.
CHANGELIST_QUERIES = 13


@pytest.mark.slow
def test_changelist_queries_do_not_grow_with_participants(client, staff_user, conference, django_assert_num_queries):
    client.force_login(staff_user)
    create_sample_participants(conference, 10, rng=random.Random(10))
    ten = changelist_queries(client, django_assert_num_queries, CHANGELIST_QUERIES)
    create_sample_participants(conference, 9990, rng=random.Random(9990))

    ten_thousand = changelist_queries(client, django_assert_num_queries, CHANGELIST_QUERIES)

    assert (ten.status_code, ten.context["cl"].result_count, len(ten.context["cl"].result_list)) == (200, 10, 10)
    assert (
        ten_thousand.status_code,
        ten_thousand.context["cl"].result_count,
        len(ten_thousand.context["cl"].result_list),
    ) == (200, 10000, 100)


# One person's data


def test_personal_data_of_one_person(secretariat_client, fatima, wang):
    session = factories.SessionFactory(conference=fatima.conference, title="Side event: Victims' voices", seat_limit=30)
    other_session = factories.SessionFactory(conference=fatima.conference, title="Border security", seat_limit=30)
    held = factories.SeatRequestFactory(participant=fatima, session=session, held=True)
    waiting = factories.SeatRequestFactory(participant=fatima, session=other_session, waitlisted=True)
    SeatRequest.objects.filter(pk=held.pk).update(created_at=utc(2030, 5, 2, 8, 30))
    SeatRequest.objects.filter(pk=waiting.pk).update(created_at=utc(2030, 5, 2, 8, 31))
    factories.SeatRequestFactory(participant=wang, session=session)
    received = factories.OutgoingEmailFactory(participant=fatima, subject="Registration received", delivery="sent")
    approved = factories.OutgoingEmailFactory(
        participant=fatima, kind="approved", subject="Registration approved", delivery="failed"
    )
    OutgoingEmail.objects.filter(pk=received.pk).update(
        created_at=utc(2030, 5, 2, 8, 31), sent_at=utc(2030, 5, 2, 8, 32)
    )
    OutgoingEmail.objects.filter(pk=approved.pk).update(created_at=utc(2030, 6, 1, 12))
    factories.OutgoingEmailFactory(participant=wang, subject="Registration received")

    response = export(secretariat_client, "export_personal_data", [fatima])

    assert (response.status_code, response["Content-Type"], response["Content-Disposition"]) == (
        200,
        "application/json",
        'attachment; filename="personal-data.json"',
    )
    assert json.loads(response.content) == [
        dict(zip(HEADER, fatima_row(fatima), strict=True))
        | {
            "language": "en",
            "nationality_code": "EG",
            "data_consent_at": "2030-05-02T08:30:00Z",
            "public_list_consent_at": "2030-05-02T08:30:00Z",
            "decision_message": "",
            "nomination_document": False,
            "photo": False,
            "seat_requests": [
                {
                    "session": "Side event: Victims' voices",
                    "status": "held",
                    "requested_at": "2030-05-02T08:30:00Z",
                },
                {"session": "Border security", "status": "waitlisted", "requested_at": "2030-05-02T08:31:00Z"},
            ],
            "emails": [
                {"subject": "Registration approved", "to": "fatima@example.org", "sent_at": None, "delivery": "failed"},
                {
                    "subject": "Registration received",
                    "to": "fatima@example.org",
                    "sent_at": "2030-05-02T08:32:00Z",
                    "delivery": "sent",
                },
            ],
            "letter_of_invitation": None,
            "delegation": None,
            "messages": [],
        }
    ]
    assert "فاطمة" in response.content.decode()  # written as is, not \\u escapes
