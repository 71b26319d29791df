import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from conference.models import Conference, Session, SessionKind, SessionPerson
from conference.sample import SAMPLE_SLUG
from registration.models import Category, Participant, Status
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data():
    call_command("load_reference_data", stdout=None)


def load_sample(**options):
    call_command("load_sample_data", verbosity=0, **options)


def test_sample_edition_is_labelled_and_complete(reference_data):
    load_sample(seed=7)

    conference = Conference.objects.get(slug=SAMPLE_SLUG)
    sessions = Session.objects.filter(conference=conference)
    assert conference.is_sample is True
    assert "sample data" in conference.title
    assert (conference.end_date - conference.start_date).days == 2
    assert sessions.count() == 32
    assert set(sessions.values_list("kind", flat=True)) == set(SessionKind.values) - {SessionKind.OTHER}
    one_day = datetime.timedelta(days=1)
    assert sorted(set(sessions.values_list("date", flat=True))) == [
        conference.start_date,
        conference.start_date + one_day,
        conference.start_date + 2 * one_day,
    ]
    assert sessions.filter(kind=SessionKind.SIDE_EVENT, seat_limit__isnull=False).count() == 12
    assert set(sessions.values_list("pillars__number", flat=True)) == {1, 2, 3, 4}
    roles = set(SessionPerson.objects.filter(session__conference=conference).values_list("role", flat=True))
    assert roles >= {"chair", "moderator", "speaker"}


def test_sample_edition_is_created_once(reference_data):
    load_sample(seed=1)
    load_sample(seed=2)

    assert Conference.objects.filter(slug=SAMPLE_SLUG).count() == 1
    assert Session.objects.filter(conference__slug=SAMPLE_SLUG).count() == 32


def test_sample_participants_spread_over_categories_statuses_and_scripts(reference_data):
    load_sample(seed=3, participants=600)

    participants = Participant.objects.filter(conference__slug=SAMPLE_SLUG, delegation_member__isnull=True)
    assert participants.count() == 600
    assert set(participants.values_list("category", flat=True)) == set(Category.values)
    assert set(participants.values_list("status", flat=True)) == set(Status.values)
    assert participants.values("represented_country").distinct().count() > 50
    languages = dict(participants.values_list("language").annotate(n=Count("id")))
    assert set(languages) == {"en", "fr", "es", "ru", "ar", "zh-hans"}
    arabic = participants.filter(language="ar").first()
    chinese = participants.filter(language="zh-hans").first()
    assert any("\u0600" <= char <= "\u06ff" for char in arabic.family_name)
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese.family_name)


def test_sample_participants_add_up_over_runs(reference_data):
    load_sample(participants=10)
    load_sample(participants=15)

    assert Participant.objects.filter(conference__slug=SAMPLE_SLUG, delegation_member__isnull=True).count() == 25


def test_reset_rebuilds_the_sample_edition_without_leaving_accounts(reference_data, django_user_model):
    load_sample(participants=20)
    # Someone real who registered for the sample edition keeps the account.
    ParticipantFactory(conference=Conference.objects.get(slug=SAMPLE_SLUG), user__email="amina.diallo@un.org")
    before = set(django_user_model.objects.filter(email__endswith="@sample.invalid").values_list("pk", flat=True))

    load_sample(reset=True)

    # The rebuilt edition has only its delegations' members, with new accounts.
    assert Participant.objects.filter(delegation_member__isnull=True).count() == 0
    assert not django_user_model.objects.filter(pk__in=before).exists()
    assert django_user_model.objects.filter(email="amina.diallo@un.org").exists()
    assert Session.objects.filter(conference__slug=SAMPLE_SLUG).count() == 32


def test_sample_approvals_stay_within_the_conference_capacity(reference_data):
    load_sample(seed=4)
    Conference.objects.filter(slug=SAMPLE_SLUG).update(capacity_in_person=10, capacity_online=5)

    load_sample(seed=4, participants=200)

    approved = Participant.objects.filter(conference__slug=SAMPLE_SLUG, status=Status.APPROVED)
    waiting = Participant.objects.filter(conference__slug=SAMPLE_SLUG, status=Status.WAITLISTED)
    assert (approved.filter(attendance="in_person").count(), approved.filter(attendance="online").count()) == (10, 5)
    assert waiting.filter(waitlisted_at__isnull=True).count() == 0


def test_sample_edition_has_delegations_at_every_stage(reference_data):
    from registration.models import Delegation, DelegationMember

    load_sample(seed=5)
    load_sample(seed=6)  # once only

    delegations = Delegation.objects.filter(conference__slug=SAMPLE_SLUG)
    members = DelegationMember.objects.filter(delegation__in=delegations)
    assert sorted(str(delegation) for delegation in delegations) == ["Holy See", "INTERPOL", "Norway", "Senegal"]
    assert all(delegation.focal_points.count() == 1 for delegation in delegations)
    assert members.filter(is_head=True).count() == 4
    assert members.filter(participant__isnull=True).exists()
    assert members.filter(participant__status="approved").exists()
    assert all(member.email.endswith("@sample.invalid") for member in members)
