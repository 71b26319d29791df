import importlib

from django.db import migrations

# The roles as secretariat/roles.py gives them now: the Secretariat writes and sends messages to participants.
create_roles = importlib.import_module("secretariat.migrations.0001_staff_roles").create_roles


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0002_prepared_files"),
        ("registration", "0006_messages_to_participants"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
