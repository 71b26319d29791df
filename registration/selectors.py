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
    participant = registrations_of(user).filter(reference=reference).first()
    if participant is None:
        raise Http404
    return participant


def document_owner_or_staff(user, reference):
    """The registration whose document `user` may download: their own, or any for staff."""
    queryset = Participant.objects.filter(reference=reference)
    if not (user.is_staff and user.has_perm("registration.view_participant")):
        queryset = queryset.filter(user=user)
    participant = queryset.first()
    if participant is None or not participant.nomination_document:
        raise Http404
    return participant
