"""Conferences and the documents that go with them."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from conference.choices import choices_constraint
from conference.models.places import Venue, city_of_zone, validate_time_zone
from strategy.models import StrategyReview


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
        return self.sessions.filter(outside)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def zone_city(self):
        """The city of the zone in the active language: "New York", "Nueva York"."""
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
    def registration_phase(self):
        """Where registration stands, for the page that says so: "open", "not_yet_open", "closed", or
        "not_announced" (no opening set and the conference still ahead; once it started, "closed")."""
        now = timezone.now()
        if self.registration_opens_at is None:
            return "closed" if now >= self.starts_at else "not_announced"
        if now < self.registration_opens_at:
            return "not_yet_open"
        return "open" if now < self.registration_closes else "closed"

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


def validate_upload_size(upload):
    """Refuse a file past UPLOAD_MAX_BYTES (whose content the upload handler dropped)."""
    from django.template.defaultfilters import filesizeformat

    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )


class Resource(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="resources", verbose_name=_("conference")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices, default=ResourceKind.OTHER)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="resources/", blank=True, validators=[validate_upload_size])
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
