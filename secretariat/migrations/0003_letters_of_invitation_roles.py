from django.db import migrations

from secretariat.roles import apply_roles


def grant_letters(apps, schema_editor):
    apply_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("secretariat", "0002_prepared_files"),
        ("registration", "0006_letters_of_invitation"),
    ]

    operations = [migrations.RunPython(grant_letters, migrations.RunPython.noop)]
