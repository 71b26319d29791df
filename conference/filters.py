"""Session filters that live in the URL (?day=&pillar=&kind=&access=), so a view can be shared.

Unknown or malformed values are ignored, and the page says so; they never cause an error.
"""

import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from conference.models import SessionKind
from strategy.models import Pillar

ACCESS_CHOICES = [
    ("", _("Any access")),
    ("open", _("Open (webcast)")),
    ("closed", _("Closed")),
    ("not_announced", _("Not announced")),
]
# The day choice that shows every day, even where a long programme opens on one day.
ALL_DAYS = "all"
# A session whose access the programme never gave is neither open nor closed.
ACCESS_FILTERS = {"open": {"is_open": True}, "closed": {"is_open": False}, "not_announced": {"is_open__isnull": True}}


class SessionFilterForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), required=False, empty_value=None)
    pillar = forms.ChoiceField(label=_("Pillar"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *SessionKind.choices])
    access = forms.ChoiceField(label=_("Access"), required=False, choices=ACCESS_CHOICES)

    def __init__(self, data, *, pillars, days=None):
        # Only the keys this form knows, so unrelated parameters (month, page) pass through;
        # a filter given twice is ambiguous, so it is ignored and named like any other.
        repeated = [key for key in self.base_fields if hasattr(data, "getlist") and len(data.getlist(key)) > 1]
        super().__init__({key: data.get(key) for key in self.base_fields if key in data and key not in repeated})
        self.fields["pillar"].choices = [("", _("All pillars"))] + [(p.slug, str(p)) for p in pillars]
        self.opens_on_default_day = False
        self.params = data
        self.others_not_understood = {}
        if days:
            self.fields["day"].choices = [(ALL_DAYS, _("All days"))] + [
                (d.isoformat(), f"{date_format(d, 'l')} {date_format(d, 'MONTH_DAY_FORMAT')}") for d in days
            ]
            self.fields["day"].coerce = _parse_day
        else:
            del self.fields["day"]
        self.is_valid()
        for key in repeated:
            if key in self.fields:
                self.add_error(key, _("Give one value only."))

    @property
    def ignored(self):
        """Labels of the filters whose values were not understood, and of the other parameters so named."""
        own = [str(self.fields[name].label) for name in self.fields if name in self.errors]
        return own + [str(label) for label in self.others_not_understood.values()]

    def not_understood(self, name, label):
        """Names parameter `name` (not a filter: the calendar's month) among those not understood, and
        leaves it out of the parameters the form carries on."""
        self.others_not_understood[name] = label

    @property
    def carried(self):
        """[(name, value)] of the parameters that are not filters, for the form to keep (a month, a page)."""
        return [
            (name, value)
            for name, value in self.params.items()
            if name not in self.fields and name not in self.others_not_understood
        ]

    @property
    def active(self):
        """The filters the visitor chose: not "all days", nor the day a long programme opens on."""
        active = {name: value for name, value in self.cleaned_data.items() if value not in (None, "", ALL_DAYS)}
        if self.opens_on_default_day:
            del active["day"]
        return active

    @property
    def shown_day(self):
        """The one day to show, or None for every day."""
        day = self.cleaned_data.get("day")
        return day if isinstance(day, datetime.date) else None

    @property
    def day_chosen(self):
        """Whether the visitor chose which day or days to see (a valid choice)."""
        return self.cleaned_data.get("day") is not None

    def open_on(self, day):
        """Show `day` where the visitor chose none, as the day selected in the form too."""
        self.cleaned_data["day"] = day
        self.data["day"] = day.isoformat()
        self.opens_on_default_day = True

    def apply(self, sessions):
        active = self.active
        if self.shown_day:
            sessions = sessions.filter(date=self.shown_day)
        if "pillar" in active:
            sessions = sessions.filter(pillars__slug=active["pillar"])
        if "kind" in active:
            sessions = sessions.filter(kind=active["kind"])
        if "access" in active:
            sessions = sessions.filter(**ACCESS_FILTERS[active["access"]])
        return sessions


def _parse_day(value):
    return value if value == ALL_DAYS else datetime.date.fromisoformat(value)


def all_pillars():
    return list(Pillar.objects.order_by("number"))
