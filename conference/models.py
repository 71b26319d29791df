import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import CountryField

from conference.choices import Gender, choices_constraint
from strategy.models import Pillar, StrategyReview


def time_zone_choices():
    """IANA zones known to this machine; read at form time so migrations never depend on tzdata."""
    return sorted((name, name.replace("_", " ")) for name in zoneinfo.available_timezones())


def city_of_zone(name):
    """The city part of an IANA zone name, as people say it: "America/New_York" is "New York"."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("%(zone)s is not a known time zone."), params={"zone": value}) from None


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return f"{self.name}, {self.city}" if self.city else self.name


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("venue"))
    name = models.CharField(_("name"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        ordering = ["venue__name", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="room_unique_per_venue")]

    def __str__(self):
        return self.name


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


class ConferenceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def _ends_before(self, moment):
        # A conference whose last day is not announced is taken to end on its first day.
        return Q(ends_at__lt=moment) | Q(ends_at__isnull=True, starts_at__lt=moment - datetime.timedelta(days=1))

    def upcoming(self, moment=None):
        """Conferences not yet over (ongoing or to come), soonest first."""
        return self.exclude(self._ends_before(moment or timezone.now())).order_by("starts_at")

    def past(self, moment=None):
        return self.filter(self._ends_before(moment or timezone.now())).order_by("-starts_at")


class Conference(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not published")
        UPCOMING = "upcoming", _("Upcoming")
        ONGOING = "ongoing", _("Taking place now")
        PAST = "past", _("Past")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    edition = models.PositiveSmallIntegerField(
        _("edition"), null=True, blank=True, help_text=_("1 for the First High-Level Conference, and so on.")
    )
    theme = models.TextField(_("theme"), blank=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"), null=True, blank=True, help_text=_("Empty while not announced."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
        help_text=_("IANA name, such as America/New_York for UN Headquarters."),
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="conferences", verbose_name=_("venue")
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    strategy_review = models.ForeignKey(
        StrategyReview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conferences",
        verbose_name=_("Strategy review of its week"),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity_in_person = models.PositiveIntegerField(_("seats in person"), null=True, blank=True)
    capacity_online = models.PositiveIntegerField(_("seats online"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    publish_participant_list = models.BooleanField(
        _("publish the list of participants"),
        default=False,
        help_text=_("Shows the public list (approved participants who consented) on the conference's page."),
    )
    retention_days = models.PositiveIntegerField(
        _("keep personal data for (days)"),
        default=365,
        help_text=_("After the conference's last day; then participants' personal data are removed."),
    )
    is_sample = models.BooleanField(
        _("sample data"), default=False, help_text=_("Generated for demonstration; not a real event.")
    )
    # The first and last local days as UTC instants, derived in save(). The
    # database compares session times against them (see the migration's triggers).
    starts_at = models.DateTimeField(_("starts at (UTC)"), editable=False)
    ends_at = models.DateTimeField(_("ends at (UTC)"), null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="conference_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="conference_registration_window_ordered",
            ),
            choices_constraint("format", Format, "conference_format_valid"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.set_time_bounds()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "starts_at", "ends_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("conference:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.pk and self.start_date and self.time_zone in zoneinfo.available_timezones():
            self.set_time_bounds()
            outside = self.sessions_outside_dates().count()
            if outside:
                raise ValidationError(
                    ngettext(
                        "%(count)d session would fall outside these dates; move it first.",
                        "%(count)d sessions would fall outside these dates; move them first.",
                        outside,
                    ),
                    params={"count": outside},
                )

    def sessions_outside_dates(self):
        """Saved sessions that the current (possibly unsaved) dates would leave outside."""
        outside = Q(date__lt=self.start_date) | Q(starts_at__lt=self.starts_at)
        if self.end_date:
            outside |= Q(date__gt=self.end_date) | Q(ends_at__gt=self.ends_at)
        return Session.objects.filter(conference=self).filter(outside)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def zone_city(self):
        """The city part of the IANA name, as people say it: "New York"."""
        return city_of_zone(self.time_zone)

    def local_midnight(self, day):
        return datetime.datetime.combine(day, datetime.time.min, tzinfo=self.zone)

    def set_time_bounds(self):
        self.starts_at = self.local_midnight(self.start_date)
        self.ends_at = self.local_midnight(self.end_date + datetime.timedelta(days=1)) if self.end_date else None

    @property
    def status(self):
        if not self.is_published:
            return self.Status.DRAFT
        today = timezone.now().astimezone(self.zone).date()
        if today < self.start_date:
            return self.Status.UPCOMING
        if today <= self.last_day:
            return self.Status.ONGOING
        return self.Status.PAST

    @property
    def status_label(self):
        return self.Status(self.status).label

    @property
    def allows_in_person(self):
        return self.format in (Format.IN_PERSON, Format.HYBRID)

    @property
    def allows_online(self):
        return self.format in (Format.VIRTUAL, Format.HYBRID)

    def capacity_for(self, attendance):
        """The conference's limit for "in_person" or "online" participants; None when unlimited."""
        return self.capacity_online if attendance == "online" else self.capacity_in_person

    @property
    def registration_closes(self):
        """When registration closes: as set, or else when the conference starts."""
        return self.registration_closes_at or self.starts_at

    @property
    def registration_is_open(self):
        now = timezone.now()
        opened = self.registration_opens_at is not None and self.registration_opens_at <= now
        return self.is_published and opened and now < self.registration_closes

    @property
    def last_day(self):
        return self.end_date or self.start_date

    @property
    def personal_data_expires_on(self):
        return self.last_day + datetime.timedelta(days=self.retention_days)

    @property
    def has_started(self):
        return timezone.now() >= self.starts_at

    @property
    def is_multi_day(self):
        return self.end_date is not None and self.end_date != self.start_date


class ResourceKind(models.TextChoices):
    REPORT = "report", _("Report")
    CONCEPT_NOTE = "concept_note", _("Concept note")
    PROGRAMME = "programme", _("Programme")
    STATEMENT = "statement", _("Statement")
    OTHER = "other", _("Other document")


class Resource(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="resources", verbose_name=_("conference")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices, default=ResourceKind.OTHER)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="resources/", blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [choices_constraint("kind", ResourceKind, "resource_kind_valid")]

    def __str__(self):
        return self.title

    @property
    def link(self):
        return self.file.url if self.file else self.url


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
    is_open = models.BooleanField(
        _("open (webcast)"), default=False, help_text=_("Closed sessions are for registered participants only.")
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
        """Held online: it has an online link, or its conference is virtual, and no room."""
        return self.room_id is None and (bool(self.online_url) or self.conference.format == Format.VIRTUAL)

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
    name = models.CharField(_("name"), max_length=200)
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
