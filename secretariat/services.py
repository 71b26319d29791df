"""What staff change: arrivals at the check-in desk, letters of invitation, files prepared in the
background, messages to participants, and the removal of personal data after the retention period. Decisions on
registrations are the registration workflow's (`registration.services.decide`), which the
admin's actions call.
"""

import datetime
import enum
import logging

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from conference.models import Conference
from registration import audience, emails
from registration.models import (
    Delegation,
    DelegationMember,
    FocalPoint,
    LetterRequest,
    LetterStatus,
    Message,
    MessageRecipient,
    OutgoingEmail,
    Participant,
    SeatRequest,
    Status,
)
from secretariat.models import PreparedFile

logger = logging.getLogger(__name__)


class CheckInOutcome(enum.StrEnum):
    """What the check-in desk sees after a scan or a search."""

    NOW = "now"
    ALREADY = "already"
    NOT_APPROVED = "not_approved"
    NO_SEAT = "no_seat"
    UNKNOWN = "unknown"


@transaction.atomic(durable=True)
def check_in(participant, *, by, session=None):
    """Record arrival at the conference, or with `session` attendance at a session with a seat limit,
    where only a held seat gets in. A repeated scan changes nothing. Returns (outcome, checked-in time)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status != Status.APPROVED:
        return CheckInOutcome.NOT_APPROVED, None
    record = participant
    if session is not None:
        record = SeatRequest.objects.select_for_update().filter(participant=participant, session=session).held().first()
        if record is None:
            return CheckInOutcome.NO_SEAT, None
    if record.checked_in_at:
        return CheckInOutcome.ALREADY, record.checked_in_at
    record.checked_in_at, record.checked_in_by = timezone.now(), by
    record.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    return CheckInOutcome.NOW, record.checked_in_at


class LetterError(Exception):
    """A letter of invitation cannot be issued or declined; the message is for staff."""


ALREADY_DECIDED = {
    LetterStatus.ISSUED: gettext_lazy("This letter of invitation is already issued."),
    LetterStatus.DECLINED: gettext_lazy("This letter of invitation was declined."),
}


def _decide_letter(letter, status, *, by, message=""):
    """Issue or decline a requested letter and tell the participant by email, in their language."""
    # The participant's row first, as every change of a registration locks it, then the letter's.
    participant = Participant.objects.select_for_update(of=("self",)).select_related("conference")
    participant = participant.get(pk=letter.participant_id)
    letter = LetterRequest.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterStatus.REQUESTED:
        raise LetterError(ALREADY_DECIDED[letter.status])
    if status == LetterStatus.ISSUED and participant.status != Status.APPROVED:
        raise LetterError(_("The registration is no longer approved: no letter of invitation can be issued."))
    letter.participant = participant
    letter.status, letter.decided_by, letter.decided_at, letter.decision_message = status, by, timezone.now(), message
    letter.save(update_fields=["status", "decided_by", "decided_at", "decision_message", "updated_at"])
    emails.queue(participant, f"letter_{status}", letter=letter)
    return letter


@transaction.atomic(durable=True)
def issue_letter(letter, *, by):
    """Issue a requested letter of invitation, for a participant still approved; the email says it is ready."""
    return _decide_letter(letter, LetterStatus.ISSUED, by=by)


@transaction.atomic(durable=True)
def decline_letter(letter, *, by, message):
    """Decline a requested letter of invitation; the email and the registration's page carry `message`, the
    reason, so that the person knows what to correct before asking again."""
    if not message.strip():
        raise LetterError(_("A letter of invitation is declined with a reason for the participant."))
    return _decide_letter(letter, LetterStatus.DECLINED, by=by, message=message.strip())


ANONYMOUS = "—"


@transaction.atomic(durable=True)
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
    participant.messages_received.all().delete()
    participant.emails.all().delete()
    # The letter's reference, status and dates stay for the figures; the passport's details go.
    LetterRequest.objects.filter(participant=participant).update(
        passport_name=ANONYMOUS, nationality="", passport_number="", passport_expires_on=None, decision_message=""
    )
    return participant


def expired_conferences(today=None):
    """The keys of the conferences whose retention period has ended."""
    today = today or timezone.localdate()
    return [
        c.pk
        for c in Conference.objects.only("start_date", "end_date", "retention_days", "time_zone")
        if c.personal_data_expires_on < today
    ]


def expired_participants(today=None):
    """Participants of conferences whose retention period has ended, not yet anonymized."""
    return Participant.objects.filter(conference__in=expired_conferences(today), anonymized_at__isnull=True)


@transaction.atomic
def anonymize_delegations(conference_ids):
    """Remove what focal points entered about their members (whether or not these registered), the
    focal points' own addresses, the emails about the delegations and the notes verbales, for the
    conferences `conference_ids`;
    the delegations, their places and their members' attendance stay for the figures. Returns how
    many members."""
    delegations = Delegation.objects.filter(conference__in=conference_ids)
    for delegation in delegations.exclude(note_verbale=""):
        delegation.note_verbale.delete(save=False)
        delegation.save(update_fields=["note_verbale", "updated_at"])
    members = DelegationMember.objects.filter(delegation__in=delegations, anonymized_at__isnull=True)
    focal_points = FocalPoint.objects.filter(delegation__in=delegations).exclude(email__endswith="@invalid")
    # The emails about the delegations (invitations, decisions), which no registration holds.
    addresses = [*members.values_list("email", flat=True), *focal_points.values_list("email", flat=True)]
    OutgoingEmail.objects.filter(
        participant__isnull=True, kind__in=emails.DELEGATION_SUBJECTS, to__in=addresses
    ).delete()
    count = members.update(
        given_name=ANONYMOUS,
        family_name=ANONYMOUS,
        email=Concat(Value("removed-"), Cast("pk", CharField()), Value("@invalid")),
        function="",
        anonymized_at=timezone.now(),
    )
    focal_points.update(user=None, email=Concat(Value("removed-"), Cast("pk", CharField()), Value("@invalid")))
    return count


def prepare_file(kind, participants, *, by):
    """Queue the making of a file (badges or an export) of `participants` for `by`; a worker makes it."""
    from secretariat.tasks import prepare_file as prepare

    ids = list(participants.order_by("pk").values_list("pk", flat=True))
    # Badges are made for the approved only (the action has told staff about the others).
    badges = kind in (PreparedFile.Kind.BADGES, PreparedFile.Kind.DELEGATION_BADGES)
    total = participants.filter(status=Status.APPROVED).count() if badges else len(ids)
    prepared = PreparedFile.objects.create(
        kind=kind, requested_by=by, participant_ids=ids, total=total, language=get_language()
    )
    prepare.enqueue(prepared.pk)
    return prepared


# Prepared files hold personal data: they are for downloading, not for keeping.
PREPARED_FILES_KEPT = datetime.timedelta(days=2)


def remove_old_prepared_files(now=None):
    old = PreparedFile.objects.filter(created_at__lt=(now or timezone.now()) - PREPARED_FILES_KEPT)
    for prepared in old:
        if prepared.file:
            prepared.file.delete(save=False)
    return old.delete()[0]


class AudienceChanged(Exception):
    """The audience is no longer the one staff saw in the preview: nothing was sent."""

    def __init__(self, count):
        super().__init__(count)
        self.count = count


@transaction.atomic(durable=True)
def send_message(message, *, by, expected):
    """Send a draft to its audience, which staff saw to be `expected` people: each member gets a
    record now, and the task worker writes and queues their emails. Returns True if it started;
    a message already sent or being sent is never sent again (False)."""
    message = Message.objects.select_for_update(of=("self",)).select_related("conference").get(pk=message.pk)
    if message.state != Message.State.DRAFT:
        return False
    members = list(audience.members(message).values_list("pk", flat=True))
    if len(members) != expected or not members:
        raise AudienceChanged(len(members))
    MessageRecipient.objects.bulk_create(MessageRecipient(message=message, participant_id=pk) for pk in members)
    message.state, message.sent_by, message.sent_at = Message.State.SENDING, by, timezone.now()
    message.save(update_fields=["state", "sent_by", "sent_at"])
    transaction.on_commit(lambda: _hand_over_message(message.pk))
    return True


def _hand_over_message(message_id):
    from secretariat.tasks import write_message_emails

    try:
        write_message_emails.enqueue(message_id)
    except Exception:  # the queue's database may be the thing that fails: "send again" resumes it
        logger.exception("Message %s could not be queued", message_id)


def send_again(messages):
    """For `messages` (a queryset): queue again the emails that failed, and only those, and resume
    writing the emails a stopped worker left unwritten. Returns how many failed emails are queued again."""
    unfinished = messages.filter(state=Message.State.SENDING, recipients__email__isnull=True).distinct()
    for message_id in unfinished.values_list("pk", flat=True):
        _hand_over_message(message_id)
    failed = OutgoingEmail.objects.filter(
        message_recipient__message__in=messages, delivery=OutgoingEmail.Delivery.FAILED
    )
    return emails.queue_unsent(failed)
