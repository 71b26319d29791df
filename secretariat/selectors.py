"""Read paths for the staff pages."""

from typing import NamedTuple

from django.db.models import Exists, F, OuterRef, Subquery, Value

from registration.models import REFERENCE_LENGTH, Participant, SeatRequest
from registration.search import matches_name
from secretariat.signing import looks_like_token, reference_from_token

NAME_MATCHES_SHOWN = 20
NAME_SEARCH_MIN_LENGTH = 3


class Found(NamedTuple):
    """What the desk's text identifies: one participant (by token or reference), or the people whose
    names match it, at most NAME_MATCHES_SHOWN of them (`more` when others match too)."""

    participant: Participant | None = None
    candidates: tuple | list = ()
    more: bool = False


def find_for_check_in(conference, text, session=None):
    """What the desk typed or scanned: a badge's QR token, a reference or a name.

    A forged or unknown token matches nobody. The people a name matches carry what the desk must see
    before acting: `desk_checked_in_at` (at the conference, or with `session` at that session) and
    `desk_has_seat` (always true without `session`).
    """
    text = " ".join(text.split())
    people = Participant.objects.filter(conference=conference, anonymized_at__isnull=True)
    if looks_like_token(text):
        reference = reference_from_token(text)
        return Found(people.filter(reference=reference).first() if reference else None)
    if len(text) == REFERENCE_LENGTH and text.isalnum():
        found = people.filter(reference=text.upper()).first()
        if found:
            return Found(found)
    if len(text) < NAME_SEARCH_MIN_LENGTH:
        return Found()
    # Only approved people can be checked in: a name search shows nobody else.
    matches = people.approved().filter(matches_name(text))
    if session is None:
        matches = matches.annotate(desk_checked_in_at=F("checked_in_at"), desk_has_seat=Value(True))
    else:
        seat = SeatRequest.objects.held().filter(participant=OuterRef("pk"), session=session)
        matches = matches.annotate(
            desk_checked_in_at=Subquery(seat.values("checked_in_at")[:1]), desk_has_seat=Exists(seat)
        )
    # A name is never enough to check someone in: the desk confirms the right person.
    shown = list(matches.order_by("family_name", "given_name", "pk")[: NAME_MATCHES_SHOWN + 1])
    return Found(candidates=shown[:NAME_MATCHES_SHOWN], more=len(shown) > NAME_MATCHES_SHOWN)
