"""Read paths for the staff pages."""

from django.db.models import Q

from registration.models import REFERENCE_LENGTH, Participant
from secretariat.signing import looks_like_token, reference_from_token

NAME_MATCHES_SHOWN = 20
NAME_SEARCH_MIN_LENGTH = 3


def find_for_check_in(conference, text):
    """What the desk typed or scanned: a badge's QR token, a reference or a name.

    Returns (participant or None, candidates): the participant a token or reference
    identifies, else the people whose names match (a forged or unknown token matches nobody).
    """
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
    matches = people.approved()
    for word in text.split():
        matches = matches.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    # A name is never enough to check someone in: the desk confirms the right person.
    return None, list(matches.order_by("family_name", "given_name")[:NAME_MATCHES_SHOWN])
