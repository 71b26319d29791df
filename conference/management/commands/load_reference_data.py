from django.core.management.base import BaseCommand

from conference.reference_loader import load_reference_data


class Command(BaseCommand):
    help = (
        "Load the four pillars, the adoption and reviews of the Global Counter-Terrorism Strategy and the "
        "High-Level Conferences with their known programmes. Safe to run again: it changes only what differs."
    )

    def handle(self, *args, **options):
        report = load_reference_data()
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Reference data: {report}."))
