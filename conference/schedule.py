"""The JSON export of a conference's schedule, for integrators. Its shape is documented in README.md."""

from django.conf import settings
from django.utils import timezone

from conference.listing import url_pattern
from conference.models.sessions import held_online

SCHEDULE_FORMAT_VERSION = 1


def _local_iso(moment, zone):
    return moment.astimezone(zone).isoformat() if moment else None


def export(conference, sessions):
    """The schedule of `conference`, with `sessions` as selectors.schedule_sessions gives them."""
    zone, session_url = conference.zone, settings.SITE_URL + url_pattern("conference:session")
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
        "sessions": [_session(session, zone, session_url) for session in sessions],
    }


def _venue(venue):
    if venue is None:
        return None
    return {"name": venue.name, "city": venue.city, "country": venue.country.code or None}


def _session(row, zone, session_url):
    return {
        "id": row["pk"],
        "url": session_url.format(row["pk"]),
        "title": row["title_text"],
        "kind": row["kind"],
        "description": row["description_text"],
        "date": row["date"].isoformat(),
        "start": _local_iso(row["starts_at"], zone),
        "end": _local_iso(row["ends_at"], zone),
        "room": row["room_name"] if row["room_id"] is not None else None,
        "online": held_online(row["room_id"], row["online_url"], row["format"]),
        "is_open": row["is_open"],
        "webcast_url": (row["webcast_url"] or None) if row["is_open"] else None,
        "is_cancelled": row["is_cancelled"],
        "seat_limit": row["seat_limit"],
        "online_seat_limit": row["online_seat_limit"],
        "organizers": row["organizers"],
        "pillars": row["pillars"],
        "people": row["people"],
        "sequence": row["sequence"],
        "updated_at": row["updated_at"].isoformat(),
    }
