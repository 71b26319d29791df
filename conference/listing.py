"""Sessions as the public lists show them (the agenda, the list and month calendars, a pillar's
page): every display value prepared in Python from three flat queries, and each session's list item
written here, once, as the Django admin writes its result rows.

A programme runs to thousands of sessions. Model instances, and a template include with its own
time zone block per session, cost about half a millisecond a session; a row here costs a few
microseconds. Texts fall back to English where a language has none, marked as English
(conference/fallback.py), as the model's own pages show them.
"""

import functools
from html import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from conference.fallback import FALLBACK_ATTRIBUTES, english_attributes
from conference.models import Session as SessionModel
from conference.models import SessionKind, SessionPerson, SessionRole
from conference.models.sessions import held_online

# Fits a key and a slug, and no real one is this: each row's own replaces it.
URL_PLACEHOLDER = "2147483647"


class Row:
    """One session of a list. Its markup is written when a page asks for it: the month's cells
    need only the start and the title."""

    __slots__ = ("page", "value")

    def __init__(self, value, page):
        self.value, self.page = value, page

    @property
    def pk(self):
        return self.value["pk"]

    @property
    def date(self):
        return self.value["date"]

    @property
    def conference_id(self):
        return self.value["conference_id"]

    @property
    def time_zone(self):
        return self.value["conference__time_zone"]

    @property
    def conference_start(self):
        return self.value["conference__start_date"]

    @property
    def conference_title(self):
        return _marked(*self.page.text(self.value, "conference__title"))

    @property
    def conference_url(self):
        return self.page.conference_url.format(self.value["conference__slug"])

    @property
    def url(self):
        return self.page.session_url.format(self.pk)

    @property
    def title(self):
        return _marked(*self.page.text(self.value, "title"))

    @property
    def link(self):
        return f'<a href="{self.url}">{self.title}</a>'

    def item(self):
        """The session as an item of a list (site.css styles a .session-list's items and what they
        hold)."""
        value, page, labels = self.value, self.page, self.page.labels
        cancelled = value["is_cancelled"]
        opening = '<li class="session-cancelled">' if cancelled else "<li>"
        return SafeString(
            f"{opening}<p>"
            f"{_times(value, labels)} <span>· {labels.kinds.get(value['kind'], '')}</span></p>"
            f"<h4>{self.link}{labels.cancelled if cancelled else ''}</h4>"
            f"<p>{_join(_place(value, page.text, labels), *_badges(value, labels), *page.pillar_badges(self.pk))}</p>"
            f"{_organizers(value, labels)}{_description(*page.text(value, 'description')) if page.details else ''}"
            f"{_people_list(page.people.get(self.pk))}</li>"
        )

    def cell(self):
        """The session in a day's cell of the month: its start, title, and whether it is off or closed."""
        value, labels = self.value, self.page.labels
        return SafeString(
            f'<li class="mb-1{" session-cancelled" if value["is_cancelled"] else ""}">'
            f"{_join(_start(value), self.link)}"
            f"{' ' + labels.cancelled_badge if value['is_cancelled'] else ''}"
            f"{' ' + labels.closed if value['is_open'] is False else ''}</li>"
        )


class _Page:
    """What every row of a page shares: its words, addresses and badges, and who speaks where."""

    def __init__(self, pillars, tags, people, details):
        self.details = details
        language = get_language() or settings.LANGUAGE_CODE
        self.text = functools.partial(_localized, language=language, default=settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
        self.labels = _Labels()
        self.session_url = url_pattern("conference:session")
        self.conference_url = url_pattern("conference:detail")
        self.badge_of = {pillar.pk: _pillar_badge(pillar, named=details) for pillar in pillars}
        self.tags, self.people = tags, people

    def pillar_badges(self, pk):
        return [self.badge_of[pillar] for pillar in self.tags.get(pk, ()) if pillar in self.badge_of]


def session_rows(sessions, pillars, *, details=True):
    """Rows for the sessions of `sessions` (a queryset, in the order to show), with `pillars` the
    pillar objects to badge them with. Without `details`, the sessions' descriptions, their
    people's functions and organizations and their pillars' names are left to the sessions' own
    pages, for a list that is an index of many sessions. 3 queries (1 when there are none)."""
    language = get_language() or settings.LANGUAGE_CODE
    columns = [
        *("pk", "date", "conference_id", "starts_at", "ends_at", "kind", "is_open", "is_cancelled"),
        *("seat_limit", "organizers", "room_id", "online_url", "conference__time_zone", "conference__format"),
        *_language_columns("title", language),
        *(_language_columns("description", language) if details else ()),
        *_language_columns("room__name", language),
        *_language_columns("conference__title", language),
        "conference__slug",
        "conference__start_date",
    ]
    values = list(sessions.values(*columns))
    if not values:
        return []
    # The sessions again as a subquery: a list of their keys could outgrow what a query may hold.
    keys = sessions.order_by().values("pk")
    page = _Page(pillars, _pillar_tags(keys), _people(keys, details), details)
    return [Row(value, page) for value in values]


def url_pattern(name):
    """The address of view `name` with "{}" for its one argument: reverse() once a page, not once a row."""
    return reverse(name, args=[URL_PLACEHOLDER]).replace(URL_PLACEHOLDER, "{}")


def _language_columns(name, language):
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return {build_localized_fieldname(name, default), build_localized_fieldname(name, language)}


@functools.cache
def _column(name, language):
    return build_localized_fieldname(name, language)


def _localized(value, name, *, language, default):
    """(text, falls back to English) of a translated column, as django-modeltranslation gives it."""
    own = value[_column(name, language)]
    if own:
        return own, False
    english = value[_column(name, default)] or ""
    return english, bool(english) and language != default


def _marked(text, is_fallback):
    if is_fallback:
        return SafeString(f"<span{FALLBACK_ATTRIBUTES}>{escape(text)}</span>")
    return SafeString(escape(text))


class _Labels:
    """The page's translated words, each looked up and escaped once."""

    def __init__(self):
        self.kinds = {kind.value: escape(str(kind.label)) for kind in SessionKind}
        self.not_announced = escape(_("Time not announced"))
        self.online = escape(_("Online"))
        self.cancelled_badge = f'<span class="badge text-bg-danger">{escape(_("Cancelled"))}</span>'
        self.cancelled = " " + self.cancelled_badge
        self.open = f'<span class="badge text-bg-success">{escape(_("Open (webcast)"))}</span>'
        self.closed = f'<span class="badge text-bg-secondary">{escape(_("Closed"))}</span>'
        self.organized_by = escape(_("Organized by"))
        # Who organizes a session and what a speaker does are kept in English only (no field per language).
        self.english = english_attributes()
        self.seats = {}

    def seat_badge(self, seats):
        if seats not in self.seats:
            label = ngettext("%(seats)s seat", "%(seats)s seats", seats) % {"seats": seats}
            self.seats[seats] = f'<span class="badge text-bg-light border">{escape(label)}</span>'
        return self.seats[seats]


def _zoned(value, name):
    return value[name].astimezone(ZoneInfo(value["conference__time_zone"]))  # ZoneInfo keeps one object a zone


def _times(value, labels):
    """Start and end in the conference's zone, the zone named: "09:00–10:30 EST"."""
    if value["starts_at"] is None:
        return labels.not_announced
    starts, ends = _zoned(value, "starts_at"), _zoned(value, "ends_at")
    return (
        f'<span dir="ltr"><time datetime="{starts.isoformat(timespec="minutes")}">{_hour(starts)}</time>–'
        f'<time datetime="{ends.isoformat(timespec="minutes")}">{_hour(ends)} {escape(ends.tzname())}</time></span>'
    )


def _hour(moment):
    return f"{moment.hour:02}:{moment.minute:02}"  # strftime("%H:%M"), at a fraction of its cost


def _start(value):
    """The start alone, its zone named: "09:00 EST"; nothing when not announced."""
    if value["starts_at"] is None:
        return ""
    starts = _zoned(value, "starts_at")
    at = starts.isoformat(timespec="minutes")
    return f'<time datetime="{at}" dir="ltr">{_hour(starts)} {escape(starts.tzname())}</time>'


def _place(value, text, labels):
    if value["room_id"] is not None:
        return _marked(*text(value, "room__name"))
    if held_online(value["room_id"], value["online_url"], value["conference__format"]):
        return labels.online
    return ""


def _badges(value, labels):
    """Access and seats."""
    if value["is_open"]:
        yield labels.open
    elif value["is_open"] is False:
        yield labels.closed
    if value["seat_limit"]:
        yield labels.seat_badge(value["seat_limit"])


def _join(*parts):
    return " ".join(part for part in parts if part)


def _organizers(value, labels):
    if not value["organizers"]:
        return ""
    organizers = escape(value["organizers"])
    return (
        f"<p>{labels.organized_by} {f'<span{labels.english}>{organizers}</span>' if labels.english else organizers}</p>"
    )


def _description(text, is_fallback):
    if not text:
        return ""
    return f"<div{FALLBACK_ATTRIBUTES if is_fallback else ''}>{linebreaks_filter(text)}</div>"


def _people_list(people):
    if not people:
        return ""
    return "<ul>" + "".join(people) + "</ul>"


def _pillar_badge(pillar, *, named):
    """The pillar's badge, linked to its page; its number alone unless `named`."""
    url = reverse("conference:pillar", args=[pillar.slug])
    label = str(pillar) if named else _("Pillar %(number)s") % {"number": pillar.number}
    return f'<a class="badge badge-pillar-{pillar.number}" href="{url}">{escape(label)}</a>'


def _pillar_tags(keys):
    """{session pk: [pillar pk, ...]} in the pillars' order: 1 query."""
    links = SessionModel.pillars.through.objects.filter(session_id__in=keys).order_by("pillar__number")
    tags = {}
    for session_id, pillar_id in links.values_list("session_id", "pillar_id"):
        tags.setdefault(session_id, []).append(pillar_id)
    return tags


def _people(keys, with_details):
    """{session pk: [each person's list item, ...]} in their order in each session, with their
    functions and organizations if `with_details`: 1 query."""
    roles = {role.value: escape(str(role.label)) for role in SessionRole}
    rows = SessionPerson.objects.filter(session_id__in=keys).order_by("session_id", "position", "pk")
    people = {}
    columns = ("function", "organization") if with_details else ()
    english = english_attributes()
    for session_id, role, name, *about in rows.values_list("session_id", "role", "name", *columns):
        details = ", ".join(escape(part) for part in about if part)
        details = f"<span{english}>{details}</span>" if details and english else details
        item = (
            f"<li><span>{roles.get(role, '')}:</span> <bdi>{escape(name)}</bdi>{', ' if details else ''}{details}</li>"
        )
        people.setdefault(session_id, []).append(item)
    return people
