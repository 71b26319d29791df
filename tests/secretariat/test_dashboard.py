"""The participation dashboard: its figures against hand-counted data, its queries, charts and page."""

import datetime
import functools
import random
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from conference.states import MEMBER_STATES
from conftest import with_two_factor
from registration.models import Participant
from registration.sample import create_sample_participants
from secretariat import charts
from secretariat.dashboard import QUERIES, Represented, conference_dashboard, represented_sentence
from tests import factories
from tests.factories import local_time

pytestmark = pytest.mark.django_db


def dashboard_url(conference):
    return reverse("admin:registration_participant_dashboard", args=[conference.pk])


def approved(conference, category, represents, gender, **fields):
    """An approved participant of `category` representing a State (a country code) or an organization."""
    where = (
        {"represented_country": represents, "organization": ""}
        if category in ("member_state", "observer_state")
        else {"represented_country": "", "organization": represents}
    )
    fields.setdefault("approved", True)
    return factories.ParticipantFactory(conference=conference, category=category, gender=gender, **where, **fields)


@pytest.fixture
def registrations(conference):
    """Hand-counted: 14 approved (2 checked in), 1 pending, 1 rejected, 1 waitlisted; another conference's one."""
    approved(conference, "member_state", "SN", "female", approved=False, checked_in=True)
    approved(conference, "member_state", "SN", "male")
    approved(conference, "member_state", "FR", "female", approved=False, checked_in=True)
    approved(conference, "member_state", "BR", "male")
    approved(conference, "observer_state", "VA", "male")
    approved(conference, "igo", "African Union", "female")
    approved(conference, "igo", "  african  UNION ", "male")
    approved(conference, "igo", "OSCE", "female")
    approved(conference, "un_entity", "UNODC", "female")
    approved(conference, "un_entity", "UNOCT", "other")
    approved(conference, "civil_society", "Peace Forum", "female")
    approved(conference, "civil_society", "PEACE FORUM", "undisclosed")
    approved(conference, "civil_society", "Women's Network", "male")
    approved(conference, "academia", "Sample University", "female")
    approved(conference, "member_state", "DE", "female", approved=False)  # pending
    approved(conference, "civil_society", "Unheard Association", "male", approved=False, rejected=True)
    approved(conference, "igo", "Waiting Organization", "female", approved=False, waitlisted=True)
    approved(factories.ConferenceFactory(), "member_state", "KE", "female")
    return conference


def test_dashboard_counts_registrations_by_status_and_category(registrations):
    dashboard = conference_dashboard(registrations)

    assert [(share.value, share.count) for share in dashboard["by_status"].shares] == [
        ("pending", 1),
        ("approved", 14),
        ("waitlisted", 1),
        ("rejected", 1),
        ("cancelled", 0),
    ]
    assert [(row.value, row.registered, row.approved) for row in dashboard["by_category"]] == [
        ("member_state", 5, 4),
        ("observer_state", 1, 1),
        ("un_entity", 2, 2),
        ("igo", 4, 3),
        ("civil_society", 4, 3),
        ("private_sector", 0, 0),
        ("academia", 1, 1),
        ("media", 0, 0),
    ]
    assert (dashboard["by_status"].total, dashboard["approved"], dashboard["checked_in"]) == (17, 14, 2)


def test_dashboard_counts_states_and_organizations_once_among_approved(registrations):
    assert conference_dashboard(registrations)["represented"] == Represented(
        participants=14,
        member_states=3,
        observer_states=1,
        international_organizations=2,
        un_entities=2,
        civil_society_organizations=2,
    )


def test_dashboard_counts_no_territory_as_a_member_state(conference):
    """Territories, Antarctica or Taiwan cannot be registered as Member States, so none is counted."""
    for code in ["TW", "AQ", "FO", "HM"]:
        with pytest.raises(IntegrityError), transaction.atomic():
            approved(conference, "member_state", code, "female")
    create_sample_participants(conference, 3000, rng=random.Random(7))  # about 1,500 delegates
    states = set(
        Participant.objects.approved()
        .filter(conference=conference, category="member_state")
        .values_list("represented_country", flat=True)
    )

    assert states <= MEMBER_STATES
    assert conference_dashboard(conference)["represented"].member_states == len(states) <= 193


def test_dashboard_sentence_as_reports_write_it(registrations):
    assert conference_dashboard(registrations)["represented_sentence"] == (
        "14 participants from 3 Member States, 2 international and regional organizations, "
        "2 United Nations entities and 2 civil society organizations"
    )


@pytest.mark.parametrize(
    ("represented", "sentence"),
    [
        (
            Represented(1024, 150, 2, 30, 31, 55),
            "1,024 participants from 150 Member States, 30 international and regional organizations, "
            "31 United Nations entities and 55 civil society organizations",
        ),
        (Represented(1, 1, 0, 0, 0, 0), "1 participant from 1 Member State"),
        (
            Represented(3, 1, 0, 1, 0, 1),
            "3 participants from 1 Member State, 1 international or regional organization "
            "and 1 civil society organization",
        ),
        (Represented(2, 0, 0, 0, 1, 0), "2 participants from 1 United Nations entity"),
        (Represented(0, 0, 0, 0, 0, 0), "0 participants"),
    ],
    ids=["report", "singular", "some-kinds", "one-kind", "nobody"],
)
def test_represented_sentence(represented, sentence):
    assert represented_sentence(represented) == sentence


def test_represented_sentence_groups_digits_as_the_language_does():
    with translation.override("fr"):
        sentence = represented_sentence(Represented(1024, 150, 0, 0, 0, 0))

    assert sentence.startswith("1\xa0024 ")


def test_dashboard_gender_of_approved_participants(registrations):
    gender = conference_dashboard(registrations)["gender"]

    assert [(share.value, share.count, share.percent) for share in gender.shares] == [
        ("female", 7, 50.0),
        ("male", 5, 35.7),
        ("other", 1, 7.1),
        ("undisclosed", 1, 7.1),
    ]
    assert (gender.total, gender.share("female").percent_text) == (14, "50.0%")


def test_dashboard_gender_by_category_lists_categories_with_approved_participants(registrations):
    rows = conference_dashboard(registrations)["gender_by_category"]

    assert [(row.label, [(share.count, share.percent) for share in row.shares]) for row in rows] == [
        ("Member State", [(2, 50.0), (2, 50.0), (0, 0.0), (0, 0.0)]),
        ("Observer State", [(0, 0.0), (1, 100.0), (0, 0.0), (0, 0.0)]),
        ("United Nations entity", [(1, 50.0), (0, 0.0), (1, 50.0), (0, 0.0)]),
        ("International or regional organization", [(2, 66.7), (1, 33.3), (0, 0.0), (0, 0.0)]),
        ("Civil society organization", [(1, 33.3), (1, 33.3), (0, 0.0), (1, 33.3)]),
        ("Academia", [(1, 100.0), (0, 0.0), (0, 0.0), (0, 0.0)]),
    ]


def person(session, role, gender):
    return factories.SessionPersonFactory(session=session, role=role, gender=gender)


@pytest.fixture
def agenda(conference):
    """Hand-timed sessions: 2h30 (pillars 1 and 2), 1h (pillar 2), 45 min (no pillar), and three left out."""
    pillars = {number: factories.PillarFactory(number=number) for number in (1, 2, 3, 4)}
    at = functools.partial(local_time, conference, conference.start_date)

    def session(title, start, minutes, numbers=(), **fields):
        fields.setdefault("conference", conference)
        return factories.SessionFactory(
            title=title,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=minutes) if start else None,
            pillars=[pillars[number] for number in numbers],
            **fields,
        )

    opening = session("Opening", at(9), 150, (1, 2))
    panel = session("Panel on prevention", at(12), 60, (2,))
    side_event = session("Side event", at(14), 45)
    session("Cancelled panel", at(16), 180, (1,), is_cancelled=True)
    session("Time to be announced", None, 0, (3,), date=conference.start_date)
    other = factories.ConferenceFactory(start_date=conference.start_date)
    session("Other conference", at(9), 60, (4,), conference=other)
    return {"opening": opening, "panel": panel, "side_event": side_event}


def test_dashboard_agenda_hours_per_pillar(conference, agenda):
    dashboard = conference_dashboard(conference)

    assert [(row.number, row.hours) for row in dashboard["pillar_hours"]] == [(1, 2.5), (2, 3.5), (3, 0.0), (4, 0.0)]
    assert (dashboard["hours_without_pillar"].hours, dashboard["hours_total"].hours) == (0.75, 4.25)
    assert [row.hours_text for row in dashboard["pillar_hours"]] == ["2 h 30 min", "3 h 30 min", "0 h", "0 h"]


def test_dashboard_speakers_gender_leaves_cancelled_sessions_out(conference, agenda):
    person(agenda["opening"], "chair", "male")
    person(agenda["opening"], "speaker", "female")
    person(agenda["panel"], "moderator", "female")
    person(agenda["panel"], "panellist", "male")
    person(agenda["panel"], "panellist", "male")
    person(agenda["side_event"], "speaker", "undisclosed")
    cancelled = factories.SessionFactory(conference=conference, is_cancelled=True)
    person(cancelled, "speaker", "male")

    dashboard = conference_dashboard(conference)

    assert [(share.count, share.percent) for share in dashboard["speakers_gender"].shares] == [
        (2, 33.3),
        (3, 50.0),
        (0, 0.0),
        (1, 16.7),
    ]
    assert [(row.label, [share.count for share in row.shares]) for row in dashboard["speakers_gender_by_role"]] == [
        ("Chair", [0, 1, 0, 0]),
        ("Moderator", [1, 0, 0, 0]),
        ("Speaker", [1, 0, 0, 1]),
        ("Panellist", [0, 2, 0, 0]),
    ]


def test_dashboard_lists_all_male_panels_with_admin_links(conference, agenda):
    person(agenda["panel"], "moderator", "male")
    person(agenda["panel"], "panellist", "male")
    person(agenda["opening"], "chair", "male")
    person(agenda["opening"], "speaker", "female")
    person(agenda["side_event"], "speaker", "male")  # one speaker alone is not a panel
    cancelled = factories.SessionFactory(conference=conference, is_cancelled=True)
    person(cancelled, "speaker", "male")
    person(cancelled, "speaker", "male")

    flagged = conference_dashboard(conference)["all_male_panels"]

    assert [(item.session.title, item.admin_url) for item in flagged] == [
        ("Panel on prevention", f"/admin/conference/session/{agenda['panel'].pk}/change/")
    ]


def test_dashboard_of_an_empty_conference(conference, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        dashboard = conference_dashboard(conference)

    assert (
        dashboard["represented_sentence"],
        dashboard["gender"].share("female").percent,
        dashboard["gender_by_category"],
        [row.hours for row in dashboard["pillar_hours"]],
        dashboard["hours_total"].hours,
        dashboard["all_male_panels"],
    ) == ("0 participants", None, [], [], 0.0, [])


@pytest.mark.slow
def test_dashboard_queries_same_for_10_and_10000_participants(conference, agenda, django_assert_num_queries):
    person(agenda["panel"], "moderator", "male")
    person(agenda["panel"], "panellist", "male")
    rng = random.Random(2030)
    create_sample_participants(conference, 10, rng=rng)
    with django_assert_num_queries(8):
        small = conference_dashboard(conference)

    create_sample_participants(conference, 9_990, rng=rng)
    with django_assert_num_queries(8):
        large = conference_dashboard(conference)

    assert (small["by_status"].total, large["by_status"].total, QUERIES) == (10, 10_000, 8)


def page(response):
    return response.content.decode()


def test_dashboard_page_for_staff(staff_client, registrations, agenda):
    person(agenda["panel"], "moderator", "male")
    person(agenda["panel"], "panellist", "male")

    response = staff_client.get(dashboard_url(registrations))

    main = page(response).split('<div id="content-main">', 1)[1]
    assert response.status_code == 200
    assert (
        "<blockquote><p>14 participants from 3 Member States, 2 international and regional organizations, "
        "2 United Nations entities and 2 civil society organizations</p></blockquote>"
    ) in main
    assert re.findall(r'<svg [^>]*role="img" aria-labelledby="([\w-]+)"', main) == [
        "chart-status-title",
        "chart-category-title",
        "chart-represented-title",
        "chart-gender-title",
        "chart-women-by-category-title",
        "chart-speakers-title",
        "chart-pillars-title",
    ]
    assert re.findall(r"<caption>(.*?)</caption>", main) == [
        "Registrations by status",
        "Registrations by category, all statuses, and how many are approved",
        "Represented by approved participants (organizations whose names differ only in capitals or spaces count once)",
        "Approved participants by gender",
        "Approved participants by category and gender: number (share of the category)",
        "Chairs, moderators, speakers and panellists of sessions not cancelled, by gender; "
        "a person who speaks in two sessions counts twice",
        "People who speak in sessions by role and gender: number (share of the role)",
        "Scheduled hours by pillar",
    ]
    assert '<tr><th scope="row">Pillar 2: Pillar short name 2</th><td>3 h 30 min</td></tr>' in main
    # The chart writes hours as the table does.
    assert re.findall(
        r'text-anchor="start">([^<]*)</text>', main.split('id="chart-pillars-title"')[1].split("</svg>")[0]
    ) == [
        "2 h 30 min",
        "3 h 30 min",
        "0 h",
        "0 h",
    ]
    assert '<tr><th scope="row">Whole agenda</th><td>4 h 15 min</td></tr>' in main
    assert f'<a href="/admin/conference/session/{agenda["panel"].pk}/change/">Panel on prevention</a>' in main


class QueryLog:
    """The SQL statements run while installed with connection.execute_wrapper().

    CaptureQueriesContext would see none of a request's: Django empties its log when a request starts.
    """

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        return execute(sql, params, many, context)


def page_queries(client, url):
    log = QueryLog()
    with connection.execute_wrapper(log):
        assert client.get(url).status_code == 200
    return log.statements


def test_dashboard_page_of_a_conference_without_registrations_or_agenda(staff_client, conference):
    response = staff_client.get(dashboard_url(conference))

    assert (response.status_code, "<blockquote><p>0 participants</p></blockquote>" in page(response)) == (200, True)


def test_dashboard_page_queries_do_not_grow_with_participants(staff_client, conference, agenda):
    rng = random.Random(7)
    create_sample_participants(conference, 10, rng=rng)
    small = page_queries(staff_client, dashboard_url(conference))
    create_sample_participants(conference, 2_000, rng=rng)
    large = page_queries(staff_client, dashboard_url(conference))

    # The dashboard's 8, the conference, the list of conferences, and the admin's own (session, user, ...).
    assert (len(large), len(small) > QUERIES + 2) == (len(small), True)


def test_dashboard_page_for_staff_with_view_permission_only(client, conference):
    user = with_two_factor(factories.UserFactory(is_staff=True))
    user.user_permissions.add(Permission.objects.get(codename="view_participant"))
    client.force_login(user)

    assert client.get(dashboard_url(conference)).status_code == 200


def test_dashboard_page_forbidden_to_staff_without_permission(client, conference):
    client.force_login(with_two_factor(factories.UserFactory(is_staff=True)))

    assert client.get(dashboard_url(conference)).status_code == 403


def test_dashboard_page_redirects_visitor_to_login(client, conference):
    url = dashboard_url(conference)

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")


def test_dashboard_page_unknown_conference(staff_client):
    assert staff_client.get(reverse("admin:registration_participant_dashboard", args=[999_999])).status_code == 404


def test_dashboard_page_conference_selector_goes_to_the_chosen_conference(staff_client, conference):
    other = factories.ConferenceFactory()

    response = staff_client.get(dashboard_url(conference), {"conference": other.pk})

    assert (response.status_code, response["Location"]) == (302, dashboard_url(other))


def test_bar_chart_is_a_named_picture_with_escaped_labels():
    svg = charts.bar_chart([("Women & girls", 3), ("<Men>", 1)], chart_id="chart-test", title="By gender")

    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-test-title" '
        'width="480" height="68" viewBox="0 0 480 68" direction="ltr" font-size="13" fill="currentColor">'
        '<title id="chart-test-title">By gender</title>'
    )
    assert ("Women &amp; girls" in svg, "&lt;Men&gt;" in svg, "<Men>" in svg, "<script" in svg) == (
        True,
        True,
        False,
        False,
    )


def test_bar_chart_bar_lengths_are_proportional():
    svg = charts.bar_chart([("A", 50), ("B", 25), ("C", 0)], chart_id="c", title="t", max_value=100)

    assert re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg) == [("194", "94"), ("194", "47")]


def test_bar_chart_right_to_left_is_mirrored():
    svg = charts.bar_chart([("A", 50)], chart_id="c", title="t", max_value=100, rtl=True)

    assert ('direction="rtl"' in svg, re.findall(r'<rect x="([\d.]+)"', svg)) == (True, ["192"])


def test_bar_chart_cuts_very_long_labels_and_keeps_them_whole_in_a_tooltip():
    label = "International or regional organization with a very long name indeed"

    svg = charts.bar_chart([(label, 1)], chart_id="c", title="t")

    assert re.findall(r"<text [^>]*><title>(.*?)</title>(.*?)</text>", svg) == [
        (label, "International or regional organization with a…")
    ]
    assert 'width="680"' in svg  # as wide as labels may make it


def test_bar_chart_widens_for_long_labels_rather_than_cut_them():
    labels = ["Pillar 2: Preventing and combating terrorism", "International and regional organizations"]

    svg = charts.bar_chart([(label, 1) for label in labels], chart_id="c", title="t")
    mirrored = charts.bar_chart([(label, 1) for label in labels], chart_id="c", title="t", rtl=True)

    assert (re.findall(r'text-anchor="end">([^<]*)</text>', svg), "…" in svg) == (labels, False)
    assert re.search(r'width="(\d+)"', svg).group(1) == "655"  # 480, and 44 characters' room beyond 180 px
    # Bars start after the labels' room (8 + 355 + 6): from the left, or from the right when mirrored.
    assert re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg) == [("369", "188")] * 2
    assert re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', mirrored) == [("98", "188")] * 2


@pytest.mark.parametrize(
    ("hours", "written"),
    [(42.25, "42 h 15 min"), (17.0, "17 h"), (0.5, "30 min"), (0, "0 h"), (1024.75, "1,024 h 45 min")],
)
def test_hours_written_in_hours_and_minutes(hours, written):
    with translation.override("en"):
        assert charts.hours_text(hours) == written


def test_hours_grouped_as_the_language_groups_digits():
    with translation.override("fr"):
        assert charts.hours_text(1024.75).startswith("1\xa0024")


def test_bar_chart_refuses_an_unsafe_id():
    with pytest.raises(ValueError, match="Not a usable id"):
        charts.bar_chart([], chart_id='x" onload="alert(1)', title="t")
