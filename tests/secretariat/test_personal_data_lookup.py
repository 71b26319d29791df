"""The page that downloads everything kept under one email address, for a person's request to see their data."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from registration.models import OutgoingEmail
from secretariat.roles import CHECK_IN_DESK, SECRETARIAT
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("admin:registration_participant_personal_data")


@pytest.fixture
def secretariat_client(client):
    client.force_login(factories.StaffUserFactory(email="secretary@un.org", groups=[SECRETARIAT]))
    return client


@pytest.fixture
def delegation(conference):
    return factories.DelegationFactory(conference=conference)


def lookup(client, email):
    return client.post(URL, {"email": email})


def test_everything_under_an_address_and_nothing_of_anyone_else(secretariat_client, conference, delegation):
    registered = factories.ParticipantFactory(conference=conference, email="aby.ba@example.org", family_name="Ba")
    later = factories.ConferenceFactory(title="Fifth Conference", start_date=conference.start_date.replace(year=2099))
    nominated = factories.DelegationMemberFactory(
        delegation=factories.DelegationFactory(conference=later),
        given_name="Aby",
        family_name="Ba",
        email="Aby.Ba@example.org",
        function="Counsellor",
        is_head=True,
    )
    factories.FocalPointFactory(delegation=delegation, user=None, email="aby.ba@example.org", language="fr")
    factories.OutgoingEmailFactory(participant=None, to="aby.ba@example.org", kind="focal_point", subject="Focal")
    factories.ParticipantFactory(conference=conference, email="someone.else@example.org")
    factories.DelegationMemberFactory(delegation=delegation, email="someone.else@example.org")
    factories.OutgoingEmailFactory(participant=None, to="someone.else@example.org", subject="Not hers")

    response = lookup(secretariat_client, " ABY.BA@example.org ")

    data = json.loads(response.content)
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "application/json",
        'attachment; filename="personal-data.json"',
    )
    assert [registration["Reference"] for registration in data["registrations"]] == [registered.reference]
    assert [
        (n["delegation"], n["family_name"], n["function"], n["head_of_delegation"]) for n in data["nominations"]
    ] == [("Senegal", "Ba", "Counsellor", True)]
    assert nominated.participant is None
    assert [(f["delegation"], f["conference"], f["language"], f["has_account"]) for f in data["focal_point_of"]] == [
        ("Senegal", "Fourth Conference", "fr", False)
    ]
    assert [(sent["kind"], sent["subject"]) for sent in data["other_emails"]] == [("focal_point", "Focal")]
    assert "someone.else@example.org" not in response.content.decode()


def test_registrations_made_by_the_account_with_that_address(secretariat_client, conference):
    account = factories.VerifiedUserFactory(email="amina@example.org")
    participant = factories.ParticipantFactory(conference=conference, user=account, email="work.address@example.org")

    data = json.loads(lookup(secretariat_client, "amina@example.org").content)

    assert [registration["Reference"] for registration in data["registrations"]] == [participant.reference]


def test_any_address_of_the_account_and_a_nomination_registered_under_another(secretariat_client, conference):
    account = factories.VerifiedUserFactory(email="amina@example.org")
    EmailAddress.objects.create(user=account, email="a.diallo@mission.example", verified=True)
    registration = factories.ParticipantFactory(conference=conference, user=account, email="amina@example.org")
    elsewhere = factories.ParticipantFactory(conference=conference, email="amina.work@example.org")
    factories.DelegationMemberFactory(
        delegation=factories.DelegationFactory(conference=conference),
        email="a.diallo@mission.example",
        family_name="Diallo",
        participant=elsewhere,
    )

    data = json.loads(lookup(secretariat_client, "a.diallo@mission.example").content)

    assert [registration["Reference"] for registration in data["registrations"]] == [registration.reference]
    assert [nomination["family_name"] for nomination in data["nominations"]] == ["Diallo"]


def test_nothing_kept_under_the_address_says_so_and_keeps_it(secretariat_client, conference):
    factories.ParticipantFactory(conference=conference, email="someone@example.org")

    response = lookup(secretariat_client, "nobody@example.org")

    assert response.status_code == 200
    assert "Nothing is kept under this address." in response.content.decode()
    assert 'value="nobody@example.org"' in response.content.decode()


def test_not_an_address_is_refused_with_a_message(secretariat_client):
    response = lookup(secretariat_client, "not an address")

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


def test_the_page_is_linked_from_the_participants_and_back_and_asks_by_post(secretariat_client):
    changelist_url = reverse("admin:registration_participant_changelist")
    changelist = secretariat_client.get(changelist_url)
    page = secretariat_client.get(URL)

    assert f'href="{URL}"' in changelist.content.decode()
    assert f'<a href="{changelist_url}">Participants</a>' in page.content.decode()  # the way back
    assert 'method="post"' in page.content.decode()
    assert secretariat_client.put(URL).status_code == 405


def test_only_staff_who_see_participants(client, conference):
    factories.ParticipantFactory(conference=conference, email="aby.ba@example.org")
    client.force_login(factories.StaffUserFactory(groups=[CHECK_IN_DESK]))

    assert lookup(client, "aby.ba@example.org").status_code == 403
    client.logout()
    assert lookup(client, "aby.ba@example.org").status_code == 302
    assert OutgoingEmail.objects.count() == 0
