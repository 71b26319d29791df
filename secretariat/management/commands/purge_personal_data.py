from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from secretariat.services import anonymize, expired_participants


class Command(BaseCommand):
    help = (
        "Remove the personal data (names, contact details, documents, photos, emails) of participants of "
        "conferences whose retention period has passed. Aggregate figures stay. Run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say how many would be removed.")

    def handle(self, *args, dry_run, **options):
        participants = expired_participants()
        if dry_run:
            self.stdout.write(f"{participants.count()} participants' personal data would be removed.")
            return
        count = 0
        for participant in participants.iterator():
            anonymize(participant)
            count += 1
        self.stdout.write(
            ngettext(
                "Removed the personal data of %(count)d participant.",
                "Removed the personal data of %(count)d participants.",
                count,
            )
            % {"count": count}
        )
