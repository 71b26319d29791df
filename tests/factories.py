"""factory_boy factories: every object they build is valid against the model's database constraints."""

import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from conference.models import Conference, Format, Resource, ResourceKind, Room, Session, SessionPerson, Venue
from registration.models import (
    Attendance,
    Category,
    Delegation,
    DelegationMember,
    FocalPoint,
    LetterRequest,
    LetterStatus,
    Message,
    OutgoingEmail,
    Participant,
    PlacesByCategory,
    SeatRequest,
    SeatStatus,
    Status,
    new_letter_reference,
)
from secretariat.models import PreparedFile
from strategy.models import Pillar, StrategyReview

NEW_YORK = "America/New_York"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Amina"
    last_name = factory.Sequence(lambda n: f"Diallo{n}")
    password = factory.django.Password("pw")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")


class EmailAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailAddress

    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    verified = True
    primary = True


class AuthenticatorFactory(factory.django.DjangoModelFactory):
    """An activated TOTP authenticator (two-factor authentication)."""

    class Meta:
        model = Authenticator

    user = factory.SubFactory(UserFactory)
    type = Authenticator.Type.TOTP
    data = factory.LazyFunction(lambda: {"secret": encrypt(generate_totp_secret())})


class VerifiedUserFactory(UserFactory):
    """A user whose email address is verified, as after following the link in allauth's email."""

    email_address = factory.RelatedFactory(EmailAddressFactory, factory_related_name="user")


class PillarFactory(factory.django.DjangoModelFactory):
    """Only four pillars can exist (numbers 1 to 4), so the factory reuses a pillar with the same number."""

    class Meta:
        model = Pillar
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n % 4 + 1)
    short_name = factory.LazyAttribute(lambda o: f"Pillar short name {o.number}")
    title = factory.LazyAttribute(lambda o: f"Measures of pillar {o.number}.")
    slug = factory.LazyAttribute(lambda o: f"pillar-{o.number}")


class StrategyReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyReview

    ordinal = factory.Sequence(lambda n: n + 1)
    resolution = factory.Sequence(lambda n: f"A/RES/{100 + n}/{200 + n}")
    adopted_on = datetime.date(2018, 6, 26)
    title = factory.Sequence(lambda n: f"Review {n} of the United Nations Global Counter-Terrorism Strategy")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Conference Centre {n}")
    city = "New York"
    country = "US"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Conference Room {n}")
    capacity = 300


class ConferenceFactory(factory.django.DjangoModelFactory):
    """A three-day conference in New York, 90 days from today unless told otherwise."""

    class Meta:
        model = Conference

    class Params:
        # Registration opened yesterday and closes when the conference starts.
        open_for_registration = factory.Trait(
            registration_opens_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
        )

    title = factory.Sequence(lambda n: f"High-Level Conference {n}")
    slug = factory.Sequence(lambda n: f"conference-{n}")
    theme = "Countering terrorism together"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=2) if o.start_date else None)
    time_zone = NEW_YORK
    format = Format.IN_PERSON
    venue = factory.SubFactory(VenueFactory)
    is_published = True


def local_time(conference, day, hour, minute=0):
    """An aware datetime: `hour`:`minute` on `day` in the conference's time zone."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=conference.zone)


class SessionFactory(factory.django.DjangoModelFactory):
    """A session from 10:00 to 11:00 local time on the conference's first day."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    conference = factory.SubFactory(ConferenceFactory)
    title = factory.Sequence(lambda n: f"Thematic session {n}")
    kind = "thematic"
    date = factory.LazyAttribute(lambda o: o.conference.start_date)
    starts_at = factory.LazyAttribute(lambda o: local_time(o.conference, o.date, 10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1) if o.starts_at else None)

    @factory.post_generation
    def pillars(self, create, extracted, **kwargs):
        if create and extracted:
            self.pillars.add(*extracted)


class SessionPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionPerson

    session = factory.SubFactory(SessionFactory)
    role = "speaker"
    name = factory.Sequence(lambda n: f"Speaker {n}")
    function = "Head of Counter-Terrorism Agency"
    organization = "Member State"
    gender = "female"
    position = factory.Sequence(lambda n: n)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    conference = factory.SubFactory(ConferenceFactory)
    kind = ResourceKind.CONCEPT_NOTE
    title = factory.Sequence(lambda n: f"Concept note {n}")
    url = factory.Sequence(lambda n: f"https://www.un.org/counterterrorism/document-{n}.pdf")


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A pending, in-person Member State delegate; traits for an organization and for decisions."""

    class Meta:
        model = Participant

    class Params:
        ngo = factory.Trait(category=Category.CIVIL_SOCIETY, represented_country="", organization="Peace Forum")
        approved = factory.Trait(status=Status.APPROVED, decided_at=factory.LazyFunction(timezone.now))
        waitlisted = factory.Trait(
            status=Status.WAITLISTED,
            decided_at=factory.LazyFunction(timezone.now),
            waitlisted_at=factory.LazyFunction(timezone.now),
        )
        online = factory.Trait(attendance=Attendance.ONLINE)
        rejected = factory.Trait(status=Status.REJECTED, decided_at=factory.LazyFunction(timezone.now))
        # Approved and checked in at the desk.
        checked_in = factory.Trait(
            status=Status.APPROVED,
            decided_at=factory.LazyFunction(timezone.now),
            checked_in_at=factory.LazyFunction(timezone.now),
        )
        # Consented to the public list of participants.
        listed = factory.Trait(public_list_consent_at=factory.LazyFunction(timezone.now))

    user = factory.SubFactory(UserFactory)
    conference = factory.SubFactory(ConferenceFactory)
    given_name = "Amina"
    family_name = factory.Sequence(lambda n: f"Diallo{n}")
    email = factory.SelfAttribute("user.email")
    gender = "female"
    nationality = "SN"
    category = Category.MEMBER_STATE
    represented_country = "SN"
    organization = ""
    function = "Director, National Counter-Terrorism Agency"
    attendance = Attendance.IN_PERSON
    data_consent_at = factory.LazyFunction(timezone.now)
    status = Status.PENDING


class SeatRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SeatRequest

    participant = factory.SubFactory(ParticipantFactory)
    session = factory.SubFactory(
        SessionFactory, conference=factory.SelfAttribute("..participant.conference"), seat_limit=50
    )

    class Params:
        held = factory.Trait(status=SeatStatus.HELD)
        waitlisted = factory.Trait(status=SeatStatus.WAITLISTED, waitlisted_at=factory.LazyFunction(timezone.now))


class LetterRequestFactory(factory.django.DjangoModelFactory):
    """A request for a letter of invitation by an approved participant; traits for the Secretariat's decisions."""

    class Meta:
        model = LetterRequest

    class Params:
        issued = factory.Trait(status=LetterStatus.ISSUED, decided_at=factory.LazyFunction(timezone.now))
        declined = factory.Trait(status=LetterStatus.DECLINED, decided_at=factory.LazyFunction(timezone.now))

    participant = factory.SubFactory(ParticipantFactory, approved=True)
    reference = factory.LazyAttribute(lambda o: new_letter_reference(o.participant.conference))
    passport_name = factory.LazyAttribute(lambda o: o.participant.full_name)
    nationality = "SN"
    passport_number = factory.Sequence(lambda n: f"A{n:07d}")


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutgoingEmail

    participant = factory.SubFactory(ParticipantFactory)
    kind = "received"
    to = factory.SelfAttribute("participant.email")
    subject = "Registration received"
    body_text = "We have received your registration."


class MessageFactory(factory.django.DjangoModelFactory):
    """A draft to all approved participants, written in English only."""

    class Meta:
        model = Message

    conference = factory.SubFactory(ConferenceFactory)
    subject_en = "Practical information"
    body_en = "The conference opens at 10:00.\nPlease come early."


class PreparedFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreparedFile

    kind = PreparedFile.Kind.BADGES
    requested_by = factory.SubFactory(UserFactory)
    total = 3


class StaffUserFactory(UserFactory):
    """A staff account with two-factor authentication (TOTP), in the groups named: groups=["Secretariat"].

    two_factor=None gives a staff account that has not set up two-factor authentication yet."""

    is_staff = True
    two_factor = factory.RelatedFactory(AuthenticatorFactory, factory_related_name="user")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=name) for name in extracted])


class DelegationFactory(factory.django.DjangoModelFactory):
    """A Member State's delegation with two places in person and one online."""

    class Meta:
        model = Delegation

    conference = factory.SubFactory(ConferenceFactory, open_for_registration=True)
    category = Category.MEMBER_STATE
    represented_country = "SN"
    organization = ""
    places_in_person = 2
    places_online = 1


class FocalPointFactory(factory.django.DjangoModelFactory):
    """A focal point with a verified account."""

    class Meta:
        model = FocalPoint

    delegation = factory.SubFactory(DelegationFactory)
    user = factory.SubFactory(VerifiedUserFactory)
    email = factory.SelfAttribute("user.email")


class DelegationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationMember

    delegation = factory.SubFactory(DelegationFactory)
    given_name = "Moussa"
    family_name = factory.Sequence(lambda n: f"Ndiaye{n}")
    email = factory.LazyAttribute(lambda o: f"{o.family_name.lower()}@example.org")
    function = "Counsellor"
    attendance = Attendance.IN_PERSON
    position = factory.Sequence(lambda n: n)


class PlacesByCategoryFactory(factory.django.DjangoModelFactory):
    """The places of a civil society organization's delegation at a conference."""

    class Meta:
        model = PlacesByCategory

    conference = factory.SubFactory(ConferenceFactory)
    category = Category.CIVIL_SOCIETY
    in_person = 1
    online = 2
