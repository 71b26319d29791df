"""Sample registrations for the sample edition: invented people spread over categories,
States, organizations, genders, languages and statuses. Fast enough for 10,000 at once."""

import datetime
import random
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from conference.choices import Gender
from conference.states import MEMBER_STATES, OBSERVER_STATES
from registration.models import Attendance, Category, Participant, Status, Title

# Sample accounts' addresses: a reserved domain (RFC 2606) that no mail reaches, and by
# which `load_sample_data --reset` finds them.
SAMPLE_EMAIL_DOMAIN = "sample.invalid"
# Weights roughly as at past conferences: delegations of Member States first.
CATEGORY_WEIGHTS = {
    Category.MEMBER_STATE: 50,
    Category.OBSERVER_STATE: 2,
    Category.UN_ENTITY: 12,
    Category.INTERNATIONAL_ORGANIZATION: 10,
    Category.CIVIL_SOCIETY: 14,
    Category.PRIVATE_SECTOR: 5,
    Category.ACADEMIA: 5,
    Category.MEDIA: 2,
}
ORGANIZATIONS = {
    Category.UN_ENTITY: ["Sample UN Office A", "Sample UN Programme B", "Sample UN Agency C", "Sample UN Fund D"],
    Category.INTERNATIONAL_ORGANIZATION: ["Sample Regional Organization", "Sample Intergovernmental Body"],
    Category.CIVIL_SOCIETY: ["Sample Victims' Association", "Sample Youth Network", "Sample Women's Network"],
    Category.PRIVATE_SECTOR: ["Sample Technology Company", "Sample Bank"],
    Category.ACADEMIA: ["Sample University", "Sample Research Institute"],
    Category.MEDIA: ["Sample News Agency", "Sample Broadcaster"],
}
STATUS_WEIGHTS = {
    Status.PENDING: 30,
    Status.APPROVED: 50,
    Status.WAITLISTED: 8,
    Status.REJECTED: 5,
    Status.CANCELLED: 7,
}
GENDER_WEIGHTS = {Gender.FEMALE: 45, Gender.MALE: 48, Gender.OTHER: 1, Gender.UNDISCLOSED: 6}
# Faker locale and the site language that goes with it; names come in their own scripts.
LOCALES = [("en_US", "en"), ("fr_FR", "fr"), ("es_ES", "es"), ("ru_RU", "ru"), ("ar_AA", "ar"), ("zh_CN", "zh-hans")]
FUNCTIONS = ["Head of Counter-Terrorism Agency", "Ambassador", "Counsellor", "Programme Officer", "Director", "Expert"]


def _pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def create_sample_participants(conference, count, *, rng=None, batch_size=1000, progress=None):
    """Add `count` sample registrations (and their accounts) to `conference`."""
    rng = rng or random.Random()
    fakers = {}
    for locale, _language in LOCALES:
        fakers[locale] = Faker(locale)
        fakers[locale].seed_instance(rng.random())
    states = sorted(MEMBER_STATES)  # sorted: the same seed gives the same people
    # One real hash for all: these accounts cannot log in until a password is reset.
    password = make_password(None)
    seats = SeatCounter(conference)
    created = 0
    while created < count:
        size = min(batch_size, count - created)
        _create_batch(conference, size, rng, fakers, states, password, seats)
        created += size
        if progress:
            progress(size)
    return created


class SeatCounter:
    """Keeps sample approvals within the conference's limits: the rest wait, as they would."""

    def __init__(self, conference):
        self.conference = conference
        approved = Participant.objects.approved().filter(conference=conference)
        self.approved = {choice: approved.filter(attendance=choice).count() for choice in Attendance.values}

    def settle(self, person):
        if person["status"] != Status.APPROVED:
            return
        limit = self.conference.capacity_for(person["attendance"])
        if limit is not None and self.approved[person["attendance"]] >= limit:
            person["status"], person["waitlisted_at"] = Status.WAITLISTED, person["decided_at"]
        else:
            self.approved[person["attendance"]] += 1


@transaction.atomic
def _create_batch(conference, size, rng, fakers, states, password, seats):
    User = get_user_model()
    people = [_person(conference, rng, fakers, states) for _ in range(size)]
    for person in people:
        seats.settle(person)
    # bulk_create skips the manager, so the address is normalized here, as create_user would.
    users = User.objects.bulk_create(
        [User(email=User.objects.normalize_email(p["email"]), password=password) for p in people]
    )
    Participant.objects.bulk_create(
        [Participant(user=user, conference=conference, **p) for user, p in zip(users, people, strict=True)]
    )


def _person(conference, rng, fakers, states):
    locale, language = rng.choice(LOCALES)
    fake = fakers[locale]
    gender = _pick(rng, GENDER_WEIGHTS)
    female = gender == Gender.FEMALE or (gender != Gender.MALE and rng.random() < 0.5)
    category = _pick(rng, CATEGORY_WEIGHTS)
    status = _pick(rng, STATUS_WEIGHTS)
    now = timezone.now()
    registered = now - datetime.timedelta(minutes=rng.randint(1, 60 * 24 * 30))
    country = rng.choice(sorted(OBSERVER_STATES) if category == Category.OBSERVER_STATE else states)
    handle = uuid.uuid4().hex[:12]
    return {
        "email": f"sample-{handle}@{SAMPLE_EMAIL_DOMAIN}",
        "title": rng.choice([Title.MS if female else Title.MR, Title.DR, ""]),
        "excellency": rng.random() < 0.1,
        "given_name": fake.first_name_female() if female else fake.first_name_male(),
        "family_name": fake.last_name(),
        "gender": gender,
        "nationality": country if category in Category.state_categories() else rng.choice(states),
        "category": category,
        "represented_country": country if category in Category.state_categories() else "",
        "organization": "" if category in Category.state_categories() else rng.choice(ORGANIZATIONS[category]),
        "function": rng.choice(FUNCTIONS),
        "attendance": _attendance(conference, rng),
        "language": language,
        "data_consent_at": registered,
        "public_list_consent_at": registered if rng.random() < 0.7 else None,
        "status": status,
        "decided_at": now if status in Status.decided() else None,
        "waitlisted_at": now if status == Status.WAITLISTED else None,
    }


def _attendance(conference, rng):
    if not conference.allows_online:
        return Attendance.IN_PERSON
    if not conference.allows_in_person:
        return Attendance.ONLINE
    return Attendance.IN_PERSON if rng.random() < 0.7 else Attendance.ONLINE


# The sample edition's delegations: a State and an Observer State, a Member State attending online
# too, and an organization; each with a focal point (at the reserved domain: no email is sent) and
# members in every stage, from nominated to approved.
SAMPLE_DELEGATIONS = [
    (Category.MEMBER_STATE, "SN", ""),
    (Category.MEMBER_STATE, "NO", ""),
    (Category.OBSERVER_STATE, "VA", ""),
    (Category.INTERNATIONAL_ORGANIZATION, "", "INTERPOL"),
]


def create_sample_delegations(conference, *, rng=None):
    """Add the sample delegations to `conference`, unless it has delegations; returns how many were added."""
    from registration.models import Delegation, DelegationMember, FocalPoint, PlacesByCategory

    if conference.delegations.exists():
        return 0
    rng = rng or random.Random()
    fake = Faker("fr_FR")
    fake.seed_instance(rng.random())
    password = make_password(None)
    User = get_user_model()
    for category, country, organization in SAMPLE_DELEGATIONS:
        in_person, online = PlacesByCategory.for_category(conference, category)
        delegation = Delegation.objects.create(
            conference=conference,
            category=category,
            represented_country=country,
            organization=organization,
            places_in_person=in_person,
            places_online=online,
        )
        name = (country or organization).lower()
        FocalPoint.objects.create(delegation=delegation, email=f"focal-point-{name}@{SAMPLE_EMAIL_DOMAIN}")
        stages = [Status.APPROVED, Status.PENDING, None][: rng.randint(2, 3)] + [None] * rng.randint(0, 1)
        for position, stage in enumerate(stages[:in_person], start=1):
            female = rng.random() < 0.5
            person = {
                "given_name": fake.first_name_female() if female else fake.first_name_male(),
                "family_name": fake.last_name(),
                "email": f"member-{name}-{position}@{SAMPLE_EMAIL_DOMAIN}",
                "function": rng.choice(FUNCTIONS),
            }
            member = DelegationMember(
                delegation=delegation,
                attendance=Attendance.IN_PERSON,
                position=position,
                is_head=position == 1,
                **person,
            )
            if stage is not None:
                now = timezone.now()
                member.participant = Participant.objects.create(
                    user=User.objects.create(email=person["email"], password=password),
                    conference=conference,
                    gender=Gender.FEMALE if female else Gender.MALE,
                    nationality=country or rng.choice(sorted(MEMBER_STATES)),
                    category=category,
                    represented_country=country,
                    organization=organization,
                    attendance=Attendance.IN_PERSON,
                    data_consent_at=now,
                    status=stage,
                    decided_at=now if stage in Status.decided() else None,
                    **person,
                )
            member.save()
    return len(SAMPLE_DELEGATIONS)
