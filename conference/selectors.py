"""Read paths for the public pages and feeds: each fetches what it needs in a fixed number of queries."""

import calendar
import datetime
from collections import defaultdict
from itertools import groupby
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, F, Max, Min, Prefetch, Q, TextField, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname, resolution_order

from conference import listing
from conference.filters import SessionFilterForm, all_pillars
from conference.ical import SessionFacts
from conference.models import Conference, Room, Session, SessionPerson, Venue
from conference.models.sessions import held_online
from strategy.models import Pillar, StrategyReview


def visible_conferences(user):
    """Published conferences; those who manage conferences also see drafts, to preview them."""
    conferences = Conference.objects.select_related("venue", "strategy_review")
    if user.is_staff and user.has_perm("conference.view_conference"):
        return conferences
    return conferences.published()


def home_conferences(user):
    """Upcoming (and ongoing) conferences, soonest first, and past ones, latest first: 2 queries."""
    conferences = visible_conferences(user)
    return {"upcoming": list(conferences.upcoming()), "past": list(conferences.past())}


def with_details(sessions):
    """Rooms, pillars and people of each session: 2 more queries, whatever the number of sessions."""
    return sessions.select_related("room__venue").prefetch_related(
        "pillars", Prefetch("people", queryset=SessionPerson.objects.order_by("position", "pk"))
    )


def public_sessions():
    """Sessions of published conferences, with their conference."""
    return Session.objects.published().select_related("conference")


def by_day(sessions):
    return [(day, list(day_sessions)) for day, day_sessions in groupby(sessions, key=lambda s: s.date)]


def conference_days(conference):
    if conference.end_date is None:
        return [conference.start_date]
    length = (conference.end_date - conference.start_date).days + 1
    return [conference.start_date + datetime.timedelta(days=offset) for offset in range(length)]


# A programme longer than this opens on one day, the other days a link away and the whole programme
# one more (for printing), and a day lists its sessions without their descriptions, their people's
# functions and their pillars' names (all on each session's page): a page of 150 kilobytes at most
# for a day of 200 sessions.
LONG_PROGRAMME_SESSIONS = 100


def conference_page(user, slug, params, today=None):
    """The conference with its agenda, filtered by `params`, sessions grouped by day: 7 queries.

    A long programme opens on its current day (the next one with sessions; the first once it is
    over) unless the visitor chose a day, or all days."""
    conference = get_object_or_404(visible_conferences(user).prefetch_related("resources"), slug=slug)
    pillars = all_pillars()
    filters = SessionFilterForm(params, pillars=pillars, days=conference_days(conference))
    programme_days = _session_days(conference.sessions.all())
    is_long = sum(count for _, count in programme_days) > LONG_PROGRAMME_SESSIONS
    if is_long and not filters.day_chosen:
        today = today or timezone.localdate(timezone=conference.zone)
        filters.open_on(next((day for day, _ in programme_days if day >= today), programme_days[0][0]))
    one_day = filters.shown_day if is_long else None
    rows = listing.session_rows(filters.apply(conference.sessions.all()), pillars, details=one_day is None)
    return {
        "conference": conference,
        "filters": filters,
        "days": by_day(rows),
        "session_count": len(rows),
        "programme_days": [day for day, _ in programme_days],
        "one_day": one_day,
    }


def _session_days(sessions):
    """[(day, number of sessions)] of the days that have sessions, in order: 1 query."""
    counts = sessions.order_by("date").values_list("date").annotate(count=Count("pk"))
    return list(counts)


def session_page(user, pk):
    """One session with everything about it: 4 queries."""
    conferences = visible_conferences(user)
    sessions = with_details(Session.objects.filter(conference__in=conferences).select_related("conference__venue"))
    return {"session": get_object_or_404(sessions, pk=pk)}


FIRST_YEAR, LAST_YEAR = 1900, 2200  # keeps the previous and next months computable


def parse_month(value):
    """The first day of the month "YYYY-MM"; None when malformed or out of range."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if FIRST_YEAR <= year <= LAST_YEAR:
            return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        pass
    return None


def month_page(params, now=None):
    """The sessions of one month across published conferences, as weeks of days: 4 queries, and 1 more to
    find the next sessions when no month is asked for (or one not understood, which the page names like
    a filter), or the nearest ones when the month has none.

    Without a month, the page opens on the month of the next session (today's when there is none ahead):
    this month is often empty while a conference is announced months ahead. Which sessions are ahead is
    judged by the date in UTC, the site's zone: at worst for a few hours around midnight.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    pillars = all_pillars()
    filters = SessionFilterForm(params, pillars=pillars)
    matching = filters.apply(public_sessions())
    nearest = {}
    asked = parse_month(params.get("month"))
    if params.get("month") and asked is None:
        filters.not_understood("month", _("Month"))
    first = asked
    if asked is None:
        nearest = _nearest_dates(matching, after=today - datetime.timedelta(days=1), before=today)
        first = (nearest["next"] or today).replace(day=1)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    rows = listing.session_rows(matching.filter(date__gte=weeks[0][0], date__lte=weeks[-1][-1]), pillars)
    on_day = {day: list(items) for day, items in groupby(rows, key=lambda s: s.date)}
    in_month = sum(len(items) for day, items in on_day.items() if day.month == first.month)
    last = _next_month(first) - datetime.timedelta(days=1)
    if not in_month and not nearest:
        nearest = _nearest_dates(matching, after=last, before=first)
    local_today = _today_where_held({row.time_zone for row in rows}, now)
    return {
        "month": first,
        "previous_month": (first - datetime.timedelta(days=1)).replace(day=1),
        "next_month": _next_month(first),
        "weeks": [[(day, on_day.get(day, [])) for day in week] for week in weeks],
        # Within a day, each conference's sessions together (in time order: sorted() is stable).
        "days": [
            (day, sorted(items, key=lambda s: (s.conference_start, s.conference_id)))
            for day, items in on_day.items()
            if day.month == first.month
        ],
        "session_count": in_month,
        # Where the nearest sessions are, for an empty month: their months' first days, or None.
        "next_sessions_month": _month_of(nearest.get("next")) if not in_month else None,
        "previous_sessions_month": _month_of(nearest.get("previous")) if not in_month else None,
        "none_ahead": asked is None and nearest["next"] is None,
        "filters": filters,
        # The pillar chosen, whose own feed the page offers: the feed of all sessions would not follow the filter.
        "feed_pillar": next((p for p in pillars if p.slug == filters.active.get("pillar")), None),
        "today": local_today,
        "this_month": (local_today or today).replace(day=1),
    }


def _today_where_held(zones, now):
    """The day the calendar marks as today, or None. Each session shows on its day in its conference's
    zone, so today is the date in the zones of the sessions the calendar shows; when these zones are on
    different dates at this moment, or the calendar shows no session, no day is marked, rather than one
    that is today in UTC only (at 04:30 UTC on 1 December it is still 30 November in New York)."""
    days = {timezone.localdate(now, ZoneInfo(zone)) for zone in zones}
    return days.pop() if len(days) == 1 else None


def _next_month(first):
    return (first + datetime.timedelta(days=31)).replace(day=1)


def _month_of(day):
    return day.replace(day=1) if day else None


def _nearest_dates(sessions, *, after, before):
    """{"next": the first day with a session after `after`, "previous": the last one before `before`}: 1 query."""
    return sessions.order_by().aggregate(
        next=Min("date", filter=Q(date__gt=after)), previous=Max("date", filter=Q(date__lt=before))
    )


def pillar_page(slug):
    """A pillar with its sessions across published conferences, grouped by conference, then by day: 4 queries."""
    pillars = all_pillars()
    pillar = next((pillar for pillar in pillars if pillar.slug == slug), None)
    if pillar is None:
        raise Http404("No such pillar.")
    sessions = public_sessions().filter(pillars=pillar)
    ordered = sessions.order_by(
        "-conference__start_date", "conference_id", "date", F("starts_at").asc(nulls_last=True), "pk"
    )
    rows = listing.session_rows(ordered, pillars)
    # Sessions alone would show times without their day: each conference's sessions by their local day.
    by_conference = [(items[0], by_day(items)) for items in _runs(rows, key=lambda s: s.conference_id)]
    return {"pillar": pillar, "by_conference": by_conference}


def _runs(items, key):
    """`items` in runs of the same `key`, each a list."""
    return [list(run) for _, run in groupby(items, key=key)]


def pillars_overview():
    """The four pillars with how many public sessions carry each: 1 query."""
    published = Q(sessions__in=Session.objects.published())
    return list(Pillar.objects.annotate(session_count=Count("sessions", filter=published)).order_by("number"))


def strategy_page():
    """The Strategy: its pillars, and its adoption and reviews as a timeline, each with the published
    conferences of its week: 3 queries."""
    conferences = Conference.objects.published().order_by("start_date")
    reviews = StrategyReview.objects.prefetch_related(Prefetch("conferences", queryset=conferences))
    return {"reviews": list(reviews), "pillars": list(Pillar.objects.all())}


def feed_sessions(*, conference=None, pillar=None):
    """Sessions of an iCalendar feed: the query that feed_facts reads."""
    sessions = public_sessions()
    if conference is not None:
        sessions = sessions.filter(conference=conference)
    if pillar is not None:
        sessions = sessions.filter(pillars=pillar)
    return sessions


def feed_facts(sessions):
    """What a feed writes about each of `sessions`, texts in the active language: 2 queries. Rows rather
    than model instances, and texts chosen in SQL, as they are many and read at every change of the feed."""
    rows = sessions.rewrite(False).values(
        "pk",
        "conference_id",
        "kind",
        "date",
        "starts_at",
        "ends_at",
        "created_at",
        "updated_at",
        "sequence",
        "is_cancelled",
        "is_open",
        "webcast_url",
        "online_url",
        "room_id",
        "conference__time_zone",
        "conference__format",
        session_title=_in_active_language("title", Session.title),
        session_description=_in_active_language("description", Session.description),
        conference_title=_in_active_language("conference__title", Conference.title),
        room_name=_in_active_language("room__name", Room.name),
        **_venue_columns(),
    )
    pillars = Pillar.objects.rewrite(False).filter(sessions__in=sessions).order_by("number")
    pillar_names = defaultdict(list)
    for session_pk, name in pillars.values_list("sessions", _in_active_language("short_name", Pillar.short_name)):
        pillar_names[session_pk].append(name)
    return [_session_facts(row, pillar_names[row["pk"]]) for row in rows]


def schedule_sessions(conference):
    """The sessions of `conference` as the JSON schedule gives them, texts in the active language,
    each with its pillars and people: 3 queries. Rows rather than model instances, as they are many."""
    sessions = conference.sessions.all()
    rows = sessions.values(
        *("pk", "kind", "date", "starts_at", "ends_at", "room_id", "online_url", "is_open", "webcast_url"),
        *("is_cancelled", "seat_limit", "online_seat_limit", "organizers", "sequence", "updated_at"),
        title_text=_in_active_language("title", Session.title),
        description_text=_in_active_language("description", Session.description),
        room_name=_in_active_language("room__name", Room.name),
    )
    keys = sessions.order_by().values("pk")
    pillars = defaultdict(list)
    links = Pillar.objects.filter(sessions__in=keys).order_by("number")
    for session_pk, number, slug, short_name in links.values_list(
        "sessions", "number", "slug", _in_active_language("short_name", Pillar.short_name)
    ):
        pillars[session_pk].append({"number": number, "slug": slug, "short_name": short_name})
    people = defaultdict(list)
    persons = SessionPerson.objects.filter(session_id__in=keys).order_by("session_id", "position", "pk")
    for session_pk, *about in persons.values_list("session_id", "role", "name", "function", "organization"):
        people[session_pk].append(dict(zip(("role", "name", "function", "organization"), about, strict=True)))
    return [
        {**row, "pillars": pillars[row["pk"]], "people": people[row["pk"]], "format": conference.format} for row in rows
    ]


def _venue_columns():
    """The name and city of a session's venue: its room's, else its conference's."""
    return {
        f"venue_{field}": Case(
            When(room__isnull=False, then=_in_active_language(f"room__venue__{field}", getattr(Venue, field))),
            default=_in_active_language(f"conference__venue__{field}", getattr(Venue, field)),
            output_field=TextField(),
        )
        for field in ("name", "city")
    }


def _in_active_language(path, descriptor):
    """A translated field as modeltranslation gives it on an instance: the first text not empty in the
    active language and then its fallbacks."""
    languages = resolution_order(get_language(), descriptor.fallback_languages)
    texts = [NullIf(F(build_localized_fieldname(path, language)), Value("")) for language in languages]
    return Coalesce(*texts, Value(""), output_field=TextField())


def _session_facts(row, pillar_names):
    return SessionFacts(
        pk=row["pk"],
        conference_id=row["conference_id"],
        title=row["session_title"],
        description=row["session_description"],
        kind=row["kind"],
        date=row["date"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        sequence=row["sequence"],
        is_cancelled=row["is_cancelled"],
        is_open=row["is_open"],
        webcast_url=row["webcast_url"],
        room_name=row["room_name"],
        venue_name=row["venue_name"],
        venue_city=row["venue_city"],
        is_online=held_online(row["room_id"], row["online_url"], row["conference__format"]),
        conference_title=row["conference_title"],
        time_zone=row["conference__time_zone"],
        pillar_names=tuple(pillar_names),
    )
