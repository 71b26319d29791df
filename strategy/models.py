from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Left
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _


class Pillar(models.Model):
    """One of the four pillars of the Plan of Action annexed to A/RES/60/288."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.TextField(_("official title"))
    short_name = models.CharField(_("short name"), max_length=80)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=4), name="pillar_number_1_to_4"),
        ]

    def __str__(self):
        return _("Pillar %(number)s: %(name)s") % {"number": self.number, "name": self.short_name}


class StrategyReviewQuerySet(models.QuerySet):
    def reviews(self):
        return self.filter(ordinal__gte=1)


class StrategyReview(models.Model):
    """A General Assembly resolution on the Strategy.

    Ordinal 0 is the adoption itself (A/RES/60/288, 2006); 1 and up are the
    reviews. Keeping both in one table lets the Strategy's timeline be one query.
    """

    ordinal = models.PositiveSmallIntegerField(
        _("ordinal"), unique=True, help_text=_("0 for the adoption of the Strategy, 1 for the first review, …")
    )
    resolution = models.CharField(
        _("resolution symbol"), max_length=40, unique=True, help_text=_("For example A/RES/75/291.")
    )
    adopted_on = models.DateField(_("adopted on"))
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    document_url = models.URLField(_("official document"), blank=True)

    objects = StrategyReviewQuerySet.as_manager()

    class Meta:
        ordering = ["ordinal"]
        verbose_name = _("Strategy resolution")
        verbose_name_plural = _("Strategy adoption and reviews")
        constraints = [
            # Left() and = rather than startswith: SQLite's LIKE ignores case.
            models.CheckConstraint(
                condition=Exact(Left("resolution", 6), Value("A/RES/")), name="review_resolution_symbol"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.resolution})"

    @property
    def is_adoption(self):
        return self.ordinal == 0
