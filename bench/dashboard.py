"""Time and queries of the participation dashboard for the sample edition with N registrations.

    .venv/bin/python bench/dashboard.py [--participants 10000] [--repeat 20] [--html page.html] [--language ar]

Runs on a fresh SQLite database (or DATABASE_URL if set), in process: the figures alone
(`conference_dashboard`) and the whole admin page through Django's test client, for a
superuser. With --html, writes the page to a file to look at.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from django_setup import setup_django


def timed(function, repeat):
    """Milliseconds per call, the number of queries of one call, and its result."""
    from django.db import connection

    # Not CaptureQueriesContext: Django empties its log of queries when a request starts.
    queries = []

    def log(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        result = function()
    started = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - started) / repeat * 1000, len(queries), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--html", type=Path)
    parser.add_argument("--language", default="en", help="The page's language: en, fr, ar, ...")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        from conference.models import Conference
        from secretariat.dashboard import conference_dashboard

        call_command("load_sample_data", participants=args.participants, seed=1, verbosity=0)
        conference = Conference.objects.get(is_sample=True)
        staff = get_user_model().objects.create_superuser(email="bench@example.org", password="x")
        TOTP.activate(staff, generate_totp_secret())
        client = Client(headers={"accept-language": args.language})
        client.force_login(staff)
        url = reverse("admin:registration_participant_dashboard", args=[conference.pk])
        figures_ms, figures_queries, _ = timed(lambda: conference_dashboard(conference), args.repeat)
        page_ms, page_queries, response = timed(lambda: client.get(url), args.repeat)
        assert response.status_code == 200, response.status_code
        print(f"{args.participants} registrations, {conference.sessions.count()} sessions")
        print(f"{'figures (conference_dashboard)':34} {figures_ms:8.1f} ms {figures_queries:4} queries")
        print(f"{'admin page':34} {page_ms:8.1f} ms {page_queries:4} queries")
        if args.html:
            args.html.write_bytes(response.content)


if __name__ == "__main__":
    main()
