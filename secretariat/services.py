"""What staff change: arrivals at the check-in desk, files prepared in the background, and the
removal of personal data after the retention period. Decisions on registrations are the
registration workflow's (`registration.services.decide`), which the admin's actions call.
"""

import datetime
import enum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from conference.models import Conference
from registration.models import Participant, SeatRequest, Status
from secretariat.models import PreparedFile


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
