from django.db import migrations

from secretariat.roles import ROLES, apply_roles


def create_roles(apps, schema_editor):
    apply_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0001_initial"),
        ("conference", "0001_initial"),
        ("strategy", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
