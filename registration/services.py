"""Every rule and every change of a registration's state: who may register or change a
registration (`ensure_can_register`, `ensure_can_change`, which the pages also ask before
showing a form), register, edit, cancel, decide, promote from the waiting lists, and ask
for a letter of invitation (`ensure_can_ask_for_letter`, `request_letter`).

Each change is one transaction of its own (`seat_transaction`). Whatever consumes or frees
a seat first locks the conference's row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
IMMEDIATE transaction mode already serializes writers), then counts, then writes, so that a
seat is never given twice, even with several app servers on one database. A refusal is a
`RegistrationError` whose message is for the person.
"""

import functools

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conference.models import Conference
from registration import emails
from registration.models import (
    Attendance,
    Delegation,
    DelegationMember,
    FocalPoint,
    LetterRequest,
    LetterStatus,
    Participant,
    SeatRequest,
    SeatStatus,
    Status,
    new_letter_reference,
)


class RegistrationError(Exception):
    """A rule of registration was broken; the message is for the person."""


class AlreadyRegistered(RegistrationError):
    def __init__(self, participant):
        super().__init__(_("You are already registered for this conference. Here is your registration."))
        self.participant = participant


class RegistrationClosed(RegistrationError):
    pass


class NotChangeable(RegistrationError):
    """The registration is past the point where the person may change it."""


class LetterRefused(RegistrationError):
    """A letter of invitation cannot be asked for this registration."""


class Busy(RegistrationError):
    """The seats were locked by others for longer than we wait: nothing was changed."""

    def __init__(self):
        super().__init__(_("Many people are registering at this moment. Nothing was changed; please try again."))


def seat_transaction(function):
    """Run `function` as one transaction of its own, never nested in another (whose commit would
    come later and hold the lock longer); a lock not granted in time raises `Busy` instead of an error page."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        try:
            with transaction.atomic(durable=True):
                return function(*args, **kwargs)
        except OperationalError as error:
            if _is_lock_timeout(error):
                raise Busy from error
            raise

    return run


def _is_lock_timeout(error):
    # PostgreSQL: lock_not_available (55P03); SQLite: the IMMEDIATE transaction waited its timeout out.
    return getattr(error.__cause__, "sqlstate", None) == "55P03" or "database is locked" in str(error)


def lock_conference(conference_id):
    """Take the conference's row lock: the one lock behind every seat count. It lasts until the
    transaction ends, so it must be taken inside one; on PostgreSQL it is waited for at most
    REGISTRATION_LOCK_TIMEOUT_MS (SQLite's IMMEDIATE transactions already serialize writers)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("lock_conference() must be called inside a transaction.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(settings.REGISTRATION_LOCK_TIMEOUT_MS)}")
    return Conference.objects.select_for_update().get(pk=conference_id)


def ensure_can_register(user, conference, *, lock=False):
    """Raise unless `user` may register for `conference` now; returns their cancelled registration, if any.

    With `lock`, their registration's row stays locked until the transaction ends."""
    registrations = Participant.objects.filter(user=user, conference=conference)
    existing = (registrations.select_for_update() if lock else registrations).first()
    if existing and existing.status != Status.CANCELLED:
        raise AlreadyRegistered(existing)
    if not conference.registration_is_open:
        raise RegistrationClosed(_("Registration for this conference is not open."))
    return existing


def ensure_can_change(participant):
    """Raise unless the person may still change their registration: pending, while registration is open."""
    if participant.status != Status.PENDING:
        raise NotChangeable(_("Only a pending registration can be changed."))
    if not participant.conference.registration_is_open:
        raise RegistrationClosed(_("Registration is closed; please write to the Secretariat to change it."))


@seat_transaction
def register(*, user, conference, data, sessions=(), files=None, language="en", member=None):
    """Create a pending registration with its seat requests, and send "received".

    `files` maps "nomination_document" and "photo" to uploads. With `member`, the registration of
    a member of a delegation, who represents it and attends as nominated; `user` is then their
    account, or None when a focal point enters their details for them."""
    if member is not None:
        member = _nomination_to_complete(member)
    existing = ensure_can_register(user, conference, lock=True) if user else _ensure_not_registered(conference, data)
    # Someone who cancelled registers again in the same row (one per person and conference).
    participant = existing or Participant(user=user, conference=conference)
    if existing:
        _reset_for_new_registration(participant)
    participant.language = language
    for field, value in data.items():
        setattr(participant, field, value)
    for field, upload in (files or {}).items():
        _replace_file(participant, field, upload)
    if member is not None:
        delegation = member.delegation
        participant.category, participant.attendance = delegation.category, member.attendance
        participant.represented_country = delegation.represented_country
        participant.organization = delegation.organization
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        # A second submission that raced the first one past the check above.
        raise AlreadyRegistered(Participant.objects.get(user=user, conference=conference)) from None
    SeatRequest.objects.bulk_create([SeatRequest(participant=participant, session=s) for s in sessions])
    if member is not None:
        # A registration cancelled with a withdrawn nomination, made again for a new one.
        DelegationMember.objects.filter(participant=participant).exclude(pk=member.pk).update(participant=None)
        member.participant = participant
        member.save(update_fields=["participant", "updated_at"])
    emails.queue(participant, "received")
    return participant


def _replace_file(instance, field, upload):
    """Point the file field `field` at `upload`, or at nothing for ""; the file it held goes once the
    change is committed, so that a change rolled back keeps its file."""
    old = getattr(instance, field)
    if old:
        name, storage = old.name, old.storage
        transaction.on_commit(lambda: storage.delete(name))
    setattr(instance, field, upload or "")


# What a member's registration takes from their delegation and nomination, not from the member.
DELEGATION_GIVES = ("category", "represented_country", "organization", "attendance")


def nomination_of(participant):
    """The nomination (not withdrawn) that `participant`'s registration completes, if any."""
    return DelegationMember.objects.active().filter(participant=participant).select_related("delegation").first()


def _ensure_open(conference):
    if not conference.registration_is_open:
        raise RegistrationClosed(_("Registration for this conference is not open."))


def _ensure_not_registered(conference, data):
    """For a registration a focal point makes: registration is open, and the person (by their
    address) is not registered for the conference already, on their own or by another delegation."""
    _ensure_open(conference)
    others = Participant.objects.filter(conference=conference, email__iexact=data["email"]).exclude(
        status=Status.CANCELLED
    )
    if others.exists():
        raise RegistrationError(_("This person is already registered for this conference."))


def _nomination_to_complete(member):
    """The member, locked, if their registration is still to be made."""
    member = DelegationMember.objects.select_for_update().select_related("delegation").get(pk=member.pk)
    if member.withdrawn_at is not None:
        raise NotChangeable(_("This nomination was withdrawn by the delegation's focal point."))
    if member.participant_id is not None:
        raise AlreadyRegistered(member.participant)
    return member


def _reset_for_new_registration(participant):
    participant.status = Status.PENDING
    participant.decided_by = participant.decided_at = participant.waitlisted_at = None
    participant.decision_message = ""
    participant.checked_in_at = participant.checked_in_by = None
    participant.seat_requests.all().delete()
    # A letter invited the person to the registration they cancelled; the new one asks anew.
    LetterRequest.objects.filter(participant=participant).delete()


@seat_transaction
def update_registration(participant, *, data, sessions, files=None):
    """Change a pending registration while registration is open; its seat requests become exactly `sessions`."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    ensure_can_change(participant)
    if nomination_of(participant) is not None:  # the delegation gives these, and counts its places by them
        data = {name: value for name, value in data.items() if name not in DELEGATION_GIVES}
    for field, value in data.items():
        setattr(participant, field, value)
    for field, upload in (files or {}).items():
        _replace_file(participant, field, upload)
    participant.save()
    wanted = {session.pk for session in sessions}
    participant.seat_requests.exclude(session_id__in=wanted).delete()
    have = set(participant.seat_requests.values_list("session_id", flat=True))
    SeatRequest.objects.bulk_create(
        [SeatRequest(participant=participant, session_id=pk) for pk in sorted(wanted - have)]
    )
    return participant


@seat_transaction
def cancel(participant):
    """The participant withdraws; their seats go to whoever waited longest."""
    conference = lock_conference(participant.conference_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status == Status.CANCELLED:
        return participant
    if not participant.can_cancel:
        raise NotChangeable(_("A registration that was not approved cannot be cancelled."))
    if conference.has_started:
        raise NotChangeable(_("The conference has started; please contact the Secretariat."))
    _cancelled(participant, conference)
    return participant


def _cancelled(participant, conference, *, email="cancelled", **extra):
    """Cancel `participant` under the conference's lock: their seats go to whoever waited longest. They are
    told by the email `email` (with `extra` for its template)."""
    was_approved = participant.status == Status.APPROVED
    participant.status, participant.checked_in_at = Status.CANCELLED, None
    participant.save(update_fields=["status", "checked_in_at", "updated_at"])
    freed = list(participant.seat_requests.held().select_related("session"))
    participant.seat_requests.update(status=SeatStatus.CANCELLED)
    emails.queue(participant, email, **extra)
    # Session seats first: they go to those who waited for them, before anyone newly promoted asks.
    for request in freed:
        promote_waiting_seats(request.session, participant.attendance)
    if was_approved:
        promote_waiting(conference, participant.attendance)


@seat_transaction
def decide(participant, decision, *, by, message=""):
    """Staff approve, waitlist or reject. An approval beyond a limit waitlists instead."""
    if decision not in Status.decided():
        raise ValueError(decision)
    conference = lock_conference(participant.conference_id)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status == Status.CANCELLED:
        raise NotChangeable(_("A cancelled registration cannot be decided on."))
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
    freed = list(participant.seat_requests.held().select_related("session"))
    participant.seat_requests.filter(status__in=[SeatStatus.HELD, SeatStatus.WAITLISTED]).update(
        status=SeatStatus.PENDING, waitlisted_at=None
    )
    participant.checked_in_at = None
    participant.save(update_fields=["checked_in_at"])
    for request in freed:
        promote_waiting_seats(request.session, participant.attendance)
    promote_waiting(conference, participant.attendance, exclude=participant)


def approved_count(conference, attendance):
    return Participant.objects.approved().filter(conference=conference, attendance=attendance).count()


def has_room(conference, attendance):
    limit = conference.capacity_for(attendance)
    return limit is None or approved_count(conference, attendance) < limit


def held_count(session, attendance):
    return SeatRequest.objects.held().filter(session=session, participant__attendance=attendance).count()


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
    waiting = Participant.objects.waiting_in_line().filter(conference=conference, attendance=attendance)
    if exclude is not None:
        waiting = waiting.exclude(pk=exclude.pk)
    for participant in waiting:
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
    waiting = (
        SeatRequest.objects.waiting_in_line()
        .filter(session=session, participant__attendance=attendance, participant__status=Status.APPROVED)
        .select_related("participant__conference", "session")
    )
    for request in waiting:
        if not session_has_room(session, attendance):
            break
        request.status, request.waitlisted_at = SeatStatus.HELD, None
        request.save(update_fields=["status", "waitlisted_at", "updated_at"])
        emails.queue(request.participant, "promoted", session=session)
        promoted.append(request)
    return promoted


# Delegations: focal points nominate members within the delegation's places; the places are counted
# under the conference's lock, as seats are, so that two focal points adding at once never exceed them.


class NoPlaceLeft(RegistrationError):
    pass


def designate_focal_point(delegation, email, *, language=settings.LANGUAGE_CODE):
    """Name the person with `email` a focal point of `delegation` and tell them, in `language`: the
    account with that verified address acts for the delegation at once, or once it is made."""
    email = email.strip().lower()
    focal_point = FocalPoint.objects.filter(delegation=delegation, email__iexact=email).first()
    focal_point = focal_point or FocalPoint(delegation=delegation, email=email)
    if focal_point.user_id is None:
        focal_point.user = _verified_account(email)
    focal_point.language, focal_point.invited_at = language, timezone.now()
    focal_point.save()
    emails.queue_about_delegation(
        "focal_point",
        to=email,
        language=language,
        delegation=delegation,
        has_account=focal_point.user_id is not None,
    )
    return focal_point


def _verified_account(email):
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    return address.user if address else None


def claim_by_address(user):
    """Link to `user` what was made for one of their verified addresses before they had an account,
    or without it: the focal points designated, and the registrations a focal point made for them
    (one per conference). Called when they log in or verify an address."""
    from registration.selectors import verified_addresses

    for email in verified_addresses(user):
        FocalPoint.objects.filter(user__isnull=True, email__iexact=email).update(user=user)
        made_for_them = Participant.objects.filter(user__isnull=True, anonymized_at__isnull=True, email__iexact=email)
        Participant.objects.filter(
            pk__in=made_for_them.exclude(conference__in=Participant.objects.filter(user=user).values("conference"))
        ).update(user=user)


@seat_transaction
def add_member(delegation, *, data, by):
    """Nominate a member (`data`: names, email, function, attendance, is_head, language) while registration is
    open and the delegation has a place left for that attendance; invite them to complete their
    details. A new head of delegation takes the place of the former one, whom the member returned
    names as `replaced_head` (None when there was none), so that the focal point is told."""
    conference = lock_conference(delegation.conference_id)
    _ensure_open(conference)
    delegation = _ensure_place(delegation, data["attendance"])
    former = _former_head(delegation.pk) if data.get("is_head") else None
    last = delegation.members.order_by("-position").values_list("position", flat=True).first()
    member = _nominated(DelegationMember(delegation=delegation, added_by=by, position=(last or 0) + 1, **data))
    member.replaced_head = former
    return member


def _former_head(delegation_id, *, keep=None):
    """The delegation's head (not `keep`), who is no longer head once this returns; None if it had none.
    Cleared first: a delegation has one head, which the database checks at once."""
    heads = DelegationMember.objects.active().filter(delegation_id=delegation_id, is_head=True)
    former = heads.exclude(pk=getattr(keep, "pk", None)).order_by("pk").select_for_update().first()
    if former is not None:
        former.is_head = False
        former.save(update_fields=["is_head", "updated_at"])
    return former


@seat_transaction
def make_head(member):
    """The focal point makes `member` (not withdrawn) the head of delegation while registration is open,
    in place of the former head; returns the former head, or None. Under the conference's lock, as every
    change of the delegation's members."""
    conference = lock_conference(member.delegation.conference_id)
    _ensure_open(conference)
    member = DelegationMember.objects.select_for_update().get(pk=member.pk)
    if member.withdrawn_at is not None:
        raise NotChangeable(_("This member was withdrawn from the delegation."))
    if member.is_head:
        return None
    former = _former_head(member.delegation_id, keep=member)
    member.is_head = True
    member.save(update_fields=["is_head", "updated_at"])
    return former


def _ensure_place(delegation, attendance):
    """The delegation, as it is now, if it has a place left for `attendance`. Under the conference's lock."""
    delegation = Delegation.objects.get(pk=delegation.pk)
    used = delegation.members.active().filter(attendance=attendance).count()
    if used >= delegation.places_for(attendance):
        if attendance == Attendance.IN_PERSON:
            raise NoPlaceLeft(_("All the delegation's places in person are taken."))
        raise NoPlaceLeft(_("All the delegation's places online are taken."))
    return delegation


def _nominated(member):
    """Save a new `member` (one address once in a delegation) and invite them to complete their details."""
    member.email = member.email.strip().lower()
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise RegistrationError(_("This person is already a member of the delegation.")) from None
    emails.queue_about_delegation(
        "member_invited", to=member.email, language=member.language, delegation=member.delegation, member=member
    )
    return member


@seat_transaction
def withdraw_member(member):
    """The focal point withdraws a member while registration is open: their place is free again, and
    a registration they had is cancelled (its seat going to the waiting list, as for anyone)."""
    conference = lock_conference(member.delegation.conference_id)
    _ensure_open(conference)
    _withdrawn(member, conference)


def _withdrawn(member, conference):
    member = DelegationMember.objects.select_for_update().select_related("delegation").get(pk=member.pk)
    if member.withdrawn_at is not None:
        raise NotChangeable(_("This member was already withdrawn."))
    member.withdrawn_at, member.is_head = timezone.now(), False
    member.save(update_fields=["withdrawn_at", "is_head", "updated_at"])
    participant = member.participant
    delegation = member.delegation
    # Told that their delegation withdrew them, not that they cancelled: it is not their doing. A registration
    # that had already ended (cancelled, rejected) changes nothing for them.
    if participant is not None and participant.can_cancel:
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        _cancelled(participant, conference, email="nomination_withdrawn", delegation=delegation)
    elif participant is None:
        emails.queue_about_delegation(
            "member_withdrawn", to=member.email, language=member.language, delegation=delegation, member=member
        )
    return member


@seat_transaction
def replace_member(member, *, data, by):
    """Withdraw `member` and nominate another in their place (`data` as for add_member, but
    is_head), their position and role with them, if the delegation has a place for the
    replacement's attendance once `member`'s is free."""
    conference = lock_conference(member.delegation.conference_id)
    _ensure_open(conference)
    was_head = DelegationMember.objects.get(pk=member.pk).is_head
    old = _withdrawn(member, conference)
    _ensure_place(old.delegation, data["attendance"])
    data = {name: value for name, value in data.items() if name != "is_head"}
    return _nominated(
        DelegationMember(delegation_id=old.delegation_id, added_by=by, position=old.position, is_head=was_head, **data)
    )


def approve_delegation(delegation, *, by):
    """Approve every member whose registration waits for a decision, each taking a seat as any
    registration does (the waiting list when the conference is full); tell the focal points.
    Returns {status: number of members}."""
    return _decide_delegation(delegation, Status.APPROVED, by=by)


def reject_delegation(delegation, *, by, message):
    """Reject every registration of the delegation not yet decided or approved; tell the focal
    points, with `message`."""
    return _decide_delegation(delegation, Status.REJECTED, by=by, message=message)


def _decide_delegation(delegation, decision, *, by, message=""):
    undecided = [Status.PENDING, Status.WAITLISTED] + ([Status.APPROVED] if decision == Status.REJECTED else [])
    # The head of delegation first, then the members in their order: when seats run out, the last wait.
    participants = Participant.objects.filter(
        delegation_member__delegation=delegation, delegation_member__withdrawn_at__isnull=True, status__in=undecided
    ).order_by("-delegation_member__is_head", "delegation_member__position", "pk")
    outcome = {}
    for participant in participants:
        decided = decide(participant, decision, by=by, message=message)
        outcome[decided.status] = outcome.get(decided.status, 0) + 1
    if outcome:
        for focal_point in delegation.focal_points.all():
            emails.queue_about_delegation(
                "delegation_decided",
                to=focal_point.email,
                language=focal_point.language,
                delegation=delegation,
                outcome_lines=[(Status(status).label, count) for status, count in outcome.items()],
                message=message,
            )
    return outcome


def replace_note_verbale(delegation, upload):
    """Keep `upload` as the delegation's note verbale; the one it replaces goes."""
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        _replace_file(delegation, "note_verbale", upload)
        delegation.save(update_fields=["note_verbale", "updated_at"])
    return delegation


def ensure_can_ask_for_letter(participant):
    """Raise unless the person may ask for a letter of invitation: for an approved registration in person, once,
    or again after the Secretariat declined the request (with corrected passport details, say)."""
    if participant.status != Status.APPROVED:
        raise LetterRefused(_("A letter of invitation can be asked for once your registration is approved."))
    if participant.attendance != Attendance.IN_PERSON:
        raise LetterRefused(_("A letter of invitation is for participants who attend in person."))
    if LetterRequest.objects.filter(participant=participant).exclude(status=LetterStatus.DECLINED).exists():
        raise LetterRefused(_("You have already asked for a letter of invitation for this registration."))


@transaction.atomic(durable=True)
def request_letter(participant, *, data):
    """Record the person's request for a letter of invitation, with the passport details in `data`.

    A registration has one request: asked for again after a decline, the same request (and reference)
    is asked for anew, with the new passport details, and waits for the Secretariat as any other."""
    # Only the participant's row is locked, not the conference's that seat changes wait for.
    participants = Participant.objects.select_for_update(of=("self",)).select_related("conference")
    participant = participants.get(pk=participant.pk)
    ensure_can_ask_for_letter(participant)
    declined = LetterRequest.objects.filter(participant=participant).first()
    if declined is None:
        return LetterRequest.objects.create(
            participant=participant, reference=new_letter_reference(participant.conference), **data
        )
    for field, value in data.items():
        setattr(declined, field, value)
    declined.status, declined.requested_at = LetterStatus.REQUESTED, timezone.now()
    declined.decided_by = declined.decided_at = None
    declined.decision_message = ""
    declined.save()
    return declined
