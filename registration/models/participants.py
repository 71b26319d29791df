"""Accounts, and the registrations of people for conferences with their seat requests and emails."""

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

from conference.choices import Gender, choices_constraint
from conference.models import Conference, Session
from conference.states import MEMBER_STATES, OBSERVER_STATES, UnitedNationsStates
from registration.managers import UserManager
from registration.search import search_name
from registration.storage import document_path, photo_path, private_storage

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
