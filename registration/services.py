"""Every change of a registration's state: register, edit, cancel, decide, promote.

Each function is one transaction. Whatever consumes or frees a seat first locks the
conference's row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE
transaction mode already serializes writers), then counts, then writes, so that a seat
is never given twice, even with several app servers on one database.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Conference
from registration import emails
from registration.models import Participant, SeatRequest, SeatStatus, Status


class RegistrationError(Exception):
    """A rule of registration was broken; the message is for the person."""


class AlreadyRegistered(RegistrationError):
    def __init__(self, participant):
        super().__init__(_("You are already registered for this conference."))
        self.participant = participant


def lock_conference(conference_id):
    """Take the conference's row lock: the one lock behind every seat count."""
    return Conference.objects.select_for_update().get(pk=conference_id)


def check_registration_open(conference):
    if not conference.registration_is_open:
        raise RegistrationError(_("Registration for this conference is not open."))


@transaction.atomic
def register(*, user, conference, data, sessions=(), files=None, language="en"):
    """Create a pending registration with its seat requests, and send "received".

    `files` maps "nomination_document" and "photo" to uploads."""
    check_registration_open(conference)
    existing = Participant.objects.select_for_update().filter(user=user, conference=conference).first()
    if existing and existing.status != Status.CANCELLED:
        raise AlreadyRegistered(existing)
    # Someone who cancelled registers again in the same row (one per person and conference).
    participant = existing or Participant(user=user, conference=conference)
    if existing:
        _reset_for_new_registration(participant)
    participant.language = language
    for field, value in data.items():
        setattr(participant, field, value)
    for field, upload in (files or {}).items():
        setattr(participant, field, upload)
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        # A second submission that raced the first one past the check above.
        raise AlreadyRegistered(Participant.objects.get(user=user, conference=conference)) from None
    SeatRequest.objects.bulk_create([SeatRequest(participant=participant, session=s) for s in sessions])
    emails.queue(participant, "received")
    return participant


def _reset_for_new_registration(participant):
    participant.status = Status.PENDING
    participant.decided_by = participant.decided_at = participant.waitlisted_at = None
    participant.decision_message = ""
    participant.checked_in_at = participant.checked_in_by = None
    participant.seat_requests.all().delete()


@transaction.atomic
def update_registration(participant, *, data, sessions, files=None):
    """Change a pending registration; its seat requests become exactly `sessions`."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status != Status.PENDING:
        raise RegistrationError(_("Only a pending registration can be changed."))
    for field, value in data.items():
        setattr(participant, field, value)
    for field, upload in (files or {}).items():
        getattr(participant, field).delete(save=False)  # the replaced (or cleared) file goes
        setattr(participant, field, upload or "")
    participant.save()
    wanted = {session.pk for session in sessions}
    participant.seat_requests.exclude(session_id__in=wanted).delete()
    have = set(participant.seat_requests.values_list("session_id", flat=True))
    SeatRequest.objects.bulk_create(
        [SeatRequest(participant=participant, session_id=pk) for pk in sorted(wanted - have)]
    )
    return participant


@transaction.atomic
def cancel(participant):
    """The participant withdraws; their seats go to whoever waited longest."""
    conference = lock_conference(participant.conference_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status == Status.CANCELLED:
        return participant
    if not participant.can_cancel:
        raise RegistrationError(_("A registration that was not approved cannot be cancelled."))
    if conference.has_started:
        raise RegistrationError(_("The conference has started; please contact the Secretariat."))
    was_approved = participant.status == Status.APPROVED
    participant.status, participant.checked_in_at = Status.CANCELLED, None
    participant.save(update_fields=["status", "checked_in_at", "updated_at"])
    freed = list(participant.seat_requests.filter(status=SeatStatus.HELD).select_related("session"))
    participant.seat_requests.update(status=SeatStatus.CANCELLED)
    emails.queue(participant, "cancelled")
    # Session seats first: they go to those who waited for them, before anyone newly promoted asks.
    for request in freed:
        promote_waiting_seats(request.session, participant.attendance)
    if was_approved:
        promote_waiting(conference, participant.attendance)
    return participant


@transaction.atomic
def decide(participant, decision, *, by, message=""):
    """Staff approve, waitlist or reject. An approval beyond a limit waitlists instead."""
    if decision not in Status.decided():
        raise ValueError(decision)
    conference = lock_conference(participant.conference_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status == Status.CANCELLED:
        raise RegistrationError(_("A cancelled registration cannot be decided on."))
    previous = participant.status
    if decision == Status.APPROVED and previous != Status.APPROVED and not has_room(conference, participant.attendance):
        decision = Status.WAITLISTED
    if decision == previous:  # also keeps a waiting participant's place in the queue
        return participant
    participant.decision_message = message
    _set_status(participant, decision, by=by)
    if decision == Status.APPROVED:
        held, waitlisted = allocate_seats(participant)
        emails.queue(participant, "approved", held_sessions=held, waitlisted_sessions=waitlisted)
    else:
        emails.queue(participant, decision)
    if previous == Status.APPROVED and decision != Status.APPROVED:
        _release_seats(participant, conference)
    return participant


def _set_status(participant, status, *, by):
    now = timezone.now()
    participant.status, participant.decided_by, participant.decided_at = status, by, now
    participant.waitlisted_at = now if status == Status.WAITLISTED else None
    if status != Status.APPROVED:  # only approved participants are checked in
        participant.checked_in_at = participant.checked_in_by = None
    participant.save()


def _release_seats(participant, conference):
    freed = list(participant.seat_requests.filter(status=SeatStatus.HELD).select_related("session"))
    participant.seat_requests.filter(status__in=[SeatStatus.HELD, SeatStatus.WAITLISTED]).update(
        status=SeatStatus.PENDING, waitlisted_at=None
    )
    participant.checked_in_at = None
    participant.save(update_fields=["checked_in_at"])
    for request in freed:
        promote_waiting_seats(request.session, participant.attendance)
    promote_waiting(conference, participant.attendance, exclude=participant)


def approved_count(conference, attendance):
    return Participant.objects.filter(conference=conference, status=Status.APPROVED, attendance=attendance).count()


def has_room(conference, attendance):
    limit = conference.capacity_for(attendance)
    return limit is None or approved_count(conference, attendance) < limit


def held_count(session, attendance):
    return SeatRequest.objects.filter(
        session=session, status=SeatStatus.HELD, participant__attendance=attendance
    ).count()


def session_has_room(session, attendance):
    limit = session.seat_limit_for(attendance)
    return limit is None or held_count(session, attendance) < limit


def allocate_seats(participant):
    """Hold a seat in each requested session that has one left; waitlist the rest.

    Runs under the conference lock taken by the caller."""
    held, waitlisted = [], []
    now = timezone.now()
    for request in participant.seat_requests.filter(status=SeatStatus.PENDING).select_related("session"):
        if session_has_room(request.session, participant.attendance):
            request.status, request.waitlisted_at = SeatStatus.HELD, None
            held.append(request.session)
        else:
            request.status, request.waitlisted_at = SeatStatus.WAITLISTED, now
            waitlisted.append(request.session)
        request.save(update_fields=["status", "waitlisted_at", "updated_at"])
    return held, waitlisted


def promote_waiting(conference, attendance, exclude=None):
    """Approve the longest-waiting participants while the conference has room.

    `exclude` is the participant staff just moved off the approved list: the seat they
    free is not theirs to take back."""
    promoted = []
    waiting = Participant.objects.filter(conference=conference, status=Status.WAITLISTED, attendance=attendance)
    if exclude is not None:
        waiting = waiting.exclude(pk=exclude.pk)
    for participant in waiting.order_by("waitlisted_at", "pk"):
        if not has_room(conference, attendance):
            break
        participant.status, participant.waitlisted_at = Status.APPROVED, None
        participant.save(update_fields=["status", "waitlisted_at", "updated_at"])
        allocate_seats(participant)
        emails.queue(participant, "promoted")
        promoted.append(participant)
    return promoted


def promote_waiting_seats(session, attendance):
    """Give freed seats of `session` to the longest-waiting requests of approved participants."""
    promoted = []
    waiting = SeatRequest.objects.filter(
        session=session,
        status=SeatStatus.WAITLISTED,
        participant__attendance=attendance,
        participant__status=Status.APPROVED,
    ).select_related("participant__conference", "session")
    for request in waiting.order_by("waitlisted_at", "pk"):
        if not session_has_room(session, attendance):
            break
        request.status, request.waitlisted_at = SeatStatus.HELD, None
        request.save(update_fields=["status", "waitlisted_at", "updated_at"])
        emails.queue(request.participant, "promoted", session=session)
        promoted.append(request)
    return promoted


class CheckIn:
    """What the check-in desk sees after a scan or a search."""

    NOW = "now"
    ALREADY = "already"
    NOT_APPROVED = "not_approved"
    NO_SEAT = "no_seat"
    UNKNOWN = "unknown"


@transaction.atomic
def check_in(participant, *, by):
    """Record arrival at the conference; a repeated scan changes nothing. Returns (outcome, participant)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status != Status.APPROVED:
        return CheckIn.NOT_APPROVED, participant
    if participant.checked_in_at:
        return CheckIn.ALREADY, participant
    participant.checked_in_at, participant.checked_in_by = timezone.now(), by
    participant.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    return CheckIn.NOW, participant


@transaction.atomic
def check_in_session(participant, session, *, by):
    """Record attendance at a session with a seat limit; only a held seat gets in. Returns (outcome, record)."""
    if participant.status != Status.APPROVED:
        return CheckIn.NOT_APPROVED, None
    request = (
        SeatRequest.objects.select_for_update()
        .filter(participant=participant, session=session, status=SeatStatus.HELD)
        .first()
    )
    if request is None:
        return CheckIn.NO_SEAT, None
    if request.checked_in_at:
        return CheckIn.ALREADY, request
    request.checked_in_at, request.checked_in_by = timezone.now(), by
    request.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    return CheckIn.NOW, request


ANONYMOUS = "—"


@transaction.atomic
def anonymize(participant):
    """Remove a participant's personal data, keeping what the aggregate figures need
    (conference, category, State or organization, gender, nationality, status, attendance, check-in)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.anonymized_at:
        return participant
    for field in (participant.nomination_document, participant.photo):
        if field:
            field.delete(save=False)
    participant.user = None
    participant.title = ""
    participant.given_name = participant.family_name = ANONYMOUS
    participant.email = f"removed-{participant.pk}@invalid"
    participant.function = participant.accessibility_needs = participant.decision_message = ""
    participant.public_list_consent_at = None
    participant.anonymized_at = timezone.now()
    participant.save()
    participant.emails.all().delete()
    return participant


def expired_participants(today=None):
    """Participants of conferences whose retention period has ended, not yet anonymized."""
    today = today or timezone.localdate()
    expired = [
        c.pk
        for c in Conference.objects.only("start_date", "end_date", "retention_days", "time_zone")
        if c.personal_data_expires_on < today
    ]
    return Participant.objects.filter(conference__in=expired, anonymized_at__isnull=True)
