"""Read paths for the participant's pages."""

from django.db.models import Prefetch
from django.http import Http404

from registration.models import Participant, SeatRequest


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
    participant = registrations_of(user).select_related("letter_request").filter(reference=reference).first()
    if participant is None:
        raise Http404
    return participant


def with_document(participants, reference):
    """The registration `reference` among `participants` if it has a nomination document, or 404."""
    participant = participants.filter(reference=reference).exclude(nomination_document="").first()
    if participant is None:
        raise Http404
    return participant
