from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from secretariat.services import expired_participants
from secretariat.tasks import purge_personal_data


class Command(BaseCommand):
    help = (
        "Remove the personal data (names, contact details, passport details, documents, photos, emails) of "
        "participants of conferences whose retention period has passed, and prepared files more than two days "
        "old. Aggregate figures stay. Run it daily from cron: the work is queued for a task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say how many would be removed.")

    def handle(self, *args, dry_run, **options):
        participants = expired_participants()
        if dry_run:
            self.stdout.write(f"{participants.count()} participants' personal data would be removed.")
            return
        result = purge_personal_data.enqueue()
        if not result.is_finished:
            self.stdout.write("The removal is queued; a task worker does it.")
            return
        count = result.return_value
        self.stdout.write(
            ngettext(
                "Removed the personal data of %(count)d participant.",
                "Removed the personal data of %(count)d participants.",
                count,
            )
            % {"count": count}
        )
