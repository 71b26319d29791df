"""Letters of invitation for visas, asked for by participants and issued by the Secretariat."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from conference.choices import choices_constraint
from registration.models.participants import Participant, Status, new_reference


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
