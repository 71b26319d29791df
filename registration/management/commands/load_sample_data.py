import random

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from conference.models import Conference
from conference.sample import SAMPLE_SLUG, create_sample_conference
from registration.models import Participant
from registration.sample import SAMPLE_EMAIL_DOMAIN, create_sample_delegations, create_sample_participants


class Command(BaseCommand):
    help = (
        "Add the sample edition (marked as sample data) with its agenda, unless it exists; "
        "with --participants N, add N sample registrations to it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=0, help="How many sample registrations to add.")
        parser.add_argument("--seed", type=int, help="Seed the random choices, for repeatable data.")
        parser.add_argument("--reset", action="store_true", help="Delete the sample edition first and rebuild it.")

    def handle(self, *args, participants, seed, reset, verbosity, **options):
        if participants < 0:
            self.stderr.write("--participants must be 0 or more.")
            return
        rng = random.Random(seed)
        if reset:
            self._delete_sample_edition()
        conference, created = create_sample_conference(rng=rng)
        verb = "Created" if created else "Kept the existing"
        self.stdout.write(f"{verb} sample edition: {conference.title} ({conference.sessions.count()} sessions).")
        if create_sample_delegations(conference, rng=rng):
            self.stdout.write("Added its sample delegations, with their focal points and members.")
        if participants:
            with tqdm(total=participants, unit=" registrations", disable=verbosity == 0, file=self.stderr) as bar:
                create_sample_participants(conference, participants, rng=rng, progress=bar.update)
            self.stdout.write(self.style.SUCCESS(f"Added {participants} sample registrations."))

    @transaction.atomic
    def _delete_sample_edition(self):
        conference = Conference.objects.filter(slug=SAMPLE_SLUG, is_sample=True).first()
        if conference is None:
            return
        accounts = [
            p.user_id
            for p in Participant.objects.filter(conference=conference, user__email__endswith=f"@{SAMPLE_EMAIL_DOMAIN}")
        ]
        conference.delegations.all().delete()
        Participant.objects.filter(conference=conference).delete()
        conference.delete()
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(pk__in=accounts, registrations__isnull=True).delete()
        self.stdout.write("Deleted the previous sample edition.")
