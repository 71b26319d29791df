"""The list of participants as the United Nations publishes it after a conference.

Categories in the order of `Category`; in each, the Member States (by country name) or the
organizations, alphabetically; under each, the members of its delegation first (the head of
delegation, then the others in the order its focal points gave), then anyone else representing it,
by family name. One query.
"""

import unicodedata
from dataclasses import dataclass, field

from django.contrib.staticfiles import finders
from django.db.models import F
from django.template.loader import render_to_string

from registration.models import Category, Participant

PERSON_FIELDS = [
    "title",
    "excellency",
    "given_name",
    "family_name",
    "function",
    "category",
    "represented_country",
    "organization",
    "public_list_consent_at",
]


@dataclass
class Delegation:
    """A Member State or organization, with its people."""

    name: str
    people: list = field(default_factory=list)


@dataclass
class CategoryGroup:
    category: str
    label: str
    delegations: list

    @property
    def count(self):
        return sum(len(delegation.people) for delegation in self.delegations)


def sort_key(text):
    """Alphabetical order for names in any script: accents and case set aside ("Éva" with "Eva")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def listed_participants(conference, *, public):
    """The approved participants of `conference`; for the public list only those who consented."""
    participants = Participant.objects.approved().filter(conference=conference)
    if public:
        participants = participants.filter(public_list_consent_at__isnull=False)
    return (
        participants.only(*PERSON_FIELDS)
        .annotate(
            member_pk=F("delegation_member__pk"),
            member_withdrawn_at=F("delegation_member__withdrawn_at"),
            member_is_head=F("delegation_member__is_head"),
            member_position=F("delegation_member__position"),
        )
        .order_by()
    )


def participant_groups(conference, *, public):
    """[CategoryGroup], each with its [Delegation], each with its people (Participant): one query."""
    delegations = {}
    for person in listed_participants(conference, public=public):
        person.in_delegation = person.member_pk is not None and person.member_withdrawn_at is None
        person.heads_delegation = person.in_delegation and person.member_is_head
        name = " ".join(person.represents.split())
        delegation = delegations.setdefault((person.category, sort_key(name)), Delegation(name))
        delegation.people.append(person)
    groups = []
    for category in Category:
        members = sorted(
            (delegation for (kind, _key), delegation in delegations.items() if kind == category),
            key=lambda delegation: (sort_key(delegation.name), delegation.name),
        )
        for delegation in members:
            delegation.people.sort(key=_person_order)
        if members:
            groups.append(CategoryGroup(category.value, category.label, members))
    return groups


def _person_order(person):
    if person.in_delegation:
        return (0, not person.member_is_head, person.member_position, person.member_pk)
    return (1, sort_key(person.family_name), sort_key(person.given_name), person.family_name, person.given_name)


def render_participant_list_pdf(conference, groups, *, public=True):
    """The list as a tagged (accessible) A4 PDF, from the template of the printable page."""
    from weasyprint import CSS, HTML  # imported here: only PDF downloads need it

    html = render_to_string(
        "secretariat/participant_list.html",
        {"conference": conference, "groups": groups, "public": public, "for_pdf": True},
    )
    stylesheet = CSS(filename=finders.find("css/print.css"))
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], pdf_tags=True)
