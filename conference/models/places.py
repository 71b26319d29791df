"""Where conferences take place: venues, rooms, and the time zones their programmes are given in."""

import functools
import zoneinfo

from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


def time_zone_choices():
    """IANA zones known to this machine; read at form time so migrations never depend on tzdata."""
    return sorted((name, name.replace("_", " ")) for name in zoneinfo.available_timezones())


def city_of_zone(name, language=None):
    """The city of an IANA zone as people say it in `language` (the active one by default):
    "America/New_York" is "New York", "纽约" in Chinese, "Нью-Йорк" in Russian."""
    return _city_in(name, to_locale(language or get_language() or settings.LANGUAGE_CODE))


@functools.lru_cache(maxsize=1024)
def _city_in(name, locale):
    # The exemplar cities of the Unicode CLDR, as Babel ships them; the city part of the IANA name
    # where CLDR has none for the zone or the language ("Etc/Unknown" is its name for those).
    try:
        city = get_timezone_location(name, locale=locale, return_city=True)
        unknown = Locale.parse(locale).time_zones.get("Etc/Unknown", {}).get("city")
    except (LookupError, ValueError, UnknownLocaleError):
        city = unknown = None
    return city if city and city != unknown else name.rsplit("/", 1)[-1].replace("_", " ")


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
