import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from modeltranslation.utils import build_localized_fieldname

from conference.choices import Gender, choices_constraint
from conference.models import Conference, Session
from conference.states import MEMBER_STATES, OBSERVER_STATES, UnitedNationsStates
from registration.audience import Audience, clear_unneeded
from registration.audience import constraint as audience_constraint
from registration.audience import errors as audience_errors
from registration.managers import UserManager
from registration.search import search_name
from registration.storage import document_path, note_verbale_path, photo_path, private_storage

# No 0/O, 1/I/L or U: a reference is read aloud at the check-in desk.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
REFERENCE_LENGTH = 10


# A line break in a subject would end the email's Subject header.
one_line = RegexValidator(r"[\r\n]", inverse_match=True, message=_("A subject is one line."))


def new_reference():
    """A reference nobody can guess: 30**10 (about 6 * 10**14) possibilities."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class User(AbstractUser):
    """An account: the email address is the login, and one address (in any case) has one account."""

    username = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            # The manager stores addresses in lower case; this holds even for a row written another way.
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.email


class Title(models.TextChoices):
    """The form of address; "H.E." is not one of them but is given beside it (see `excellency`)."""

    MR = "mr", _("Mr.")
    MS = "ms", _("Ms.")
    MX = "mx", _("Mx.")
    DR = "dr", _("Dr.")
    PROF = "prof", _("Prof.")


class Category(models.TextChoices):
    MEMBER_STATE = "member_state", _("Member State")
    OBSERVER_STATE = "observer_state", _("Observer State")
    UN_ENTITY = "un_entity", _("United Nations entity")
    INTERNATIONAL_ORGANIZATION = "igo", _("International or regional organization")
    CIVIL_SOCIETY = "civil_society", _("Civil society organization")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    MEDIA = "media", _("Media")

    @classmethod
    def state_categories(cls):
        """Categories that represent a State rather than an organization."""
        return [cls.MEMBER_STATE, cls.OBSERVER_STATE]


# A Member State of the United Nations for that category, the Holy See or the State of Palestine
# for Observer States (conference/states.py); an organization for the rest.
REPRESENTS_STATE_OR_ORGANIZATION = (
    Q(category=Category.MEMBER_STATE, represented_country__in=sorted(MEMBER_STATES))
    | Q(category=Category.OBSERVER_STATE, represented_country__in=sorted(OBSERVER_STATES))
    | (~Q(category__in=Category.state_categories()) & Q(organization__gt=""))
)


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("On the waiting list")
    REJECTED = "rejected", _("Not approved")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def decided(cls):
        """Statuses that only the secretariat sets, and so carry who decided and when."""
        return [cls.APPROVED, cls.WAITLISTED, cls.REJECTED]


class ParticipantQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(), where the name to search is made.
        objs = list(objs)
        for participant in objs:
            participant.fill_search_name()
        return super().bulk_create(objs, *args, **kwargs)

    def approved(self):
        return self.filter(status=Status.APPROVED)

    def waiting_in_line(self):
        """Participants on the waiting list, who waited longest first."""
        return self.filter(status=Status.WAITLISTED).order_by("waitlisted_at", "pk")

    def holding_a_seat_in(self, session_id):
        return self.filter(seat_requests__session_id=session_id, seat_requests__status=SeatStatus.HELD)


class Participant(models.Model):
    """The registration of one person for one conference."""

    # Empty only once the personal data are removed after the retention period.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("account"),
    )
    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="participants", verbose_name=_("conference")
    )
    reference = models.CharField(_("reference"), max_length=16, unique=True, default=new_reference, editable=False)
    title = models.CharField(
        pgettext_lazy("form of address", "title"), max_length=10, choices=Title.choices, blank=True
    )
    # Heads of State or Government, ministers, ambassadors: "H.E. Ms. Amina Diallo", as protocol writes it.
    excellency = models.BooleanField(
        _("His or Her Excellency (H.E.)"),
        default=False,
        help_text=_("For ministers, ambassadors and others addressed as His or Her Excellency."),
    )
    given_name = models.CharField(_("given name"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150)
    # The names folded for searching (see registration/search.py), made on every save.
    search_name = models.TextField(_("name for searching"), blank=True, editable=False)
    email = models.EmailField(_("email"))
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices)
    nationality = CountryField(_("nationality"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    represented_country = CountryField(
        _("Member State or Observer State represented"), countries=UnitedNationsStates, blank=True
    )
    organization = models.CharField(_("organization represented"), max_length=255, blank=True)
    function = models.CharField(_("function"), max_length=255)
    attendance = models.CharField(_("attendance"), max_length=20, choices=Attendance.choices)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    nomination_document = models.FileField(
        _("nomination document"), storage=private_storage, upload_to=document_path, blank=True
    )
    photo = models.ImageField(_("photo for the badge"), storage=private_storage, upload_to=photo_path, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    data_consent_at = models.DateTimeField(_("consented to data processing at"))
    public_list_consent_at = models.DateTimeField(_("consented to the public list at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_message = models.TextField(_("message with the decision"), blank=True)
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    anonymized_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        permissions = [("check_in_participant", _("Can look participants up and check them in"))]
        indexes = [models.Index(fields=["conference", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "conference"], name="one_registration_per_person"),
            # A Member State of the United Nations for that category, the Holy See or the State
            # of Palestine for Observer States (conference/states.py); an organization for the rest.
            models.CheckConstraint(
                condition=REPRESENTS_STATE_OR_ORGANIZATION,
                name="participant_represents_state_or_organization",
                violation_error_message=_(
                    "A Member State participant represents a Member State of the United Nations, an Observer "
                    "State participant the Holy See or the State of Palestine, and any other participant an "
                    "organization."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=Status.decided()) | Q(decided_at__isnull=False),
                name="participant_decision_recorded",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status=Status.APPROVED),
                name="participant_checked_in_only_if_approved",
            ),
            choices_constraint("status", Status, "participant_status_valid"),
            choices_constraint("category", Category, "participant_category_valid"),
            choices_constraint("attendance", Attendance, "participant_attendance_valid"),
            choices_constraint("gender", Gender, "participant_gender_valid"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.reference})"

    def save(self, *args, **kwargs):
        self.fill_search_name()
        if kwargs.get("update_fields") is not None and {"given_name", "family_name"} & {*kwargs["update_fields"]}:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("registration:detail", kwargs={"reference": self.reference})

    def fill_search_name(self):
        # Made from the names, it is personal data too: it goes with them (see secretariat.services.anonymize).
        self.search_name = "" if self.anonymized_at else search_name(self.given_name, self.family_name)

    def clean(self):
        # The database refuses it too (participant_checked_in_only_if_approved); say so on the form first.
        if self.checked_in_at and self.status != Status.APPROVED:
            raise ValidationError({"checked_in_at": _("Only an approved participant can be checked in.")})

    @property
    def letter(self):
        """The request for a letter of invitation, or None before the participant asks."""
        return getattr(self, "letter_request", None)

    @property
    def can_cancel(self):
        return self.status in (Status.PENDING, Status.APPROVED, Status.WAITLISTED)

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def form_of_address(self):
        """ "H.E. Ms.", "Dr.", "H.E." or "": what protocol writes before the name."""
        parts = [str(_("H.E.")) if self.excellency else "", self.get_title_display() if self.title else ""]
        return " ".join(part for part in parts if part)

    @property
    def represents(self):
        """The Member State or organization, as printed on a badge."""
        if self.category in Category.state_categories():
            return self.represented_country.name
        return self.organization


class SeatStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    HELD = "held", _("Seat held")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SeatRequestQuerySet(models.QuerySet):
    def held(self):
        return self.filter(status=SeatStatus.HELD)

    def waiting_in_line(self):
        """Requests on a session's waiting list, longest waiting first."""
        return self.filter(status=SeatStatus.WAITLISTED).order_by("waitlisted_at", "pk")


class SeatRequest(models.Model):
    """A participant's request for a seat in a session with a seat limit."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="seat_requests", verbose_name=_("participant")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="seat_requests", verbose_name=_("session")
    )
    status = models.CharField(_("status"), max_length=20, choices=SeatStatus.choices, default=SeatStatus.PENDING)
    waitlisted_at = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("attended (checked in) at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SeatRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("session seat request")
        verbose_name_plural = _("session seat requests")
        constraints = [
            models.UniqueConstraint(fields=["participant", "session"], name="one_seat_request_per_session"),
            choices_constraint("status", SeatStatus, "seat_request_status_valid"),
        ]

    def __str__(self):
        return f"{self.participant.full_name}: {self.session}"


class LetterStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued")
    DECLINED = "declined", _("Declined")


def new_letter_reference(conference):
    """ "LOI-2031-7KD3M9PQ": the conference's year, then a part nobody can guess."""
    return f"LOI-{conference.start_date.year}-{new_reference()[:8]}"


class LetterRequest(models.Model):
    """A participant's request for a letter of invitation supporting a visa application, and the letter
    once issued. The passport data are for the letter alone: they go with the participant's other personal
    data after the retention period (see secretariat.services.anonymize)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="letter_request", verbose_name=_("participant")
    )
    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    passport_name = models.CharField(_("name as in the passport"), max_length=200)
    nationality = CountryField(_("nationality"))
    passport_number = models.CharField(_("passport number"), max_length=20)
    passport_expires_on = models.DateField(_("passport valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued or declined by"),
    )
    decided_at = models.DateTimeField(_("issued or declined at"), null=True, blank=True)
    decision_message = models.TextField(_("message with the decision"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("letter of invitation")
        verbose_name_plural = _("letters of invitation")
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=LetterStatus.REQUESTED) | Q(decided_at__isnull=False),
                name="letter_decision_recorded",
            ),
            choices_constraint("status", LetterStatus, "letter_status_valid"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_valid(self):
        """Issued, for a participant still approved: a letter of a withdrawn registration invites nobody."""
        return self.status == LetterStatus.ISSUED and self.participant.status == Status.APPROVED


class OutgoingEmail(models.Model):
    """Every email the site sends, kept so that a failed one can be seen and sent again."""

    class Delivery(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = pgettext_lazy("message", "email")
        verbose_name_plural = _("emails")
        indexes = [models.Index(fields=["delivery"])]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    @property
    def is_account_email(self):
        """allauth's emails (confirmations, password resets), whose kind is their template's path."""
        return "/" in self.kind


# Delegations: the people a State or an organization sends to a conference, nominated by its focal
# points within the places the Secretariat gives it.

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


class MessageState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")


class Message(models.Model):
    """A message from the Secretariat to a group of a conference's participants (see registration/audience.py).

    Its subject and body are kept per language (registration/translation.py); the English ones are
    the common text, which readers of a language the message has no text in receive."""

    State = MessageState

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="messages", verbose_name=_("conference")
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.APPROVED)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, blank=True, help_text=_("For one category only.")
    )
    # Kept while a message names it: its audience needs it (message_audience_chooses_what_it_needs).
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("session"),
        help_text=_("For a session with limited seats only: those holding a seat in it."),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delegation"),
        help_text=_("For one delegation only: its approved members."),
    )
    subject = models.CharField(_("subject"), max_length=200, validators=[one_line])
    body = models.TextField(_("message"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")
        constraints = [
            audience_constraint(),
            choices_constraint("audience", Audience, "message_audience_valid"),
            choices_constraint("state", MessageState, "message_state_valid"),
            models.CheckConstraint(
                condition=Q(state=MessageState.DRAFT) | Q(sent_at__isnull=False), name="message_sent_has_sent_at"
            ),
        ]

    def __str__(self):
        return self.subject

    def clean(self):
        clear_unneeded(self)
        problems = audience_errors(self)
        for language, _name in settings.LANGUAGES:
            subject, body = self.text_in(language)
            if bool(subject) != bool(body):
                field = "body" if subject else "subject"
                problems[build_localized_fieldname(field, language)] = _(
                    "A subject and a message go together: write both in this language, or neither."
                )
        if problems:
            raise ValidationError(problems)

    def text_in(self, language):
        """(subject, body) as written in `language`; empty where the message has none in it."""
        return tuple(getattr(self, build_localized_fieldname(field, language)) or "" for field in ("subject", "body"))

    def language_for(self, language):
        """The language of the text a reader of `language` receives: theirs if written, else the common text's."""
        if language in dict(settings.LANGUAGES) and self.text_in(language)[1]:
            return language
        return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


class MessageRecipient(models.Model):
    """One participant's copy of a message: the email it went out as, and the language of its text.

    Made for each member of the audience when staff send the message; its email once the task worker
    has written it. Whether it reached them is the email's delivery."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="recipients", verbose_name=_("message"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="messages_received", verbose_name=_("participant")
    )
    # An email deleted (with the personal data, after the retention period) takes its record along.
    email = models.OneToOneField(
        OutgoingEmail,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_recipient",
        verbose_name=pgettext_lazy("message", "email"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recipient of a message")
        verbose_name_plural = _("recipients of a message")
        constraints = [
            models.UniqueConstraint(fields=["message", "participant"], name="message_sent_once_per_participant"),
        ]

    def __str__(self):
        return f"{self.message}: {self.participant}"

    @property
    def status(self):
        """Waiting for its email to be written, then the email's delivery: queued, sent or failed."""
        return self.email.delivery if self.email_id else "waiting"

    @property
    def text(self):
        """(subject, body) as this participant received them, or will once their email is written."""
        return self.message.text_in(self.language or self.message.language_for(self.participant.language))
