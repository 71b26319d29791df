"""The Secretariat's side of the Django admin: participants and their decisions, seat requests,
emails and accounts. (Conferences, sessions and pillars have their admin in their own apps.)"""

from secretariat.admin import accounts, participants, records  # noqa: F401 - each registers its models
