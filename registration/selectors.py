"""Read paths for the participant's pages."""

from django.db.models import Prefetch
from django.http import Http404

from registration.models import MessageRecipient, Participant, SeatRequest


def registrations_of(user):
    """The person's registrations, newest conference first, with their seat requests: 2 queries."""
    return (
        Participant.objects.filter(user=user)
        .select_related("conference")
        .prefetch_related(Prefetch("seat_requests", queryset=SeatRequest.objects.select_related("session")))
        .order_by("-conference__start_date")
    )


def own_registration(user, reference):
    """The person's own registration, or 404: whether another's exists is nobody's business."""
    participant = registrations_of(user).filter(reference=reference).first()
    if participant is None:
        raise Http404
    return participant


def with_document(participants, reference):
    """The registration `reference` among `participants` if it has a nomination document, or 404."""
    participant = participants.filter(reference=reference).exclude(nomination_document="").first()
    if participant is None:
        raise Http404
    return participant


def messages_received(participant):
    """The messages sent to this registration, newest first, each in the language it went out in: 1 query.

    A recipient whose email the task worker has not written yet has not been sent it."""
    return (
        MessageRecipient.objects.filter(participant=participant, email__isnull=False)
        .select_related("message")
        .order_by("-message__sent_at", "-pk")
    )
