"""A clearly labelled sample edition for demonstrations: three days, rooms, 30+ sessions.

Everything made here is invented. The conference carries is_sample=True, its title
says "sample data", and every session description says so too.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from django_countries.fields import Country
from faker import Faker

from conference.choices import Gender
from conference.models import Conference, Format, Room, Session, SessionKind, SessionPerson, SessionRole, Venue
from conference.states import STATES
from conference.versioning import bump_schedule_version
from strategy.models import Pillar

SAMPLE_SLUG = "sample-counter-terrorism-week"
SAMPLE_NOTE = "Sample session generated for demonstration; not a real event."
ROOMS = [("Plenary Hall", 1800), ("Conference Room A", 120), ("Conference Room B", 80), ("Conference Room C", 60)]
TOPICS = [
    "Countering the financing of terrorism",
    "Supporting victims of terrorism",
    "Preventing violent extremism conducive to terrorism",
    "Border security and management",
    "Protecting critical infrastructure and soft targets",
    "Engaging youth in prevention",
    "Gender dimensions of countering terrorism",
    "Human rights and the rule of law in counter-terrorism",
    "Terrorist use of new technologies and the Internet",
    "Prosecution, rehabilitation and reintegration",
    "Aviation security and travel information",
    "Cybersecurity and the protection of data",
    "Partnering with civil society",
    "Regional cooperation and information sharing",
    "Countering terrorist narratives online",
    "Addressing the link between terrorism and organized crime",
]
SIDE_EVENT_HOSTS = [
    "the Permanent Mission of {country}",
    "the United Nations Office of Counter-Terrorism and {country}",
    "a civil society network with the Permanent Mission of {country}",
]
# (local start, local end, kind, room index or None for online, open?, seat limit)
DAY_PLAN = [
    ("10:00", "11:30", SessionKind.HIGH_LEVEL, 0, True, None),
    ("11:30", "13:00", SessionKind.THEMATIC, 0, False, None),
    ("13:15", "14:30", SessionKind.SIDE_EVENT, 1, False, 120),
    ("13:15", "14:30", SessionKind.SIDE_EVENT, 2, False, 80),
    ("13:15", "14:30", SessionKind.SIDE_EVENT, 3, False, 40),
    ("15:00", "16:30", SessionKind.THEMATIC, 0, False, None),
    ("15:00", "16:30", SessionKind.INTERACTIVE, 1, False, 60),
    ("16:30", "18:00", SessionKind.THEMATIC, 0, True, None),
    ("16:45", "18:00", SessionKind.WEBINAR, None, True, None),
    ("18:15", "19:30", SessionKind.SIDE_EVENT, 2, False, 50),
]


def sample_conference():
    return Conference.objects.filter(slug=SAMPLE_SLUG).first()


@transaction.atomic
def create_sample_conference(*, rng=None, today=None):
    """Create the sample edition, about two months ahead, unless it exists. Returns (conference, created)."""
    existing = sample_conference()
    if existing:
        return existing, False
    rng = rng or random.Random()
    fake = Faker(["en_US", "fr_FR", "es_ES", "ru_RU", "ar_AA", "zh_CN"])
    fake.seed_instance(rng.random())
    conference = _create_conference(today or timezone.localdate())
    rooms = _create_rooms()
    pillars = list(Pillar.objects.order_by("number"))
    days = [conference.start_date + datetime.timedelta(days=offset) for offset in range(3)]
    sessions = _plan_sessions(conference, days, rooms, rng)
    Session.objects.bulk_create(sessions)
    _tag_and_staff(sessions, pillars, rng, fake)
    bump_schedule_version()  # bulk_create sends no signals
    return conference, True


def _create_conference(today):
    start = today + datetime.timedelta(days=60)
    start += datetime.timedelta(days=(7 - start.weekday()) % 7)  # a Monday
    now = timezone.now()
    return Conference.objects.create(
        slug=SAMPLE_SLUG,
        title="Sample Counter-Terrorism Week (sample data)",
        theme="Sample theme: cooperation against terrorism in a changing world",
        description=(
            "This edition is sample data, generated for demonstration and testing. Its sessions, "
            "rooms, speakers and participants are invented."
        ),
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        time_zone="America/New_York",
        format=Format.HYBRID,
        venue=Venue.objects.get_or_create(name="Sample Conference Centre", defaults={"city": "New York"})[0],
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=datetime.datetime.combine(start, datetime.time(), tzinfo=datetime.UTC)
        - datetime.timedelta(days=7),
        capacity_in_person=800,
        capacity_online=1500,
        is_sample=True,
    )


def _create_rooms():
    venue = Venue.objects.get(name="Sample Conference Centre")
    return [
        Room.objects.get_or_create(venue=venue, name=name, defaults={"capacity": capacity})[0]
        for name, capacity in ROOMS
    ]


def _plan_sessions(conference, days, rooms, rng):
    topics = rng.sample(TOPICS, len(TOPICS))
    sessions = []
    for day_index, day in enumerate(days):
        plan = list(DAY_PLAN)
        if day_index == 0:
            plan.insert(0, ("09:30", "10:00", SessionKind.OPENING, 0, True, None))
        if day_index == len(days) - 1:
            plan.append(("19:30", "20:00", SessionKind.CLOSING, 0, True, None))
        for start, end, kind, room_index, is_open, seat_limit in plan:
            title = _title(kind, topics[len(sessions) % len(topics)])
            sessions.append(
                Session(
                    conference=conference,
                    title=title,
                    kind=kind,
                    description=SAMPLE_NOTE,
                    date=day,
                    starts_at=_at(conference, day, start),
                    ends_at=_at(conference, day, end),
                    room=rooms[room_index] if room_index is not None else None,
                    online_url="https://meetings.example.org/sample" if room_index is None else "",
                    is_open=is_open,
                    seat_limit=seat_limit,
                    organizers=_host(kind, rng),
                )
            )
    return sessions


def _title(kind, topic):
    if kind == SessionKind.OPENING:
        return "Opening session"
    if kind == SessionKind.CLOSING:
        return "Closing session"
    return topic


def _host(kind, rng):
    if kind != SessionKind.SIDE_EVENT:
        return ""
    # A Permanent Mission is a State's: a Member State or Observer State, never a territory.
    country = Country(rng.choice(sorted(STATES))).name
    return "Sample: " + rng.choice(SIDE_EVENT_HOSTS).format(country=country)


def _at(conference, day, hhmm):
    return datetime.datetime.combine(day, datetime.time.fromisoformat(hhmm), tzinfo=conference.zone)


def _tag_and_staff(sessions, pillars, rng, fake):
    Through = Session.pillars.through
    links, people = [], []
    for index, session in enumerate(sessions):
        first = pillars[index % len(pillars)]
        tagged = {first, rng.choice(pillars)}
        links += [Through(session_id=session.pk, pillar_id=pillar.pk) for pillar in tagged]
        people += _panel(session, index, rng, fake)
    Through.objects.bulk_create(links)
    SessionPerson.objects.bulk_create(people)


def _panel(session, index, rng, fake):
    # Every seventh panel is all men, so the gender-balance warnings have something to find.
    all_men = index % 7 == 3
    roles = [SessionRole.CHAIR, SessionRole.MODERATOR] + [SessionRole.SPEAKER] * rng.randint(2, 4)
    panel = []
    for position, role in enumerate(roles):
        gender = Gender.MALE if all_men else rng.choice([Gender.FEMALE, Gender.MALE, Gender.FEMALE, Gender.MALE])
        name = fake.name_male() if gender == Gender.MALE else fake.name_female()
        panel.append(
            SessionPerson(
                session=session,
                role=role,
                name=name,
                function=rng.choice(["Director", "Head of Unit", "Senior Adviser", "Ambassador", "Professor"]),
                organization="Sample organization",
                gender=gender,
                position=position,
            )
        )
    return panel
