"""Sessions of a conference's programme and the people who speak in them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from conference.choices import Gender, choices_constraint
from conference.models.conferences import Conference, Format
from conference.models.places import Room
from strategy.models import Pillar


def held_online(room_id, online_url, conference_format):
    """Held online: a session with an online link, or of a virtual conference, and no room. Also for
    the lists, which read sessions as rows rather than instances."""
    return room_id is None and (bool(online_url) or conference_format == Format.VIRTUAL)


class SessionQuerySet(models.QuerySet):
    def published(self):
        """Sessions of published conferences: what the public pages and feeds show."""
        return self.filter(conference__is_published=True)

    def not_cancelled(self):
        return self.filter(is_cancelled=False)

    def timed(self):
        """Sessions whose start and end are announced."""
        return self.filter(starts_at__isnull=False, ends_at__isnull=False)

    def with_seat_limit(self):
        """Sessions that limit their seats, in the room or online: participants ask for a seat in them."""
        return self.exclude(seat_limit__isnull=True, online_seat_limit__isnull=True)


class SessionKind(models.TextChoices):
    OPENING = "opening", _("Opening session")
    HIGH_LEVEL = "high_level", _("High-level session")
    THEMATIC = "thematic", _("Thematic session")
    WEBINAR = "webinar", _("Webinar")
    INTERACTIVE = "interactive", _("Interactive discussion")
    SIDE_EVENT = "side_event", _("Side event")
    CLOSING = "closing", _("Closing session")
    OTHER = "other", _("Other")


class Session(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("conference")
    )
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.THEMATIC)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(
        _("day"),
        blank=True,
        help_text=_("The day in the conference's time zone; taken from the start time when one is given."),
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, help_text=_("Empty while not announced."))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions", verbose_name=_("room")
    )
    online_url = models.URLField(_("online meeting link"), blank=True)
    # Empty when the programme never said: only what was published is shown as open or closed.
    is_open = models.BooleanField(
        _("access"),
        null=True,
        blank=True,
        default=False,
        choices=[
            (True, _("Open (webcast)")),
            (False, _("Closed: registered participants only")),
            (None, _("Not announced")),
        ],
    )
    webcast_url = models.URLField(_("webcast link"), blank=True)
    pillars = models.ManyToManyField(Pillar, blank=True, related_name="sessions", verbose_name=_("pillars"))
    seat_limit = models.PositiveIntegerField(
        _("seats in the room"),
        null=True,
        blank=True,
        help_text=_("For participants attending in person; empty when every registered participant may attend."),
    )
    online_seat_limit = models.PositiveIntegerField(
        _("seats online"),
        null=True,
        blank=True,
        help_text=_("For participants attending online; empty when there is no limit."),
    )
    organizers = models.CharField(_("organized by"), max_length=500, blank=True)
    is_cancelled = models.BooleanField(
        _("cancelled"), default=False, help_text=_("A cancelled session stays listed, marked cancelled.")
    )
    # iCalendar's SEQUENCE: calendar apps replace their copy when it grows.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", F("starts_at").asc(nulls_last=True), "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["conference", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__isnull=False, ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(seat_limit__isnull=True) | Q(seat_limit__gte=1), name="session_seat_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(online_seat_limit__isnull=True) | Q(online_seat_limit__gte=1),
                name="session_online_seat_limit_positive",
            ),
            choices_constraint("kind", SessionKind, "session_kind_valid"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.starts_at and self.conference_id:
            self.date = self.starts_at.astimezone(self.conference.zone).date()
        if self.pk is not None and not self._state.adding:
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("conference:session", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if (self.starts_at is None) != (self.ends_at is None):
            errors["ends_at"] = _("Give both the start and the end, or neither while they are not announced.")
        elif self.starts_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A session ends after it starts.")
        elif self.starts_at is None and self.date is None:
            errors["date"] = _("Give the day, or the start and end times.")
        if self.conference_id and not errors:
            errors.update(self._clean_within_conference())
        if errors:
            raise ValidationError(errors)

    def _clean_within_conference(self):
        conference = self.conference
        day = self.starts_at.astimezone(conference.zone).date() if self.starts_at else self.date
        last_day = conference.end_date or day
        if day and not conference.start_date <= day <= last_day:
            return {
                "date" if not self.starts_at else "starts_at": _("The session must lie within the conference's dates.")
            }
        if self.ends_at and conference.ends_at and self.ends_at > conference.ends_at:
            return {"ends_at": _("The session must end by the conference's last day.")}
        return {}

    @property
    def time_announced(self):
        return self.starts_at is not None

    @property
    def is_online(self):
        return held_online(self.room_id, self.online_url, self.conference.format)

    def seat_limit_for(self, attendance):
        """The seat limit for participants attending "in_person" or "online"; None when unlimited."""
        return self.online_seat_limit if attendance == "online" else self.seat_limit


class SessionRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MODERATOR = "moderator", _("Moderator")
    SPEAKER = "speaker", _("Speaker")
    PANELLIST = "panellist", _("Panellist")


class SessionPerson(models.Model):
    """A person with a role (chair, moderator, speaker) in one session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="people", verbose_name=_("session"))
    role = models.CharField(_("role"), max_length=20, choices=SessionRole.choices, default=SessionRole.SPEAKER)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    function = models.CharField(_("function"), max_length=255, blank=True)
    organization = models.CharField(_("Member State or organization"), max_length=255, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, default=Gender.UNDISCLOSED)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("person in a session")
        verbose_name_plural = _("people in the session")
        constraints = [
            choices_constraint("role", SessionRole, "session_person_role_valid"),
            choices_constraint("gender", Gender, "session_person_gender_valid"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


# Feeds and pages are cached by the version of their sessions (their latest updated_at):
# renaming a room or a pillar changes what those sessions show, so it touches them too.


@receiver(post_save, sender=Room, dispatch_uid="conference_room_saved_touches_sessions")
def _room_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        Session.objects.filter(room=instance).update(updated_at=timezone.now())


@receiver(post_save, sender=Pillar, dispatch_uid="conference_pillar_saved_touches_sessions")
def _pillar_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        Session.objects.filter(pillars=instance).update(updated_at=timezone.now())


@receiver(m2m_changed, sender=Session.pillars.through, dispatch_uid="conference_session_pillars_touch_sessions")
def _pillars_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A session's pillars are part of what it shows: changing them alone touches the session too."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        sessions = Session.objects.filter(pk=instance.pk)
    elif action == "pre_clear":  # the pillar's sessions, while they are still linked
        sessions = Session.objects.filter(pillars=instance)
    else:
        sessions = Session.objects.filter(pk__in=pk_set)
    sessions.update(updated_at=timezone.now())
