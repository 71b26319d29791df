"""The site on two app servers, over HTTP: a race for 5 seats, and a mail server outage.

    .venv/bin/python bench/two_servers.py [--participants 30] [--login-spacing 0.2]

What it does, as production would run it (Procfile, README "Deploying"):

1. A fresh PostgreSQL database `bench_two_servers` (dropped at the end) and Redis db 15 (flushed)
   as the shared cache; the Procfile's `release` steps (migrate, createcachetable, collectstatic,
   load_reference_data), with debug off and a random secret key.
2. One published conference open for registration with 5 in-person seats, N participant accounts
   with verified addresses, and one staff superuser with a TOTP authenticator.
3. A fake SMTP server of its own (standard library), which it stops and starts again.
4. Two gunicorn servers (`web` of the Procfile, 2 workers each) and one task worker (`worker`).
5. N clients, one per participant, alternate between the servers: each logs in on one and
   registers (with a PDF nomination document) on the other, all submitting at the same moment.
   Half-way through the submissions the SMTP server stops. Meanwhile staff, logged in with their
   TOTP code on both servers, approve the pending registrations in concurrent batches split
   across both servers, so that the approvals race for the 5 seats. Once every request is
   answered, the SMTP server starts again and the script waits for the stored emails to go out.
6. It prints the figures and checks them: no 5xx, latency, exactly 5 approved and the rest
   waitlisted, no registration lost, every email sent once to the right person. Exit status 1
   when a check fails.

The clients speak plain HTTP to gunicorn but send what the TLS proxy of "Deploying" adds
(X-Forwarded-Proto: https, X-Forwarded-For with one address per client, and
DJANGO_TRUSTED_PROXY_COUNT=1), so Django treats each request as secure and rate limits count
per person. Cookies are marked Secure; the clients carry them over plain HTTP themselves.
Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust) and Redis at 127.0.0.1:6379.
"""

import argparse
import collections
import contextlib
import datetime
import email
import email.policy
import io
import math
import os
import re
import secrets
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE = "bench_two_servers"
REDIS_URL = "redis://127.0.0.1:6379/15"

SEATS = 5
PASSWORD = "Two servers, one seat count!"
STAFF_EMAIL = "secretariat@example.org"
SLOW_SECONDS = 2.0  # the goal: every request answered within this
# Seconds between two participants' arrivals (their logins), who then submit together. A login costs
# about 0.3 s of CPU (PBKDF2), so two cores take about 7 a second: 0.2 s keeps arrivals below that.
LOGIN_SPACING = 0.2
APPROVAL_BATCHES = 6  # concurrent admin actions per round, alternating between the servers
EMAIL_WAIT_SECONDS = 100  # for the worker's own retry (1 minute after a failure) once SMTP is back
REQUEST_TIMEOUT = 30  # gunicorn's --timeout: a request that takes longer is killed anyway

# What a Member State delegate types; the form's own choices decide the rest.
NATIONALITIES = ["SN", "FR", "JP", "BR", "KE", "IN", "CA", "EG", "NO", "MX"]
REQUIRED_FIELDS = {
    "csrfmiddlewaretoken",
    "given_name",
    "family_name",
    "email",
    "gender",
    "nationality",
    "category",
    "represented_country",
    "function",
    "attendance",
    "nomination_document",
    "data_consent",
}


# ---------------------------------------------------------------------------------------------
# A mail server the script controls
# ---------------------------------------------------------------------------------------------


class _SMTPSession(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, *lines):
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode("ascii"))

    def handle(self):
        self.reply("220 fake-smtp ESMTP ready")
        recipients = []
        while line := self.rfile.readline(65536):
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-fake-smtp", "250 8BITMIME")
            elif verb in {"HELO", "NOOP"}:
                self.reply("250 OK")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = line.decode("ascii", "replace").split(":", 1)[1].strip()
                recipients.append(address.split(">", 1)[0].lstrip("<").lower())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.mailbox.keep(recipients, self.read_data())
                self.reply("250 OK: queued")
            elif verb == "RSET":
                recipients = []
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def read_data(self):
        lines = []
        while (line := self.rfile.readline(1 << 20)) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)  # undo dot-stuffing
        return b"".join(lines)


class _SMTPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True  # restart on the same port while old connections sit in TIME_WAIT
    daemon_threads = True


class FakeSMTP:
    """An SMTP server on 127.0.0.1:`port` that keeps (recipients, subject) of every message it accepts.

    `stop()` closes the listening socket, so that connections are refused, as when a mail server
    is down; `start()` opens it again on the same port. What it received survives the restarts."""

    def __init__(self, port):
        self.port = port
        self.messages = []
        self._lock = threading.Lock()
        self._server = None

    def keep(self, recipients, data):
        subject = email.message_from_bytes(data, policy=email.policy.default)["subject"]
        with self._lock:
            self.messages.append((tuple(recipients), str(subject)))

    def start(self):
        if self._server:
            return
        self._server = _SMTPServer(("127.0.0.1", self.port), _SMTPSession)
        self._server.mailbox = self
        threading.Thread(target=self._server.serve_forever, name="fake-smtp", daemon=True).start()

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def running(self):
        return self._server is not None


# ---------------------------------------------------------------------------------------------
# Database, cache, environment, processes
# ---------------------------------------------------------------------------------------------


def recreate_database():
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def drop_database():
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(folder, smtp_port, site_url):
    """The production-like environment of every process: debug off, PostgreSQL, Redis, SMTP."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "MFA_", "TASKS_", "REGISTRATION_"))
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_STATIC_ROOT": str(folder / "staticfiles"),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_TRUSTED_PROXY_COUNT": "1",  # the clients play the TLS proxy: X-Forwarded-For
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "DJANGO_SITE_URL": site_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(folder / "private-media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",  # the Procfile's python
    }


def procfile():
    """The Procfile's commands by name: the script runs exactly what README's "Deploying" tells."""
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def shell(command):
    """A Procfile line as a process: `python`, `gunicorn` are the project's .venv's."""
    return ["sh", "-c", f"exec {command}" if "&&" not in command else command]


def release(env):
    """The Procfile's `release` line (README "Deploying", step 3)."""
    done = subprocess.run(shell(procfile()["release"]), cwd=ROOT, env=env, capture_output=True, check=False)
    if done.returncode:
        raise SystemExit(f"release failed:\n{done.stderr.decode()}")


def start(command, env, log_path):
    log = open(log_path, "wb")  # noqa: SIM115 -- open for the life of the process
    return subprocess.Popen(
        [str(part) for part in command], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_all(processes):
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(servers, processes, seconds=60):
    deadline = time.monotonic() + seconds
    for server in servers:
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.get(server.url + "/health/", timeout=2).status_code == 200:
                    break
            if any(process.poll() is not None for process in processes):
                raise SystemExit("a server or the worker exited during start-up; see the logs above")
            if time.monotonic() > deadline:
                raise SystemExit(f"{server.name} did not answer /health/ with 200 within {seconds} s")
            time.sleep(0.2)


# ---------------------------------------------------------------------------------------------
# Data, through Django in this process (same environment as the servers)
# ---------------------------------------------------------------------------------------------


def setup_django(env, folder):
    os.environ.update(env)
    sys.path[:0] = [str(folder), str(ROOT)]
    import django

    django.setup()


def seed(count):
    """The conference, `count` participants with verified addresses and a staff member with TOTP.
    Returns (conference, participant emails, staff TOTP secret)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from conference.models import Conference, Format
    from registration.models import User

    today = timezone.localdate()
    conference = Conference.objects.create(
        title="Fifth United Nations High-Level Conference of Heads of Counter-Terrorism Agencies",
        slug="two-servers",
        start_date=today + datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=62),
        format=Format.IN_PERSON,
        capacity_in_person=SEATS,
        registration_opens_at=timezone.now() - datetime.timedelta(days=1),
        is_published=True,
    )
    hashed = make_password(PASSWORD)  # once for all: hashing it for each account would take seconds
    users = User.objects.bulk_create(
        [User(email=f"delegate{number:02d}@example.org", password=hashed) for number in range(count)]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
    )
    staff = User.objects.create_superuser(email=STAFF_EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    return conference, [user.email for user in users], secret


def totp_code(secret, after=None):
    """The code an authenticator app shows now (or, with `after`, in the first period after that
    counter). Waits out the last second of a period, so the server still accepts the code."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    while True:
        now = time.time()
        counter = int(now) // period
        if (after is None or counter > after) and period - now % period > 1.5:
            return counter, format_hotp_value(hotp_value(secret, counter))
        time.sleep(0.25)


def pdf_bytes():
    """A real one-page PDF, as tests/registration/support.py makes them."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# HTTP: timed requests, and reading forms as a browser does
# ---------------------------------------------------------------------------------------------


class Server:
    def __init__(self, name, port):
        self.name, self.port = name, port
        self.url = f"http://127.0.0.1:{port}"
        self.origin = f"https://127.0.0.1:{port}"  # what a browser behind the TLS proxy sends


class Samples:
    """Every request: (server, step, status, seconds). Status "error" when no answer came."""

    def __init__(self):
        self.rows = []
        self._lock = threading.Lock()

    def add(self, *row):
        with self._lock:
            self.rows.append(row)


class _NoCookieJar(DefaultCookiePolicy):
    """requests' own jar would keep Django's Secure cookies and never send them over HTTP:
    it keeps none, and the client carries them itself."""

    def set_ok(self, cookie, request):
        return False


class Client:
    """One browser: its own cookies, behind the TLS proxy (X-Forwarded-Proto, X-Forwarded-For).

    Django marks its cookies Secure (debug off), which a browser sends because the proxy speaks
    HTTPS to it; we speak HTTP to gunicorn, so the client keeps and sends them itself."""

    def __init__(self, samples, address):
        self.samples = samples
        self.cookies = {}
        self.session = requests.Session()
        self.session.cookies.set_policy(_NoCookieJar())
        self.session.headers.update(
            {"X-Forwarded-Proto": "https", "X-Forwarded-For": address, "User-Agent": "bench/two_servers.py"}
        )

    def clone(self):
        """Another tab of the same browser: same cookies (so same session), its own connection."""
        other = Client(self.samples, self.session.headers["X-Forwarded-For"])
        other.cookies = dict(self.cookies)
        return other

    def keep_cookies(self, response):
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:  # how Django deletes a cookie
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value  # as the server quoted it

    def request(self, method, server, path, step, **kwargs):
        headers = {"Origin": server.origin, "Referer": server.origin + path} if method == "POST" else {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, server.url + path, headers=headers, allow_redirects=False, timeout=REQUEST_TIMEOUT, **kwargs
            )
        except requests.RequestException:
            self.samples.add(server.name, step, "error", time.perf_counter() - started)
            raise
        self.samples.add(server.name, step, response.status_code, time.perf_counter() - started)
        self.keep_cookies(response)
        return response

    def get(self, server, path, step):
        return self.request("GET", server, path, step)

    def post(self, server, path, step, **kwargs):
        return self.request("POST", server, path, step, **kwargs)


class FormReader(HTMLParser):
    """The fields of a page's forms: inputs with their type and value, selects with their options."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.fields = collections.defaultdict(list)  # name -> [(type, value)]
        self._select = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]].append((attrs.get("type", "text"), attrs.get("value") or ""))
        elif tag == "textarea" and attrs.get("name"):
            self.fields[attrs["name"]].append(("textarea", ""))
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif tag == "option" and self._select:
            self.fields[self._select].append(("option", attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def value(self, name):
        return self.fields[name][0][1] if self.fields.get(name) else None

    def choices(self, name):
        return [value for kind, value in self.fields.get(name, []) if kind in {"option", "radio"} and value]

    def choose(self, name, *preferred):
        """The first preferred value the form offers, else its first choice."""
        offered = self.choices(name)
        if not offered:
            raise AssertionError(f"the form offers no choice for {name!r}")
        return next((value for value in preferred if value in offered), offered[0])

    def hidden(self):
        data = collections.defaultdict(list)
        for name, entries in self.fields.items():
            for kind, value in entries:
                if kind == "hidden":
                    data[name].append(value)
        return dict(data)


def expect(response, status, what):
    if response.status_code != status:
        raise AssertionError(f"{what}: expected {status}, got {response.status_code} {response.text[:300]!r}")
    return response


def log_in(client, server, email_address, next_path=""):
    """The login page, then the credentials; returns the answer to the POST."""
    path = "/accounts/login/" + (f"?{urlencode({'next': next_path})}" if next_path else "")
    form = FormReader(expect(client.get(server, path, "login page"), 200, "login page").text)
    data = {"csrfmiddlewaretoken": form.value("csrfmiddlewaretoken"), "login": email_address, "password": PASSWORD}
    return client.post(server, path, "log in", data=data)


# ---------------------------------------------------------------------------------------------
# The race
# ---------------------------------------------------------------------------------------------


class Race:
    """What the threads share: the servers, the mail server, the samples and the outcomes."""

    def __init__(self, servers, smtp, conference, emails, staff_secret, pdf, login_spacing):
        self.login_spacing = login_spacing
        self.servers, self.smtp, self.conference, self.pdf = servers, smtp, conference, pdf
        self.emails, self.staff_secret = emails, staff_secret
        self.samples = Samples()
        self.submit_together = threading.Barrier(len(emails), timeout=120)
        self.registrations_done = threading.Event()
        self.results = {}  # participant email -> registration's reference (a 302 to its page)
        self.errors = []  # (who, error)
        self.staff = {"rounds": 0, "batches": 0, "replay_refused": None, "totp_wait": 0.0}
        self.batch_outcomes = []  # (server, participants selected, {status shown: count})
        self.received_before_outage = None
        self.smtp_stopped_at = None
        self.confirmation = collections.Counter()
        self._lock = threading.Lock()

    def registered(self, email_address, reference):
        with self._lock:
            self.results[email_address] = reference
            if len(self.results) == len(self.emails) // 2 and self.smtp.running:
                self.smtp.stop()  # half-way: the mail server goes down
                self.received_before_outage = len(self.smtp.messages)
                self.smtp_stopped_at = time.monotonic()

    def told(self, email_address, page):
        """What the registration page said about the confirmation email (the message after submitting)."""
        with self._lock:
            if "We could not send you a confirmation email" in page:
                self.confirmation["could not send"] += 1
            elif "A confirmation email is on its way" in page:
                self.confirmation["on its way"] += 1
            else:
                self.confirmation["nothing said"] += 1

    def failed(self, who, error):
        with self._lock:
            self.errors.append((who, f"{type(error).__name__}: {error}"))


def participant(race, number, email_address):
    """Log in on one server, register on the other (at the same moment as everyone), read the result."""
    here, there = race.servers[number % 2], race.servers[(number + 1) % 2]
    client = Client(race.samples, f"10.1.{number // 200}.{number % 200 + 1}")
    path = f"/conferences/{race.conference.slug}/register/"
    try:
        time.sleep(number * race.login_spacing)
        expect(log_in(client, here, email_address), 302, "log in")
        form = FormReader(expect(client.get(there, path, "registration form"), 200, "registration form").text)
        missing = REQUIRED_FIELDS - set(form.fields)
        if missing:
            raise AssertionError(f"the registration form lacks {sorted(missing)}")
        if form.value("email") != email_address:
            raise AssertionError(f"the form's email is {form.value('email')!r}, not the account's")
        country = NATIONALITIES[number % len(NATIONALITIES)]
        data = {
            "csrfmiddlewaretoken": form.value("csrfmiddlewaretoken"),
            "title": form.choose("title", "dr", "mr", "ms"),
            "given_name": "Delegate",
            "family_name": f"Number {number:02d}",
            "email": email_address,
            "gender": form.choose("gender", "female" if number % 2 else "male"),
            "nationality": form.choose("nationality", country),
            "category": form.choose("category", "member_state"),
            "represented_country": form.choose("represented_country", country),
            "organization": "",
            "function": "Head of the National Counter-Terrorism Agency",
            "attendance": form.choose("attendance", "in_person"),
            "accessibility_needs": "",
            "data_consent": "on",
        }
        files = {"nomination_document": ("note-verbale.pdf", race.pdf, "application/pdf")}
        race.submit_together.wait()
        response = expect(client.post(there, path, "submit registration", data=data, files=files), 302, "submit")
        location = urlsplit(response.headers["Location"]).path
        if not location.startswith("/registrations/"):
            raise AssertionError(f"submit redirected to {location}, not to the registration's page")
        race.registered(email_address, location.strip("/").split("/")[1])
        page = expect(client.get(here, location, "registration page"), 200, "registration page").text
        race.told(email_address, page)
    except Exception as error:
        race.submit_together.abort()  # nobody waits for a client that will not come
        race.failed(email_address, error)


def staff(race):
    """Log in on both servers with TOTP, then approve pending registrations in concurrent batches."""
    try:
        clients = staff_log_in_on_both(race)
        approve_until_done(race, clients)
    except Exception as error:
        race.failed("staff", error)


def staff_log_in_on_both(race):
    """Server A takes this period's code; the same code on server B must be refused (the codes used
    are in the shared cache), and B then takes the next period's code."""
    clients = [Client(race.samples, f"10.2.0.{number + 1}") for number in range(2)]
    pages = []
    for client, server in zip(clients, race.servers, strict=True):
        answer = expect(log_in(client, server, STAFF_EMAIL, "/admin/"), 302, "staff log in")
        second_step = urlsplit(answer.headers["Location"]).path
        if second_step != "/accounts/2fa/authenticate/":
            raise AssertionError(f"staff login went to {second_step}, not to the two-factor step")
        page = expect(client.get(server, second_step, "2FA page"), 200, "2FA page")
        pages.append((second_step, FormReader(page.text).value("csrfmiddlewaretoken")))

    def enter(index, code):
        (path, token), client, server = pages[index], clients[index], race.servers[index]
        return client.post(server, path, "2FA code", data={"csrfmiddlewaretoken": token, "code": code})

    counter, code = totp_code(race.staff_secret)
    expect(enter(0, code), 302, "TOTP code on server A")
    race.staff["replay_refused"] = enter(1, code).status_code == 200  # the form again, with its error
    waited = time.monotonic()
    _, code = totp_code(race.staff_secret, after=counter)
    race.staff["totp_wait"] = time.monotonic() - waited
    expect(enter(1, code), 302, "TOTP code on server B")
    return clients


def pending_path(race):
    return "/admin/registration/participant/?" + urlencode(
        {"conference__id__exact": race.conference.pk, "status__exact": "pending"}
    )


def approve_until_done(race, clients):
    """Rounds: list what is pending, approve it in concurrent batches on both servers; until the
    participants are done and nothing is pending."""
    while True:
        done = race.registrations_done.is_set()
        page = expect(clients[0].get(race.servers[0], pending_path(race), "admin: list"), 200, "admin list")
        pending = [value for _, value in FormReader(page.text).fields.get("_selected_action", [])]
        if not pending:
            if done:
                return
            time.sleep(0.5)
            continue
        size = math.ceil(len(pending) / APPROVAL_BATCHES)
        batches = [pending[start : start + size] for start in range(0, len(pending), size)]
        threads = [
            threading.Thread(target=approve_batch, args=(race, clients[index % 2].clone(), index % 2, batch))
            for index, batch in enumerate(batches)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        race.staff["rounds"] += 1
        race.staff["batches"] += len(batches)


def approve_batch(race, client, server_index, ids):
    """As staff do it: the list, the action on the selected rows, its decision page, "apply"."""
    server, path = race.servers[server_index], pending_path(race)
    try:
        page = expect(client.get(server, path, "admin: list"), 200, "admin list")
        chosen = {
            "csrfmiddlewaretoken": FormReader(page.text).value("csrfmiddlewaretoken"),
            "action": "decide_approved",
            "_selected_action": ids,
            "index": "0",
        }
        page = expect(client.post(server, path, "admin: choose action", data=chosen), 200, "admin action")
        form = FormReader(page.text)
        if "apply" not in form.fields or sorted(form.hidden().get("_selected_action", [])) != sorted(ids):
            raise AssertionError("the decision page does not carry the selected participants")
        data = {**form.hidden(), "message": "", "apply": form.value("apply")}
        answer = expect(client.post(server, path, "admin: apply decision", data=data), 302, "apply decision")
        page = expect(client.get(server, answer.headers["Location"], "admin: after decision"), 200, "after decision")
        # The admin's messages: "3 participants are now: Approved." and the like.
        outcome = {
            status: int(n) for n, status in re.findall(r"(\d+) participants? (?:is|are) now: ([^.<]+)\.", page.text)
        }
        race.batch_outcomes.append((server.name, len(ids), outcome))
    except Exception as error:
        race.failed(f"staff batch {ids}", error)


def run_race(race):
    threads = [
        threading.Thread(target=participant, args=(race, number, address), name=address)
        for number, address in enumerate(race.emails)
    ]
    staff_thread = threading.Thread(target=staff, args=(race,), name="staff")
    started = time.monotonic()
    staff_thread.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    race.registrations_done.set()
    staff_thread.join()
    return time.monotonic() - started


# ---------------------------------------------------------------------------------------------
# After the race: the emails, then the figures
# ---------------------------------------------------------------------------------------------


def email_counts():
    from django.db.models import Count

    from registration.models import OutgoingEmail

    counts = dict(OutgoingEmail.objects.values_list("delivery").annotate(n=Count("pk")).order_by())
    return {delivery: counts.get(delivery, 0) for delivery in ("queued", "sent", "failed")}


def wait_for_emails(env):
    """Wait for the worker's own retry (a failed email is tried again a minute later); should some
    still be unsent after EMAIL_WAIT_SECONDS, run `manage.py send_queued_emails` once, as staff can.
    Returns how they went out and the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < EMAIL_WAIT_SECONDS:
        counts = email_counts()
        if counts["queued"] == counts["failed"] == 0:
            return "the worker's automatic retry (1 minute after a failure)", time.monotonic() - started
        time.sleep(1)
    subprocess.run(
        [PYTHON, "manage.py", "send_queued_emails"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    time.sleep(3)  # emails queued in the last seconds are still the worker's
    return "manage.py send_queued_emails (after the automatic retry did not finish)", time.monotonic() - started


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)] if ordered else 0.0


def traceback_count(path):
    return path.read_text(errors="replace").count("Traceback") if path.exists() else 0


def figures_and_checks(race, smtp, outage, delivery, web_logs, seconds):
    from django.db.models import Count

    from registration.models import OutgoingEmail, Participant

    checks = []

    def check(name, ok, detail=""):
        checks.append((name, bool(ok), detail))

    rows = race.samples.rows
    statuses = collections.Counter(status for *_, status, _ in rows)
    durations = [seconds for *_, seconds in rows]
    slowest = max(rows, key=lambda row: row[-1])

    print(f"\n{'step':<24}{'server A':>9}{'server B':>9}{'statuses':>22}{'p50 s':>8}{'p95 s':>8}{'max s':>8}")
    steps = dict.fromkeys(step for _, step, _, _ in rows)
    for step in steps:
        of_step = [row for row in rows if row[1] == step]
        per_server = collections.Counter(row[0] for row in of_step)
        codes = ",".join(f"{code}×{n}" for code, n in sorted(collections.Counter(r[2] for r in of_step).items()))
        times = [row[3] for row in of_step]
        print(
            f"{step:<24}{per_server['A']:>9}{per_server['B']:>9}{codes:>22}"
            f"{percentile(times, 0.5):>8.3f}{percentile(times, 0.95):>8.3f}{max(times):>8.3f}"
        )

    participants = Participant.objects.filter(conference=race.conference)
    by_status = dict(participants.values_list("status").annotate(n=Count("pk")).order_by())
    per_user = collections.Counter(participants.values_list("user__email", flat=True))
    references = dict(participants.values_list("user__email", "reference"))
    stored = list(OutgoingEmail.objects.values_list("participant__user__email", "to", "kind", "subject", "delivery"))
    received = collections.Counter((to, subject) for recipients, subject in smtp.messages for to in recipients)
    status_of = dict(participants.values_list("user__email", "status"))
    wrong_mail = []
    for address in race.emails:
        mine = [row for row in stored if row[1] == address]
        status = status_of.get(address)
        if sorted(kind for _, _, kind, _, _ in mine) != sorted(["received", status]):
            wrong_mail.append(f"{address}: stored {[kind for _, _, kind, _, _ in mine]}, status {status}")
        for subject in {row[3] for row in mine}:
            wanted = sum(1 for row in mine if row[3] == subject)
            if received[(address, subject)] != wanted:
                wrong_mail.append(f"{address}: {subject!r} received {received[(address, subject)]}×, stored {wanted}×")
    attempts = OutgoingEmail.objects.filter(attempts__gt=1).count()
    p95 = percentile(durations, 0.95)

    print()
    table = [
        ("clients", f"{len(race.emails)} participants, staff on 2 servers + {race.staff['batches']} batch tabs"),
        ("arrivals", f"one login every {race.login_spacing:g} s, then all submit at once"),
        ("requests", len(rows)),
        ("status codes", ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items(), key=str))),
        ("race wall time", f"{seconds:.1f} s"),
        ("slowest request", f"{slowest[3]:.3f} s ({slowest[1]} on server {slowest[0]})"),
        ("95th percentile", f"{p95:.3f} s"),
        ("registrations posted OK / rows", f"{len(race.results)} / {participants.count()}"),
        ("status of registrations", ", ".join(f"{s}: {n}" for s, n in sorted(by_status.items()))),
        ("staff waited for the next TOTP code", f"{race.staff['totp_wait']:.1f} s"),
        ("approval rounds / batches", f"{race.staff['rounds']} / {race.staff['batches']}"),
        (
            "per batch: server approved/waitlisted",
            "  ".join(
                f"{name} {outcome.get('Approved', 0)}/{selected - outcome.get('Approved', 0)}"
                for name, selected, outcome in race.batch_outcomes
            ),
        ),
        ("emails stored", len(stored)),
        ("received by SMTP before the outage", race.received_before_outage),
        ("failed during the outage", outage["failed"]),
        (
            "participants told (after submitting)",
            ", ".join(f"'{said}': {n}" for said, n in sorted(race.confirmation.items())),
        ),
        ("sent after ≥ 1 failure", attempts),
        ("SMTP outage", f"{outage['seconds']:.1f} s"),
        ("received by SMTP (total)", len(smtp.messages)),
        ("unsent emails delivered by", f"{delivery[0]}, {delivery[1]:.0f} s after SMTP came back"),
        ("tracebacks in web servers' logs", sum(traceback_count(path) for path in web_logs)),
    ]
    width = max(len(name) for name, _ in table)
    for name, value in table:
        print(f"{name:<{width}}  {value}")

    check("every client's flow completed", not race.errors, "; ".join(f"{w}: {e}" for w, e in race.errors[:5]))
    server_errors = sum(n for status, n in statuses.items() if status == "error" or status >= 500)
    check("no 5xx and no request without an answer", not server_errors, f"{server_errors} requests")
    check(
        f"every request under {SLOW_SECONDS:.0f} s",
        slowest[3] < SLOW_SECONDS,
        f"{sum(d >= SLOW_SECONDS for d in durations)} slower",
    )
    check(f"exactly {SEATS} approved", by_status.get("approved", 0) == SEATS, str(by_status))
    check(
        "the rest waitlisted, none pending",
        by_status.get("waitlisted", 0) == len(race.emails) - SEATS and set(by_status) <= {"approved", "waitlisted"},
    )
    check(
        "no registration lost: one row per successful post, with its reference",
        len(race.results) == len(race.emails)
        and participants.count() == len(race.results)
        and all(per_user[address] == 1 and references[address] == ref for address, ref in race.results.items()),
    )
    check("a TOTP code used on server A is refused on server B", race.staff["replay_refused"])
    check("the outage made emails fail", outage["failed"] > 0, "SMTP stopped too late to matter")
    check("every stored email ended sent", all(row[4] == "sent" for row in stored), str(email_counts()))
    check("SMTP received each stored email once", len(smtp.messages) == len(stored))
    check("each participant got 'received' and their decision", not wrong_mail, "; ".join(wrong_mail[:3]))
    check("no traceback in the web servers' logs", not any(traceback_count(path) for path in web_logs), str(web_logs))

    print()
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + ("" if ok or not detail else f"  ({detail})"))
    return all(ok for _, ok, _ in checks)


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--participants", type=int, default=30, help="participants racing (default 30)")
    parser.add_argument(
        "--login-spacing",
        type=float,
        default=LOGIN_SPACING,
        help=f"seconds between two participants' logins (default {LOGIN_SPACING}; 0: all at once)",
    )
    arguments = parser.parse_args()
    count = arguments.participants
    if count <= SEATS:
        raise SystemExit(f"--participants must exceed the {SEATS} seats")

    processes, smtp, database_created = [], None, False
    with tempfile.TemporaryDirectory(prefix="two-servers-") as name:
        folder = Path(name)
        try:
            servers = [Server("A", free_port()), Server("B", free_port())]
            smtp = FakeSMTP(free_port())
            smtp.start()
            env = environment(folder, smtp.port, servers[0].url)

            step = time.monotonic()
            recreate_database()
            database_created = True
            redis.Redis.from_url(REDIS_URL).flushdb()
            release(env)
            setup_django(env, folder)
            conference, emails, staff_secret = seed(count)
            print(f"database, release steps and data: {time.monotonic() - step:.1f} s")

            logs = [folder / "web-a.log", folder / "web-b.log", folder / "worker.log"]
            commands = procfile()
            for server, log in zip(servers, logs, strict=False):
                web_env = {**env, "BIND": f"127.0.0.1:{server.port}", "WEB_CONCURRENCY": "2"}
                processes.append(start(shell(commands["web"]), web_env, log))
            processes.append(start(shell(commands["worker"]), env, logs[2]))
            wait_healthy(servers, processes)
            print(f"two gunicorn servers (:{servers[0].port}, :{servers[1].port}) and a worker answer /health/")

            race = Race(servers, smtp, conference, emails, staff_secret, pdf_bytes(), arguments.login_spacing)
            seconds = run_race(race)
            print(f"race over in {seconds:.1f} s; SMTP {'down' if not smtp.running else 'still up'}")

            time.sleep(5)  # the worker tries what was queued last, and fails: the server is still down
            outage = {"failed": email_counts()["failed"]}
            smtp.start()
            outage["seconds"] = time.monotonic() - (race.smtp_stopped_at or time.monotonic())
            print(f"SMTP back after {outage['seconds']:.1f} s, {outage['failed']} emails failed meanwhile; waiting")
            delivery = wait_for_emails(env)

            passed = figures_and_checks(race, smtp, outage, delivery, logs[:2], seconds)
        except BaseException:
            for log in sorted(folder.glob("*.log")):
                print(f"--- last lines of {log.name}", file=sys.stderr)
                print("\n".join(log.read_text(errors="replace").splitlines()[-30:]), file=sys.stderr)
            raise
        finally:
            stop_all(processes)
            if smtp:
                smtp.stop()
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            if database_created:
                drop_database()
            with contextlib.suppress(redis.RedisError):
                redis.Redis.from_url(REDIS_URL).flushdb()
    print("\nall checks passed" if passed else "\nSOME CHECKS FAILED")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
