"""The version of what public pages show: one value in the shared cache, changed by every edit to
a conference, session, person in a session, room, venue, resource, pillar or Strategy review (a
translation is an edit of the same row). Public pages answer a repeat request whose version has
not changed with 304 Not Modified, without rendering.

The value is a time in nanoseconds, so that it also gives Last-Modified. When the cache loses it,
a new one is made: a few needless renders, never a stale page.

An edit changes the version as it is saved (for what its own transaction renders next), and again
when its transaction commits: until then, visitors served on other database connections still read
the rows as they were, and the pages rendered for them are kept under the version of that moment.
"""

import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

KEY = "schedule-version"


def schedule_version():
    version = cache.get(KEY)
    if version is None:
        version = time.time_ns()
        cache.add(KEY, version, timeout=None)
        version = cache.get(KEY, version)
    return version


def bump_schedule_version(*args, using=DEFAULT_DB_ALIAS, **kwargs):
    """A signal receiver as well: anything that changes a public page calls it."""
    _new_version()
    # The edit is saved by then: a cache that fails at commit must not turn it into an error page.
    transaction.on_commit(_new_version, using=using, robust=True)


def _new_version():
    cache.set(KEY, time.time_ns(), timeout=None)


def connect_signals():
    from conference.models import Conference, Resource, Room, Session, SessionPerson, Venue
    from strategy.models import Pillar, StrategyReview

    for model in (Conference, Session, SessionPerson, Room, Venue, Resource, Pillar, StrategyReview):
        label = model._meta.label_lower
        post_save.connect(bump_schedule_version, sender=model, dispatch_uid=f"version-saved-{label}")
        post_delete.connect(bump_schedule_version, sender=model, dispatch_uid=f"version-deleted-{label}")
    m2m_changed.connect(bump_schedule_version, sender=Session.pillars.through, dispatch_uid="version-pillars")
