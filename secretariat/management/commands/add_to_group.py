from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from registration.managers import mark_email_verified
from secretariat.roles import ROLES


class Command(BaseCommand):
    help = "Give a person a staff role: add the account with this email to a group (and make it staff)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("group", choices=sorted(ROLES), help="The role to give.")
        parser.add_argument(
            "--create",
            action="store_true",
            help="Make the account when there is none, its address verified; the person then sets a password "
            "with “Forgot your password?” on the login page.",
        )

    def handle(self, *args, email, group, create, **options):
        User = get_user_model()
        address = User.objects.normalize_email(email)
        try:
            user = User.objects.get(email=address)
        except User.DoesNotExist:
            if not create:
                raise CommandError(
                    f"No account has the email address {email}; the person signs up first, or give --create."
                ) from None
            user = User.objects.create_user(address)  # no usable password until they set one
            mark_email_verified(user)
            self.stdout.write(f"Made the account {address}; they set a password with “Forgot your password?”.")
        user.groups.add(Group.objects.get(name=group))
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(
            f"{email} is now in “{group}”. They must set up two-factor authentication at their next visit to the "
            "staff pages."
        )
