from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from secretariat.roles import ROLES


class Command(BaseCommand):
    help = "Give a person a staff role: add the account with this email to a group (and make it staff)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("group", choices=sorted(ROLES), help="The role to give.")

    def handle(self, *args, email, group, **options):
        User = get_user_model()
        try:
            user = User.objects.get(email=User.objects.normalize_email(email))
        except User.DoesNotExist:
            raise CommandError(f"No account has the email address {email}; the person signs up first.") from None
        user.groups.add(Group.objects.get(name=group))
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(
            f"{email} is now in “{group}”. They must set up two-factor authentication at their next visit to the "
            "staff pages."
        )
