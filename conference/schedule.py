"""The JSON export of a conference's schedule, for integrators. Its shape is documented in README.md."""

from django.conf import settings
from django.utils import timezone

SCHEDULE_FORMAT_VERSION = 1


def _local_iso(moment, zone):
    return moment.astimezone(zone).isoformat() if moment else None


def export(conference, sessions):
    zone = conference.zone
    return {
        "version": SCHEDULE_FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "conference": {
            "slug": conference.slug,
            "title": conference.title,
            "theme": conference.theme,
            "start_date": conference.start_date.isoformat(),
            "end_date": conference.end_date.isoformat() if conference.end_date else None,
            "time_zone": conference.time_zone,
            "format": conference.format,
            "venue": _venue(conference.venue),
            "url": settings.SITE_URL + conference.get_absolute_url(),
        },
        "sessions": [_session(session, zone) for session in sessions],
    }


def _venue(venue):
    if venue is None:
        return None
    return {"name": venue.name, "city": venue.city, "country": venue.country.code or None}


def _session(session, zone):
    return {
        "id": session.pk,
        "url": settings.SITE_URL + session.get_absolute_url(),
        "title": session.title,
        "kind": session.kind,
        "description": session.description,
        "date": session.date.isoformat(),
        "start": _local_iso(session.starts_at, zone),
        "end": _local_iso(session.ends_at, zone),
        "room": session.room.name if session.room else None,
        "online": session.is_online,
        "is_open": session.is_open,
        "webcast_url": (session.webcast_url or None) if session.is_open else None,
        "is_cancelled": session.is_cancelled,
        "seat_limit": session.seat_limit,
        "online_seat_limit": session.online_seat_limit,
        "organizers": session.organizers,
        "pillars": [{"number": p.number, "slug": p.slug, "short_name": p.short_name} for p in session.pillars.all()],
        "people": [
            {"role": person.role, "name": person.name, "function": person.function, "organization": person.organization}
            for person in session.people.all()
        ],
        "sequence": session.sequence,
        "updated_at": session.updated_at.isoformat(),
    }
