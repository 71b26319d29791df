from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


def drop_triggers(using, **kwargs):
    from conference import db_triggers

    db_triggers.uninstall(connections[using])


def create_triggers(using, **kwargs):
    from conference import db_triggers

    db_triggers.install(connections[using])


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = _("Conferences and agenda")

    def ready(self):
        pre_migrate.connect(drop_triggers, sender=self, dispatch_uid="conference_drop_triggers")
        post_migrate.connect(create_triggers, sender=self, dispatch_uid="conference_create_triggers")
        from conference.versioning import connect_signals

        connect_signals()
