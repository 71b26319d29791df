"""iCalendar (RFC 5545) for sessions, made with the icalendar library.

Each session keeps one UID forever; DTSTAMP and LAST-MODIFIED follow its last change and
SEQUENCE grows with every change, so calendar apps update their copy. Times carry the
conference's zone (TZID, with the VTIMEZONE added); a session whose time is not announced
is an all-day event; a cancelled one stays, with STATUS:CANCELLED.

Writing an event costs far more than reading its session, so the texts of a conference's
events are kept in the shared cache, one entry per conference and language, each text with a
digest of everything it shows (SessionFacts): an edit changes the digest of the events it
changes, only those are written again, and a calendar is put together from the texts.
"""

import dataclasses
import datetime
import functools
import hashlib
import time
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from conference.models import SessionKind

PRODUCT_ID = "-//United Nations Counter-Terrorism Conferences//Agenda//EN"
CALENDAR_END = b"END:VCALENDAR\r\n"
# Part of the cache's keys: change it when session_event writes something new, so that texts
# written the old way are no longer used.
EVENT_FORMAT = 2
# Labels ("Online", kinds of session) are not in the digests: a conference's texts are all written
# anew after this time, so that a new translation shows, and those of deleted sessions go.
EVENT_TEXTS_MAX_AGE_SECONDS = 60 * 60 * 24


@dataclasses.dataclass(frozen=True, slots=True)
class SessionFacts:
    """Everything the event of a session shows, texts in the active language."""

    pk: int
    conference_id: int
    title: str
    description: str
    kind: str
    date: datetime.date
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    sequence: int
    is_cancelled: bool
    is_open: bool | None
    webcast_url: str
    room_name: str
    venue_name: str  # the room's venue, else the conference's
    venue_city: str
    is_online: bool
    conference_title: str
    time_zone: str
    pillar_names: tuple[str, ...]

    @classmethod
    def of(cls, session):
        """The facts of a Session with its conference, room (and their venues) and pillars loaded."""
        venue = session.room.venue if session.room else session.conference.venue
        return cls(
            pk=session.pk,
            conference_id=session.conference_id,
            title=session.title,
            description=session.description,
            kind=session.kind,
            date=session.date,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            created_at=session.created_at,
            updated_at=session.updated_at,
            sequence=session.sequence,
            is_cancelled=session.is_cancelled,
            is_open=session.is_open,
            webcast_url=session.webcast_url,
            room_name=session.room.name if session.room else "",
            venue_name=venue.name if venue else "",
            venue_city=venue.city if venue else "",
            is_online=session.is_online,
            conference_title=session.conference.title,
            time_zone=session.conference.time_zone,
            pillar_names=tuple(pillar.short_name for pillar in session.pillars.all()),
        )

    def digest(self):
        # The site's address is written in links; the language is in the key of the texts.
        return hashlib.blake2b(f"{settings.SITE_URL}|{self!r}".encode(), digest_size=16).digest()


def site_host():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]


def session_uid(session):
    return f"session-{session.pk}@{site_host()}"


def build_calendar(sessions, *, name, extra_events=()):
    """The calendar of `sessions` (with conference, room and pillars loaded), as bytes."""
    return calendar_of([SessionFacts.of(session) for session in sessions], name=name, extra_events=extra_events)


def calendar_of(facts, *, name, extra_events=()):
    """The calendar of the sessions described by `facts` (SessionFacts), as bytes.

    Its events come from the cache, in one round trip; those missing are written and stored in one more.
    """
    from icalendar import Calendar  # imported here: only the feeds need it

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    extra = [(_zones_used(event), event.to_ical()) for event in extra_events]
    events = [*extra, *_session_events(facts)]
    zones = sorted({zone for used, _text in events for zone in used})
    return b"".join(
        [
            calendar.to_ical().removesuffix(CALENDAR_END),
            *(_timezone_text(zone) for zone in zones),
            *(text for _used, text in events),
            CALENDAR_END,
        ]
    )


def _session_events(facts):
    """(zones used, text) of each session's event, in the order of `facts`: the texts are read from the
    cache in one round trip, and those of conferences with events written anew stored in one more.

    Two servers storing the texts of one conference at once may lose each other's new texts: they are
    written again next time, never shown out of date, since each is checked against its digest."""
    keys = {one.conference_id: _texts_key(one.conference_id) for one in facts}
    stored = cache.get_many(keys.values())
    now = time.time()
    texts = {conference_pk: _fresh_texts(stored.get(key), now) for conference_pk, key in keys.items()}
    changed = set()
    found = []
    for one in facts:
        events = texts[one.conference_id][1]
        digest = one.digest()
        if events.get(one.pk, (None,))[0] != digest:
            event = session_event(one)
            events[one.pk] = (digest, _zones_used(event), event.to_ical())
            changed.add(one.conference_id)
        found.append(events[one.pk][1:])
    if changed:
        cache.set_many({keys[pk]: texts[pk] for pk in changed}, EVENT_TEXTS_MAX_AGE_SECONDS)
    return found


def _fresh_texts(stored, now):
    """(made at, {session pk: (digest, zones used, text)}) of a conference: as stored, or none yet when
    missing or too old."""
    if stored is None or now - stored[0] >= EVENT_TEXTS_MAX_AGE_SECONDS:
        return (now, {})
    return stored


def _texts_key(conference_pk):
    return f"ical-events:{EVENT_FORMAT}:{get_language()}:{conference_pk}"


def _zones_used(event):
    """TZIDs of the event's start and end, which need a VTIMEZONE (UTC needs none)."""
    tzids = {event[name].params.get("TZID") for name in ("DTSTART", "DTEND") if name in event}
    return tuple(sorted(tzids - {None, "UTC"}))


# The same for every server and every request, as long as the zone database is: kept in memory.
@functools.cache
def _timezone_text(zone):
    from icalendar import Timezone

    try:
        return Timezone.from_tzid(zone).to_ical()
    except ValueError:  # a zone icalendar cannot describe is left out, as Calendar.add_missing_timezones does
        return b""


def session_event(facts):
    """The VEVENT of a session. Values are given as icalendar's own types, which it need not guess."""
    from icalendar import Event, vCategory, vDDDTypes, vInt, vText, vUri

    event = Event()
    event.add("uid", vText(session_uid(facts)))
    event.add("summary", vText(facts.title))
    if facts.starts_at:
        zone = zoneinfo.ZoneInfo(facts.time_zone)
        event.add("dtstart", vDDDTypes(facts.starts_at.astimezone(zone)))
        event.add("dtend", vDDDTypes(facts.ends_at.astimezone(zone)))
    else:
        event.add("dtstart", vDDDTypes(facts.date))
        event.add("dtend", vDDDTypes(facts.date + datetime.timedelta(days=1)))
    updated = facts.updated_at.astimezone(datetime.UTC)
    event.add("dtstamp", vDDDTypes(updated))
    event.add("last-modified", vDDDTypes(updated))
    event.add("created", vDDDTypes(facts.created_at.astimezone(datetime.UTC)))
    event.add("sequence", vInt(facts.sequence))
    event.add("status", vText("CANCELLED" if facts.is_cancelled else "CONFIRMED"))
    event.add("url", vUri(settings.SITE_URL + reverse("conference:session", kwargs={"pk": facts.pk})))
    kind = str(SessionKind(facts.kind).label) if facts.kind in SessionKind.values else facts.kind
    event.add("categories", vCategory([kind, *facts.pillar_names]))
    event.add("description", vText(_session_description(facts)))
    location = _location(facts)
    if location:
        event.add("location", vText(location))
    return event


def _location(facts):
    """ "Conference Room A, United Nations Headquarters, New York": the room within its venue; the
    conference's venue alone for a session without a room, unless it is held online."""
    venue = _within(facts.venue_name, facts.venue_city)
    if facts.room_name:
        return _within(facts.room_name, venue)
    return _("Online") if facts.is_online else venue


def _within(place, larger):
    if not (place and larger):
        return place or larger
    # Translators: a place within a larger one, as a calendar event gives where it is held: "Conference
    # Room A, United Nations Headquarters" (a room in its venue), "United Nations Headquarters, New York".
    return _("%(place)s, %(within)s") % {"place": place, "within": larger}


def _session_description(facts):
    parts = [facts.conference_title]
    if facts.is_open:
        parts.append(_("Open session (webcast)."))
        if facts.webcast_url:
            parts.append(facts.webcast_url)
    elif facts.is_open is False:
        parts.append(_("Closed session: registered participants only."))
    else:
        parts.append(_("Access not announced."))
    if not facts.starts_at:
        parts.append(_("Time not announced."))
    if facts.description:
        parts.append(facts.description)
    return "\n\n".join(parts)
