"""The staff roles: which permissions each group holds. Applied by migrations (`apply_roles`)."""

SECRETARIAT = "Secretariat"
CHECK_IN_DESK = "Check-in desk"

# Everything about conferences, the agenda, participants and delegations; nothing about accounts,
# groups or permissions, which stay with administrators.
SECRETARIAT_MODELS = {
    "conference": ["conference", "session", "sessionperson", "room", "venue", "resource"],
    "registration": ["participant", "seatrequest", "message", "delegation", "focalpoint", "placesbycategory"],
    "strategy": ["pillar", "strategyreview"],
}
SECRETARIAT_EXTRA = [
    ("registration", "view_outgoingemail"),
    ("registration", "change_outgoingemail"),
    ("registration", "check_in_participant"),
    # Letters of invitation: participants ask, staff issue or decline (a change); nobody adds or deletes them.
    ("registration", "view_letterrequest"),
    ("registration", "change_letterrequest"),
    # Members are nominated by their delegation's focal points: the Secretariat reads them.
    ("registration", "view_delegationmember"),
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


def apply_roles(apps):
    """Give each role's group exactly its permissions, among those of the models migrated so far: the
    migration that adds a model a role needs applies the roles again."""
    from django.contrib.auth.management import create_permissions
    from django.db.models import Q

    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Q()
        for app, codename in permissions():
            wanted |= Q(content_type__app_label=app, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
