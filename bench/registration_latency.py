"""Registrations while the mail server hangs: the request must not wait for it.

    .venv/bin/python bench/registration_latency.py [--participants 60]

A mail server that accepts connections and never answers is the worst case for a site that
sends email inside the request (each registration then waits for the SMTP timeout, 20 s).
This script runs the Procfile's `release`, one `web` server (gunicorn, 2 workers) and one
`worker` against a fresh PostgreSQL database and Redis, with EMAIL_HOST pointing at such a
mail server, and has N participants log in and register one after the other over HTTP. It
prints the registration requests' latency (p50, p95, max) and what became of the emails
(queued, not sent: the worker is the one left waiting). Goal: p95 under 300 ms.
Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379.
"""

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis
import two_servers as bench

bench.DATABASE = "bench_registration_latency"
GOAL_P95 = 0.300


class HangingSMTP:
    """Accepts every connection and never says a word, as a mail server stuck behind a firewall."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)  # kept open, never answered

    def close(self):
        for connection in [*self.connections, self.listener]:
            connection.close()


def register(number, email_address, server, conference, pdf, samples):
    """One participant: log in, open the form, submit it. Returns the submit's seconds."""
    client = bench.Client(samples, f"10.2.{number // 200}.{number % 200 + 1}")
    path = f"/conferences/{conference.slug}/register/"
    bench.expect(bench.log_in(client, server, email_address), 302, "log in")
    form = bench.FormReader(bench.expect(client.get(server, path, "registration form"), 200, "form").text)
    country = bench.NATIONALITIES[number % len(bench.NATIONALITIES)]
    data = {
        "csrfmiddlewaretoken": form.value("csrfmiddlewaretoken"),
        "title": form.choose("title", "ms", "mr"),
        "given_name": "Delegate",
        "family_name": f"Number {number:02d}",
        "email": email_address,
        "gender": form.choose("gender", "female"),
        "nationality": form.choose("nationality", country),
        "category": form.choose("category", "member_state"),
        "represented_country": form.choose("represented_country", country),
        "function": "Head of the National Counter-Terrorism Agency",
        "attendance": form.choose("attendance", "in_person"),
        "data_consent": "on",
    }
    files = {"nomination_document": ("note-verbale.pdf", pdf, "application/pdf")}
    started = time.perf_counter()
    bench.expect(client.post(server, path, "submit registration", data=data, files=files), 302, "submit")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=60)
    count = parser.parse_args().participants

    smtp, processes = HangingSMTP(), []
    with tempfile.TemporaryDirectory(prefix="registration-latency-") as name:
        folder = Path(name)
        try:
            server = bench.Server("A", bench.free_port())
            env = bench.environment(folder, smtp.port, server.url)
            bench.recreate_database()
            redis.Redis.from_url(bench.REDIS_URL).flushdb()
            bench.release(env)
            bench.setup_django(env, folder)
            conference, emails, _secret = bench.seed(count)
            commands = bench.procfile()
            web_env = {**env, "BIND": f"127.0.0.1:{server.port}", "WEB_CONCURRENCY": "2"}
            processes.append(bench.start(bench.shell(commands["web"]), web_env, folder / "web.log"))
            processes.append(bench.start(bench.shell(commands["worker"]), env, folder / "worker.log"))
            bench.wait_healthy([server], processes)

            samples, pdf = bench.Samples(), bench.pdf_bytes()
            seconds = sorted(
                register(number, address, server, conference, pdf, samples) for number, address in enumerate(emails)
            )
            from registration.models import OutgoingEmail

            deliveries = sorted(OutgoingEmail.objects.values_list("delivery", flat=True))
            p50, p95 = bench.percentile(seconds, 0.50), bench.percentile(seconds, 0.95)
            print(f"mail server: accepts on port {smtp.port}, never answers ({len(smtp.connections)} connections held)")
            print(f"registrations submitted: {len(seconds)}, each a 302 to its page")
            print(f"latency of the registration POST: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, ", end="")
            print(f"max {seconds[-1] * 1000:.0f} ms (goal: p95 < {GOAL_P95 * 1000:.0f} ms)")
            outcomes = ", ".join(f"{deliveries.count(delivery)} {delivery}" for delivery in sorted(set(deliveries)))
            print(f"emails stored: {len(deliveries)}: {outcomes}")
            held = p95 < GOAL_P95
            print("PASS" if held else "FAIL: p95 over the goal")
            return 0 if held else 1
        finally:
            bench.stop_all(processes)
            smtp.close()
            from django.db import connections

            connections.close_all()
            bench.drop_database()


if __name__ == "__main__":
    sys.exit(main())
