import datetime
import zoneinfo

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from conference.models import Conference, Room, Session, Venue
from conference.panels import ALL_MALE_PANEL_WARNING
from registration.models import (
    Delegation,
    LetterRequest,
    Message,
    OutgoingEmail,
    Participant,
    PlacesByCategory,
    SeatRequest,
)
from secretariat.models import PreparedFile
from strategy.models import Pillar, StrategyReview
from tests import factories
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

FACTORIES = {
    Group: factories.GroupFactory,
    get_user_model(): factories.UserFactory,
    EmailAddress: factories.EmailAddressFactory,
    Authenticator: factories.AuthenticatorFactory,
    Pillar: factories.PillarFactory,
    StrategyReview: factories.StrategyReviewFactory,
    Venue: factories.VenueFactory,
    Room: factories.RoomFactory,
    Conference: factories.ConferenceFactory,
    Session: factories.SessionFactory,
    Participant: factories.ParticipantFactory,
    SeatRequest: factories.SeatRequestFactory,
    LetterRequest: factories.LetterRequestFactory,
    OutgoingEmail: factories.OutgoingEmailFactory,
    Message: factories.MessageFactory,
    PreparedFile: factories.PreparedFileFactory,
    Delegation: factories.DelegationFactory,
    PlacesByCategory: factories.PlacesByCategoryFactory,
}
# Emails and prepared files are written by the site, letters of invitation asked for by participants:
# none is typed in by staff.
NO_ADD_PAGE = {OutgoingEmail, PreparedFile, LetterRequest}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
by_label = pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)

JULY_1 = datetime.date(2030, 7, 1)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def test_every_registered_model_has_a_factory():
    assert set(admin.site._registry) == set(FACTORIES)


@by_label
def test_admin_changelist_ok_for_staff(staff_client, model):
    FACTORIES[model]()

    response = staff_client.get(admin_url(model, "changelist"))

    assert (response.status_code, response.context["cl"].result_count >= 1) == (200, True)


@by_label
def test_admin_add_page_ok_for_staff(staff_client, model):
    expected = 403 if model in NO_ADD_PAGE else 200

    assert staff_client.get(admin_url(model, "add")).status_code == expected


@by_label
def test_admin_change_page_ok_for_staff(staff_client, model):
    obj = FACTORIES[model]()

    assert staff_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@by_label
def test_admin_pages_redirect_visitor_to_login(client, model):
    obj = FACTORIES[model]()

    for url in [admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", obj.pk)]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")


@by_label
def test_admin_changelist_with_search_and_each_filter_ok(staff_client, model):
    FACTORIES[model]()
    response = staff_client.get(admin_url(model, "changelist"), {"q": "a"})
    changelist = response.context["cl"]
    # The first two choices of each filter after "All" (a country filter has some 250).
    query_strings = [
        choice["query_string"] for spec in changelist.filter_specs for choice in list(spec.choices(changelist))[1:3]
    ]

    assert response.status_code == 200
    assert len(query_strings) >= len(changelist.filter_specs)
    assert all("q=a" in query for query in query_strings)  # the search term is kept
    assert [
        (query, staff_client.get(admin_url(model, "changelist") + query).status_code) for query in query_strings
    ] == [(query, 200) for query in query_strings]


@pytest.mark.parametrize(("language", "heading"), [("zh-hans", "模型名称"), ("ar", "اسم النموذج")])
def test_admin_index_heading_read_aloud_in_the_pages_language(staff_client, language, heading):
    page = staff_client.get(f"/{language}/admin/").content.decode()

    assert f'<th scope="col">{heading}</th>' in page


def test_admin_session_search_finds_by_speaker(staff_client):
    person = factories.SessionPersonFactory(name="Vladimir Voronkov", session__title="Opening Session")
    factories.SessionFactory(conference=person.session.conference, title="Session I")

    response = staff_client.get(admin_url(Session, "changelist"), {"q": "Voronkov"})

    assert [session.title for session in response.context["cl"].result_list] == ["Opening Session"]


def test_admin_participant_filter_by_status(staff_client):
    factories.ParticipantFactory(family_name="Pending")
    factories.ParticipantFactory(family_name="Approved", approved=True)

    response = staff_client.get(admin_url(Participant, "changelist"), {"status__exact": "approved", "q": "o"})

    assert [participant.family_name for participant in response.context["cl"].result_list] == ["Approved"]


def test_admin_session_changelist_shows_local_time(staff_client):
    factories.SessionFactory(conference=factories.ConferenceFactory(start_date=JULY_1))

    assert "1 Jul 2030, 10:00 EDT" in staff_client.get(admin_url(Session, "changelist")).content.decode()


def test_admin_lists_show_times_in_the_conferences_zone_not_utc(staff_client):
    geneva = factories.ConferenceFactory(start_date=JULY_1, time_zone="Europe/Zurich")
    session = factories.SessionFactory(conference=geneva, seat_limit=10)
    participant = factories.ParticipantFactory(conference=geneva, approved=True, checked_in_at=utc(2030, 7, 1, 7, 5))
    letter = factories.LetterRequestFactory(participant=participant)
    factories.SeatRequestFactory(participant=participant, session=session, waitlisted=True)
    message = factories.MessageFactory(conference=geneva)
    LetterRequest.objects.filter(pk=letter.pk).update(requested_at=utc(2030, 6, 2, 22, 30))
    SeatRequest.objects.update(created_at=utc(2030, 6, 3, 12), waitlisted_at=utc(2030, 6, 3, 12))
    Message.objects.filter(pk=message.pk).update(sent_at=utc(2030, 6, 4, 23, 15))

    def page(model):
        return staff_client.get(admin_url(model, "changelist")).content.decode()

    assert "1 Jul 2030, 09:05 CEST" in page(Participant)
    assert "3 Jun 2030, 00:30 CEST" in page(LetterRequest)  # already the next day in Geneva
    assert page(SeatRequest).count("3 Jun 2030, 14:00 CEST") == 2
    assert "5 Jun 2030, 01:15 CEST" in page(Message)


@pytest.fixture
def july_session():
    """10:00-11:00 New York time (14:00-15:00 UTC) on 1 July 2030."""
    return factories.SessionFactory(conference=factories.ConferenceFactory(start_date=JULY_1))


def test_admin_session_edit_takes_times_in_conference_zone(staff_client, july_session):
    url = admin_url(Session, "change", july_session.pk)
    data = form_data(staff_client.get(url).content.decode())
    data.update(starts_at_0="2030-07-02", starts_at_1="10:00", ends_at_0="2030-07-02", ends_at_1="12:30")

    response = staff_client.post(url, data)

    july_session.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, admin_url(Session, "changelist"))
    assert (july_session.date, july_session.starts_at, july_session.ends_at) == (
        datetime.date(2030, 7, 2),
        utc(2030, 7, 2, 14),
        utc(2030, 7, 2, 16, 30),
    )


def test_admin_session_change_form_shows_times_in_conference_zone(staff_client, july_session):
    data = form_data(staff_client.get(admin_url(Session, "change", july_session.pk)).content.decode())

    assert [data[name] for name in ["starts_at_0", "starts_at_1", "ends_at_0", "ends_at_1"]] == [
        "2030-07-01",
        "10:00:00",
        "2030-07-01",
        "11:00:00",
    ]


def test_admin_session_saved_unchanged_keeps_times(staff_client, july_session):
    url = admin_url(Session, "change", july_session.pk)
    data = form_data(staff_client.get(url).content.decode())

    staff_client.post(url, data | {"title_en": "Opening Session"})

    july_session.refresh_from_db()
    assert (july_session.title, july_session.starts_at, july_session.ends_at) == (
        "Opening Session",
        utc(2030, 7, 1, 14),
        utc(2030, 7, 1, 15),
    )


@pytest.mark.parametrize(("value", "stored"), [("True", True), ("False", False), ("", None)])
def test_admin_session_access_open_closed_or_not_announced(staff_client, july_session, value, stored):
    url = admin_url(Session, "change", july_session.pk)
    page = staff_client.get(url).content.decode()

    staff_client.post(url, form_data(page) | {"is_open": value})

    july_session.refresh_from_db()
    assert '<option value="">Not announced</option>' in page
    assert july_session.is_open is stored


def test_admin_session_list_filters_sessions_whose_access_is_not_announced(staff_client):
    factories.SessionFactory(title="Announced", is_open=False)
    factories.SessionFactory(title="Unknown", is_open=None)

    page = staff_client.get(admin_url(Session, "changelist") + "?is_open__isnull=True").content.decode()

    assert ("Unknown" in page, "Announced" in page, "Not announced" in page) == (True, False, True)


def test_admin_session_add_with_person_takes_times_in_conference_zone(staff_client):
    conference = factories.ConferenceFactory(start_date=JULY_1)
    data = form_data(staff_client.get(admin_url(Session, "add")).content.decode())
    data.update(
        {
            "conference": conference.pk,
            "title_en": "Opening Session",
            "kind": "opening",
            "date": "2030-07-01",
            "starts_at_0": "2030-07-01",
            "starts_at_1": "10:00",
            "ends_at_0": "2030-07-01",
            "ends_at_1": "10:30",
            "people-0-role": "chair",
            "people-0-name": "António Guterres",
            "people-0-gender": "male",
            "people-0-position": "1",
        }
    )

    response = staff_client.post(admin_url(Session, "add"), data)

    session = Session.objects.get()
    assert (response.status_code, data["people-TOTAL_FORMS"], data["people-INITIAL_FORMS"]) == (302, "1", "0")
    assert (session.starts_at, session.ends_at, session.conference) == (
        utc(2030, 7, 1, 14),
        utc(2030, 7, 1, 14, 30),
        conference,
    )
    assert [str(person) for person in session.people.all()] == ["António Guterres (Chair)"]


def test_admin_session_outside_conference_shows_form_error(staff_client, july_session):
    url = admin_url(Session, "change", july_session.pk)
    data = form_data(staff_client.get(url).content.decode())
    data.update(starts_at_0="2030-07-05", starts_at_1="10:00", ends_at_0="2030-07-05", ends_at_1="11:00")

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "starts_at": ["The session must lie within the conference's dates."]
    }


def test_admin_conference_shortened_past_its_sessions_shows_form_error(staff_client):
    conference = factories.ConferenceFactory(start_date=JULY_1)
    factories.SessionFactory(conference=conference, date=datetime.date(2030, 7, 3))
    url = admin_url(Conference, "change", conference.pk)
    data = form_data(staff_client.get(url).content.decode())

    response = staff_client.post(url, data | {"end_date": "2030-07-02"})

    conference.refresh_from_db()
    assert (response.status_code, conference.end_date) == (200, datetime.date(2030, 7, 3))
    assert response.context["adminform"].form.errors != {}


def test_admin_participant_status_is_not_typed_in_the_change_form(staff_client):
    participant = factories.ParticipantFactory()
    url = admin_url(Participant, "change", participant.pk)
    data = form_data(staff_client.get(url).content.decode())

    response = staff_client.post(url, data | {"status": "approved", "function": "Deputy Director"})

    participant.refresh_from_db()
    assert (response.status_code, participant.status, participant.function) == (302, "pending", "Deputy Director")


def test_admin_approve_action_records_who_decided(staff_client, staff_user):
    participant = factories.ParticipantFactory()
    changelist = admin_url(Participant, "changelist")
    action = {"action": "decide_approved", "_selected_action": [participant.pk]}

    confirmation = staff_client.post(changelist, action)
    response = staff_client.post(changelist, action | {"apply": "1", "message": "Welcome to New York."})

    participant.refresh_from_db()
    assert (confirmation.status_code, response.status_code) == (200, 302)
    assert (participant.status, participant.decided_by, participant.decision_message) == (
        "approved",
        staff_user,
        "Welcome to New York.",
    )
    assert participant.decided_at is not None


def test_admin_conference_registration_times_in_conference_zone(staff_client):
    opens = datetime.datetime(2030, 5, 1, 9, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    conference = factories.ConferenceFactory(start_date=JULY_1, registration_opens_at=opens)
    url = admin_url(Conference, "change", conference.pk)
    data = form_data(staff_client.get(url).content.decode())

    response = staff_client.post(
        url, data | {"registration_closes_at_0": "2030-06-15", "registration_closes_at_1": "18:00"}
    )

    conference.refresh_from_db()
    assert (data["registration_opens_at_0"], data["registration_opens_at_1"], response.status_code) == (
        "2030-05-01",
        "09:00:00",
        302,
    )
    assert (conference.registration_opens_at, conference.registration_closes_at) == (
        utc(2030, 5, 1, 13),
        utc(2030, 6, 15, 22),
    )


def test_admin_session_change_page_warns_of_all_male_panel(staff_client):
    session = factories.SessionFactory()
    factories.SessionPersonFactory(session=session, role="chair", gender="male")
    factories.SessionPersonFactory(session=session, role="speaker", gender="male")

    response = staff_client.get(admin_url(Session, "change", session.pk))

    assert [str(m) for m in response.context["messages"]] == [str(ALL_MALE_PANEL_WARNING)]


def test_admin_participant_changelist_links_the_dashboard(staff_client):
    conference = factories.ConferenceFactory()

    response = staff_client.get(admin_url(Participant, "changelist"))

    assert response.context["dashboard_url"] == f"/admin/registration/participant/dashboard/{conference.pk}/"


def test_admin_check_in_of_a_pending_participant_is_a_form_error(staff_client):
    participant = factories.ParticipantFactory()
    url = admin_url(Participant, "change", participant.pk)
    data = form_data(staff_client.get(url).content.decode())

    response = staff_client.post(url, data | {"checked_in_at_0": "2030-07-01", "checked_in_at_1": "10:00"})

    participant.refresh_from_db()
    assert (response.status_code, participant.checked_in_at) == (200, None)
    assert response.context["adminform"].form.errors["checked_in_at"] == [
        "Only an approved participant can be checked in."
    ]


def test_admin_autocomplete_with_a_value_that_is_no_key_is_a_form_error(staff_client):
    participant = factories.ParticipantFactory()
    url = admin_url(Participant, "change", participant.pk)
    data = form_data(staff_client.get(url).content.decode())

    response = staff_client.post(url, data | {"conference": "abc"})

    assert (response.status_code, list(response.context["adminform"].form.errors)) == (200, ["conference"])
