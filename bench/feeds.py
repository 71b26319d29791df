"""Time to build an iCalendar feed of 500 sessions when its body is not cached.

    .venv/bin/python bench/feeds.py [--builds N]

"cold": the whole cache emptied before each build, so every event is written anew;
"after one edit": one session changed before each build, so the feed's version is new
and only that session's event needs writing. Median of N builds of each feed, in
process through Django's test client, on a fresh SQLite database (or DATABASE_URL) and
the settings' cache (the database's cache table, or Redis when REDIS_URL is set).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_setup import setup_django
from public_pages import seed


def timed_get(client, url):
    """(wall, CPU) seconds of one request: CPU time is what a busy machine inflates least."""
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    elapsed = time.perf_counter() - started, time.process_time() - started_cpu
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def medians(times):
    return tuple(statistics.median(column) * 1000 for column in zip(*times, strict=True))


def cold(client, url, builds):
    from django.core.cache import cache

    times = []
    for _ in range(builds):
        cache.clear()
        times.append(timed_get(client, url))
    return medians(times)


def after_one_edit(client, url, builds, sessions):
    client.get(url)  # every event written once
    times = []
    for n in range(builds):
        session = sessions[n * 37 % len(sessions)]
        session.title = f"{session.title} (edited)"
        session.save()
        times.append(timed_get(client, url))
    return medians(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--builds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        from django.conf import settings
        from django.test import Client

        from conference.models import Session

        conference = seed()
        sessions = list(Session.objects.select_related("conference"))
        client = Client()
        print(f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, {len(sessions)} sessions")
        print(f"{'feed, median ms (wall / CPU)':30} {'cold':>15} {'after one edit':>15}")
        for name, url in [("conference", f"/conferences/{conference.slug}/calendar.ics"), ("all", "/calendar.ics")]:
            cold_ms = "{:.0f} / {:.0f}".format(*cold(client, url, args.builds))
            edit_ms = "{:.0f} / {:.0f}".format(*after_one_edit(client, url, args.builds, sessions))
            print(f"{name:30} {cold_ms:>15} {edit_ms:>15}")


if __name__ == "__main__":
    main()
