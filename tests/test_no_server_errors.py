"""No input answers 500: every address with parameters, the registration form, the participant's pages,
the check-in desk and the admin's participants (list filters and change form) get values no person would
type (NUL bytes, huge numbers, right-to-left marks, a lone surrogate, 10,000 characters) and must answer
with a page, a 404 or a form error. Run on PostgreSQL too, which refuses what SQLite lets through."""

from urllib.parse import quote

import pytest
from django.test import Client

from tests import factories
from tests.html_forms import form_data
from tests.registration.support import register_url, registration_data

pytestmark = pytest.mark.django_db

NASTY = {
    "nul": "\x00",
    "nul inside": "ABC\x00DEF",
    "huge number": "99999999999999999999",
    "negative": "-1",
    "right-to-left override": "\u202eABC",
    "10,000 characters": "x" * 10_000,
    "path": "../../etc/passwd",
    "quotes and tags": "'\"><script>",
}
# A UTF-16 surrogate on its own is no character: it can only come percent-encoded, as bytes no text holds.
LONE_SURROGATE = "%ED%A0%80"

ADDRESSES = [
    "/conferences/c1/?day={v}&pillar={v}&kind={v}&access={v}",
    "/calendar/?month={v}&pillar={v}&kind={v}&access={v}",
    "/calendar/list/?month={v}",
    "/pillars/{v}/",
    "/pillars/{v}/calendar.ics",
    "/sessions/{v}/",
    "/conferences/{v}/",
    "/conferences/{v}/calendar.ics",
    "/conferences/{v}/schedule.json",
    "/conferences/{v}/participants/?format={v}",
    "/conferences/{v}/register/",
    "/registrations/{v}/",
    "/registrations/{v}/edit/",
    "/registrations/{v}/cancel/",
    "/registrations/{v}/document/",
    "/registrations/{v}/calendar.ics",
    "/registrations/{v}/badge.pdf",
    "/fr/conferences/c1/?day={v}",
    "/admin/registration/participant/?organization={v}&state={v}",
    "/admin/registration/participant/?status__exact={v}&category__exact={v}&gender__exact={v}",
    "/admin/registration/participant/?conference__id__exact={v}&checked_in_at__isnull={v}",
    "/admin/registration/participant/?created_at__year={v}&created_at__month={v}&created_at__day={v}",
    "/admin/registration/participant/?q={v}&o={v}&p={v}",
    "/admin/registration/participant/{v}/change/",
    "/admin/registration/participant/dashboard/1/?conference={v}",
    "/admin/registration/outgoingemail/?delivery__exact={v}&kind={v}",
    "/admin/registration/seatrequest/?status__exact={v}&session__conference__id__exact={v}",
    "/admin/conference/session/?conference__id__exact={v}&all_male_panel={v}&date__year={v}",
    "/admin/participant-lists/1/?public={v}&format={v}",
    "/admin/documents/{v}/",
    "/admin/secretariat/preparedfile/?kind__exact={v}&state__exact={v}",
    "/admin/secretariat/preparedfile/{v}/change/",
    "/admin/secretariat/preparedfile/{v}/download/",
]


@pytest.fixture
def world(staff_user):
    conference = factories.ConferenceFactory(slug="c1", open_for_registration=True)
    participant = factories.ParticipantFactory(conference=conference)
    staff = Client(raise_request_exception=False)
    staff.force_login(staff_user)
    person = Client(raise_request_exception=False)
    person.force_login(participant.user)
    return {"conference": conference, "participant": participant, "staff": staff, "person": person}


def values():
    return [*(quote(value, safe="") for value in NASTY.values()), LONE_SURROGATE]


def server_errors(requests):
    """The requests, of (client, method, address, data), that answered 500."""
    errors = []
    for client, method, address, data in requests:
        response = getattr(client, method)(address, data)
        if response.status_code >= 500:
            errors.append((method, address[:120], response.status_code))
    return errors


def test_no_address_answers_500(world):
    requests = [
        (client, "get", address.format(v=value), None)
        for address in ADDRESSES
        for value in values()
        for client in (world["staff"], world["person"])
    ]

    assert (server_errors(requests), len(requests)) == ([], 2 * len(ADDRESSES) * len(values()))


def test_no_form_answers_500(world):
    participant = world["participant"]
    change = f"/admin/registration/participant/{participant.pk}/change/"
    change_form = form_data(world["staff"].get(change).content.decode())
    requests = []
    for value in NASTY.values():
        requests += [
            (
                world["person"],
                "post",
                register_url(world["conference"]),
                registration_data(given_name=value, nationality=value, sessions=value),
            ),
            (
                world["person"],
                "post",
                f"/registrations/{participant.reference}/edit/",
                registration_data(function=value, category=value),
            ),
            (world["staff"], "post", "/checkin/", {"conference": value, "session": value, "query": value}),
            (world["staff"], "post", change, change_form | {"conference": value, "user": value, "attendance": value}),
            (
                world["staff"],
                "post",
                change,
                change_form | {"checked_in_at_0": "2030-07-01", "checked_in_at_1": "10:00"},
            ),
            (
                world["staff"],
                "post",
                "/admin/registration/participant/",
                {"action": value, "_selected_action": [value]},
            ),
        ]

    assert server_errors(requests) == []
