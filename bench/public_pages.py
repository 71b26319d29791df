"""Requests per second for the public agenda, month page and feeds, with 500 sessions.

    .venv/bin/python bench/public_pages.py [--requests N]

Runs on a fresh SQLite database (or DATABASE_URL if set), in process, through Django's
test client: it measures the work of the view, its queries and templates, without a
network. The health view, which asks the database and the cache one small thing each, is the
baseline.
"""

import argparse
import datetime
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_setup import setup_django


def seed(sessions_total=500, days=10):
    from django.utils import timezone

    from conference.models import Conference, Session
    from strategy.models import Pillar

    start = timezone.localdate().replace(day=1)
    conference = Conference.objects.create(
        title="Benchmark conference", slug="bench", start_date=start, end_date=start + datetime.timedelta(days=days - 1)
    )
    per_day = sessions_total // days
    sessions = []
    for day in range(days):
        date = start + datetime.timedelta(days=day)
        for slot in range(per_day):
            starts = conference.local_midnight(date) + datetime.timedelta(hours=8, minutes=15 * slot % 600)
            sessions.append(
                Session(
                    conference=conference,
                    title=f"Session {day}-{slot}",
                    date=date,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(minutes=45),
                    is_open=slot % 2 == 0,
                )
            )
    Session.objects.bulk_create(sessions)
    pillars = list(Pillar.objects.all())
    links = [Session.pillars.through(session_id=s.pk, pillar_id=pillars[s.pk % 4].pk) for s in sessions]
    Session.pillars.through.objects.bulk_create(links)
    return conference


def measure(client, url, requests, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    started = time.perf_counter()
    for _ in range(requests):
        client.get(url, **headers)
    return requests / (time.perf_counter() - started), response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        from django.test import Client

        conference = seed()
        client = Client()
        month = conference.start_date.strftime("%Y-%m")
        pages = [
            ("health (baseline)", "/health/"),
            ("agenda, 500 sessions", f"/conferences/{conference.slug}/"),
            ("agenda filtered by pillar", f"/conferences/{conference.slug}/?pillar=prevent-and-combat"),
            ("month page", f"/calendar/?month={month}"),
            ("conference feed (.ics)", f"/conferences/{conference.slug}/calendar.ics"),
            ("feed of all sessions (.ics)", "/calendar.ics"),
            ("schedule JSON", f"/conferences/{conference.slug}/schedule.json"),
        ]
        print(f"{'page':32} {'req/s':>8}")
        for name, url in pages:
            rate, response = measure(client, url, args.requests)
            print(f"{name:32} {rate:8.1f}")
            if url.endswith(".ics"):
                rate, _ = measure(client, url, args.requests, HTTP_IF_NONE_MATCH=response["ETag"])
                print(f"{name + ', repeat (304)':32} {rate:8.1f}")


if __name__ == "__main__":
    main()
