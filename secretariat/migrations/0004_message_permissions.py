from django.db import migrations

from secretariat.roles import apply_roles


def grant_messages(apps, schema_editor):
    apply_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0003_letters_of_invitation_roles"),
        ("registration", "0008_messages_to_participants"),
    ]

    operations = [migrations.RunPython(grant_messages, migrations.RunPython.noop)]
