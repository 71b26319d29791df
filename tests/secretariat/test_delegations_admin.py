"""The Secretariat's delegations in the admin: the list, a new delegation's places, focal points
designated through the service, members in order, decisions per delegation, the note verbale, the
delegation on the participants' pages, and who may open any of it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conference.states import MEMBER_STATES
from conftest import with_two_factor
from registration.models import Delegation, FocalPoint, OutgoingEmail, Participant, PlacesByCategory, Status
from secretariat.admin.delegations import DelegationAdmin
from secretariat.roles import CHECK_IN_DESK, SECRETARIAT
from tests import factories
from tests.html_forms import form_data
from tests.registration.support import pdf_bytes, pdf_upload
from tests.secretariat.delegation_support import member

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registration_delegation_changelist")
ADD = reverse("admin:registration_delegation_add")
PARTICIPANTS = reverse("admin:registration_participant_changelist")


def change_url(delegation):
    return reverse("admin:registration_delegation_change", args=[delegation.pk])


def text(response):
    return response.content.decode()


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def secretary():
    return factories.StaffUserFactory(email="secretary@un.org", groups=[SECRETARIAT])


@pytest.fixture
def secretariat_client(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def delegation(conference):
    conference.format, conference.capacity_online = "hybrid", 100
    conference.save()
    return factories.DelegationFactory(conference=conference, places_in_person=3, places_online=2)


# The list


def test_list_shows_each_delegations_places_members_head_and_note_verbale(secretariat_client, delegation):
    member(delegation, "Cheikh", "Fall", is_head=True)
    member(delegation, "Aby", "Ba", attendance="online")
    member(delegation, "Withdrawn", "Person", withdrawn_at=timezone.now())
    delegation.note_verbale.save("note.pdf", ContentFile(pdf_bytes()))
    other = factories.DelegationFactory(
        conference=delegation.conference, category="civil_society", represented_country="", organization="Peace Forum"
    )

    response = secretariat_client.get(CHANGELIST)

    rows = [
        (d.represents, d.head_name, d.member_count, d.used_in_person, d.used_online)
        for d in response.context["cl"].result_list
    ]
    assert sorted(rows) == [("Peace Forum", None, 0, 0, 0), ("Senegal", "Cheikh Fall", 2, 1, 1)]
    page = text(response)
    assert '<td class="field-in_person">1 of 3</td>' in page
    assert '<td class="field-online">1 of 2</td>' in page
    assert f'<a href="{PARTICIPANTS}?delegation={delegation.pk}">2</a>' in page
    assert f'href="/admin/notes-verbales/{delegation.pk}/"' in page
    assert f'href="/admin/notes-verbales/{other.pk}/"' not in page


@pytest.mark.parametrize("count", [5, 200])
def test_list_query_count_constant(secretariat_client, conference, django_assert_num_queries, count):
    for code in sorted(MEMBER_STATES)[: count // 5]:
        delegation = factories.DelegationFactory(conference=conference, represented_country=code, places_in_person=5)
        member(delegation, "Head", code, is_head=True, status=Status.PENDING)
        for position in range(4):
            member(delegation, "Member", f"{code}{position}", status=Status.APPROVED)

    # Session, account, two-factor check; the account's and its groups' permissions; the conference
    # filter's conferences; the filtered and the whole count; the page of delegations with their
    # conferences, places used, members and heads.
    with django_assert_num_queries(9):
        response = secretariat_client.get(CHANGELIST)

    assert [d.member_count for d in response.context["cl"].result_list] == [5] * (count // 5)


@pytest.mark.parametrize(("term", "found"), [("sénég", ["SN"]), ("SN", ["SN"]), ("peace", ["Peace Forum"])])
def test_search_by_state_in_the_pages_language_or_by_organization(secretariat_client, delegation, term, found):
    factories.DelegationFactory(conference=delegation.conference, represented_country="FR")
    factories.DelegationFactory(
        conference=delegation.conference, category="igo", represented_country="", organization="Peace Forum"
    )
    url = CHANGELIST.replace("/admin/", "/fr/admin/") if term == "sénég" else CHANGELIST

    response = secretariat_client.get(url, {"q": term})

    assert [d.organization or d.represented_country.code for d in response.context["cl"].result_list] == found


@pytest.mark.parametrize(
    ("language", "states"), [("en", ["Algeria", "Egypt", "Germany"]), ("fr", ["Algérie", "Allemagne", "Égypte"])]
)
def test_listed_by_name_in_the_pages_language_latest_conference_first(secretariat_client, language, states):
    earlier = factories.ConferenceFactory()
    conference = factories.ConferenceFactory(start_date=earlier.start_date + timedelta(days=60))
    for code in ["DE", "EG", "DZ"]:
        factories.DelegationFactory(conference=conference, represented_country=code)
    for name in ["OSCE", "African Union", "league of Arab States"]:
        factories.DelegationFactory(conference=conference, category="igo", represented_country="", organization=name)
    factories.DelegationFactory(conference=earlier, represented_country="AF")
    url = CHANGELIST.replace("/admin/", f"/{language}/admin/") if language != "en" else CHANGELIST

    with translation.override(language):
        listed = [(d.conference, str(d)) for d in secretariat_client.get(url).context["cl"].result_list]

    assert listed == [
        *[(conference, name) for name in [*states, "African Union", "league of Arab States", "OSCE"]],
        (earlier, "Afghanistan"),
    ]


def test_filter_by_conference_and_category(secretariat_client, delegation):
    factories.DelegationFactory(represented_country="FR")  # another conference
    factories.DelegationFactory(
        conference=delegation.conference, category="igo", represented_country="", organization="OSCE"
    )

    response = secretariat_client.get(
        CHANGELIST, {"conference__id__exact": delegation.conference.pk, "category__exact": "member_state"}
    )

    assert list(response.context["cl"].result_list) == [delegation]


# A new delegation


def new_delegation(client, conference, **fields):
    data = form_data(text(client.get(ADD)))
    data.update({"conference": conference.pk, "places_in_person": "", "places_online": "", **fields})
    return client.post(ADD, data)


def test_new_delegation_gets_the_places_of_its_category_at_the_conference(secretariat_client, conference):
    factories.PlacesByCategoryFactory(conference=conference, category="civil_society", in_person=1, online=4)

    response = new_delegation(
        secretariat_client, conference, category="civil_society", represented_country="", organization="Peace Forum"
    )

    assert response.status_code == 302
    assert Delegation.objects.values_list("places_in_person", "places_online").get() == (1, 4)


def test_new_delegation_without_places_for_its_category_gets_the_built_in_ones(secretariat_client, conference):
    factories.PlacesByCategoryFactory(conference=conference, category="civil_society")
    page = text(secretariat_client.get(ADD))

    new_delegation(secretariat_client, conference, category="member_state", represented_country="SN")
    new_delegation(secretariat_client, conference, category="academia", represented_country="", organization="Uni")

    assert sorted(Delegation.objects.values_list("category", "places_in_person", "places_online")) == [
        ("academia", 2, 3),
        ("member_state", 5, 5),
    ]
    assert (
        "Leave blank for the places set for this category at this conference under Places by category, or else "
        "the built-in ones (Member State and Observer State: 5 in person, 5 online; any other category: 2 in "
        "person, 3 online)."
    ) in page


def test_new_delegation_keeps_the_places_typed(secretariat_client, conference):
    new_delegation(
        secretariat_client, conference, category="member_state", represented_country="SN", places_in_person="8"
    )

    assert Delegation.objects.values_list("places_in_person", "places_online").get() == (8, 5)


def test_places_are_required_once_the_delegation_exists(secretariat_client, delegation):
    data = form_data(text(secretariat_client.get(change_url(delegation)))) | {"places_online": ""}

    response = secretariat_client.post(change_url(delegation), data)

    delegation.refresh_from_db()
    assert (response.status_code, delegation.places_online) == (200, 2)
    assert "This field is required." in text(response)


def test_second_delegation_of_a_state_refused(secretariat_client, delegation):
    response = new_delegation(
        secretariat_client, delegation.conference, category="member_state", represented_country="SN"
    )

    assert "This State already has a delegation to this conference." in text(response)
    assert Delegation.objects.count() == 1


def test_places_by_category_page_tells_the_built_in_places(secretariat_client):
    page = text(secretariat_client.get(reverse("admin:registration_placesbycategory_add")))

    assert (
        "For a category without a line here: Member State and Observer State: 5 in person, 5 online; any other "
        "category: 2 in person, 3 online."
    ) in page


# Focal points


def designate(client, delegation, email, language="en"):
    url = change_url(delegation)
    data = form_data(text(client.get(url)))
    index = int(data["focal_points-TOTAL_FORMS"]) - 1  # the empty form at the end
    data.update({f"focal_points-{index}-email": email, f"focal_points-{index}-language": language})
    return client.post(url, data, follow=True)


def test_designating_someone_with_an_account_links_it_and_tells_them(secretariat_client, delegation):
    person = factories.VerifiedUserFactory(email="focal.point@example.org")

    response = designate(secretariat_client, delegation, "Focal.Point@example.org", language="fr")

    assert list(FocalPoint.objects.values_list("email", "user", "language")) == [
        ("focal.point@example.org", person.pk, "fr")
    ]
    assert OutgoingEmail.objects.get(kind="focal_point").to == "focal.point@example.org"
    assert messages_of(response)[0] == (
        "Focal point of Senegal designated: focal.point@example.org, who acts through their account and is told "
        "by email."
    )


def test_designating_someone_without_an_account_invites_them(secretariat_client, delegation):
    response = designate(secretariat_client, delegation, "new.focal@example.org")

    focal_point = FocalPoint.objects.get()
    assert (focal_point.email, focal_point.user, focal_point.invited_at is not None) == (
        "new.focal@example.org",
        None,
        True,
    )
    assert reverse("account_signup") in OutgoingEmail.objects.get(to="new.focal@example.org").body_text
    assert messages_of(response)[0] == (
        "Focal point of Senegal designated: new.focal@example.org, who is invited by email to create an account."
    )
    assert "None yet: invited to create one" in text(secretariat_client.get(change_url(delegation)))


def test_designating_a_focal_point_twice_refused(secretariat_client, delegation):
    factories.FocalPointFactory(delegation=delegation, user__email="focal.point@example.org")

    response = designate(secretariat_client, delegation, "FOCAL.POINT@example.org")

    assert "This person is already a focal point of this delegation." in text(response)
    assert (FocalPoint.objects.count(), OutgoingEmail.objects.count()) == (1, 0)


def test_a_designated_focal_point_is_not_edited_but_may_be_removed(secretariat_client, delegation):
    focal_point = factories.FocalPointFactory(delegation=delegation, user__email="focal.point@example.org")
    url = change_url(delegation)
    data = form_data(text(secretariat_client.get(url)))

    secretariat_client.post(url, data | {"focal_points-0-email": "someone.else@example.org"})
    kept = list(FocalPoint.objects.values_list("email", flat=True))
    secretariat_client.post(url, data | {"focal_points-0-DELETE": "on"})

    assert kept == [focal_point.email]
    assert (FocalPoint.objects.count(), OutgoingEmail.objects.count()) == (0, 0)


def test_focal_points_without_an_account_invited_again_in_their_language(secretariat_client, delegation):
    factories.FocalPointFactory(delegation=delegation, user__email="has.account@example.org")
    factories.FocalPointFactory(delegation=delegation, user=None, email="waiting@example.org", language="fr")
    other = factories.DelegationFactory(conference=delegation.conference, represented_country="NO")
    factories.FocalPointFactory(delegation=other, user=None, email="not.selected@example.org")

    response = act(secretariat_client, "invite_focal_points_again", [delegation])

    invitation = OutgoingEmail.objects.get()
    assert (invitation.to, invitation.kind) == ("waiting@example.org", "focal_point")
    assert invitation.subject.startswith("Vous êtes point focal de la délégation (Sénégal)")
    assert messages_of(response) == ["1 focal point is invited again by email."]


def test_inviting_again_when_every_focal_point_has_an_account_says_so(secretariat_client, delegation):
    factories.FocalPointFactory(delegation=delegation, user__email="has.account@example.org")

    response = act(secretariat_client, "invite_focal_points_again", [delegation])

    assert OutgoingEmail.objects.count() == 0
    assert messages_of(response) == [
        "Every focal point of the selected delegations already has an account: no one to invite."
    ]


def test_new_delegation_with_its_focal_point_at_once(secretariat_client, conference):
    response = new_delegation(
        secretariat_client,
        conference,
        category="member_state",
        represented_country="SN",
        **{"focal_points-0-email": "focal.point@example.org", "focal_points-0-language": "en"},
    )

    assert response.status_code == 302
    assert list(FocalPoint.objects.values_list("delegation__represented_country", "email")) == [
        ("SN", "focal.point@example.org")
    ]
    assert OutgoingEmail.objects.filter(to="focal.point@example.org", kind="focal_point").count() == 1


# Members


def test_members_shown_head_first_in_order_withdrawn_last_with_their_registrations(secretariat_client, delegation):
    member(delegation, "Withdrawn", "Person", position=0, withdrawn_at=timezone.now())
    second = member(delegation, "Aby", "Ba", position=2, status=Status.APPROVED)
    member(delegation, "Cheikh", "Fall", position=1)
    member(delegation, "Zeynab", "Sy", position=3, is_head=True)

    page = " ".join(text(secretariat_client.get(change_url(delegation))).split())

    names = ["Zeynab Sy", "Cheikh Fall", "Aby Ba", "Withdrawn Person"]
    positions = [page.index(f'<td class="field-name"> <p>{name}</p> </td>') for name in names]
    assert positions == sorted(positions)
    participant_url = reverse("admin:registration_participant_change", args=[second.participant.pk])
    assert f'<p><a href="{participant_url}">{second.participant.reference} · Approved</a></p>' in page
    assert page.count("Details to complete") == 3
    assert 'name="members-0-email"' not in page  # for reading


def test_what_a_delegation_represents_is_fixed_once_it_has_members(secretariat_client, delegation):
    member(delegation, "Aby", "Ba")
    url = change_url(delegation)
    data = form_data(text(secretariat_client.get(url)))

    secretariat_client.post(url, data | {"represented_country": "FR", "places_in_person": "4"})

    delegation.refresh_from_db()
    assert (delegation.represented_country.code, delegation.places_in_person) == ("SN", 4)


def test_only_a_delegation_without_members_can_be_deleted(secretariat_client, delegation):
    empty = factories.DelegationFactory(conference=delegation.conference, represented_country="FR")
    member(delegation, "Aby", "Ba")

    refused = secretariat_client.post(reverse("admin:registration_delegation_delete", args=[delegation.pk]))
    secretariat_client.post(reverse("admin:registration_delegation_delete", args=[empty.pk]), {"post": "yes"})

    assert refused.status_code == 403
    assert list(Delegation.objects.all()) == [delegation]


# Decisions


def act(client, action, delegations, **data):
    selected = {"action": action, "index": "0", "_selected_action": [d.pk for d in delegations]}
    return client.post(CHANGELIST, selected | data, follow=True)


def test_approve_action_approves_each_delegations_registrations_and_counts_them(secretariat_client, delegation):
    conference = delegation.conference
    conference.capacity_in_person = 2
    conference.save()
    for name in ("Ba", "Fall", "Sy"):
        member(delegation, "Member", name, status=Status.PENDING)
    member(delegation, "Not", "Registered")
    other = factories.DelegationFactory(conference=conference, represented_country="FR")
    member(other, "Jean", "Martin", status=Status.PENDING, attendance="online")
    focal_point = factories.FocalPointFactory(delegation=delegation)

    response = act(secretariat_client, "approve_registrations", [delegation, other])

    statuses = dict(Participant.objects.values_list("family_name", "status"))
    assert (statuses.pop("Martin"), sorted(statuses.values())) == ("approved", ["approved", "approved", "waitlisted"])
    assert messages_of(response) == ["3 participants are now: Approved.", "1 participant is now: On the waiting list."]
    assert "Approved: 2" in OutgoingEmail.objects.get(to=focal_point.email).body_text


def test_approve_action_with_nothing_to_decide_says_so(secretariat_client, delegation):
    member(delegation, "Aby", "Ba", status=Status.APPROVED)

    response = act(secretariat_client, "approve_registrations", [delegation])

    assert messages_of(response) == ["No registration of the selected delegations was waiting for this decision."]


def test_reject_action_asks_for_the_message_then_rejects(secretariat_client, delegation):
    first = member(delegation, "Aby", "Ba", status=Status.APPROVED)
    second = member(delegation, "Cheikh", "Fall", status=Status.PENDING)
    focal_point = factories.FocalPointFactory(delegation=delegation)

    confirmation = act(secretariat_client, "reject_registrations", [delegation])
    without_message = act(secretariat_client, "reject_registrations", [delegation], apply="1", message="")
    response = act(
        secretariat_client, "reject_registrations", [delegation], apply="1", message="The note verbale is missing."
    )

    assert "This applies to 1 delegation:" in text(confirmation)
    assert '<label for="id_message">Message to the focal points:</label>' in text(confirmation)
    assert "This field is required." in text(without_message)
    assert messages_of(response) == ["2 participants are now: Not approved."]
    assert sorted(Participant.objects.values_list("pk", "status", "decision_message")) == [
        (first.participant.pk, "rejected", "The note verbale is missing."),
        (second.participant.pk, "rejected", "The note verbale is missing."),
    ]
    assert "The note verbale is missing." in OutgoingEmail.objects.get(to=focal_point.email).body_text


def test_staff_who_may_only_read_participants_cannot_decide(client, delegation):
    reader = with_two_factor(factories.UserFactory(is_staff=True))
    for codename in ("view_delegation", "change_delegation", "view_participant"):
        reader.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(reader)
    member(delegation, "Aby", "Ba", status=Status.PENDING)

    page = text(client.get(CHANGELIST))
    response = act(client, "approve_registrations", [delegation])

    assert ('value="approve_registrations"' in page, 'value="print_badges"' in page) == (False, True)
    assert Participant.objects.get().status == Status.PENDING
    assert messages_of(response) == ["No action selected."]


# The note verbale


def test_staff_download_the_note_verbale(secretariat_client, delegation):
    url = reverse("secretariat:note_verbale", kwargs={"pk": delegation.pk})
    missing = secretariat_client.get(url)
    delegation.note_verbale.save("note.pdf", ContentFile(pdf_bytes()))

    response = secretariat_client.get(url)

    assert missing.status_code == 404
    assert (b"".join(response.streaming_content), response["Cache-Control"]) == (pdf_bytes(), "private, no-store")


def test_staff_keep_a_note_verbale_received_in_place_of_the_one_kept(
    secretariat_client, delegation, django_capture_on_commit_callbacks
):
    delegation.note_verbale.save("first.pdf", ContentFile(pdf_bytes()))
    first = delegation.note_verbale.name
    url = change_url(delegation)
    data = form_data(text(secretariat_client.get(url)))

    with django_capture_on_commit_callbacks(execute=True):  # the replaced file goes once the change is committed
        response = secretariat_client.post(url, data | {"new_note_verbale": pdf_upload(content=pdf_bytes(pages=2))})

    delegation.refresh_from_db()
    assert response.status_code == 302
    assert (delegation.note_verbale.read(), delegation.note_verbale.storage.exists(first)) == (pdf_bytes(2), False)


def test_a_note_verbale_replaced_in_a_change_rolled_back_keeps_its_file(secretariat_client, delegation, monkeypatch):
    delegation.note_verbale.save("first.pdf", ContentFile(pdf_bytes()))
    first = delegation.note_verbale.name
    url = change_url(delegation)
    data = form_data(text(secretariat_client.get(url)))
    secretariat_client.raise_request_exception = False

    def fails(*args, **kwargs):
        raise RuntimeError("the focal points could not be saved")

    monkeypatch.setattr(DelegationAdmin, "save_formset", fails)
    response = secretariat_client.post(url, data | {"new_note_verbale": pdf_upload(content=pdf_bytes(pages=2))})

    delegation.refresh_from_db()
    assert response.status_code == 500
    assert (delegation.note_verbale.name, delegation.note_verbale.read()) == (first, pdf_bytes())


def test_a_note_verbale_received_that_is_not_a_pdf_is_refused_and_nothing_changes(secretariat_client, delegation):
    delegation.note_verbale.save("first.pdf", ContentFile(pdf_bytes()))
    url = change_url(delegation)
    data = form_data(text(secretariat_client.get(url)))

    response = secretariat_client.post(
        url, data | {"places_in_person": "4", "new_note_verbale": pdf_upload(content=b"not a pdf")}
    )

    delegation.refresh_from_db()
    assert "The document must be a PDF file." in text(response)
    assert (delegation.places_in_person, delegation.note_verbale.read()) == (3, pdf_bytes())


def test_new_delegation_with_the_note_verbale_received(secretariat_client, conference):
    response = new_delegation(
        secretariat_client, conference, category="member_state", represented_country="NO", new_note_verbale=pdf_upload()
    )

    assert response.status_code == 302
    assert Delegation.objects.get().note_verbale.read() == pdf_bytes()


# The participants' admin


def test_participants_filtered_by_delegation(secretariat_client, delegation):
    in_delegation = member(delegation, "Aby", "Ba", status=Status.PENDING).participant
    other = factories.DelegationFactory(conference=delegation.conference, represented_country="FR")
    elsewhere = member(other, "Jean", "Martin", status=Status.PENDING).participant
    withdrawn = member(delegation, "Cheikh", "Fall", status=Status.CANCELLED, withdrawn_at=timezone.now())
    alone = factories.ParticipantFactory(conference=delegation.conference, family_name="Alone")

    def found(**query):
        response = secretariat_client.get(PARTICIPANTS, query)
        return sorted(participant.pk for participant in response.context["cl"].result_list)

    conference = {"conference__id__exact": delegation.conference.pk}
    choices = secretariat_client.get(PARTICIPANTS, conference).content.decode()
    assert found(delegation="any") == sorted([in_delegation.pk, elsewhere.pk])
    assert found(delegation="none") == sorted([withdrawn.participant.pk, alone.pk])
    assert found(delegation=delegation.pk, **conference) == [in_delegation.pk]
    assert choices.index(f"delegation={other.pk}") < choices.index(f"delegation={delegation.pk}")  # France, Senegal


def test_participants_list_and_page_link_to_the_delegation(secretariat_client, delegation):
    head = member(delegation, "Aby", "Ba", status=Status.PENDING, is_head=True).participant
    factories.ParticipantFactory(conference=delegation.conference)

    listing = text(secretariat_client.get(PARTICIPANTS))
    page = text(secretariat_client.get(reverse("admin:registration_participant_change", args=[head.pk])))

    link = f'<a href="{change_url(delegation)}">Senegal</a>'
    assert listing.count(link) == 1
    assert f"{link} (head of delegation)" in page


# Who may open the delegations' pages


def test_visitor_sent_to_log_in(client, delegation):
    response = client.get(change_url(delegation))

    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={change_url(delegation)}")


@pytest.mark.parametrize("who", ["participant", "check-in desk"])
def test_participants_and_the_check_in_desk_refused(delegation, who):
    user = (
        factories.VerifiedUserFactory()
        if who == "participant"
        else factories.StaffUserFactory(email="desk@un.org", groups=[CHECK_IN_DESK])
    )
    client = Client()
    client.force_login(user)
    urls = [
        CHANGELIST,
        ADD,
        change_url(delegation),
        reverse("admin:registration_placesbycategory_changelist"),
        reverse("secretariat:note_verbale", kwargs={"pk": delegation.pk}),
    ]

    assert [client.get(url).status_code for url in urls] == [403] * len(urls)
    assert act(client, "approve_registrations", [delegation]).status_code == 403
    assert PlacesByCategory.objects.count() == 0
