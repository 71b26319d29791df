"""The registration app's models, one module per subject: participants (with accounts, seat requests
and emails), letters of invitation, delegations, and messages to participants."""

from registration.models.delegations import (
    DEFAULT_ORGANIZATION_PLACES,
    DEFAULT_PLACES,
    Delegation,
    DelegationMember,
    DelegationMemberQuerySet,
    FocalPoint,
    PlacesByCategory,
)
from registration.models.letters import LetterRequest, LetterStatus, new_letter_reference
from registration.models.messages import Message, MessageRecipient, MessageState
from registration.models.participants import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    REPRESENTS_STATE_OR_ORGANIZATION,
    Attendance,
    Category,
    OutgoingEmail,
    Participant,
    ParticipantQuerySet,
    SeatRequest,
    SeatRequestQuerySet,
    SeatStatus,
    Status,
    Title,
    User,
    new_reference,
    one_line,
)

__all__ = [
    "DEFAULT_ORGANIZATION_PLACES",
    "DEFAULT_PLACES",
    "REFERENCE_ALPHABET",
    "REFERENCE_LENGTH",
    "REPRESENTS_STATE_OR_ORGANIZATION",
    "Attendance",
    "Category",
    "Delegation",
    "DelegationMember",
    "DelegationMemberQuerySet",
    "FocalPoint",
    "LetterRequest",
    "LetterStatus",
    "Message",
    "MessageRecipient",
    "MessageState",
    "OutgoingEmail",
    "Participant",
    "ParticipantQuerySet",
    "PlacesByCategory",
    "SeatRequest",
    "SeatRequestQuerySet",
    "SeatStatus",
    "Status",
    "Title",
    "User",
    "new_letter_reference",
    "new_reference",
    "one_line",
]
