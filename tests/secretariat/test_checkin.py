"""The check-in desk: every answer it gives to a scan, a typed reference or a name."""

import datetime
import html
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registration.models import Participant, SeatRequest
from secretariat.roles import CHECK_IN_DESK
from secretariat.signing import badge_token
from tests import factories
from tests.registration.support import july_1, utc

pytestmark = pytest.mark.django_db

CHECKIN = reverse("secretariat:checkin")
NOW = "✓ Checked in now"
RECORDED = "✓ Attendance recorded"
NOT_APPROVED = "✗ Not approved"
NO_SEAT = "✗ No seat in this session"
UNKNOWN = "? Unknown: no registration matches"


def day_heading(day):
    """ "Monday 1 July 2030", as the session list heads each day."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def nine_five(conference):
    """09:05 in New York on the conference's first day."""
    return factories.local_time(conference, conference.start_date, 9, 5)


@pytest.fixture
def desk():
    return factories.StaffUserFactory(email="desk@un.org", groups=[CHECK_IN_DESK])


@pytest.fixture
def desk_client(client, desk):
    client.force_login(desk)
    return client


@pytest.fixture
def conference(db):
    """The Fourth Conference, 1-3 July next year in New York."""
    return factories.ConferenceFactory(start_date=july_1(), title="Fourth Conference")


@pytest.fixture
def other_conference(db):
    return factories.ConferenceFactory(start_date=july_1(years_ahead=2), title="Fifth Conference")


@pytest.fixture
def delegate(conference):
    return factories.ParticipantFactory(
        conference=conference, approved=True, given_name="Amina", family_name="Diallo", title="dr"
    )


@pytest.fixture
def limited_session(conference):
    return factories.SessionFactory(conference=conference, title="Side event: Victims' voices", seat_limit=2)


def scan(client, conference, query, session=None):
    return client.post(CHECKIN, {"conference": conference.pk, "session": session.pk if session else "", "query": query})


def verdict(response):
    """The answer in large letters, as text with whitespace collapsed; None when the page shows none."""
    found = re.search(r'<p class="checkin-verdict[^"]*">(.*?)</p>', response.content.decode(), re.S)
    return text_of(found.group(1)) if found else None


def result_text(response):
    found = re.search(r'<section class="checkin-result[^"]*"[^>]*>(.*?)</section>', response.content.decode(), re.S)
    return text_of(found.group(1)) if found else None


def text_of(fragment):
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", fragment).split()))


def check_in_record(participant):
    participant.refresh_from_db()
    return participant.checked_in_at, participant.checked_in_by


# Checked in now


@pytest.mark.parametrize(
    "typed",
    [
        lambda p: p.reference,
        lambda p: p.reference.lower(),
        lambda p: f"  {p.reference}\n",
        badge_token,
        lambda p: badge_token(p) + "\n",
    ],
    ids=["reference", "lower-case", "with-spaces", "qr-token", "qr-token-with-newline"],
)
def test_check_in_now_records_time_and_desk(desk_client, desk, conference, delegate, typed):
    before = timezone.now()

    response = scan(desk_client, conference, typed(delegate))

    checked_in_at, checked_in_by = check_in_record(delegate)
    assert (response.status_code, verdict(response), response.context["outcome"]) == (200, NOW, "now")
    assert result_text(response) == f"{NOW} Dr. Amina Diallo Member State · Senegal"
    assert (before <= checked_in_at <= timezone.now(), checked_in_by) == (True, desk)


def test_check_in_leaves_others_alone(desk_client, conference, delegate):
    other = factories.ParticipantFactory(conference=conference, approved=True)

    scan(desk_client, conference, delegate.reference)

    assert check_in_record(other) == (None, None)


# Already checked in


def test_already_checked_in_shows_the_time_in_the_conference_zone(desk_client, conference, delegate):
    first_desk = factories.StaffUserFactory(groups=[CHECK_IN_DESK])
    Participant.objects.filter(pk=delegate.pk).update(checked_in_at=nine_five(conference), checked_in_by=first_desk)

    response = scan(desk_client, conference, badge_token(delegate))

    assert (verdict(response), response.context["outcome"]) == (
        f"↺ Already checked in at 1 July {conference.start_date.year}, 09:05 EDT",
        "already",
    )
    assert '<span dir="ltr">09:05 EDT</span>' in response.content.decode()  # kept in order in Arabic
    assert check_in_record(delegate) == (nine_five(conference), first_desk)


def test_already_checked_in_today_shows_the_time_with_its_zone_only(desk_client, conference, delegate):
    earlier = timezone.now().replace(microsecond=0)
    Participant.objects.filter(pk=delegate.pk).update(checked_in_at=earlier)
    local = timezone.localtime(earlier, zoneinfo.ZoneInfo("America/New_York"))

    response = scan(desk_client, conference, delegate.reference)

    assert verdict(response) == f"↺ Already checked in at {local:%H:%M} {local:%Z}"
    assert local.strftime("%Z") in {"EDT", "EST"}


def test_already_checked_in_in_another_zone_shows_that_zone(desk_client, delegate):
    year = july_1().year
    geneva = factories.ConferenceFactory(start_date=datetime.date(year, 9, 1), time_zone="Europe/Zurich")
    swiss = factories.ParticipantFactory(conference=geneva, approved=True)
    Participant.objects.filter(pk=swiss.pk).update(checked_in_at=utc(year, 9, 1, 7, 30))

    response = scan(desk_client, geneva, swiss.reference)

    assert verdict(response) == f"↺ Already checked in at 1 September {year}, 09:30 CEST"


def test_repeated_scan_is_harmless(desk_client, desk, conference, delegate):
    first = scan(desk_client, conference, badge_token(delegate))
    first_record = check_in_record(delegate)

    second = scan(desk_client, conference, badge_token(delegate))

    third = scan(desk_client, conference, delegate.reference)

    assert (verdict(first), second.context["outcome"], third.context["outcome"]) == (NOW, "already", "already")
    assert (second.context["checked_in_at"], third.context["checked_in_at"]) == (first_record[0], first_record[0])
    assert check_in_record(delegate) == first_record
    assert first_record[1] == desk


# Not approved


@pytest.mark.parametrize(
    ("traits", "status_label"),
    [
        ({}, "Pending"),
        ({"waitlisted": True}, "On the waiting list"),
        ({"rejected": True}, "Not approved"),
        ({"status": "cancelled"}, "Cancelled"),
    ],
    ids=["pending", "waitlisted", "rejected", "cancelled"],
)
def test_not_approved_records_nothing(desk_client, conference, traits, status_label):
    participant = factories.ParticipantFactory(
        conference=conference, given_name="Amina", family_name="Diallo", **traits
    )

    response = scan(desk_client, conference, badge_token(participant))

    assert (verdict(response), response.context["outcome"]) == (NOT_APPROVED, "not_approved")
    assert result_text(response) == f"{NOT_APPROVED} Amina Diallo Member State · Senegal · {status_label}"
    assert check_in_record(participant) == (None, None)


# Unknown


def forged_signature(token):
    """The token with the last character of its signature changed."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def forged_reference(token):
    """The token with the first character of its reference changed."""
    return ("B" if token[0] != "B" else "C") + token[1:]


@pytest.mark.parametrize(
    "typed",
    [
        lambda mine, theirs: "zzqx wvvy",
        lambda mine, theirs: "X",
        lambda mine, theirs: "ABCDEFGHJK",
        lambda mine, theirs: theirs.reference,
        lambda mine, theirs: badge_token(theirs),
        lambda mine, theirs: forged_signature(badge_token(mine)),
        lambda mine, theirs: forged_reference(badge_token(mine)),
        lambda mine, theirs: f"{mine.reference}:forged",
        lambda mine, theirs: f"{mine.reference}:{badge_token(theirs).split(':')[1]}",
    ],
    ids=[
        "random-text",
        "one-letter",
        "invented-reference",
        "reference-of-another-conference",
        "token-of-another-conference",
        "signature-changed",
        "reference-changed",
        "invented-signature",
        "signature-of-another",
    ],
)
def test_unknown_records_nothing(desk_client, conference, other_conference, delegate, typed):
    theirs = factories.ParticipantFactory(conference=other_conference, approved=True)

    response = scan(desk_client, conference, typed(delegate, theirs))

    assert (verdict(response), response.context["outcome"], response.context["candidates"]) == (
        UNKNOWN,
        "unknown",
        [],
    )
    assert (check_in_record(delegate), check_in_record(theirs)) == ((None, None), (None, None))


def test_forged_token_is_refused_though_its_reference_is_readable(desk_client, conference, delegate):
    token = badge_token(delegate)
    forged = forged_signature(token)

    response = scan(desk_client, conference, forged)

    assert (forged.split(":")[0], forged != token, verdict(response)) == (delegate.reference, True, UNKNOWN)
    assert check_in_record(delegate) == (None, None)


def test_anonymized_participant_is_unknown(desk_client, conference, delegate):
    Participant.objects.filter(pk=delegate.pk).update(anonymized_at=timezone.now())

    assert verdict(scan(desk_client, conference, badge_token(delegate))) == UNKNOWN


# A name


class _CandidateForms(HTMLParser):
    """The hidden fields of each "Check in" form in the list of people who match."""

    def __init__(self):
        super().__init__()
        self.forms, self._in_list = [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("aria-labelledby") == "candidates-heading":
            self._in_list = True
        elif self._in_list and tag == "form":
            self.forms.append({})
        elif self._in_list and tag == "input" and attrs.get("type") == "hidden":
            self.forms[-1][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "section":
            self._in_list = False


def candidate_forms(response):
    parser = _CandidateForms()
    parser.feed(response.content.decode())
    return [{k: v for k, v in form.items() if k != "csrfmiddlewaretoken"} for form in parser.forms]


def candidate_lines(response):
    page = response.content.decode()
    return [text_of(line) for line in re.findall(r'<span class="flex-grow-1">(.*?)</span>', page, re.S)]


def test_name_search_lists_only_approved_people_and_needs_three_letters(desk_client, conference):
    approved = factories.ParticipantFactory(
        conference=conference, approved=True, given_name="Amina", family_name="Diallo"
    )
    factories.ParticipantFactory(conference=conference, given_name="Aminata", family_name="Ba", status="pending")

    listed = scan(desk_client, conference, "amina")
    too_short = scan(desk_client, conference, "am")

    assert listed.context["candidates"] == [approved]
    assert (too_short.context["candidates"], too_short.context["outcome"]) == ([], "unknown")


def test_name_with_several_matches_lists_them_to_choose(desk_client, conference, other_conference):
    diallo = factories.ParticipantFactory(
        conference=conference, approved=True, given_name="Amina", family_name="Diallo"
    )
    ba = factories.ParticipantFactory(
        conference=conference, ngo=True, approved=True, given_name="Aminata", family_name="Ba"
    )
    factories.ParticipantFactory(conference=conference, approved=True, given_name="Fatou", family_name="Sow")
    factories.ParticipantFactory(conference=other_conference, approved=True, given_name="Amina", family_name="Kane")

    response = scan(desk_client, conference, "amina")

    assert (verdict(response), response.context["outcome"]) == (None, None)
    assert response.context["candidates"] == [ba, diallo]
    assert candidate_lines(response) == [
        "Aminata Ba · Civil society organization · Peace Forum · Approved",
        "Amina Diallo · Member State · Senegal · Approved",
    ]
    assert candidate_forms(response) == [
        {"conference": str(conference.pk), "session": "", "query": ba.reference},
        {"conference": str(conference.pk), "session": "", "query": diallo.reference},
    ]
    assert (check_in_record(diallo), check_in_record(ba)) == ((None, None), (None, None))


def test_name_in_two_words_narrows_the_list(desk_client, conference):
    diallo = factories.ParticipantFactory(
        conference=conference, approved=True, given_name="Amina", family_name="Diallo"
    )
    factories.ParticipantFactory(conference=conference, approved=True, given_name="Amina", family_name="Ba")

    response = scan(desk_client, conference, "Diallo  AMINA")

    assert response.context["candidates"] == [diallo]


def test_choosing_from_the_list_checks_in(desk_client, desk, conference):
    diallo = factories.ParticipantFactory(
        conference=conference, approved=True, given_name="Amina", family_name="Diallo"
    )
    factories.ParticipantFactory(conference=conference, approved=True, given_name="Amina", family_name="Ba")
    listed = scan(desk_client, conference, "Amina")
    chosen = next(form for form in candidate_forms(listed) if form["query"] == diallo.reference)

    response = desk_client.post(CHECKIN, chosen)

    assert (verdict(response), result_text(response)) == (NOW, f"{NOW} Amina Diallo Member State · Senegal")
    assert check_in_record(diallo)[1] == desk


def candidates_heading(response):
    found = re.search(r'<h2 id="candidates-heading"[^>]*>(.*?)</h2>', response.content.decode(), re.S)
    return text_of(found.group(1)) if found else None


def candidate_items(response):
    """Each person listed, as the desk reads the line: names, then the state or the button."""
    page = response.content.decode()
    section = re.search(r'<section aria-labelledby="candidates-heading".*?</section>', page, re.S).group(0)
    return [text_of(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", section, re.S)]


def test_name_with_one_match_shows_that_person_with_the_action(desk_client, conference, delegate):
    response = scan(desk_client, conference, "diallo")

    assert candidates_heading(response) == "One person matches: check that this is the person in front of you"
    assert candidate_items(response) == ["Amina Diallo · Member State · Senegal · Approved Check in : Amina Diallo"]
    assert candidate_forms(response) == [{"conference": str(conference.pk), "session": "", "query": delegate.reference}]


def test_name_with_several_matches_says_how_many(desk_client, conference, delegate):
    factories.ParticipantFactory(conference=conference, approved=True, given_name="Aminata", family_name="Ba")

    response = scan(desk_client, conference, "amina")

    assert candidates_heading(response) == "2 people match; choose the person in front of you"


def test_name_with_too_many_matches_says_there_are_more(desk_client, conference):
    for number in range(21):
        factories.ParticipantFactory(
            conference=conference, approved=True, given_name="Amina", family_name=f"Diallo {number:02}"
        )

    response = scan(desk_client, conference, "amina")

    assert candidates_heading(response) == (
        "More than 20 people match: type more of the name, or choose among the first 20."
    )
    assert len(candidate_forms(response)) == 20


def test_name_search_shows_who_is_already_checked_in_without_the_action(desk_client, conference, delegate):
    here = factories.ParticipantFactory(conference=conference, approved=True, given_name="Amina", family_name="Ba")
    Participant.objects.filter(pk=here.pk).update(checked_in_at=nine_five(conference))

    response = scan(desk_client, conference, "amina")

    assert candidate_items(response) == [
        f"Amina Ba · Member State · Senegal · Approved ↺ Checked in at 1 July {conference.start_date.year}, 09:05 EDT",
        "Amina Diallo · Member State · Senegal · Approved Check in : Amina Diallo",
    ]
    assert [form["query"] for form in candidate_forms(response)] == [delegate.reference]


def test_name_search_for_a_session_shows_attendance_and_seats(desk_client, conference, delegate, limited_session):
    attended = factories.ParticipantFactory(conference=conference, approved=True, given_name="Amina", family_name="Ba")
    seated = factories.ParticipantFactory(conference=conference, approved=True, given_name="Amina", family_name="Sow")
    Participant.objects.filter(pk=delegate.pk).update(checked_in_at=nine_five(conference))  # at the conference only
    factories.SeatRequestFactory(participant=delegate, session=limited_session, status="pending")
    seat = factories.SeatRequestFactory(participant=attended, session=limited_session, held=True)
    SeatRequest.objects.filter(pk=seat.pk).update(checked_in_at=utc(conference.start_date.year, 7, 1, 17, 40))
    factories.SeatRequestFactory(participant=seated, session=limited_session, held=True)

    response = scan(desk_client, conference, "amina", session=limited_session)

    assert candidate_items(response) == [
        f"Amina Ba · Member State · Senegal · Approved ↺ Checked in at 1 July {conference.start_date.year}, 13:40 EDT",
        "Amina Diallo · Member State · Senegal · Approved ✗ No seat in this session",
        "Amina Sow · Member State · Senegal · Approved Check in : Amina Sow",
    ]
    assert candidate_forms(response) == [
        {"conference": str(conference.pk), "session": str(limited_session.pk), "query": seated.reference}
    ]


def test_name_search_queries_do_not_grow_with_the_people_listed(desk_client, conference, limited_session):
    def queries_for(count):
        Participant.objects.filter(given_name="Amina").delete()
        for _ in range(count):
            person = factories.ParticipantFactory(conference=conference, approved=True, given_name="Amina")
            factories.SeatRequestFactory(participant=person, session=limited_session, held=True)
        with CaptureQueriesContext(connection) as queries:
            response = scan(desk_client, conference, "amina", session=limited_session)
        assert len(candidate_forms(response)) == count
        return len(queries)

    assert queries_for(2) == queries_for(9)


# Names in any script


@pytest.mark.parametrize(
    ("given_name", "family_name", "typed"),
    [
        ("Kenji", "Ōtsuka", "Otsuka"),
        ("Kenji", "Otsuka", "ŌTSUKA"),
        ("Kenji", "Ōtsuka", "ＯＴＳＵＫＡ"),  # full-width letters, as some keyboards type them
        ("Jürgen", "Groß", "jurgen gross"),
        ("Thị Lan", "Nguyễn", "Nguyen Lan"),
        ("小明", "王", "Wang Xiaoming"),
        ("小明", "王", "wangxiaoming"),
        ("小明", "王", "王小明"),
        ("Иван", "Петров", "Ivan Petrov"),
        ("Иван", "Петров", "петров"),
        ("Ivan", "Petrov", "Петров"),
        ("Αλέξανδρος", "Παπαδόπουλος", "Alexandros"),
        ("أحمد", "الحسيني", "أحمد"),
        ("أحمد", "الحسيني", "احمد"),  # without the hamza, as often typed
    ],
)
def test_name_search_ignores_case_accents_width_and_script(desk_client, conference, given_name, family_name, typed):
    person = factories.ParticipantFactory(
        conference=conference, approved=True, given_name=given_name, family_name=family_name
    )
    factories.ParticipantFactory(conference=conference, approved=True, given_name="Amina", family_name="Diallo")

    response = scan(desk_client, conference, typed)

    assert response.context["candidates"] == [person]


# A session with a seat limit


def test_session_with_held_seat_records_attendance(desk_client, desk, conference, delegate, limited_session):
    seat = factories.SeatRequestFactory(participant=delegate, session=limited_session, held=True)
    before = timezone.now()

    response = scan(desk_client, conference, badge_token(delegate), session=limited_session)

    seat.refresh_from_db()
    assert (verdict(response), response.context["outcome"]) == (RECORDED, "now")
    assert result_text(response) == f"{RECORDED} Dr. Amina Diallo Member State · Senegal Side event: Victims' voices"
    assert (before <= seat.checked_in_at <= timezone.now(), seat.checked_in_by) == (True, desk)


def test_session_scanned_twice_says_already_with_local_time(desk_client, conference, delegate, limited_session):
    seat = factories.SeatRequestFactory(participant=delegate, session=limited_session, held=True)
    SeatRequest.objects.filter(pk=seat.pk).update(checked_in_at=nine_five(conference))

    response = scan(desk_client, conference, delegate.reference, session=limited_session)

    seat.refresh_from_db()
    assert verdict(response) == f"↺ Already checked in at 1 July {conference.start_date.year}, 09:05 EDT"
    assert (seat.checked_in_at, seat.checked_in_by) == (nine_five(conference), None)


@pytest.mark.parametrize("seat", [None, "pending", "waitlisted", "cancelled"])
def test_session_without_held_seat_refused(desk_client, conference, delegate, limited_session, seat):
    if seat:
        factories.SeatRequestFactory(
            participant=delegate, session=limited_session, status=seat, waitlisted_at=timezone.now()
        )

    response = scan(desk_client, conference, badge_token(delegate), session=limited_session)

    assert (verdict(response), response.context["outcome"]) == (NO_SEAT, "no_seat")
    assert SeatRequest.objects.filter(checked_in_at__isnull=False).count() == 0
    assert check_in_record(delegate) == (None, None)


def test_session_check_in_of_not_approved_refused(desk_client, conference, limited_session):
    participant = factories.ParticipantFactory(conference=conference, waitlisted=True)
    factories.SeatRequestFactory(participant=participant, session=limited_session, held=True)

    response = scan(desk_client, conference, participant.reference, session=limited_session)

    assert verdict(response) == NOT_APPROVED
    assert SeatRequest.objects.filter(checked_in_at__isnull=False).count() == 0


def test_session_of_another_conference_is_a_form_error(desk_client, conference, other_conference, delegate):
    elsewhere = factories.SessionFactory(conference=other_conference, seat_limit=20)
    factories.SeatRequestFactory(participant=delegate, session=elsewhere, held=True)

    response = scan(desk_client, conference, badge_token(delegate), session=elsewhere)

    assert (response.status_code, verdict(response), "outcome" in response.context) == (200, None, False)
    assert response.context["form"].errors == {"session": ["This session belongs to another conference."]}
    assert SeatRequest.objects.filter(checked_in_at__isnull=False).count() == 0
    assert check_in_record(delegate) == (None, None)


def test_session_without_seat_limit_is_not_offered(desk_client, conference, delegate):
    open_session = factories.SessionFactory(conference=conference, title="Opening session")

    response = scan(desk_client, conference, badge_token(delegate), session=open_session)

    assert response.context["form"].errors == {
        "session": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert check_in_record(delegate) == (None, None)


def test_after_an_answer_the_form_keeps_conference_and_session(desk_client, conference, delegate, limited_session):
    factories.SeatRequestFactory(participant=delegate, session=limited_session, held=True)

    response = scan(desk_client, conference, delegate.reference, session=limited_session)

    form = response.context["form"]
    assert (form.is_bound, form["conference"].value(), form["session"].value(), form["query"].value()) == (
        False,
        conference.pk,
        limited_session.pk,
        None,
    )


# The page


class _Inputs(HTMLParser):
    """The fields of the whole page, and those of the check-in form."""

    def __init__(self):
        super().__init__()
        self.elements, self.checkin_form, self._in_form = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "checkin-form" in attrs.get("class", ""):
            self._in_form = True
        if tag in {"input", "select", "textarea", "button"}:
            self.elements.append((tag, attrs))
            if self._in_form:
                self.checkin_form.append((tag, attrs.get("name"), attrs.get("type")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def fields_of(response):
    parser = _Inputs()
    parser.feed(response.content.decode())
    return parser


def test_page_has_one_autofocused_text_box(desk_client, conference):
    response = desk_client.get(CHECKIN)

    fields = fields_of(response)
    text_boxes = [
        attrs["name"]
        for tag, attrs in fields.elements
        if tag == "textarea" or (tag == "input" and attrs.get("type", "text") in {"text", "search"})
    ]
    autofocused = [attrs["name"] for tag, attrs in fields.elements if "autofocus" in attrs]
    assert (response.status_code, text_boxes, autofocused) == (200, ["query"], ["query"])
    assert fields.checkin_form == [
        ("input", "csrfmiddlewaretoken", "hidden"),
        ("select", "conference", None),
        ("select", "session", None),
        ("input", "query", "text"),
        ("button", None, "submit"),
    ]


class _SessionOptions(HTMLParser):
    """The session select's groups (label, [option texts])."""

    def __init__(self):
        super().__init__()
        self.groups, self._in_select, self._option = [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select" and attrs.get("name") == "session":
            self._in_select = True
        elif self._in_select and tag == "optgroup":
            self.groups.append((attrs["label"], []))
        elif self._in_select and tag == "option":
            self._option = ""

    def handle_data(self, data):
        if self._option is not None:
            self._option += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            if self.groups:
                self.groups[-1][1].append(" ".join(self._option.split()))
            self._option = None
        elif tag == "select":
            self._in_select = False


def session_groups(response):
    parser = _SessionOptions()
    parser.feed(response.content.decode())
    return parser.groups


def test_sessions_are_grouped_by_day_with_time_and_room(desk_client, conference):
    year = conference.start_date.year
    room = factories.RoomFactory(name="Conference Room 4")
    for day, hour in [(2, 15), (1, 13)]:
        factories.SessionFactory(
            conference=conference,
            title="Side event: Victims' voices",
            seat_limit=40,
            room=room,
            date=datetime.date(year, 7, day),
            starts_at=utc(year, 7, day, hour, 0),
            ends_at=utc(year, 7, day, hour + 1, 30),
        )
    factories.SessionFactory(
        conference=conference, title="Youth dialogue", seat_limit=20, starts_at=None, date=datetime.date(year, 7, 1)
    )
    factories.SessionFactory(conference=conference, title="Opening session")  # no seat limit

    response = desk_client.get(CHECKIN)

    assert session_groups(response) == [
        (
            day_heading(datetime.date(year, 7, 1)),
            [
                "09:00–10:30 EDT · Side event: Victims' voices · Conference Room 4",
                "Time not announced · Youth dialogue",
            ],
        ),
        (day_heading(datetime.date(year, 7, 2)), ["11:00–12:30 EDT · Side event: Victims' voices · Conference Room 4"]),
    ]


def test_sessions_of_two_conferences_name_their_conference(desk_client, conference, other_conference):
    factories.SessionFactory(conference=other_conference, title="Side event B", seat_limit=5)
    factories.SessionFactory(conference=conference, title="Side event A", seat_limit=5)

    response = desk_client.get(CHECKIN)

    assert [label for label, _options in session_groups(response)] == [
        f"Fourth Conference · {day_heading(conference.start_date)}",
        f"Fifth Conference · {day_heading(other_conference.start_date)}",
    ]


def test_session_list_queries_do_not_grow_with_the_sessions(desk_client, conference):
    def queries_for(count):
        for _ in range(count):
            factories.SessionFactory(conference=conference, seat_limit=5, room=factories.RoomFactory())
        with CaptureQueriesContext(connection) as queries:
            desk_client.get(CHECKIN)
        return len(queries)

    assert queries_for(1) == queries_for(5)


def test_camera_controls_wait_for_javascript(desk_client, conference):
    page = desk_client.get(CHECKIN).content.decode()

    camera = re.search(r"<section[^>]*data-camera[^>]*>", page, re.S).group(0)
    assert " hidden>" in camera  # shown by the script only where a camera can be used
    assert 'data-decoder="/static/vendor/jsqr/jsQR.js"' in camera
    assert '<script src="/static/secretariat/checkin-camera.js" defer></script>' in page


def test_page_usable_on_a_phone(desk_client, conference):
    html = desk_client.get(CHECKIN).content.decode()

    assert html.count('<meta name="viewport" content="width=device-width, initial-scale=1">') == 1


def test_page_offers_coming_conferences_soonest_first(desk_client, conference, other_conference):
    factories.ConferenceFactory(start_date=other_conference.start_date.replace(month=9), is_published=False)
    factories.ConferenceFactory(start_date=datetime.date(2018, 6, 28), title="Past Conference")

    form = desk_client.get(CHECKIN).context["form"]

    assert (form["conference"].value(), list(form.fields["conference"].queryset)) == (
        conference.pk,
        [conference, other_conference],
    )


def test_post_needs_csrf_token(desk, conference, delegate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk)

    response = scan(client, conference, badge_token(delegate))

    assert response.status_code == 403
    assert check_in_record(delegate) == (None, None)


def test_post_with_csrf_token_from_the_page_checks_in(desk, conference, delegate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk)
    page = client.get(CHECKIN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)

    response = client.post(
        CHECKIN, {"csrfmiddlewaretoken": token, "conference": conference.pk, "query": badge_token(delegate)}
    )

    assert (response.status_code, verdict(response)) == (200, NOW)
