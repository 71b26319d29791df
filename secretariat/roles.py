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
    # Letters of invitation: participants ask, staff issue or decline (a change); nobody adds or deletes them.
    ("registration", "view_letterrequest"),
    ("registration", "change_letterrequest"),
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
    """Make each role's group hold exactly its permissions; for the migrations, with their `apps`.

    A permission whose model a later migration makes is left out here: that migration applies the roles again."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = [
            permission
            for app, codename in permissions()
            for permission in Permission.objects.filter(content_type__app_label=app, codename=codename)
        ]
        group.permissions.set(wanted)
