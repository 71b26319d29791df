"""The Secretariat's participation dashboard for one conference: its figures and its admin page.

`conference_dashboard` makes 8 queries whatever the number of participants and sessions;
each groups or aggregates in the database, and only small results come back (a few hundred
rows at most: one per category, status and gender, and one per State or organization).

Who is counted:

- registrations by status and category: every registration;
- "represented", gender balance: approved participants only;
- speakers: the people who speak (see conference/panels.py) in sessions not cancelled, one
  count per appearance, as agendas are counted;
- agenda hours: sessions not cancelled whose times are announced; a session with two pillars
  counts for both, so the pillars add up to more than the agenda's own total;
- delegations: their members not withdrawn, who take places; "registered" are those whose
  registration is made (whatever its status); heads of delegation by the gender their
  registration gives, those not registered yet apart.
"""

import dataclasses
from collections import Counter, defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference.choices import Gender
from conference.models import Session, SessionPerson, SessionRole
from conference.panels import SPEAKING_ROLES, all_male_panels
from registration.models import Attendance, Category, Delegation, DelegationMember, Participant, Status
from secretariat import charts
from strategy.models import Pillar

QUERIES = 8
# Categories whose distinct States or organizations the reports count, in the reports' order.
STATE_CATEGORIES = {Category.MEMBER_STATE, Category.OBSERVER_STATE}
ORGANIZATION_CATEGORIES = {Category.INTERNATIONAL_ORGANIZATION, Category.UN_ENTITY, Category.CIVIL_SOCIETY}


@dataclasses.dataclass(frozen=True)
class Share:
    """`count` of the breakdown's `total` that has the choice `value`; percent to one decimal."""

    value: str
    label: str
    count: int
    percent: float | None

    @property
    def percent_text(self):
        return charts.percent_text(self.percent)


@dataclasses.dataclass(frozen=True)
class Breakdown:
    """A total split by the values of a choice, in the choice's order (values never seen count 0)."""

    label: str
    total: int
    shares: tuple

    def share(self, value):
        return next(share for share in self.shares if share.value == value)


def breakdown(choices, counts, label=""):
    total = sum(counts.values())
    return Breakdown(
        label=str(label),
        total=total,
        shares=tuple(
            Share(value, str(name), counts.get(value, 0), percent(counts.get(value, 0), total))
            for value, name in choices.choices
        ),
    )


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


@dataclasses.dataclass(frozen=True)
class CategoryRow:
    value: str
    label: str
    registered: int
    approved: int


@dataclasses.dataclass(frozen=True)
class DelegationRow:
    """The delegations of one category: their members and their places (used of given)."""

    value: str
    label: str
    delegations: int
    nominated: int
    registered: int
    approved: int
    in_person_used: int
    in_person_given: int
    online_used: int
    online_given: int


@dataclasses.dataclass(frozen=True)
class Represented:
    """Approved participants, and the distinct States and organizations they represent."""

    participants: int
    member_states: int
    observer_states: int
    international_organizations: int
    un_entities: int
    civil_society_organizations: int


@dataclasses.dataclass(frozen=True)
class PillarHours:
    number: int | None
    label: str
    hours: float

    @property
    def hours_text(self):
        return charts.hours_text(self.hours)


@dataclasses.dataclass(frozen=True)
class FlaggedSession:
    session: Session
    admin_url: str


def conference_dashboard(conference):
    """Everything the dashboard shows for `conference`, in `QUERIES` queries."""
    registrations = _registrations(conference)  # 1 query
    represented = _represented(conference, registrations["approved"])  # 1 query
    return {
        "conference": conference,
        **registrations,
        "represented": represented,
        "represented_sentence": represented_sentence(represented),
        **_speakers(conference),  # 1 query
        **_agenda_hours(conference),  # 2 queries
        "all_male_panels": _all_male_panels(conference),  # 1 query
        **_delegations(conference),  # 2 queries
    }


def _registrations(conference):
    """Counts by status, by category and, among approved participants, by gender: one grouped query."""
    rows = (
        Participant.objects.filter(conference=conference)
        .order_by()
        .values("status", "category", "gender")
        .annotate(count=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)))
    )
    statuses, registered, approved, genders = Counter(), Counter(), Counter(), Counter()
    genders_by_category = defaultdict(Counter)
    checked_in = 0
    for row in rows:
        statuses[row["status"]] += row["count"]
        registered[row["category"]] += row["count"]
        checked_in += row["checked_in"]
        if row["status"] == Status.APPROVED:
            approved[row["category"]] += row["count"]
            genders[row["gender"]] += row["count"]
            genders_by_category[row["category"]][row["gender"]] += row["count"]
    return {
        "by_status": breakdown(Status, statuses),
        "by_category": [
            CategoryRow(value, str(label), registered[value], approved[value]) for value, label in Category.choices
        ],
        "approved": statuses[Status.APPROVED],
        "checked_in": checked_in,
        "gender": breakdown(Gender, genders),
        "gender_by_category": [
            breakdown(Gender, genders_by_category[value], label)
            for value, label in Category.choices
            if genders_by_category[value]
        ],
    }


def organization_key(name):
    """An organization's name as compared: case-folded, spaces trimmed and collapsed.

    Done in Python, not SQL: SQLite's lower() changes only ASCII letters.
    """
    return " ".join(name.split()).casefold()


def _represented(conference, participants):
    """Distinct States and organizations among approved participants: one query over distinct names."""
    rows = (
        Participant.objects.approved()
        .filter(conference=conference, category__in=[*STATE_CATEGORIES, *ORGANIZATION_CATEGORIES])
        .order_by()  # the model's ordering would otherwise defeat DISTINCT
        .values_list("category", "represented_country", "organization")
        .distinct()
    )
    seen = defaultdict(set)
    for category, country, organization in rows:
        key = country if category in STATE_CATEGORIES else organization_key(organization)
        if key:
            seen[category].add(key)
    return Represented(
        participants=participants,
        member_states=len(seen[Category.MEMBER_STATE]),
        observer_states=len(seen[Category.OBSERVER_STATE]),
        international_organizations=len(seen[Category.INTERNATIONAL_ORGANIZATION]),
        un_entities=len(seen[Category.UN_ENTITY]),
        civil_society_organizations=len(seen[Category.CIVIL_SOCIETY]),
    )


def grouped(number):
    """1024 as "1,024" in English, "1 024" in French: digits grouped as the active language does."""
    return number_format(number, force_grouping=True)


def represented_sentence(represented):
    """ "1,024 participants from 150 Member States, 30 international and regional organizations,
    31 United Nations entities and 55 civil society organizations", as the reports write it.

    Kinds with none are left out; observer States are not named, as in the reports.
    """
    kinds = [
        (represented.member_states, lambda n: ngettext("%(count)s Member State", "%(count)s Member States", n)),
        (
            represented.international_organizations,
            lambda n: ngettext(
                "%(count)s international or regional organization",
                "%(count)s international and regional organizations",
                n,
            ),
        ),
        (
            represented.un_entities,
            lambda n: ngettext("%(count)s United Nations entity", "%(count)s United Nations entities", n),
        ),
        (
            represented.civil_society_organizations,
            lambda n: ngettext("%(count)s civil society organization", "%(count)s civil society organizations", n),
        ),
    ]
    origins = [text(number) % {"count": grouped(number)} for number, text in kinds if number]
    count = represented.participants
    if not origins:
        return ngettext("%(count)s participant", "%(count)s participants", count) % {"count": grouped(count)}
    return ngettext("%(count)s participant from %(origins)s", "%(count)s participants from %(origins)s", count) % {
        "count": grouped(count),
        "origins": get_text_list(origins, _("and")),
    }


def _speakers(conference):
    """Gender of the people who speak, overall and by role: one grouped query."""
    rows = (
        SessionPerson.objects.filter(
            session__conference=conference, session__is_cancelled=False, role__in=SPEAKING_ROLES
        )
        .order_by()
        .values("role", "gender")
        .annotate(count=Count("pk"))
    )
    overall, by_role = Counter(), defaultdict(Counter)
    for row in rows:
        overall[row["gender"]] += row["count"]
        by_role[row["role"]][row["gender"]] += row["count"]
    return {
        "speakers_gender": breakdown(Gender, overall),
        "speakers_gender_by_role": [
            breakdown(Gender, by_role[value], label) for value, label in SessionRole.choices if by_role[value]
        ],
    }


def _hours(duration):
    return round(duration.total_seconds() / 3600, 2) if duration else 0.0


def _agenda_hours(conference):
    """Scheduled hours per pillar (all four, even with none), without a pillar, and in all: two queries."""
    scheduled = Q(
        sessions__conference=conference,
        sessions__is_cancelled=False,
        sessions__starts_at__isnull=False,
        sessions__ends_at__isnull=False,
    )
    pillars = Pillar.objects.order_by("number").annotate(
        scheduled=Sum(F("sessions__ends_at") - F("sessions__starts_at"), filter=scheduled)
    )
    sessions = (
        Session.objects.filter(conference=conference)
        .not_cancelled()
        .timed()
        .order_by()
        .annotate(has_pillar=Exists(Session.pillars.through.objects.filter(session_id=OuterRef("pk"))))
    )
    duration = F("ends_at") - F("starts_at")
    totals = sessions.aggregate(total=Sum(duration), without_pillar=Sum(duration, filter=Q(has_pillar=False)))
    return {
        "pillar_hours": [PillarHours(pillar.number, str(pillar), _hours(pillar.scheduled)) for pillar in pillars],
        "hours_without_pillar": PillarHours(None, _("No pillar"), _hours(totals["without_pillar"])),
        "hours_total": PillarHours(None, _("Whole agenda"), _hours(totals["total"])),
    }


def _all_male_panels(conference):
    sessions = all_male_panels(Session.objects.filter(conference=conference).not_cancelled()).order_by(
        "date", F("starts_at").asc(nulls_last=True), "pk"
    )
    return [
        FlaggedSession(session, reverse("admin:conference_session_change", args=[session.pk])) for session in sessions
    ]


def _delegations(conference):
    """Delegations by category, with their members and places, and their heads by gender: two grouped queries."""
    given = {
        row["category"]: row
        for row in Delegation.objects.filter(conference=conference)
        .order_by()
        .values("category")
        .annotate(count=Count("pk"), in_person=Sum("places_in_person"), online=Sum("places_online"))
    }
    members = (
        DelegationMember.objects.active()
        .filter(delegation__conference=conference)
        .order_by()
        .values("delegation__category", "attendance", "is_head", "participant__status", "participant__gender")
        .annotate(count=Count("pk"))
    )
    counts, heads, heads_unregistered = defaultdict(Counter), Counter(), 0
    for row in members:
        category, status, count = row["delegation__category"], row["participant__status"], row["count"]
        counts[category]["nominated"] += count
        counts[category][row["attendance"]] += count
        counts[category]["registered"] += count if status else 0
        counts[category]["approved"] += count if status == Status.APPROVED else 0
        if row["is_head"] and status:
            heads[row["participant__gender"]] += count
        elif row["is_head"]:
            heads_unregistered += count
    return {
        "delegations": [
            _delegation_row(value, label, given[value], counts[value])
            for value, label in Category.choices
            if value in given
        ],
        "heads_gender": breakdown(Gender, heads),
        "heads_not_registered": heads_unregistered,
    }


def _delegation_row(value, label, given, counts):
    return DelegationRow(
        value=value,
        label=str(label),
        delegations=given["count"],
        nominated=counts["nominated"],
        registered=counts["registered"],
        approved=counts["approved"],
        in_person_used=counts[Attendance.IN_PERSON],
        in_person_given=given["in_person"],
        online_used=counts[Attendance.ONLINE],
        online_given=given["online"],
    )
