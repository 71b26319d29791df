"""Time the badge PDF for N approved participants on a fresh SQLite database.

    .venv/bin/python bench/badges.py [N]

N defaults to 500: names in Latin, Arabic, Chinese and Cyrillic script, one in three with a
photo. Prints the seconds taken to build the PDF, its pages and its size.
"""

import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_setup import setup_django

# Faker locale of the names, and the Member State they come from.
LOCALES = [("en_US", "US"), ("fr_FR", "FR"), ("ar_AA", "EG"), ("zh_CN", "CN"), ("ru_RU", "RU")]


def photo_jpeg(rng):
    """A 600 × 800 JPEG, as registration.documents.normalized_photo stores them."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), tuple(rng.randrange(120, 230) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    draw.ellipse((170, 150, 430, 450), fill=tuple(rng.randrange(60, 160) for _ in range(3)))
    draw.rectangle((100, 500, 500, 800), fill=tuple(rng.randrange(0, 90) for _ in range(3)))
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=88)
    return output.getvalue()


def create_participants(count, rng):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from faker import Faker

    from conference.models import Conference
    from registration.models import Category, Participant, Status
    from registration.storage import photo_path

    conference = Conference.objects.create(
        title="Fourth United Nations High-Level Conference of Heads of Counter-Terrorism Agencies",
        slug="bench",
        start_date=datetime.date(2030, 7, 1),
        end_date=datetime.date(2030, 7, 3),
    )
    fakers = {locale: Faker(locale) for locale, _country in LOCALES}
    storage = Participant._meta.get_field("photo").storage
    categories = list(Category)
    now = timezone.now()
    people = []
    for number in range(count):
        locale, country = LOCALES[number % len(LOCALES)]
        fake = fakers[locale]
        category = categories[number % len(categories)]
        state = category in Category.state_categories()
        person = Participant(
            conference=conference,
            title=rng.choice(["he", "mr", "ms", "dr", ""]),
            given_name=fake.first_name(),
            family_name=fake.last_name(),
            email=f"bench{number}@example.org",
            gender="undisclosed",
            nationality=country,
            category=category,
            represented_country=country if state else "",
            organization="" if state else fake.company()[:255],
            function=rng.choice(["Head of Counter-Terrorism Agency", "Ambassador", "Programme Officer", "Director"]),
            attendance="in_person",
            data_consent_at=now,
            status=Status.APPROVED,
            decided_at=now,
        )
        if number % 3 == 0:
            person.photo = storage.save(photo_path(person, "photo.jpg"), ContentFile(photo_jpeg(rng)))
        people.append(person)
    Participant.objects.bulk_create(people)
    return Participant.objects.filter(conference=conference).order_by("family_name", "given_name")


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder, reference_data=False)
        participants = create_participants(count, random.Random(2030))
        from secretariat.badges import render_badges_pdf

        started = time.perf_counter()
        pdf = render_badges_pdf(participants)
        seconds = time.perf_counter() - started
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(pdf))
    print(
        f"{count} badges ({count // 3 + (count % 3 > 0)} with photos) on {pages} A4 sheets: "
        f"{seconds:.1f} s ({count / seconds:.0f} badges per second), {len(pdf) / 1_000_000:.1f} MB"
    )


if __name__ == "__main__":
    main()
