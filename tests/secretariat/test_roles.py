"""The staff roles: the Secretariat and the check-in desk can do their work and nothing beyond it."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from conference.models import Conference, Resource, Session
from registration.models import Delegation, Participant, PlacesByCategory
from secretariat.roles import CHECK_IN_DESK, SECRETARIAT
from tests import factories
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

User = get_user_model()
CHECKIN = "/checkin/"
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
ACCOUNT_MODELS = [User, Group, EmailAddress, Authenticator]
ACTIONS = ["view", "add", "change", "delete"]
SECRETARIAT_CODENAMES = {
    *(
        ("conference", f"{action}_{model}")
        for model in ["conference", "session", "sessionperson", "room", "venue", "resource"]
        for action in ACTIONS
    ),
    *(
        ("registration", f"{action}_{model}")
        for model in ["participant", "seatrequest", "message", "delegation", "focalpoint", "placesbycategory"]
        for action in ACTIONS
    ),
    *(("strategy", f"{action}_{model}") for model in ["pillar", "strategyreview"] for action in ACTIONS),
    ("registration", "view_outgoingemail"),
    ("registration", "change_outgoingemail"),
    ("registration", "check_in_participant"),
    ("registration", "view_letterrequest"),
    ("registration", "change_letterrequest"),
    ("registration", "view_delegationmember"),
}


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def permissions_of(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("content_type__app_label", "codename"))


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def secretary():
    return factories.StaffUserFactory(email="secretary@un.org", groups=[SECRETARIAT])


@pytest.fixture
def secretariat_client(client, secretary):
    return logged_in(client, secretary)


@pytest.fixture
def desk_client(client):
    return logged_in(client, factories.StaffUserFactory(email="desk@un.org", groups=[CHECK_IN_DESK]))


# The groups, as the migration makes them


def test_groups_exist_after_migrations():
    assert sorted(Group.objects.values_list("name", flat=True)) == ["Check-in desk", "Secretariat"]


def test_secretariat_group_has_exactly_its_permissions():
    permissions = permissions_of(SECRETARIAT)

    assert permissions == SECRETARIAT_CODENAMES
    assert len(permissions) == 62
    assert {
        ("conference", "add_conference"),
        ("conference", "change_resource"),
        ("registration", "change_participant"),
        ("registration", "check_in_participant"),
    } <= permissions
    assert [codename for app, codename in permissions if app in {"auth", "account", "mfa", "contenttypes"}] == []
    assert ("registration", "add_outgoingemail") not in permissions
    # Members are the focal points' to nominate, withdraw or replace.
    assert [codename for app, codename in permissions if codename.endswith("_delegationmember")] == [
        "view_delegationmember"
    ]


def test_check_in_desk_group_can_only_check_in():
    assert permissions_of(CHECK_IN_DESK) == {("registration", "check_in_participant")}


# The Secretariat


@pytest.mark.parametrize(
    "model", [Conference, Session, Participant, Delegation, PlacesByCategory], ids=lambda model: model._meta.model_name
)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_secretariat_opens_its_admin_pages(secretariat_client, model, view):
    assert secretariat_client.get(admin_url(model, view)).status_code == 200


def test_secretariat_opens_a_participant_change_page(secretariat_client):
    participant = factories.ParticipantFactory()

    assert secretariat_client.get(admin_url(Participant, "change", participant.pk)).status_code == 200


def test_secretariat_adds_a_resource_through_the_conference_page(secretariat_client):
    conference = factories.ConferenceFactory(title="Fourth Conference")
    url = admin_url(Conference, "change", conference.pk)
    data = form_data(secretariat_client.get(url).content.decode())
    assert (data["resources-TOTAL_FORMS"], data["resources-INITIAL_FORMS"]) == ("0", "0")

    response = secretariat_client.post(
        url,
        data
        | {
            "resources-TOTAL_FORMS": "1",
            "resources-0-kind": "concept_note",
            "resources-0-position": "1",
            "resources-0-title_en": "Concept note of the Fourth Conference",
            "resources-0-url": "https://www.un.org/counterterrorism/concept-note.pdf",
        },
    )

    assert (response.status_code, response["Location"]) == (302, admin_url(Conference, "changelist"))
    assert list(Resource.objects.values_list("conference__title", "kind", "title")) == [
        ("Fourth Conference", "concept_note", "Concept note of the Fourth Conference")
    ]


def test_secretariat_approves_with_the_action(secretariat_client, secretary):
    participant = factories.ParticipantFactory()
    changelist = admin_url(Participant, "changelist")
    action = {"action": "decide_approved", "_selected_action": [participant.pk]}

    confirmation = secretariat_client.post(changelist, action)
    response = secretariat_client.post(changelist, action | {"apply": "1", "message": "Welcome to New York."})

    participant.refresh_from_db()
    assert (confirmation.status_code, response.status_code, response["Location"]) == (200, 302, changelist)
    assert (participant.status, participant.decided_by, participant.decision_message) == (
        "approved",
        secretary,
        "Welcome to New York.",
    )


@pytest.mark.parametrize("model", ACCOUNT_MODELS, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_secretariat_refused_accounts_groups_and_permissions(secretariat_client, model, view):
    assert secretariat_client.get(admin_url(model, view)).status_code == 403


def test_secretariat_cannot_change_an_account(secretariat_client, secretary):
    for user in [secretary, factories.UserFactory()]:
        assert secretariat_client.get(admin_url(User, "change", user.pk)).status_code == 403

    response = secretariat_client.post(admin_url(User, "change", secretary.pk), {"is_superuser": "on"})

    secretary.refresh_from_db()
    assert (response.status_code, secretary.is_superuser) == (403, False)


def test_secretariat_admin_index_lists_no_accounts(secretariat_client):
    response = secretariat_client.get(reverse("admin:index"))

    apps = {app["app_label"] for app in response.context["app_list"]}
    assert (response.status_code, apps) == (200, {"conference", "registration", "secretariat", "strategy"})


def test_secretariat_may_use_the_check_in_desk(secretariat_client):
    assert secretariat_client.get(CHECKIN).status_code == 200


# The check-in desk


def test_check_in_desk_opens_the_desk(desk_client):
    response = desk_client.get(CHECKIN)

    assert (response.status_code, response.templates[0].name) == (200, "secretariat/checkin.html")


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_check_in_desk_refused_every_admin_model_page(desk_client, model):
    assert [
        desk_client.get(admin_url(model, "changelist")).status_code,
        desk_client.get(admin_url(model, "add")).status_code,
    ] == [403, 403]


def test_check_in_desk_refused_participant_pages(desk_client):
    participant = factories.ParticipantFactory()

    assert [
        desk_client.get(admin_url(Participant, "changelist")).status_code,
        desk_client.get(admin_url(Participant, "change", participant.pk)).status_code,
    ] == [403, 403]


@pytest.mark.parametrize("action", ["export_csv", "export_xlsx", "export_personal_data", "decide_approved"])
def test_check_in_desk_cannot_export_or_decide(desk_client, action):
    participant = factories.ParticipantFactory(given_name="Amina")

    response = desk_client.post(
        admin_url(Participant, "changelist"),
        {"action": action, "index": "0", "select_across": "1", "_selected_action": [participant.pk]},
    )

    participant.refresh_from_db()
    assert (response.status_code, response["Content-Type"], participant.status) == (
        403,
        "text/html; charset=utf-8",
        "pending",
    )
    assert b"Amina" not in response.content


def test_check_in_desk_admin_index_is_empty(desk_client):
    response = desk_client.get(reverse("admin:index"))

    assert (response.status_code, response.context["app_list"]) == (200, [])


# Two-factor authentication, logins and who may enter at all


@pytest.mark.parametrize("group", [SECRETARIAT, CHECK_IN_DESK])
@pytest.mark.parametrize("url", ["/admin/", "/admin/registration/participant/", CHECKIN])
def test_staff_without_two_factor_sent_to_set_it_up(client, group, url):
    client.force_login(factories.StaffUserFactory(two_factor=None, groups=[group]))

    response = client.get(url)

    location = urlsplit(response["Location"])
    assert response.status_code == 302
    assert location.path.startswith(reverse("mfa_activate_totp"))
    assert (location.path, parse_qs(location.query)) == (reverse("mfa_activate_totp"), {"next": [url]})


def test_superuser_without_two_factor_sent_to_set_it_up(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root@un.org", "pw"))

    response = client.get("/admin/auth/user/")

    assert (response.status_code, urlsplit(response["Location"]).path) == (302, reverse("mfa_activate_totp"))


def test_staff_without_two_factor_may_reach_the_setup_page(client):
    """No loop: the setup page itself is open (allauth first confirms the password of a forced login)."""
    client.force_login(factories.StaffUserFactory(two_factor=None, groups=[SECRETARIAT]))

    response = client.get(reverse("mfa_activate_totp"), follow=True)

    assert (response.status_code, response.redirect_chain) == (
        200,
        [("/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F", 302)],
    )


def test_desk_member_without_staff_flag_still_needs_two_factor(client):
    """Put in the group on the admin's user page with "Staff status" left unticked: the desk stays closed
    until two-factor authentication is set up."""
    user = factories.VerifiedUserFactory(is_staff=False)
    user.groups.add(Group.objects.get(name=CHECK_IN_DESK))
    client.force_login(user)

    response = client.get(CHECKIN)

    assert (response.status_code, urlsplit(response.get("Location", "")).path) == (302, reverse("mfa_activate_totp"))


def test_non_staff_refused_at_the_desk(client):
    client.force_login(factories.VerifiedUserFactory())

    assert client.get(CHECKIN).status_code == 403


def test_anonymous_sent_to_login_from_the_desk(client):
    response = client.get(CHECKIN)

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/checkin/")


def test_admin_login_page_sends_visitors_to_allauth(client):
    response = client.get("/admin/login/", {"next": "/admin/"})

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=%2Fadmin%2F")


def test_admin_login_form_cannot_bypass_two_factor(client):
    factories.StaffUserFactory(email="secretary@un.org", groups=[SECRETARIAT])

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "secretary@un.org", "password": "pw", "next": "/admin/"}
    )

    assert (response.status_code, urlsplit(response["Location"]).path) == (302, "/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_admin_login_page_refuses_logged_in_non_staff(client):
    client.force_login(factories.VerifiedUserFactory())

    assert client.get("/admin/login/").status_code == 403


# The add_to_group command


def add_to_group(*args):
    out = io.StringIO()
    call_command("add_to_group", *args, stdout=out)
    return out.getvalue()


def test_add_to_group_makes_staff_and_adds_the_group():
    user = factories.VerifiedUserFactory(email="amina.diallo@un.org")

    output = add_to_group("Amina.Diallo@UN.org", CHECK_IN_DESK)

    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser, list(user.groups.values_list("name", flat=True))) == (
        True,
        False,
        ["Check-in desk"],
    )
    assert output == (
        "Amina.Diallo@UN.org is now in “Check-in desk”. They must set up two-factor authentication at their next "
        "visit to the staff pages.\n"
    )


def test_add_to_group_keeps_other_groups():
    user = factories.StaffUserFactory(email="secretary@un.org", groups=[SECRETARIAT])

    add_to_group("secretary@un.org", CHECK_IN_DESK)
    add_to_group("secretary@un.org", CHECK_IN_DESK)

    assert sorted(user.groups.values_list("name", flat=True)) == ["Check-in desk", "Secretariat"]


def test_add_to_group_then_two_factor_opens_the_desk(client):
    user = factories.VerifiedUserFactory(email="desk@un.org")
    client.force_login(user)
    assert client.get(CHECKIN).status_code == 403

    add_to_group("desk@un.org", CHECK_IN_DESK)
    before_two_factor = client.get(CHECKIN)
    factories.AuthenticatorFactory(user=user)
    after_two_factor = client.get(CHECKIN)

    assert (before_two_factor.status_code, urlsplit(before_two_factor["Location"]).path) == (
        302,
        reverse("mfa_activate_totp"),
    )
    assert after_two_factor.status_code == 200


def test_add_to_group_unknown_email():
    factories.UserFactory(email="someone@un.org")

    with pytest.raises(CommandError) as error:
        add_to_group("nobody@un.org", SECRETARIAT)

    assert str(error.value) == (
        "No account has the email address nobody@un.org; the person signs up first, or give --create."
    )
    assert User.objects.filter(is_staff=True).count() == 0


def test_add_to_group_creates_the_account_with_its_address_verified():

    out = io.StringIO()
    call_command("add_to_group", "Desk.Officer@UN.org", CHECK_IN_DESK, "--create", stdout=out)

    user = User.objects.get(email="desk.officer@un.org")
    assert (user.is_staff, user.has_usable_password(), list(user.groups.values_list("name", flat=True))) == (
        True,
        False,
        [CHECK_IN_DESK],
    )
    assert list(EmailAddress.objects.values_list("email", "verified", "primary")) == [
        ("desk.officer@un.org", True, True)
    ]
    assert out.getvalue().startswith("Made the account desk.officer@un.org; they set a password")


def test_add_to_group_unknown_group():
    user = factories.UserFactory(email="someone@un.org")

    with pytest.raises(CommandError) as error:
        add_to_group("someone@un.org", "Administrators")

    user.refresh_from_db()
    assert str(error.value) == (
        "Error: argument group: invalid choice: 'Administrators' (choose from 'Check-in desk', 'Secretariat')"
    )
    assert (user.is_staff, user.groups.count()) == (False, 0)


def unsent_notice(response):
    page = response.content.decode()
    return (
        " ".join(page.split('<p class="errornote" role="status">')[1].split("<a ")[0].split())
        if "errornote" in page
        else None
    )


def test_staff_see_how_many_emails_were_not_sent(client, staff_user):
    factories.OutgoingEmailFactory.create_batch(2, delivery="failed")
    factories.OutgoingEmailFactory(delivery="sent")
    client.force_login(staff_user)

    index = client.get(reverse("admin:index"))
    participants = client.get(reverse("admin:registration_participant_changelist"))

    assert unsent_notice(index) == unsent_notice(participants) == "2 emails to participants were not sent."


def test_no_notice_while_every_email_went_out(client, staff_user):
    factories.OutgoingEmailFactory(delivery="sent")
    client.force_login(staff_user)

    response = client.get(reverse("admin:index"))

    assert (response.status_code, unsent_notice(response)) == (200, None)
