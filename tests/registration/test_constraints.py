import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from registration.models import Category, Participant, SeatRequest, Status
from tests.factories import ParticipantFactory, SeatRequestFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_member_state_participant_saves_when_valid():
    participant = ParticipantFactory(represented_country="SN")

    stored = Participant.objects.get(pk=participant.pk)
    assert (stored.status, stored.represents, len(stored.reference)) == ("pending", "Senegal", 10)


def test_organization_participant_saves_when_valid():
    participant = ParticipantFactory(ngo=True)

    assert Participant.objects.get(pk=participant.pk).represents == "Peace Forum"


def test_approved_and_checked_in_participant_saves_when_valid():
    participant = ParticipantFactory(approved=True, checked_in_at=timezone.now())

    assert Participant.objects.get(pk=participant.pk).status == "approved"


def test_participant_second_registration_same_conference_refused():
    first = ParticipantFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(user=first.user, conference=first.conference)


def test_participant_same_person_other_conference_saves():
    first = ParticipantFactory()

    ParticipantFactory(user=first.user)

    assert Participant.objects.filter(user=first.user).count() == 2


def test_participant_reference_unique_refused():
    first = ParticipantFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(reference=first.reference)


@pytest.mark.parametrize("category", [Category.MEMBER_STATE, Category.OBSERVER_STATE])
def test_state_participant_without_represented_country_refused(category):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(category=category, represented_country="", organization="Ministry of Interior")


@pytest.mark.parametrize(
    "category",
    [Category.CIVIL_SOCIETY, Category.UN_ENTITY, Category.INTERNATIONAL_ORGANIZATION, Category.PRIVATE_SECTOR],
)
def test_organization_participant_without_organization_refused(category):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(category=category, represented_country="SN", organization="")


@pytest.mark.parametrize("status", [Status.APPROVED, Status.WAITLISTED, Status.REJECTED])
def test_decided_participant_without_decided_at_refused(status):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(status=status, decided_at=None)


def test_cancelled_participant_without_decided_at_saves():
    assert ParticipantFactory(status=Status.CANCELLED).decided_at is None


@pytest.mark.parametrize("status", [Status.PENDING, Status.WAITLISTED, Status.REJECTED, Status.CANCELLED])
def test_participant_checked_in_when_not_approved_refused(status):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(status=status, decided_at=timezone.now(), checked_in_at=timezone.now())


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "accepted"), ("category", "diplomat"), ("attendance", "hologram"), ("gender", "x")],
)
def test_participant_invalid_choice_refused(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(**{field: value})


def test_participant_status_updated_to_invalid_value_refused():
    participant = ParticipantFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(status="approve")


def test_seat_request_saves_when_valid():
    seat_request = SeatRequestFactory()

    stored = SeatRequest.objects.get(pk=seat_request.pk)
    assert (stored.status, stored.session.conference_id) == ("pending", stored.participant.conference_id)


def test_seat_request_second_for_same_session_refused():
    first = SeatRequestFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        SeatRequestFactory(participant=first.participant, session=first.session)


def test_seat_request_other_session_saves():
    first = SeatRequestFactory()

    SeatRequestFactory(participant=first.participant, session=SessionFactory(conference=first.session.conference))

    assert SeatRequest.objects.filter(participant=first.participant).count() == 2


def test_seat_request_invalid_status_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        SeatRequestFactory(status="granted")


def test_user_factory_email_login():
    user = UserFactory()

    assert (user.check_password("pw"), user.get_username(), user.email.endswith("@example.org")) == (
        True,
        user.email,
        True,
    )
