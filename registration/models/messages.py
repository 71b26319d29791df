"""Messages from the Secretariat to a group of a conference's participants."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.utils import build_localized_fieldname

from conference.choices import choices_constraint
from conference.models import Conference, Session
from registration.audience import Audience, clear_unneeded
from registration.audience import constraint as audience_constraint
from registration.audience import errors as audience_errors
from registration.models.delegations import Delegation
from registration.models.participants import Category, OutgoingEmail, Participant, one_line


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
