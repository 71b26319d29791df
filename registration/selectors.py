"""Read paths for the participant's pages."""

from django.db.models import Prefetch, Q
from django.http import Http404

from registration.models import Participant, SeatRequest, Status


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
    from allauth.mfa.utils import is_mfa_enabled

    queryset = Participant.objects.filter(reference=reference)
    # Staff reach others' documents only with the two-factor authentication the staff areas ask for.
    if not (user.is_staff and user.has_perm("registration.view_participant") and is_mfa_enabled(user)):
        queryset = queryset.filter(user=user)
    participant = queryset.first()
    if participant is None or not participant.nomination_document:
        raise Http404
    return participant


NAME_MATCHES_SHOWN = 20
NAME_SEARCH_MIN_LENGTH = 3


def find_for_check_in(conference, text):
    """What the desk typed or scanned: a badge's QR token, a reference or a name.

    Returns (participant or None, candidates): the participant a token or reference
    identifies, else the people whose names match (a forged or unknown token matches nobody).
    """
    from registration.models import REFERENCE_LENGTH
    from registration.signing import looks_like_token, reference_from_token

    text = " ".join(text.split())
    people = Participant.objects.filter(conference=conference, anonymized_at__isnull=True)
    if looks_like_token(text):
        reference = reference_from_token(text)
        return (people.filter(reference=reference).first() if reference else None), []
    if len(text) == REFERENCE_LENGTH and text.isalnum():
        found = people.filter(reference=text.upper()).first()
        if found:
            return found, []
    if len(text) < NAME_SEARCH_MIN_LENGTH:
        return None, []
    # Only approved people can be checked in: a name search shows nobody else.
    matches = people.filter(status=Status.APPROVED)
    for word in text.split():
        matches = matches.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    # A name is never enough to check someone in: the desk confirms the right person.
    return None, list(matches.order_by("family_name", "given_name")[:NAME_MATCHES_SHOWN])
