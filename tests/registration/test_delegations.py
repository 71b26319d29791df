"""Delegations: focal points nominate members within the delegation's places, replace or withdraw
them, complete their details or let them do it; the Secretariat decides per delegation; nobody sees
another delegation."""

import datetime
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registration import services
from registration.models import DelegationMember, FocalPoint, OutgoingEmail, Participant, Status
from tests import factories
from tests.registration.support import login_redirect, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegation(conference):
    conference.format, conference.capacity_online = "hybrid", 100
    conference.save()
    return factories.DelegationFactory(conference=conference)


@pytest.fixture
def focal_point(delegation):
    return factories.FocalPointFactory(delegation=delegation, user__email="focal.point@example.org")


@pytest.fixture
def focal_client(focal_point):
    client = Client()
    client.force_login(focal_point.user)
    return client


def page_url(delegation, name="delegation", **kwargs):
    return reverse(f"registration:{name}", kwargs={"pk": delegation.pk, **kwargs})


def member_data(**overrides):
    data = {
        "given_name": "Fatou",
        "family_name": "Sarr",
        "email": "fatou.sarr@example.org",
        "function": "First Secretary",
        "attendance": "in_person",
        "language": "en",
    }
    return {**data, **overrides}


def nominate(client, delegation, **overrides):
    return client.post(page_url(delegation, "member_add"), member_data(**overrides), follow=True)


def text(response):
    return response.content.decode()


def test_focal_point_sees_members_head_first_and_places_left(focal_client, delegation):
    factories.DelegationMemberFactory(delegation=delegation, given_name="Aby", family_name="Ba", position=1)
    factories.DelegationMemberFactory(delegation=delegation, given_name="Cheikh", family_name="Fall", is_head=True)

    page = text(focal_client.get(page_url(delegation)))

    assert page.index("Cheikh Fall") < page.index("Head of delegation") < page.index("Aby Ba")
    assert "In person: 2 of 2 taken, 0 left" in page
    assert "Online: 0 of 1 taken, 1 left" in page


def test_places_left_read_in_each_languages_grammar(focal_client, delegation):
    page = text(focal_client.get("/es" + page_url(delegation)))

    assert "Presencial: 0 de 2 ocupadas, 2 libres" in page
    assert "En línea: 0 de 1 ocupadas, 1 libre" in page


def test_nominating_a_member_invites_them_in_the_language_chosen_for_them(focal_client, delegation):
    response = focal_client.post(
        reverse("registration:member_add", kwargs={"pk": delegation.pk}).replace("/delegations/", "/fr/delegations/"),
        member_data(is_head="on", language="fr"),
        follow=True,
    )

    member = DelegationMember.objects.get()
    email = OutgoingEmail.objects.get(to="fatou.sarr@example.org")
    assert (member.full_name, member.is_head, member.added_by) == (
        "Fatou Sarr",
        True,
        delegation.focal_points.get().user,
    )
    subject = f"Votre désignation comme membre de la délégation (Sénégal)\u00a0: {delegation.conference.title}"
    assert email.subject == subject
    assert reverse("registration:nomination", kwargs={"pk": member.pk}) in email.body_text
    assert "Désignation de Fatou Sarr enregistrée" in text(response)


def test_no_member_beyond_the_places_of_their_attendance(focal_client, delegation):
    nominate(focal_client, delegation, email="one@example.org")
    nominate(focal_client, delegation, email="two@example.org")

    refused = nominate(focal_client, delegation, email="three@example.org")
    online = nominate(focal_client, delegation, email="four@example.org", attendance="online")

    assert "All the delegation&#x27;s places in person are taken." in text(refused)
    assert 'value="three@example.org"' in text(refused)  # what was typed is kept
    assert sorted(DelegationMember.objects.values_list("email", "attendance")) == [
        ("four@example.org", "online"),
        ("one@example.org", "in_person"),
        ("two@example.org", "in_person"),
    ]
    assert online.status_code == 200


def test_a_new_head_of_delegation_takes_the_role_from_the_former(focal_client, delegation):
    nominate(focal_client, delegation, email="one@example.org", is_head="on")
    nominate(focal_client, delegation, email="two@example.org", is_head="on")

    assert list(DelegationMember.objects.filter(is_head=True).values_list("email", flat=True)) == ["two@example.org"]


def test_nominating_a_head_says_whom_they_replace(focal_client, delegation):
    factories.DelegationMemberFactory(delegation=delegation, given_name="Cheikh", family_name="Fall", is_head=True)

    form = focal_client.get(page_url(delegation)).context["member_form"]
    response = nominate(focal_client, delegation, is_head="on")

    assert form["is_head"].help_text == (
        "Cheikh Fall is the head of delegation now; the new member would take their place."
    )
    assert [str(message) for message in response.context["messages"]] == [
        "Fatou Sarr is nominated and invited by email, and replaces Cheikh Fall as head of delegation."
    ]


def test_nominating_the_first_head_says_the_delegation_has_none(focal_client, delegation):
    form = focal_client.get(page_url(delegation)).context["member_form"]
    response = nominate(focal_client, delegation, is_head="on")

    assert form["is_head"].help_text == "The delegation has no head of delegation yet."
    assert [str(message) for message in response.context["messages"]] == [
        "Fatou Sarr is nominated and invited by email."
    ]


def test_focal_point_makes_a_member_the_head_of_delegation(focal_client, delegation):
    head = factories.DelegationMemberFactory(
        delegation=delegation, given_name="Cheikh", family_name="Fall", is_head=True
    )
    member = factories.DelegationMemberFactory(delegation=delegation, given_name="Aby", family_name="Ba")
    url = page_url(delegation, "member_make_head", member_pk=member.pk)

    page = text(focal_client.get(page_url(delegation)))
    response = focal_client.post(url, follow=True)

    assert f'action="{url}"' in page
    assert "Make Cheikh Fall head of delegation" not in page  # already the head
    assert [str(message) for message in response.context["messages"]] == [
        "Aby Ba is the head of delegation, in place of Cheikh Fall."
    ]
    assert list(DelegationMember.objects.filter(is_head=True).values_list("pk", flat=True)) == [member.pk]
    assert text(response).index("Aby Ba") < text(response).index("Cheikh Fall")
    assert (focal_client.get(url).status_code, focal_client.get(url)["Location"]) == (302, page_url(delegation))
    head.refresh_from_db()
    assert head.is_head is False


def test_a_withdrawn_member_cannot_be_made_head(focal_client, delegation):
    member = factories.DelegationMemberFactory(delegation=delegation, withdrawn_at=timezone.now())

    response = focal_client.post(page_url(delegation, "member_make_head", member_pk=member.pk))

    with pytest.raises(services.NotChangeable):
        services.make_head(member)
    assert response.status_code == 404
    assert DelegationMember.objects.filter(is_head=True).count() == 0


def test_no_head_made_once_registration_is_closed(focal_client, delegation):
    member = factories.DelegationMemberFactory(delegation=delegation)
    delegation.conference.registration_closes_at = timezone.now() - datetime.timedelta(minutes=1)
    delegation.conference.save()

    with pytest.raises(services.RegistrationClosed):
        services.make_head(member)
    member.refresh_from_db()
    assert member.is_head is False


@pytest.mark.parametrize("language", ["", "/ar"])
def test_address_of_a_failed_nomination_opened_again_leads_back_to_the_delegation(focal_client, delegation, language):
    failed = focal_client.post(page_url(delegation, "member_add"), member_data(email="not an address"))

    again = focal_client.get(f"{language}/delegations/{delegation.pk}/members/")

    assert failed.status_code == 200
    assert (again.status_code, again["Location"]) == (302, f"{language}/delegations/{delegation.pk}/")


def test_address_of_a_failed_first_note_verbale_opened_again_leads_back_to_the_delegation(focal_client, delegation):
    again = focal_client.get(page_url(delegation, "note_verbale"))

    assert (again.status_code, again["Location"]) == (302, page_url(delegation))


def test_same_person_nominated_twice_refused_with_a_message(focal_client, delegation):
    nominate(focal_client, delegation)

    again = nominate(focal_client, delegation, email="Fatou.Sarr@example.org", attendance="online")

    assert "already a member of the delegation" in text(again)
    assert DelegationMember.objects.count() == 1


def test_withdrawing_frees_the_place_and_cancels_the_registration_for_the_waiting_list(focal_client, delegation):
    conference = delegation.conference
    conference.capacity_in_person = 1
    conference.save()
    member = factories.DelegationMemberFactory(delegation=delegation)
    member.participant = factories.ParticipantFactory(conference=conference, approved=True)
    member.save()
    waiting = factories.ParticipantFactory(conference=conference, waitlisted=True)

    confirm = focal_client.get(page_url(delegation, "member_withdraw", member_pk=member.pk))
    focal_client.post(page_url(delegation, "member_withdraw", member_pk=member.pk))

    member.refresh_from_db()
    waiting.refresh_from_db()
    assert "Their place becomes free" in text(confirm)
    assert (member.withdrawn_at is not None, member.participant.status) == (True, Status.CANCELLED)
    assert waiting.status == Status.APPROVED
    assert nominate(focal_client, delegation, email="new@example.org").status_code == 200
    assert DelegationMember.objects.active().count() == 1


def test_member_withdrawn_after_registering_is_told_their_delegation_withdrew_them(focal_client, delegation):
    participant = factories.ParticipantFactory(conference=delegation.conference, approved=True)
    member = factories.DelegationMemberFactory(delegation=delegation, participant=participant)

    focal_client.post(page_url(delegation, "member_withdraw", member_pk=member.pk))

    email = OutgoingEmail.objects.get(to=participant.email)
    assert (email.kind, email.participant, email.subject) == (
        "nomination_withdrawn",
        participant,
        "Nomination withdrawn and registration cancelled: Fourth Conference",
    )
    assert email.body_text.splitlines()[2:5] == [
        "The focal point of the delegation of Senegal has withdrawn your nomination to Fourth Conference. "
        f"Your registration (reference {participant.reference}) is therefore cancelled.",
        "",
        "For any question, please contact the focal point of the delegation of Senegal.",
    ]
    assert "register again" not in email.body_text


def test_member_withdrawn_before_registering_is_told_their_invitation_no_longer_works(focal_client, delegation):
    member = factories.DelegationMemberFactory(
        delegation=delegation, given_name="Fatou", family_name="Sarr", email="fatou.sarr@example.org"
    )

    focal_client.post(page_url(delegation, "member_withdraw", member_pk=member.pk))

    email = OutgoingEmail.objects.get(to="fatou.sarr@example.org")
    assert (email.kind, email.subject) == (
        "member_withdrawn",
        "Your nomination to the delegation of Senegal is withdrawn: Fourth Conference",
    )
    assert email.body_text.splitlines()[:5] == [
        "Dear Fatou Sarr,",
        "",
        "The focal point of the delegation of Senegal has withdrawn your nomination to Fourth Conference. "
        "The link in the invitation you received no longer works.",
        "",
        "For any question, please contact the focal point of the delegation of Senegal.",
    ]


def test_member_replaced_after_registering_is_told_their_delegation_withdrew_them(focal_client, delegation):
    participant = factories.ParticipantFactory(conference=delegation.conference)
    member = factories.DelegationMemberFactory(delegation=delegation, participant=participant)

    focal_client.post(page_url(delegation, "member_replace", member_pk=member.pk), member_data())

    participant.refresh_from_db()
    assert participant.status == Status.CANCELLED
    assert list(OutgoingEmail.objects.filter(to=participant.email).values_list("kind", flat=True)) == [
        "nomination_withdrawn"
    ]


def test_withdrawn_nomination_link_says_so_to_the_person_nominated_only(delegation, person_client):
    member = factories.DelegationMemberFactory(
        delegation=delegation, email="amina.diallo@example.org", withdrawn_at=timezone.now()
    )
    other = factories.DelegationMemberFactory(
        delegation=delegation, email="someone.else@example.org", withdrawn_at=timezone.now()
    )

    response = person_client.get(reverse("registration:nomination", kwargs={"pk": member.pk}))

    assert response.status_code == 410
    assert "The focal point of the delegation of Senegal has withdrawn your nomination." in text(response)
    assert person_client.get(reverse("registration:nomination", kwargs={"pk": other.pk})).status_code == 404
    assert person_client.post(reverse("registration:nomination", kwargs={"pk": member.pk})).status_code == 410
    assert Participant.objects.count() == 0


def test_replacing_keeps_the_place_position_and_role(focal_client, delegation):
    head = factories.DelegationMemberFactory(delegation=delegation, is_head=True, position=1)
    factories.DelegationMemberFactory(delegation=delegation, position=2)

    focal_client.post(page_url(delegation, "member_replace", member_pk=head.pk), member_data())

    replacement = DelegationMember.objects.get(email="fatou.sarr@example.org")
    head.refresh_from_db()
    assert (replacement.is_head, replacement.position, head.withdrawn_at is not None) == (True, 1, True)


def test_replacing_by_someone_attending_otherwise_needs_a_place_there(focal_client, delegation):
    member = factories.DelegationMemberFactory(delegation=delegation)
    factories.DelegationMemberFactory(delegation=delegation, attendance="online")

    response = focal_client.post(
        page_url(delegation, "member_replace", member_pk=member.pk), member_data(attendance="online")
    )

    member.refresh_from_db()
    assert "All the delegation&#x27;s places online are taken." in text(response)
    assert member.withdrawn_at is None


def test_member_completes_their_own_registration_from_the_invitation(delegation):
    member = factories.DelegationMemberFactory(delegation=delegation, email="fatou.sarr@example.org")
    person = factories.VerifiedUserFactory(email="fatou.sarr@example.org")
    client = Client()
    client.force_login(person)

    form = client.get(reverse("registration:nomination", kwargs={"pk": member.pk}))
    client.post(
        reverse("registration:nomination", kwargs={"pk": member.pk}),
        {
            "given_name": "Fatou",
            "family_name": "Sarr",
            "email": "fatou.sarr@example.org",
            "gender": "female",
            "nationality": "SN",
            "function": "First Secretary",
            "data_consent": "on",
        },
    )

    participant = Participant.objects.get()
    member.refresh_from_db()
    assert "member of the delegation of Senegal" in text(form)
    assert 'name="nomination_document"' not in text(form)
    assert member.participant == participant
    assert (participant.user, participant.category, participant.represented_country.code) == (
        person,
        "member_state",
        "SN",
    )
    assert (participant.attendance, participant.status) == (member.attendance, Status.PENDING)


def test_focal_point_completes_a_members_details_for_them(focal_client, delegation):
    member = factories.DelegationMemberFactory(delegation=delegation, given_name="Fatou", family_name="Sarr")

    focal_client.post(
        page_url(delegation, "member_register", member_pk=member.pk),
        {
            "given_name": "Fatou",
            "family_name": "Sarr",
            "email": member.email,
            "gender": "female",
            "nationality": "SN",
            "function": "First Secretary",
            "data_consent": "on",
        },
    )

    member.refresh_from_db()
    assert (member.participant.user, member.participant.status) == (None, Status.PENDING)
    assert "Pending" in text(focal_client.get(page_url(delegation)))


def test_forms_a_focal_point_fills_speak_of_the_member_not_to_them(focal_client, delegation):
    factories.SessionFactory(conference=delegation.conference, seat_limit=10)
    member = factories.DelegationMemberFactory(delegation=delegation)
    approved = factories.DelegationMemberFactory(
        delegation=delegation, participant=factories.ParticipantFactory(conference=delegation.conference, approved=True)
    )

    registration = unescape(text(focal_client.get(page_url(delegation, "member_register", member_pk=member.pk))))
    letter = unescape(text(focal_client.get(page_url(delegation, "member_letter", member_pk=approved.pk))))

    assert [
        phrase
        for phrase in ("your passport", "your badge", "you ask for", "your registration")
        if phrase in registration
    ] == []
    assert "your nomination document" not in registration  # the note verbale stands for it
    assert ("As in the member's passport" in registration, "the member asks for" in registration) == (True, True)
    assert ("your passport" in letter, "printed in the member's passport" in letter) == (False, True)


def test_note_verbale_sent_checked_and_downloaded_by_the_focal_point_only(focal_client, delegation):
    refused = focal_client.post(
        page_url(delegation, "note_verbale"), {"note_verbale": pdf_upload(content=b"not a pdf")}, follow=True
    )
    focal_client.post(page_url(delegation, "note_verbale"), {"note_verbale": pdf_upload()})

    download = focal_client.get(page_url(delegation, "note_verbale"))
    other = factories.FocalPointFactory(delegation=factories.DelegationFactory(represented_country="FR"))
    stranger = Client()
    stranger.force_login(other.user)

    assert (refused.status_code, "PDF" in text(refused)) == (200, True)
    assert 'id="note-verbale-errors" autofocus' in text(refused)
    assert 'href="#id_note_verbale"' in text(refused)
    assert (b"".join(download.streaming_content), download["Cache-Control"]) == (pdf_bytes(), "private, no-store")
    assert stranger.get(page_url(delegation, "note_verbale")).status_code == 404


def test_staff_approve_a_delegation_and_its_focal_points_are_told(delegation, focal_point, staff_user):
    conference = delegation.conference
    conference.capacity_in_person = 1
    conference.save()
    for _ in range(2):
        factories.DelegationMemberFactory(
            delegation=delegation, participant=factories.ParticipantFactory(conference=conference)
        )
    factories.DelegationMemberFactory(delegation=delegation)  # details still to complete

    outcome = services.approve_delegation(delegation, by=staff_user)

    assert outcome == {Status.APPROVED: 1, Status.WAITLISTED: 1}
    told = OutgoingEmail.objects.get(to=focal_point.email)
    assert ("Approved: 1" in told.body_text, "On the waiting list: 1" in told.body_text) == (True, True)


def test_staff_reject_a_delegation_with_a_message(delegation, focal_point, staff_user):
    member = factories.DelegationMemberFactory(
        delegation=delegation, participant=factories.ParticipantFactory(conference=delegation.conference)
    )

    services.reject_delegation(delegation, by=staff_user, message="The note verbale is missing.")

    member.participant.refresh_from_db()
    assert (member.participant.status, member.participant.decision_message) == (
        Status.REJECTED,
        "The note verbale is missing.",
    )
    assert "The note verbale is missing." in OutgoingEmail.objects.get(to=focal_point.email).body_text


def test_focal_point_designated_before_having_an_account_acts_once_they_log_in(delegation):
    services.designate_focal_point(delegation, "New.Focal@example.org", language="es")
    invitation = OutgoingEmail.objects.get(to="new.focal@example.org")
    person = factories.VerifiedUserFactory(email="new.focal@example.org")
    client = Client()

    client.force_login(person)

    assert reverse("account_signup") in invitation.body_text
    assert invitation.subject.startswith("Designación como punto focal de la delegación de Senegal")
    assert FocalPoint.objects.get().user == person
    assert client.get(page_url(delegation)).status_code == 200


def test_focal_point_with_an_account_is_linked_at_once(delegation, person):
    services.designate_focal_point(delegation, person.email)

    assert FocalPoint.objects.get().user == person


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("delegation", {}),
        ("member_add", {}),
        ("note_verbale", {}),
        ("member_withdraw", {"member_pk": None}),
        ("member_replace", {"member_pk": None}),
        ("member_register", {"member_pk": None}),
        ("member_letter", {"member_pk": None}),
        ("member_make_head", {"member_pk": None}),
    ],
)
def test_every_page_of_a_delegation_is_404_to_other_focal_points_and_members(delegation, focal_point, name, kwargs):
    member = factories.DelegationMemberFactory(delegation=delegation)
    kwargs = dict.fromkeys(kwargs, member.pk)
    other_focal_point = factories.FocalPointFactory(delegation=factories.DelegationFactory(represented_country="FR"))
    member_elsewhere = factories.ParticipantFactory()
    url = page_url(delegation, name, **kwargs)

    statuses = []
    for user in (other_focal_point.user, member_elsewhere.user, member_elsewhere.user):
        client = Client()
        client.force_login(user)
        statuses += [client.post(url, member_data()).status_code, client.get(url).status_code]

    assert set(statuses) == {404}
    assert DelegationMember.objects.count() == 1
    assert DelegationMember.objects.get().is_head is False


def test_nomination_is_404_to_anyone_but_the_person_nominated(delegation, person_client):
    member = factories.DelegationMemberFactory(delegation=delegation, email="someone.else@example.org")

    assert person_client.get(reverse("registration:nomination", kwargs={"pk": member.pk})).status_code == 404


def test_delegation_pages_ask_to_log_in(delegation):
    url = page_url(delegation)

    assert Client().get(url).url == login_redirect(url)


@pytest.mark.parametrize("count", [5, 200])
def test_my_delegation_query_count_constant(delegation, focal_client, django_assert_num_queries, count):
    delegation.places_in_person = count
    delegation.save()
    for _ in range(count):
        factories.DelegationMemberFactory(
            delegation=delegation, participant=factories.ParticipantFactory(conference=delegation.conference)
        )

    # session, account, the navigation's two permission queries; the delegation with the places
    # used, its members with their registrations
    with django_assert_num_queries(6):
        response = focal_client.get(page_url(delegation))

    assert text(response).count("Details to complete") == 0
    assert text(response).count("Pending") == count


def test_purge_removes_what_focal_points_entered_and_keeps_the_figures(staff_user):
    from secretariat.tasks import purge_personal_data

    conference = factories.ConferenceFactory(
        start_date=timezone.localdate() - datetime.timedelta(days=40),
        end_date=timezone.localdate() - datetime.timedelta(days=38),
        retention_days=30,
    )
    delegation = factories.DelegationFactory(conference=conference, note_verbale=pdf_upload())
    focal_point = factories.FocalPointFactory(delegation=delegation)
    registered = factories.DelegationMemberFactory(
        delegation=delegation, is_head=True, participant=factories.ParticipantFactory(conference=conference)
    )
    never_registered = factories.DelegationMemberFactory(delegation=delegation, given_name="Aby", family_name="Ba")
    kept = factories.DelegationMemberFactory(given_name="Kept")  # a conference still within its period
    note = delegation.note_verbale.name
    services.designate_focal_point(delegation, "new.focal@example.org")
    invitation = OutgoingEmail.objects.create(
        kind="member_invited", to=never_registered.email, subject="s", body_text="t"
    )
    other = OutgoingEmail.objects.create(kind="member_invited", to=kept.email, subject="s", body_text="t")

    purge_personal_data.enqueue()

    for member in (registered, never_registered):
        member.refresh_from_db()
        assert (member.full_name, member.email, member.function) == (
            "— —",
            f"removed-{member.pk}@invalid",
            "",
        )
    delegation.refresh_from_db()
    focal_point.refresh_from_db()
    kept.refresh_from_db()
    assert (delegation.note_verbale.name, delegation.note_verbale.storage.exists(note)) == ("", False)
    assert (focal_point.user, focal_point.email) == (None, f"removed-{focal_point.pk}@invalid")
    assert (registered.is_head, registered.attendance, kept.given_name) == (True, "in_person", "Kept")
    remaining = set(OutgoingEmail.objects.values_list("pk", flat=True))
    assert (invitation.pk in remaining, other.pk in remaining) == (False, True)
    assert not OutgoingEmail.objects.filter(to="new.focal@example.org").exists()


def test_personal_data_export_holds_the_nomination(delegation, staff_user):
    from secretariat.personal_data import personal_data

    member = factories.DelegationMemberFactory(
        delegation=delegation,
        is_head=True,
        function="Ambassador",
        participant=factories.ParticipantFactory(conference=delegation.conference),
    )

    nomination = personal_data(member.participant)["delegation"]

    assert (nomination["delegation"], nomination["head_of_delegation"], nomination["function"]) == (
        "Senegal",
        True,
        "Ambassador",
    )
    assert nomination["email"] == member.email


def test_focal_point_asks_for_an_approved_members_letter_and_downloads_it_once_issued(focal_client, delegation):
    from registration.models import LetterRequest

    member = factories.DelegationMemberFactory(
        delegation=delegation,
        given_name="Fatou",
        family_name="Sarr",
        participant=factories.ParticipantFactory(conference=delegation.conference, approved=True),
    )
    letter_url = page_url(delegation, "member_letter", member_pk=member.pk)
    download_url = reverse("secretariat:member_letter", kwargs={"pk": delegation.pk, "member_pk": member.pk})

    before = text(focal_client.get(page_url(delegation)))
    form = text(focal_client.get(letter_url))
    focal_client.post(letter_url, {"passport_name": "Fatou Sarr", "nationality": "SN", "passport_number": "A01234567"})
    not_yet = focal_client.get(download_url)
    LetterRequest.objects.update(status="issued", decided_at=timezone.now())
    after = text(focal_client.get(page_url(delegation)))
    download = focal_client.get(download_url)

    assert "Ask for the letter of invitation of Fatou Sarr" in before
    assert "exactly as they are printed in their passport" in form
    assert LetterRequest.objects.get().participant == member.participant
    assert (not_yet.status_code, "Download the letter of invitation" in after) == (404, True)
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")


def test_focal_point_sees_why_a_members_letter_was_declined_and_asks_again(focal_client, delegation):
    from registration.models import LetterRequest

    member = factories.DelegationMemberFactory(
        delegation=delegation,
        given_name="Fatou",
        family_name="Sarr",
        participant=factories.LetterRequestFactory(
            participant__conference=delegation.conference,
            declined=True,
            decision_message="The passport has expired.",
        ).participant,
    )
    letter_url = page_url(delegation, "member_letter", member_pk=member.pk)
    given_before = LetterRequest.objects.get().passport_number

    page = text(focal_client.get(page_url(delegation)))
    form = text(focal_client.get(letter_url))
    focal_client.post(letter_url, {"passport_name": "Fatou Sarr", "nationality": "SN", "passport_number": "B7654321"})

    letter = LetterRequest.objects.get()
    # What the member may have given themselves is not shown to the focal point.
    assert (given_before in form, "The passport has expired." in form) == (False, True)
    assert ("The passport has expired." in page, "Ask again for the letter of invitation of Fatou Sarr" in page) == (
        True,
        True,
    )
    assert (letter.status, letter.passport_number, letter.decision_message) == ("requested", "B7654321", "")


def test_letter_of_a_member_is_404_to_another_delegations_focal_point(delegation):
    member = factories.DelegationMemberFactory(
        delegation=delegation, participant=factories.LetterRequestFactory(issued=True).participant
    )
    other = factories.FocalPointFactory(delegation=factories.DelegationFactory(represented_country="FR"))
    client = Client()
    client.force_login(other.user)

    url = reverse("secretariat:member_letter", kwargs={"pk": delegation.pk, "member_pk": member.pk})

    assert client.get(url).status_code == 404


def test_language_of_a_members_emails_offered_as_the_focal_points_own(focal_client, delegation):
    page = text(focal_client.get("/es" + page_url(delegation)))

    assert '<option value="es" selected>' in page


def test_approving_a_delegation_with_one_seat_left_gives_it_to_the_head(delegation, staff_user):
    conference = delegation.conference
    conference.capacity_in_person = 1
    conference.save()
    member, head = (
        factories.DelegationMemberFactory(
            delegation=delegation,
            is_head=is_head,
            position=position,
            participant=factories.ParticipantFactory(conference=conference),
        )
        for is_head, position in [(False, 1), (True, 2)]
    )

    services.approve_delegation(delegation, by=staff_user)

    head.participant.refresh_from_db()
    member.participant.refresh_from_db()
    assert (head.participant.status, member.participant.status) == (Status.APPROVED, Status.WAITLISTED)


def test_places_cannot_be_set_below_the_members_already_nominated(delegation):
    from django.core.exceptions import ValidationError

    factories.DelegationMemberFactory(delegation=delegation)
    factories.DelegationMemberFactory(delegation=delegation)
    delegation.places_in_person, delegation.places_online = 1, 0

    with pytest.raises(ValidationError) as refused:
        delegation.full_clean()

    assert refused.value.message_dict == {
        "places_in_person": ["Fewer than the members nominated to attend in person (2)."]
    }


def test_a_member_changing_their_registration_keeps_what_the_delegation_gives(delegation):
    person = factories.VerifiedUserFactory(email="fatou.sarr@example.org")
    member = factories.DelegationMemberFactory(delegation=delegation, email=person.email, attendance="online")
    member.participant = factories.ParticipantFactory(
        conference=delegation.conference, user=person, attendance="online", nomination_document=""
    )
    member.save()
    client = Client()
    client.force_login(person)
    url = reverse("registration:edit", kwargs={"reference": member.participant.reference})

    form = text(client.get(url))
    client.post(
        url,
        {
            "given_name": "Fatou",
            "family_name": "Sarr-Diop",
            "email": person.email,
            "gender": "female",
            "nationality": "SN",
            "function": "Minister Counsellor",
            "data_consent": "on",
            "attendance": "in_person",
            "category": "civil_society",
            "organization": "Elsewhere",
        },
    )

    member.participant.refresh_from_db()
    assert ('name="attendance"' in form, 'name="nomination_document"' in form) == (False, False)
    assert (member.participant.family_name, member.participant.attendance) == ("Sarr-Diop", "online")
    assert (member.participant.category, member.participant.represented_country.code) == ("member_state", "SN")


def test_focal_point_cannot_register_someone_already_registered(focal_client, delegation):
    already = factories.ParticipantFactory(conference=delegation.conference, email="fatou.sarr@example.org")
    member = factories.DelegationMemberFactory(delegation=delegation, email="fatou.sarr@example.org")

    response = focal_client.post(
        page_url(delegation, "member_register", member_pk=member.pk),
        {
            "given_name": "Fatou",
            "family_name": "Sarr",
            "email": "fatou.sarr@example.org",
            "gender": "female",
            "nationality": "SN",
            "function": "First Secretary",
            "data_consent": "on",
        },
    )

    assert "already registered for this conference" in text(response)
    assert list(Participant.objects.values_list("pk", flat=True)) == [already.pk]


def test_member_registered_by_their_focal_point_finds_the_registration_theirs_at_login(focal_client, delegation):
    member = factories.DelegationMemberFactory(delegation=delegation, email="fatou.sarr@example.org", language="fr")
    focal_client.post(
        page_url(delegation, "member_register", member_pk=member.pk),
        {
            "given_name": "Fatou",
            "family_name": "Sarr",
            "email": "fatou.sarr@example.org",
            "gender": "female",
            "nationality": "SN",
            "function": "First Secretary",
            "data_consent": "on",
        },
    )
    person = factories.VerifiedUserFactory(email="fatou.sarr@example.org")
    client = Client()

    client.force_login(person)

    participant = Participant.objects.get()
    assert (participant.user, participant.language) == (person, "fr")
    assert client.get(participant.get_absolute_url()).status_code == 200


def test_member_withdrawn_then_nominated_again_registers_again(focal_client, delegation):
    person = factories.VerifiedUserFactory(email="fatou.sarr@example.org")
    first = factories.DelegationMemberFactory(delegation=delegation, email=person.email)
    first.participant = factories.ParticipantFactory(conference=delegation.conference, user=person)
    first.save()
    services.withdraw_member(first)
    again = factories.DelegationMemberFactory(delegation=delegation, email=person.email)
    client = Client()
    client.force_login(person)

    client.post(
        reverse("registration:nomination", kwargs={"pk": again.pk}),
        {
            "given_name": "Fatou",
            "family_name": "Sarr",
            "email": person.email,
            "gender": "female",
            "nationality": "SN",
            "function": "First Secretary",
            "data_consent": "on",
        },
    )

    again.refresh_from_db()
    first.refresh_from_db()
    assert (again.participant.status, first.participant) == (Status.PENDING, None)
