"""The public programme's data: venues and rooms, conferences and their resources, sessions and their people."""

from conference.models.conferences import Conference, ConferenceQuerySet, Format, Resource, ResourceKind
from conference.models.places import Room, Venue, city_of_zone, time_zone_choices, validate_time_zone
from conference.models.sessions import Session, SessionKind, SessionPerson, SessionQuerySet, SessionRole

__all__ = [
    "Conference",
    "ConferenceQuerySet",
    "Format",
    "Resource",
    "ResourceKind",
    "Room",
    "Session",
    "SessionKind",
    "SessionPerson",
    "SessionQuerySet",
    "SessionRole",
    "Venue",
    "city_of_zone",
    "time_zone_choices",
    "validate_time_zone",
]
