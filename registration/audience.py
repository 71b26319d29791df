"""Who receives a message to participants: the groups staff choose from, and who is in each.

A group is a choice, what it needs chosen beside it (a field of `Message`: the category, the
session, the delegation), and a filter over the conference's participants. A new group is one
more entry in `Audience` and in `GROUPS`, and, if it needs one, its field on `Message` with its
"not chosen" condition in `UNCHOSEN`; the form, the database's check and the count all follow
from here.
"""

import dataclasses
from collections.abc import Callable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    APPROVED = "approved", _("All approved participants")
    CATEGORY = "category", _("Approved participants of one category")
    SESSION = "session", _("Participants with a seat in one session")
    WAITING_LIST = "waiting_list", _("The conference's waiting list")
    DELEGATION = "delegation", _("Approved members of one delegation")


@dataclasses.dataclass(frozen=True)
class Group:
    # (the conference's participants, the message) -> the participants in the group
    members: Callable
    # The field of Message that says which category, session, ... this group needs, if any.
    needs: str = ""


GROUPS = {
    Audience.APPROVED: Group(lambda participants, message: participants.approved()),
    Audience.CATEGORY: Group(
        lambda participants, message: participants.approved().filter(category=message.category), needs="category"
    ),
    # A seat is held only while its registration is approved; asking for both says so.
    Audience.SESSION: Group(
        lambda participants, message: participants.approved().holding_a_seat_in(message.session_id),
        needs="session",
    ),
    Audience.WAITING_LIST: Group(lambda participants, message: participants.waiting_in_line()),
    Audience.DELEGATION: Group(
        lambda participants, message: participants.approved().filter(
            delegation_member__delegation_id=message.delegation_id, delegation_member__withdrawn_at__isnull=True
        ),
        needs="delegation",
    ),
}

# For each field a group may need: the condition of a message that has not chosen it.
UNCHOSEN = {"category": Q(category=""), "session": Q(session__isnull=True), "delegation": Q(delegation__isnull=True)}


def members(message):
    """The participants `message` goes to: its conference's, in its group, whose personal data are kept."""
    participants = message.conference.participants.filter(anonymized_at__isnull=True)
    return GROUPS[message.audience].members(participants, message).order_by("pk")


def constraint():
    """The database's check that a message has chosen what its group needs, and nothing else."""
    condition = Q()
    for choice, group in GROUPS.items():
        fits = Q(audience=choice)
        for field, unchosen in UNCHOSEN.items():
            fits &= ~unchosen if field == group.needs else unchosen
        condition |= fits
    return models.CheckConstraint(condition=condition, name="message_audience_chooses_what_it_needs")


def errors(message):
    """The form's errors for the group of `message`, by field: what it needs and what belongs to another conference."""
    group = GROUPS.get(message.audience)
    if group is None or not group.needs:
        return {}
    chosen = getattr(message, group.needs, None)
    if not chosen:
        return {group.needs: _("This audience needs one to be chosen.")}
    if message.conference_id and getattr(chosen, "conference_id", message.conference_id) != message.conference_id:
        return {group.needs: _("This is not part of the message's conference.")}
    return {}


def clear_unneeded(message):
    """Empty what another group needed (chosen, then the group changed), as the database's check wants."""
    needs = GROUPS[message.audience].needs if message.audience in GROUPS else ""
    for field in UNCHOSEN:
        if field != needs:
            setattr(message, field, message._meta.get_field(field).get_default())
