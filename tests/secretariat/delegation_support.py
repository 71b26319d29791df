"""Members of delegations for the Secretariat's tests, registered or not."""

from django.utils import timezone

from registration.models import Status
from tests import factories


def member(delegation, given_name, family_name, *, status=None, gender="female", listed=True, **fields):
    """A member of `delegation`; with `status`, their registration in that status (attending as nominated)."""
    if status is not None:
        decided_at = None if status == Status.PENDING else timezone.now()
        fields["participant"] = factories.ParticipantFactory(
            conference=delegation.conference,
            given_name=given_name,
            family_name=family_name,
            gender=gender,
            category=delegation.category,
            represented_country=delegation.represented_country,
            organization=delegation.organization,
            status=status,
            attendance=fields.get("attendance", "in_person"),
            decided_at=decided_at,
            waitlisted_at=decided_at if status == Status.WAITLISTED else None,
            public_list_consent_at=timezone.now() if listed else None,
        )
    return factories.DelegationMemberFactory(
        delegation=delegation, given_name=given_name, family_name=family_name, **fields
    )
