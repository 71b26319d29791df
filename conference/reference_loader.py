"""Loads the reference data (conference/reference_data.py) into the database."""

import datetime

from django.db import transaction

from conference import reference_data as data
from conference.models import Conference, Resource, Room, Session, Venue
from conference.sync import SyncReport, sync
from strategy.models import Pillar, StrategyReview


@transaction.atomic
def load_reference_data():
    report = SyncReport()
    for pillar in data.PILLARS:
        sync(report, Pillar, {"number": pillar["number"]}, _pillar_values(pillar))
    reviews = {review["ordinal"]: _sync_review(report, review) for review in data.REVIEWS}
    for conference in data.CONFERENCES:
        _sync_conference(report, conference, reviews)
    return report


def _pillar_values(pillar):
    values = {f"{key}_en": value for key, value in pillar.items() if key in ("short_name", "title")}
    values["slug"] = pillar["slug"]
    for language, (short_name, title) in data.PILLAR_TRANSLATIONS[pillar["number"]].items():
        values.update({f"short_name_{language}": short_name, f"title_{language}": title})
    return values


def _sync_review(report, review):
    values = {k: v for k, v in review.items() if k != "ordinal"}
    values["document_url"] = data.UN_DOCUMENTS + review["resolution"]
    return sync(report, StrategyReview, {"ordinal": review["ordinal"]}, values)


def _sync_conference(report, fact, reviews):
    venue = None
    if fact["venue"]:
        venue_fact = fact["venue"]
        venue = sync(report, Venue, {"name": venue_fact["name"]}, {k: v for k, v in venue_fact.items() if k != "name"})
    fields = ("title", "edition", "theme", "description", "start_date", "end_date", "time_zone", "format")
    values = {field: fact[field] for field in fields}
    values.update(venue=venue, strategy_review=reviews.get(fact["review"]), is_published=True, is_sample=False)
    conference = sync(report, Conference, {"slug": fact["slug"]}, values)
    for position, resource in enumerate(fact["resources"]):
        values = {k: v for k, v in resource.items() if k != "title"} | {"position": position}
        sync(report, Resource, {"conference": conference, "title": resource["title"]}, values)
    for session in fact["sessions"]:
        _sync_session(report, conference, venue, session)
    return conference


def _sync_session(report, conference, venue, fact):
    room = None
    if fact["room"]:
        room = sync(report, Room, {"venue": venue, "name": fact["room"]}, {})
    values = {
        "kind": fact["kind"],
        "date": fact["date"],
        "starts_at": _local(conference, fact["date"], fact["start"]),
        "ends_at": _local(conference, fact["date"], fact["end"]),
        "is_open": fact["is_open"],
        "description": fact["description"],
        "room": room,
    }
    sync(report, Session, {"conference": conference, "title": fact["title"]}, values)


def _local(conference, day, hhmm):
    if hhmm is None:
        return None
    return datetime.datetime.combine(day, datetime.time.fromisoformat(hhmm), tzinfo=conference.zone)
