from django.core.management.base import BaseCommand

from registration.emails import send_unsent


class Command(BaseCommand):
    help = "Send every stored email that has not been sent yet (after a mail server outage, say)."

    def handle(self, *args, **options):
        sent, failed = send_unsent()
        self.stdout.write(f"Sent: {sent}. Failed again: {failed}.")
        if failed:
            self.stderr.write("Some emails failed again; see the error of each in the admin under Emails.")
