"""Status changes, seat limits, waiting lists and the email each change sends."""

import contextlib
import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from conference.models import Format
from registration import services
from registration.models import OutgoingEmail, Participant, SeatRequest
from tests import factories
from tests.registration.support import registration_data

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """`with sent() as emails:` runs the block, sends its emails as its commit would, lists [(to, subject)]."""

    @contextlib.contextmanager
    def block():
        mail.outbox.clear()
        emails = []
        with django_capture_on_commit_callbacks(execute=True):
            yield emails
        emails.extend((message.to[0], message.subject) for message in mail.outbox)

    return block


def statuses(*participants):
    return [Participant.objects.get(pk=p.pk).status for p in participants]


def seat_statuses(session):
    return list(session.seat_requests.order_by("participant__pk").values_list("participant", "status"))


def test_register_creates_pending_and_sends_received(sent, person, conference):
    data = registration_data(nomination_document=None, data_consent=None, title="", data_consent_at=timezone.now())

    with sent() as emails:
        participant = services.register(user=person, conference=conference, data=data)

    assert (participant.status, participant.language, participant.decided_at) == ("pending", "en", None)
    assert emails == [(person.email, "Registration received: Fourth Conference")]
    assert list(OutgoingEmail.objects.values_list("kind", "delivery")) == [("received", "sent")]


@pytest.mark.parametrize(
    ("decision", "subject"),
    [
        ("approved", "Registration approved: Fourth Conference"),
        ("waitlisted", "On the waiting list: Fourth Conference"),
        ("rejected", "Registration not approved: Fourth Conference"),
    ],
)
def test_decide_records_status_who_and_when_and_emails(sent, conference, staff_user, decision, subject):
    participant = factories.ParticipantFactory(conference=conference)
    before = timezone.now()

    with sent() as emails:
        services.decide(participant, decision, by=staff_user, message="With our regards.")

    participant.refresh_from_db()
    assert (participant.status, participant.decided_by, participant.decision_message) == (
        decision,
        staff_user,
        "With our regards.",
    )
    assert before <= participant.decided_at <= timezone.now()
    assert emails == [(participant.email, subject)]
    assert mail.outbox[0].body.count("With our regards.") == 1


def test_decide_same_status_again_sends_nothing(sent, conference, staff_user):
    participant = factories.ParticipantFactory(conference=conference)
    services.decide(participant, "approved", by=staff_user)

    with sent() as emails:
        services.decide(participant, "approved", by=staff_user)

    assert (emails, OutgoingEmail.objects.count()) == ([], 1)


@pytest.mark.parametrize(("language", "direction"), [("fr", "ltr"), ("ar", "rtl")])
def test_decide_email_in_participant_language(sent, conference, staff_user, language, direction):
    participant = factories.ParticipantFactory(conference=conference, language=language)
    with translation.override(language):
        subject = gettext("Registration approved: %(conference)s") % {"conference": "Fourth Conference"}

    with sent() as emails:
        services.decide(participant, "approved", by=staff_user)

    html, mimetype = mail.outbox[0].alternatives[0]
    assert (emails, mimetype) == ([(participant.email, subject)], "text/html")
    assert html.count(f'<html lang="{language}" dir="{direction}">') == 1
    assert translation.get_language() == "en"  # the override ended with the email


def test_decide_approval_beyond_capacity_waitlists(sent, conference, staff_user):
    conference.capacity_in_person = 1
    conference.save()
    first, second = factories.ParticipantFactory.create_batch(2, conference=conference)
    services.decide(first, "approved", by=staff_user)

    with sent() as emails:
        result = services.decide(second, "approved", by=staff_user)

    assert (result.status, result.waitlisted_at is not None) == ("waitlisted", True)
    assert statuses(first, second) == ["approved", "waitlisted"]
    assert emails == [(second.email, "On the waiting list: Fourth Conference")]


def test_decide_approval_waitlisted_again_when_still_full_keeps_place(sent, conference, staff_user):
    conference.capacity_in_person = 1
    conference.save()
    factories.ParticipantFactory(conference=conference, approved=True)
    waiting = factories.ParticipantFactory(conference=conference, waitlisted=True)
    since = Participant.objects.get(pk=waiting.pk).waitlisted_at

    with sent() as emails:
        services.decide(waiting, "approved", by=staff_user)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlisted_at, emails) == ("waitlisted", since, [])


def test_decide_hybrid_in_person_full_does_not_block_online(sent, staff_user):
    conference = factories.ConferenceFactory(format=Format.HYBRID, capacity_in_person=1, capacity_online=1)
    in_person = factories.ParticipantFactory.create_batch(2, conference=conference)
    online = factories.ParticipantFactory(conference=conference, online=True)

    for participant in [*in_person, online]:
        services.decide(participant, "approved", by=staff_user)

    assert statuses(*in_person, online) == ["approved", "waitlisted", "approved"]


def test_decide_session_seats_held_up_to_limit_then_waitlisted(sent, conference, staff_user):
    session = factories.SessionFactory(conference=conference, title="Border security", seat_limit=2)
    participants = factories.ParticipantFactory.create_batch(3, conference=conference)
    for participant in participants:
        factories.SeatRequestFactory(participant=participant, session=session)

    with sent():
        for participant in participants:
            services.decide(participant, "approved", by=staff_user)

    assert statuses(*participants) == ["approved"] * 3
    assert [status for _, status in seat_statuses(session)] == ["held", "held", "waitlisted"]
    assert mail.outbox[2].body.count("On the waiting list for:\n- Border security\n") == 1
    assert mail.outbox[0].body.count("Your seats:\n- Border security\n") == 1


def test_decide_session_online_seats_counted_apart(conference, staff_user):
    conference.format = Format.HYBRID
    conference.save()
    session = factories.SessionFactory(conference=conference, seat_limit=1, online_seat_limit=1)
    participants = [
        *factories.ParticipantFactory.create_batch(2, conference=conference),
        factories.ParticipantFactory(conference=conference, online=True),
    ]
    for participant in participants:
        factories.SeatRequestFactory(participant=participant, session=session)
        services.decide(participant, "approved", by=staff_user)

    assert [status for _, status in seat_statuses(session)] == ["held", "waitlisted", "held"]


@pytest.fixture
def full_conference_with_queue(conference, staff_user):
    """Capacity 1: one approved participant, and three waiting since different times (second, third, first)."""
    conference.capacity_in_person = 1
    conference.save()
    approved = factories.ParticipantFactory(conference=conference)
    services.decide(approved, "approved", by=staff_user)
    now = timezone.now()
    queue = [
        factories.ParticipantFactory(conference=conference, waitlisted=True, waitlisted_at=now - 2 * HOUR),
        factories.ParticipantFactory(conference=conference, waitlisted=True, waitlisted_at=now - HOUR),
        factories.ParticipantFactory(conference=conference, waitlisted=True, waitlisted_at=now - 3 * HOUR),
    ]
    return approved, queue


@pytest.mark.parametrize("frees", ["cancel", "reject"])
def test_seat_freed_promotes_longest_waiting_only(sent, full_conference_with_queue, staff_user, frees):
    approved, (second, third, first) = full_conference_with_queue

    with sent() as emails:
        if frees == "cancel":
            services.cancel(approved)
        else:
            services.decide(approved, "rejected", by=staff_user)

    freed = {"cancel": "Registration cancelled", "reject": "Registration not approved"}[frees]
    assert statuses(approved, first, second, third) == [
        {"cancel": "cancelled", "reject": "rejected"}[frees],
        "approved",
        "waitlisted",
        "waitlisted",
    ]
    assert emails == [
        (approved.email, f"{freed}: Fourth Conference"),
        (first.email, "A seat is yours: Fourth Conference"),
    ]


def test_session_seat_freed_goes_to_longest_waiting_request(sent, conference, staff_user):
    session = factories.SessionFactory(conference=conference, title="Border security", seat_limit=1)
    holder, *waiting = factories.ParticipantFactory.create_batch(4, conference=conference, approved=True)
    factories.SeatRequestFactory(participant=holder, session=session, held=True)
    now = timezone.now()
    for participant, hours in zip(waiting, [2, 3, 1], strict=True):
        factories.SeatRequestFactory(
            participant=participant, session=session, waitlisted=True, waitlisted_at=now - hours * HOUR
        )

    with sent() as emails:
        services.cancel(holder)

    assert seat_statuses(session) == [
        (holder.pk, "cancelled"),
        (waiting[0].pk, "waitlisted"),
        (waiting[1].pk, "held"),
        (waiting[2].pk, "waitlisted"),
    ]
    assert emails == [
        (holder.email, "Registration cancelled: Fourth Conference"),
        (waiting[1].email, "A seat is yours: Fourth Conference"),
    ]
    assert mail.outbox[1].body.count('A seat has freed up and is now yours in "Border security"') == 1


def test_session_seat_freed_goes_to_waiting_request_before_newly_promoted(sent, conference, staff_user):
    """A participant promoted from the conference's waiting list queues behind those already waiting for the seat."""
    conference.capacity_in_person = 2
    conference.save()
    session = factories.SessionFactory(conference=conference, seat_limit=1)
    holder, seat_waiting = factories.ParticipantFactory.create_batch(2, conference=conference)
    latecomer = factories.ParticipantFactory(conference=conference)
    for participant in (holder, seat_waiting, latecomer):
        factories.SeatRequestFactory(participant=participant, session=session)
        services.decide(participant, "approved", by=staff_user)
    assert statuses(holder, seat_waiting, latecomer) == ["approved", "approved", "waitlisted"]

    with sent():
        services.cancel(holder)

    assert statuses(holder, seat_waiting, latecomer) == ["cancelled", "approved", "approved"]
    assert seat_statuses(session) == [(holder.pk, "cancelled"), (seat_waiting.pk, "held"), (latecomer.pk, "waitlisted")]


def test_reject_approved_frees_their_seats(sent, conference, staff_user):
    session = factories.SessionFactory(conference=conference, seat_limit=1)
    holder, waiting = factories.ParticipantFactory.create_batch(2, conference=conference)
    for participant in (holder, waiting):
        factories.SeatRequestFactory(participant=participant, session=session)
        services.decide(participant, "approved", by=staff_user)

    with sent() as emails:
        services.decide(holder, "rejected", by=staff_user)

    assert seat_statuses(session) == [(holder.pk, "pending"), (waiting.pk, "held")]
    assert services.held_count(session, "in_person") == 1
    assert emails == [
        (holder.email, "Registration not approved: Fourth Conference"),
        (waiting.email, "A seat is yours: Fourth Conference"),
    ]


def test_waitlist_approved_participant_stays_waitlisted(sent, conference, staff_user):
    participant = factories.ParticipantFactory(conference=conference)
    services.decide(participant, "approved", by=staff_user)

    with sent() as emails:
        services.decide(participant, "waitlisted", by=staff_user)

    assert statuses(participant) == ["waitlisted"]
    assert emails == [(participant.email, "On the waiting list: Fourth Conference")]


def test_cancel_twice_harmless(sent, conference):
    participant = factories.ParticipantFactory(conference=conference)
    factories.SeatRequestFactory(participant=participant)

    with sent() as emails:
        services.cancel(participant)
        services.cancel(participant)

    assert statuses(participant) == ["cancelled"]
    assert list(SeatRequest.objects.values_list("status", flat=True)) == ["cancelled"]
    assert emails == [(participant.email, "Registration cancelled: Fourth Conference")]


@pytest.mark.parametrize("decision", ["approved", "waitlisted", "rejected"])
def test_decide_cancelled_registration_refused(sent, conference, staff_user, decision):
    participant = factories.ParticipantFactory(conference=conference)
    services.cancel(participant)

    with (
        sent() as emails,
        pytest.raises(services.RegistrationError, match=r"^A cancelled registration cannot be decided on\.$"),
    ):
        services.decide(participant, decision, by=staff_user)

    participant.refresh_from_db()
    assert (participant.status, participant.decided_by, emails) == ("cancelled", None, [])


def registration_by_service(person, conference):
    data = registration_data(nomination_document=None, data_consent=None, title="", data_consent_at=timezone.now())
    return services.register(user=person, conference=conference, data=data)


@pytest.mark.parametrize("status", ["pending", "approved", "waitlisted", "rejected"])
def test_register_again_refused_while_a_registration_stands(sent, person, conference, status):
    existing = factories.ParticipantFactory(
        user=person, conference=conference, status=status, decided_at=None if status == "pending" else timezone.now()
    )

    with sent() as emails, pytest.raises(services.AlreadyRegistered) as refused:
        registration_by_service(person, conference)

    assert (refused.value.participant, Participant.objects.count(), emails) == (existing, 1, [])


@pytest.mark.parametrize(
    ("opens", "closes"), [(None, None), (HOUR, 2 * HOUR), (-2 * HOUR, -HOUR)], ids=["never", "later", "over"]
)
def test_register_refused_outside_the_registration_window(person, opens, closes):
    now = timezone.now()
    conference = factories.ConferenceFactory(
        registration_opens_at=opens and now + opens, registration_closes_at=closes and now + closes
    )

    with pytest.raises(services.RegistrationClosed) as refused:
        registration_by_service(person, conference)

    assert (str(refused.value), Participant.objects.count()) == ("Registration for this conference is not open.", 0)


def test_update_refused_once_registration_closed(person):
    now = timezone.now()
    conference = factories.ConferenceFactory(registration_opens_at=now - 10 * HOUR, registration_closes_at=now - HOUR)
    participant = factories.ParticipantFactory(user=person, conference=conference, function="Director")

    with pytest.raises(services.RegistrationClosed):
        services.update_registration(participant, data={"function": "Changed"}, sessions=[])

    participant.refresh_from_db()
    assert participant.function == "Director"


@pytest.mark.parametrize("status", ["approved", "waitlisted", "rejected", "cancelled"])
def test_update_refused_unless_pending(conference, status):
    participant = factories.ParticipantFactory(
        conference=conference,
        status=status,
        decided_at=None if status == "cancelled" else timezone.now(),
        function="Director",
    )

    with pytest.raises(services.NotChangeable) as refused:
        services.update_registration(participant, data={"function": "Changed"}, sessions=[])

    participant.refresh_from_db()
    assert (str(refused.value), participant.function) == ("Only a pending registration can be changed.", "Director")


@pytest.mark.parametrize(
    ("language", "subject", "lines"),
    [
        (
            "fr",
            "Inscription approuvée\u00a0: Fourth Conference",  # French puts a no-break space before a colon
            [
                "Votre inscription à «\u00a0Fourth Conference\u00a0» est approuvée. Votre référence est {reference}"
                "\u00a0; veuillez vous en munir au bureau des inscriptions.",
                "Votre inscription\u00a0: http://127.0.0.1:8000/fr/registrations/{reference}/",
            ],
        ),
        (
            "ar",
            "تمت الموافقة على التسجيل: Fourth Conference",
            ["تسجيلكم: http://127.0.0.1:8000/ar/registrations/{reference}/"],
        ),
    ],
)
def test_approval_email_written_in_the_participants_language(sent, conference, staff_user, language, subject, lines):
    """Compared with the translation itself, so that a missing one fails (English would come out instead)."""
    participant = factories.ParticipantFactory(conference=conference, language=language)

    with sent() as emails:
        services.decide(participant, "approved", by=staff_user)

    body = mail.outbox[0].body.splitlines()
    assert emails == [(participant.email, subject)]
    assert [line for line in (line.format(reference=participant.reference) for line in lines) if line not in body] == []
