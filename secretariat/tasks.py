"""Work done by the task worker for the Secretariat: prepared files, messages to participants and the
retention purge."""

import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from registration import emails
from registration.models import Message, MessageRecipient, Participant, Status
from secretariat import badges, exports
from secretariat.models import PreparedFile
from secretariat.selectors import member_order

logger = logging.getLogger(__name__)

# Badges are laid out this many at a time, so that progress moves and memory stays flat.
BADGES_PER_ROUND = 20


@task()
def prepare_file(prepared_id):
    prepared = PreparedFile.objects.select_related("requested_by").get(pk=prepared_id)
    if prepared.state != PreparedFile.State.QUEUED:
        return prepared.state  # already taken by another worker, or finished
    PreparedFile.objects.filter(pk=prepared.pk).update(state=PreparedFile.State.RUNNING)
    try:
        with translation.override(prepared.language), tempfile.TemporaryFile() as output:
            name = MAKERS[prepared.kind](prepared, output)
            output.seek(0)
            prepared.file.save(name, File(output), save=False)
    except Exception as error:  # a failed file must say so, not stay "being prepared" forever
        logger.exception("Prepared file %s failed", prepared.pk)
        prepared.state, prepared.error = PreparedFile.State.FAILED, f"{type(error).__name__}: {error}"
    else:
        prepared.state, prepared.done = PreparedFile.State.READY, prepared.total
    prepared.finished_at = timezone.now()
    prepared.save(update_fields=["state", "error", "file", "done", "finished_at"])
    return prepared.state


def _progress(prepared):
    return lambda done: PreparedFile.objects.filter(pk=prepared.pk).update(done=done)


def _participants(prepared, *related):
    """The chosen participants with their conference (and `related`), in order of pk, read a chunk of
    ids at a time (a query never carries more than CHUNK of them, whatever the selection's size)."""
    ids = prepared.participant_ids
    for start in range(0, len(ids), exports.CHUNK):
        chunk = Participant.objects.filter(pk__in=ids[start : start + exports.CHUNK])
        yield from chunk.select_related("conference", *related).order_by("pk")


def _badges(prepared, output):
    approved = sorted(
        (participant for participant in _participants(prepared) if participant.status == Status.APPROVED),
        key=lambda participant: (participant.family_name, participant.given_name, participant.pk),
    )
    return _badges_of(approved, prepared, output)


def _delegation_badges(prepared, output):
    """The badges of the approved members of delegations, each delegation's together, head first."""
    chosen = _participants(prepared, "delegation_member__delegation")
    approved = sorted(
        (participant for participant in chosen if participant.status == Status.APPROVED), key=member_order
    )
    return _badges_of(approved, prepared, output)


def _badges_of(approved, prepared, output):
    from pypdf import PdfWriter

    progress, writer = _progress(prepared), PdfWriter()
    for start in range(0, len(approved), BADGES_PER_ROUND):
        chunk = approved[start : start + BADGES_PER_ROUND]
        with tempfile.TemporaryFile() as part:
            part.write(badges.render_badges_pdf(chunk))
            part.seek(0)
            writer.append(part)
        progress(start + len(chunk))
    writer.write(output)
    return "badges.pdf"


def _csv(prepared, output):
    exports.write_csv(_participants(prepared), output, progress=_progress(prepared))
    return "participants.csv"


def _xlsx(prepared, output):
    exports.write_xlsx(_participants(prepared), output, progress=_progress(prepared))
    return "participants.xlsx"


MAKERS = {
    PreparedFile.Kind.BADGES: _badges,
    PreparedFile.Kind.DELEGATION_BADGES: _delegation_badges,
    PreparedFile.Kind.CSV: _csv,
    PreparedFile.Kind.XLSX: _xlsx,
}


# Emails of a message are written this many at a time, each round one transaction: progress moves,
# and a worker that stops loses at most one round, which the next run writes again.
MESSAGES_PER_ROUND = 100


@task()
def write_message_emails(message_id):
    """Write and queue the email of each recipient of a message being sent; then the message is sent.

    Runs again harmlessly: a recipient whose email is written is never written to twice."""
    message = Message.objects.get(pk=message_id)
    if message.state != Message.State.SENDING:
        return message.state
    while _write_round(message):
        pass
    Message.objects.filter(pk=message.pk, state=Message.State.SENDING).update(state=Message.State.SENT)
    return Message.State.SENT


def _write_round(message):
    """Write the emails of the next recipients still without one; returns how many."""
    with transaction.atomic():
        # Two workers on one message each take recipients the other has not locked.
        waiting = (
            message.recipients.filter(email__isnull=True)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("participant__conference")
        )
        batch = list(waiting[:MESSAGES_PER_ROUND])
        for recipient in batch:
            recipient.email, recipient.language = emails.queue_message(recipient.participant, message)
        MessageRecipient.objects.bulk_update(batch, ["email", "language"])
    return len(batch)


@task()
def purge_personal_data():
    """Anonymize the participants whose conference's retention period has passed; returns how many."""
    from secretariat.services import (
        anonymize,
        anonymize_delegations,
        expired_conferences,
        expired_participants,
        remove_old_prepared_files,
    )

    count = 0
    for participant in expired_participants().iterator():
        anonymize(participant)
        count += 1
    anonymize_delegations(expired_conferences())
    remove_old_prepared_files()
    return count
