"""Read paths for the public pages: each fetches what a page needs in a fixed number of queries."""

from itertools import groupby

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from conference.models import Conference, SessionPerson


def visible_conferences(user):
    """Published conferences; staff also see drafts, to preview them."""
    conferences = Conference.objects.select_related("venue", "strategy_review")
    if user.is_staff:
        return conferences
    return conferences.published()


def home_conferences(user):
    """Upcoming (and ongoing) conferences, soonest first, and past ones, latest first: 2 queries."""
    conferences = visible_conferences(user)
    return {"upcoming": list(conferences.upcoming()), "past": list(conferences.past())}


def agenda_sessions(conference):
    """The conference's sessions with rooms, pillars and people: 3 queries."""
    return (
        # Through the related manager, each session's .conference is this very object: no query per row.
        conference.sessions.select_related("room__venue").prefetch_related(
            "pillars", Prefetch("people", queryset=SessionPerson.objects.order_by("position", "pk"))
        )
    )


def conference_page(user, slug):
    """Everything the conference page shows, sessions grouped by day: 5 queries."""
    conference = get_object_or_404(visible_conferences(user).prefetch_related("resources"), slug=slug)
    sessions = agenda_sessions(conference)
    days = [(day, list(day_sessions)) for day, day_sessions in groupby(sessions, key=lambda s: s.date)]
    return {"conference": conference, "days": days, "session_count": sum(len(s) for _, s in days)}
