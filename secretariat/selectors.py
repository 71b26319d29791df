"""Read paths for the staff pages."""

from typing import NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat

from registration import audience, emails
from registration.models import (
    REFERENCE_LENGTH,
    Category,
    DelegationMember,
    OutgoingEmail,
    Participant,
    SeatRequest,
)
from registration.search import matches_name
from secretariat.participant_list import sort_key
from secretariat.signing import looks_like_token, reference_from_token

NAME_MATCHES_SHOWN = 20
NAME_SEARCH_MIN_LENGTH = 3
CATEGORY_ORDER = {category.value: index for index, category in enumerate(Category)}


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


def _recipients(**condition):
    return Count("recipients", filter=Q(**{f"recipients__{lookup}": value for lookup, value in condition.items()}))


Delivery = OutgoingEmail.Delivery
# A message's recipients: all, those whose email is not written yet, and by their email's delivery.
PROGRESS = {
    "recipient_count": Count("recipients"),
    "waiting_count": _recipients(email__isnull=True),
    "queued_count": _recipients(email__delivery=Delivery.QUEUED),
    "sent_count": _recipients(email__delivery=Delivery.SENT),
    "failed_count": _recipients(email__delivery=Delivery.FAILED),
}


def with_progress(messages):
    """`messages` with how many of their recipients are waiting, queued, sent and failed (one query)."""
    return messages.annotate(**PROGRESS)


def failed_recipients(message, limit=100):
    """The first recipients whose email failed, with the error, by name."""
    failed = message.recipients.filter(email__delivery=Delivery.FAILED).select_related("participant", "email")
    return failed.order_by("participant__family_name", "participant__given_name", "pk")[:limit]


class Preview(NamedTuple):
    """A message as its audience would receive it: how many, how many read which text, and the email itself."""

    count: int
    languages: list  # (participant's language, how many, language of the text they receive)
    samples: list  # (language of the text, participant, subject, text) for each text received


def preview(message):
    """Who `message` goes to and what they receive, before it is sent: one query, and one per text shown."""
    members = audience.members(message)
    by_language = members.order_by("language").values_list("language").annotate(count=Count("pk"))
    languages = [(language, count, message.language_for(language)) for language, count in by_language]
    samples = []
    for text_language in dict.fromkeys(text for _language, _count, text in languages):
        readers = [language for language, _count, text in languages if text == text_language]
        participant = members.filter(language__in=readers).select_related("conference").first()
        _language, subject, text, _html = emails.render_message(participant, message)
        samples.append((text_language, participant, subject, text))
    return Preview(sum(count for _language, count, _text in languages), languages, samples)


# Delegations, as the Secretariat lists them and prints their badges: by category (in the order of
# `Category`), then by the name of the State or organization; in each, the head first, then the
# members in the order their focal points gave.


def delegation_order(delegation):
    """The sort key of a delegation among others."""
    return (CATEGORY_ORDER[delegation.category], sort_key(delegation.represents), delegation.pk)


def member_order(participant):
    """The sort key of a participant who is a member of a delegation (with `delegation_member` and its
    delegation selected)."""
    member = participant.delegation_member
    return (*delegation_order(member.delegation), not member.is_head, member.position, member.pk)


def with_places_used(delegations):
    """`delegations` with the places each has used in person and online, its members and the name of
    its head (members withdrawn left out), in the same query."""
    heads = DelegationMember.objects.active().filter(delegation=OuterRef("pk"), is_head=True)
    return delegations.with_places_used().annotate(
        member_count=Count("members", filter=Q(members__withdrawn_at__isnull=True)),
        head_name=Subquery(heads.annotate(name=Concat("given_name", Value(" "), "family_name")).values("name")[:1]),
    )


def approved_member_registrations(delegations):
    """The approved registrations of the members (not withdrawn) of `delegations` (their pks)."""
    return Participant.objects.approved().filter(
        delegation_member__delegation__in=delegations, delegation_member__withdrawn_at__isnull=True
    )


def approved_members(delegations):
    """The same, each delegation's together, in delegation order: one query."""
    participants = approved_member_registrations(delegations).select_related(
        "conference", "delegation_member__delegation"
    )
    return sorted(participants, key=member_order)
