"""Read paths for the participant's pages."""

from django.db.models import Prefetch
from django.http import Http404

from registration.models import (
    Attendance,
    Delegation,
    DelegationMember,
    FocalPoint,
    MessageRecipient,
    Participant,
    SeatRequest,
)


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


def delegations_of(user):
    """The delegations `user` is a focal point of, newest conference first, then by name, with the places each
    has used in person and online: 1 query."""
    return (
        Delegation.objects.filter(pk__in=FocalPoint.objects.filter(user=user).values("delegation"))
        .select_related("conference")
        .with_places_used()
        .in_name_order()
    )


def own_delegation(user, pk):
    """A delegation `user` is a focal point of, or 404: the others are none of their business."""
    delegation = delegations_of(user).filter(pk=pk).first()
    if delegation is None:
        raise Http404
    return delegation


def own_member(delegation, pk):
    """A member of `delegation` (not withdrawn), or 404."""
    member = delegation.members.active().filter(pk=pk).select_related("participant").first()
    if member is None:
        raise Http404
    member.delegation = delegation
    return member


def head_of(delegation):
    """The delegation's head of delegation (not withdrawn), or None."""
    return delegation.members.active().filter(is_head=True).first()


def delegation_page(user, pk):
    """A focal point's delegation: its members in order (head first), those withdrawn apart, with
    their registrations' status, and the places used and left: 2 queries."""
    delegation = own_delegation(user, pk)
    members = list(delegation.members.select_related("participant__letter_request"))
    places = [
        (Attendance.IN_PERSON.label, delegation.used_in_person, delegation.places_in_person),
        (Attendance.ONLINE.label, delegation.used_online, delegation.places_online),
    ]
    return {
        "delegation": delegation,
        "members": [member for member in members if member.withdrawn_at is None],
        "withdrawn": [member for member in members if member.withdrawn_at is not None],
        "head": next((member for member in members if member.is_head and member.withdrawn_at is None), None),
        "places": [(label, used, total, max(total - used, 0)) for label, used, total in places],
    }


def nomination_of(user, pk):
    """The nomination `pk` of the person logged in (by one of their verified addresses), still to be
    registered, or 404."""
    member = (
        DelegationMember.objects.active()
        .filter(pk=pk, participant__isnull=True, email__in=verified_addresses(user))
        .select_related("delegation__conference")
        .first()
    )
    if member is None:
        raise Http404
    return member


def withdrawn_nomination_of(user, pk):
    """The nomination `pk` of the person logged in (by one of their verified addresses) if it was withdrawn,
    else None: they are told so, where anyone else finds nothing."""
    return (
        DelegationMember.objects.filter(pk=pk, withdrawn_at__isnull=False, email__in=verified_addresses(user))
        .select_related("delegation__conference")
        .first()
    )


def messages_received(participant):
    """The messages sent to this registration, newest first, each in the language it went out in: 1 query.

    A recipient whose email the task worker has not written yet has not been sent it."""
    return (
        MessageRecipient.objects.filter(participant=participant, email__isnull=False)
        .select_related("message")
        .order_by("-message__sent_at", "-pk")
    )


def verified_addresses(user):
    """The addresses `user` has verified, in lower case (as members' and focal points' are kept)."""
    from allauth.account.models import EmailAddress

    return [
        email.lower() for email in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    ]
