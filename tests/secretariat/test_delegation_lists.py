"""Delegations in what the Secretariat issues and reads: the list of participants (each delegation's
head first, then its members in order), the badges of delegations' approved members, and the
dashboard's figures on delegations."""

import dataclasses
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from registration import services
from registration.models import Status
from secretariat.dashboard import QUERIES, conference_dashboard
from secretariat.models import PreparedFile
from secretariat.participant_list import participant_groups
from secretariat.roles import SECRETARIAT
from tests import factories
from tests.secretariat.delegation_support import member
from tests.secretariat.test_participant_list import outline

pytestmark = pytest.mark.django_db

DELEGATIONS = reverse("admin:registration_delegation_changelist")


@pytest.fixture
def secretariat_client(client):
    client.force_login(factories.StaffUserFactory(email="secretary@un.org", groups=[SECRETARIAT]))
    return client


@pytest.fixture
def senegal(conference):
    conference.format, conference.capacity_online = "hybrid", 100
    conference.save()
    return factories.DelegationFactory(conference=conference, places_in_person=5, places_online=2)


@pytest.fixture
def france(senegal):
    return factories.DelegationFactory(conference=senegal.conference, represented_country="FR", places_in_person=5)


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def in_order(text, names):
    """Whether each of `names` is in `text`, in that order."""
    positions = [text.find(name) for name in names]
    return -1 not in positions and positions == sorted(positions)


# The list of participants


@pytest.fixture
def listed(senegal):
    """Senegal's delegation (its head last nominated), someone else representing Senegal, and people left out."""
    conference = senegal.conference
    member(senegal, "Cheikh", "Fall", status=Status.APPROVED, position=1)
    member(senegal, "Aby", "Ba", status=Status.APPROVED, position=2)
    member(senegal, "Zeynab", "Sy", status=Status.APPROVED, position=3, is_head=True)
    member(senegal, "Pending", "Member", status=Status.PENDING, position=4)
    factories.ParticipantFactory(
        conference=conference, approved=True, listed=True, given_name="Amina", family_name="Diallo"
    )
    # Withdrawn, yet approved (a registration the Secretariat kept): listed with the others, no longer first.
    member(senegal, "Moussa", "Ndiaye", status=Status.APPROVED, position=0, withdrawn_at=timezone.now())
    return conference


SENEGAL = ["Zeynab Sy", "Cheikh Fall", "Aby Ba", "Amina Diallo", "Moussa Ndiaye"]


def test_list_puts_the_head_first_then_members_in_order_then_the_others(listed):
    assert outline(participant_groups(listed, public=True)) == [("Member State", [("Senegal", SENEGAL)])]


@pytest.mark.parametrize("count", [5, 50])
def test_list_with_delegations_in_one_query(listed, senegal, django_assert_num_queries, count):
    senegal.places_in_person = count + 5
    senegal.save()
    for position in range(count):
        member(senegal, "Member", f"Number {position}", status=Status.APPROVED, position=10 + position)

    with django_assert_num_queries(1):
        groups = participant_groups(listed, public=False)

    assert groups[0].count == 5 + count


def test_list_page_names_the_head_of_delegation(client, listed):
    listed.publish_participant_list = True
    listed.save()

    page = client.get(reverse("secretariat:participant_list", kwargs={"slug": listed.slug})).content.decode()

    head = page.index("<bdi>Zeynab Sy</bdi>")
    assert page.count("Head of delegation") == 1
    assert head < page.index('<span class="person-role">Head of delegation</span>') < page.index("<bdi>Cheikh Fall")


@pytest.mark.pdf
def test_list_pdf_follows_a_new_head_of_delegation(secretariat_client, listed, senegal):
    url = reverse("secretariat:participant_list_staff", kwargs={"conference_id": listed.pk}) + "?format=pdf"
    before = pdf_text(secretariat_client.get(url).content)

    services.add_member(
        senegal,
        data={
            "given_name": "New",
            "family_name": "Head",
            "email": "new.head@example.org",
            "function": "Minister",
            "attendance": "in_person",
            "is_head": True,
        },
        by=None,
    )
    after = pdf_text(secretariat_client.get(url).content)

    assert in_order(before, ["Zeynab Sy", "Head of delegation", "Cheikh Fall", "Aby Ba", "Amina Diallo"])
    # The new head is not registered yet: the former one takes their place in the order.
    assert in_order(after, ["Cheikh Fall", "Aby Ba", "Zeynab Sy", "Amina Diallo"])
    assert "Head of delegation" not in after


# Badges


def print_badges(client, delegations):
    data = {"action": "print_badges", "index": "0", "_selected_action": [d.pk for d in delegations]}
    return client.post(DELEGATIONS, data, follow=True)


@pytest.fixture
def badges_wanted(senegal, france):
    member(senegal, "Cheikh", "Fall", status=Status.APPROVED, position=1)
    member(senegal, "Aby", "Ba", status=Status.PENDING, position=2)
    member(senegal, "Zeynab", "Sy", status=Status.APPROVED, position=3, is_head=True)
    member(senegal, "Moussa", "Ndiaye", status=Status.APPROVED, position=4, withdrawn_at=timezone.now())
    member(senegal, "Not", "Registered", position=5)
    member(france, "Jean", "Martin", status=Status.APPROVED, position=1)
    factories.ParticipantFactory(conference=senegal.conference, approved=True, given_name="Amina", family_name="Alone")


@pytest.mark.pdf
def test_badges_of_a_delegation_are_its_approved_members_head_first(secretariat_client, senegal, badges_wanted):
    response = print_badges(secretariat_client, [senegal])

    text = pdf_text(response.content)
    assert (response.status_code, response["Content-Disposition"]) == (200, 'attachment; filename="badges.pdf"')
    assert in_order(text, ["Zeynab Sy", "Cheikh Fall"])
    assert [name for name in ("Aby Ba", "Moussa Ndiaye", "Jean Martin", "Amina Alone") if name in text] == []


@pytest.mark.pdf
def test_badges_of_several_delegations_one_after_the_other(secretariat_client, senegal, france, badges_wanted):
    response = print_badges(secretariat_client, [senegal, france])

    assert in_order(pdf_text(response.content), ["Jean Martin", "Zeynab Sy", "Cheikh Fall"])  # France, then Senegal


def test_badges_of_delegations_without_approved_members(secretariat_client, senegal):
    member(senegal, "Aby", "Ba", status=Status.PENDING)

    response = print_badges(secretariat_client, [senegal])

    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert [str(message) for message in response.context["messages"]] == [
        "No member of the selected delegations is approved: no badges to print."
    ]


@pytest.mark.pdf
def test_many_badges_prepared_by_the_worker_in_delegation_order(
    secretariat_client, senegal, france, badges_wanted, monkeypatch
):
    monkeypatch.setattr("secretariat.admin.delegations.BADGES_AT_ONCE", 2)

    response = print_badges(secretariat_client, [senegal, france])

    prepared = PreparedFile.objects.get()
    download = secretariat_client.get(reverse("admin:secretariat_preparedfile_download", args=[prepared.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    assert (prepared.kind, prepared.state, prepared.total) == ("delegation", "ready", 3)
    assert response.redirect_chain == [(reverse("admin:secretariat_preparedfile_change", args=[prepared.pk]), 302)]
    assert "Badges of delegations (PDF)" in response.content.decode()
    assert in_order(text, ["Jean Martin", "Zeynab Sy", "Cheikh Fall"])
    assert "Aby Ba" not in text


# The dashboard


@pytest.fixture
def delegations(senegal, france):
    """Hand-counted: Senegal 4 members (3 registered, 2 approved), France 2 (1 registered), an NGO 1."""
    member(senegal, "Zeynab", "Sy", status=Status.APPROVED, is_head=True)
    member(senegal, "Cheikh", "Fall", status=Status.APPROVED, gender="male", attendance="online")
    member(senegal, "Aby", "Ba", status=Status.PENDING)
    member(senegal, "Moussa", "Diop")
    member(senegal, "Withdrawn", "Member", status=Status.CANCELLED, withdrawn_at=timezone.now())
    member(france, "Head", "To Register", is_head=True)
    member(france, "Jean", "Martin", status=Status.WAITLISTED, gender="male")
    forum = factories.DelegationFactory(
        conference=senegal.conference,
        category="civil_society",
        represented_country="",
        organization="Peace Forum",
        places_in_person=2,
        places_online=3,
    )
    member(forum, "Lena", "Weber", status=Status.APPROVED, is_head=True, gender="male")
    factories.DelegationFactory(represented_country="SN")  # another conference's
    return senegal.conference


def test_dashboard_counts_delegations_members_and_places_by_category(delegations, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        dashboard = conference_dashboard(delegations)

    # Delegations; members nominated, registered, approved; places in person used, given; online used, given.
    assert [dataclasses.astuple(row) for row in dashboard["delegations"]] == [
        ("member_state", "Member State", 2, 6, 4, 2, 5, 10, 1, 3),
        ("civil_society", "Civil society organization", 1, 1, 1, 1, 1, 2, 0, 3),
    ]


def test_dashboard_heads_of_delegation_by_gender(delegations):
    dashboard = conference_dashboard(delegations)

    assert [(share.value, share.count) for share in dashboard["heads_gender"].shares] == [
        ("female", 1),
        ("male", 1),
        ("other", 0),
        ("undisclosed", 0),
    ]
    assert dashboard["heads_not_registered"] == 1


def test_dashboard_page_shows_delegations(staff_client, delegations):
    response = staff_client.get(reverse("admin:registration_participant_dashboard", args=[delegations.pk]))

    page = " ".join(response.content.decode().split())
    link = f"{DELEGATIONS}?conference__id__exact={delegations.pk}&amp;category__exact=member_state"
    assert (
        f'<tr><th scope="row"><a href="{link}">Member State</a></th><td>2</td><td>6</td><td>4</td><td>2</td>'
        "<td>5 of 10</td><td>1 of 3</td></tr>"
    ) in page
    assert "<caption>Heads of delegation by gender</caption>" in page
    assert "1 head of delegation has not registered yet and is not counted." in page


def test_dashboard_page_without_delegations_leaves_them_out(staff_client, conference):
    response = staff_client.get(reverse("admin:registration_participant_dashboard", args=[conference.pk]))

    assert (response.status_code, "Delegations by category" in response.content.decode()) == (200, False)
