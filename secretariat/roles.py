"""The staff roles: which permissions each group holds. Applied by a migration."""

SECRETARIAT = "Secretariat"
CHECK_IN_DESK = "Check-in desk"

# Everything about conferences, the agenda and participants; nothing about accounts,
# groups or permissions, which stay with administrators.
SECRETARIAT_MODELS = {
    "conference": ["conference", "session", "sessionperson", "room", "venue", "resource"],
    "registration": ["participant", "seatrequest", "message"],
    "strategy": ["pillar", "strategyreview"],
}
SECRETARIAT_EXTRA = [
    ("registration", "view_outgoingemail"),
    ("registration", "change_outgoingemail"),
    ("registration", "check_in_participant"),
]
CHECK_IN_DESK_PERMISSIONS = [("registration", "check_in_participant")]


def secretariat_permissions():
    actions = ["view", "add", "change", "delete"]
    pairs = [
        (app, f"{action}_{model}")
        for app, models in SECRETARIAT_MODELS.items()
        for model in models
        for action in actions
    ]
    return pairs + SECRETARIAT_EXTRA


ROLES = {SECRETARIAT: secretariat_permissions, CHECK_IN_DESK: lambda: CHECK_IN_DESK_PERMISSIONS}
