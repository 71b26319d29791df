"""Delegations: the people a State or an organization sends to a conference, nominated by its focal
points within the places the Secretariat gives it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conference.choices import choices_constraint
from conference.models import Conference
from conference.states import UnitedNationsStates
from registration.models.participants import REPRESENTS_STATE_OR_ORGANIZATION, Attendance, Category, Participant
from registration.storage import note_verbale_path, private_storage

# Places a delegation gets unless the Secretariat sets others for the conference's category
# (PlacesByCategory) or for the delegation: a head of delegation and four members for a State.
DEFAULT_PLACES = {Category.MEMBER_STATE: (5, 5), Category.OBSERVER_STATE: (5, 5)}
DEFAULT_ORGANIZATION_PLACES = (2, 3)


class PlacesByCategory(models.Model):
    """The places (in person, online) each new delegation of one category gets at one conference."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="places_by_category", verbose_name=_("conference")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    in_person = models.PositiveSmallIntegerField(_("places in person"))
    online = models.PositiveSmallIntegerField(_("places online"))

    class Meta:
        ordering = ["conference", "category"]
        verbose_name = _("places of a category")
        verbose_name_plural = _("places by category")
        constraints = [
            models.UniqueConstraint(fields=["conference", "category"], name="places_once_per_category"),
            choices_constraint("category", Category, "places_category_valid"),
        ]

    def __str__(self):
        return f"{self.conference}: {self.get_category_display()}"

    @staticmethod
    def for_category(conference, category):
        """(in person, online) places of a new delegation of `category` at `conference`."""
        chosen = PlacesByCategory.objects.filter(conference=conference, category=category).first()
        if chosen is not None:
            return chosen.in_person, chosen.online
        return DEFAULT_PLACES.get(category, DEFAULT_ORGANIZATION_PLACES)


class DelegationQuerySet(models.QuerySet):
    def with_places_used(self):
        """Each delegation with the places its members (not withdrawn) use: `used_in_person`, `used_online`."""
        active = Q(members__withdrawn_at__isnull=True)
        return self.annotate(
            used_in_person=models.Count("members", filter=active & Q(members__attendance=Attendance.IN_PERSON)),
            used_online=models.Count("members", filter=active & Q(members__attendance=Attendance.ONLINE)),
        )

    def in_name_order(self):
        return self.order_by(*name_order())


def name_order():
    """Delegations by conference (the latest first), category (in the order of `Category`), then name in
    the active language: a State's code says nothing of where its name falls ("DE", Germany, before
    "DZ", Algeria)."""
    states = Delegation._meta.get_field("represented_country").countries  # in name order, in this language
    return [
        "-conference__start_date",
        "conference_id",
        _position("category", Category.values),
        _position("represented_country", [code for code, _name in states]),
        Lower("organization"),
        "pk",
    ]


def _position(field, values):
    """Where `field`'s value comes in `values`, for ordering by it."""
    whens = (models.When(**{field: value}, then=position) for position, value in enumerate(values))
    return models.Case(*whens, output_field=models.IntegerField()).asc()


class Delegation(models.Model):
    """One State's or organization's delegation to one conference."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="delegations", verbose_name=_("conference")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    represented_country = CountryField(
        _("Member State or Observer State represented"), countries=UnitedNationsStates, blank=True
    )
    organization = models.CharField(_("organization represented"), max_length=255, blank=True)
    places_in_person = models.PositiveSmallIntegerField(_("places in person"))
    places_online = models.PositiveSmallIntegerField(_("places online"))
    note_verbale = models.FileField(_("note verbale"), storage=private_storage, upload_to=note_verbale_path, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["conference", "represented_country", "organization", "pk"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "represented_country"],
                condition=Q(category__in=Category.state_categories()),
                name="one_delegation_per_state",
                violation_error_message=_("This State already has a delegation to this conference."),
            ),
            models.UniqueConstraint(
                Lower("organization"),
                "conference",
                condition=~Q(category__in=Category.state_categories()),
                name="one_delegation_per_organization",
                violation_error_message=_("This organization already has a delegation to this conference."),
            ),
            models.CheckConstraint(
                condition=REPRESENTS_STATE_OR_ORGANIZATION,
                name="delegation_represents_state_or_organization",
                violation_error_message=_(
                    "A Member State delegation represents a Member State of the United Nations, an Observer "
                    "State delegation the Holy See or the State of Palestine, and any other delegation an "
                    "organization."
                ),
            ),
            choices_constraint("category", Category, "delegation_category_valid"),
        ]

    def __str__(self):
        return self.represents

    @property
    def represents(self):
        if self.category in Category.state_categories():
            return self.represented_country.name
        return self.organization

    def places_for(self, attendance):
        return self.places_in_person if attendance == Attendance.IN_PERSON else self.places_online

    def clean(self):
        # Places are given, not taken back: a member already nominated keeps theirs.
        if self.pk is None:
            return
        nominated = dict(self.members.active().order_by().values_list("attendance").annotate(count=models.Count("pk")))
        fewer = {
            Attendance.IN_PERSON: (
                "places_in_person",
                _("Fewer than the members nominated to attend in person (%(count)s)."),
            ),
            Attendance.ONLINE: ("places_online", _("Fewer than the members nominated to attend online (%(count)s).")),
        }
        errors = {}
        for attendance, (field, message) in fewer.items():
            places, count = getattr(self, field), nominated.get(attendance, 0)
            if places is not None and places < count:
                errors[field] = message % {"count": count}
        if errors:
            raise ValidationError(errors)


class FocalPoint(models.Model):
    """Someone a delegation's State or organization named to nominate its members. Designated by
    email: the account with that (verified) address, once there is one, acts for the delegation."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="focal_points", verbose_name=_("delegation")
    )
    email = models.EmailField(_("email"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focal_points",
        verbose_name=_("account"),
    )
    language = models.CharField(
        _("language of emails"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    created_at = models.DateTimeField(_("designated at"), auto_now_add=True)

    class Meta:
        ordering = ["delegation", "email"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "delegation",
                name="focal_point_once_per_delegation",
                violation_error_message=_("This person is already a focal point of this delegation."),
            )
        ]

    def __str__(self):
        return self.email


class DelegationMemberQuerySet(models.QuerySet):
    def active(self):
        """Members who hold a place: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class DelegationMember(models.Model):
    """A person a focal point nominated. Their registration (a Participant) follows once their
    details are complete, entered by themselves from the invitation or by the focal point."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="members", verbose_name=_("delegation")
    )
    # Empty only once the personal data are removed after the retention period.
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    email = models.EmailField(_("email"))
    function = models.CharField(_("function"), max_length=255)
    attendance = models.CharField(_("attendance"), max_length=20, choices=Attendance.choices)
    is_head = models.BooleanField(_("head of delegation"), default=False)
    language = models.CharField(
        _("language of emails"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    participant = models.OneToOneField(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegation_member",
        verbose_name=_("registration"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    anonymized_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DelegationMemberQuerySet.as_manager()

    class Meta:
        ordering = ["delegation", "-is_head", "position", "pk"]
        verbose_name = _("member of a delegation")
        verbose_name_plural = _("members of delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(is_head=True, withdrawn_at__isnull=True),
                name="one_head_per_delegation",
                violation_error_message=_("A delegation has one head."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "delegation",
                condition=Q(withdrawn_at__isnull=True, anonymized_at__isnull=True),
                name="member_once_per_delegation",
                violation_error_message=_("This person is already a member of the delegation."),
            ),
            choices_constraint("attendance", Attendance, "member_attendance_valid"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"
