"""The Secretariat's side of the Django admin: participants and their decisions, delegations, seat
requests, letters of invitation, emails, messages to participants and accounts. (Conferences,
sessions and pillars have their admin in their own apps.)"""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from secretariat.admin import (  # noqa: F401 - each registers its models
    accounts,
    delegations,
    letters,
    messages,
    participants,
    prepared,
    records,
)

# The task queue's own pages are for developers (and untranslated): staff follow emails and
# prepared files in their own pages instead.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
