"""The public pages under gunicorn, as ratios: to a bare Django view and to a static file of the same size.

    .venv/bin/python bench/public_pages.py [--sessions 500 2000] [--quick]

The site runs as the Procfile's `web` line runs it (gunicorn, 2 sync workers), debug off, with the
settings of bench/settings.py: the site's own plus a bare view at /bench/bare/ (bench/urls.py). The
database is a temporary SQLite file, or DATABASE_URL when set (the bench adds one conference and removes
it at the end). The cache is Redis, as in production: REDIS_URL, else 127.0.0.1:6379/14 (keys under a
prefix of the run's own, deleted at the end); `--cache database` uses the database's cache table instead.

For each size, one conference of 10 days with that many sessions. For each page, a static file of the
same bytes is served by whitenoise from STATIC_ROOT, compressed as collectstatic compresses. Clients
open a new connection per request (no keep-alive), send `Accept-Encoding: gzip, br` and what the TLS
proxy adds (X-Forwarded-Proto: https); rounds interleave bare view, page and static file, so that a
neighbour's load on the machine touches all three alike. Cold: the first request for a page after an
edit (a session saved through the ORM, which changes the programme's version), one at a time.

Prints a table per size and PASS/FAIL per goal; the exit status is 0 whatever the figures.
"""

import argparse
import collections
import contextlib
import datetime
import importlib
import math
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from two_servers import free_port, percentile, procfile, shell, stop_all

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
DAYS = 10
SLUG = "bench-week"
GOAL_STATIC = 0.5  # every cached public page against a static file of its size
GOAL_BARE = 0.25  # home and session page against the bare view
GOAL_NOT_MODIFIED = 0.5  # a repeat answered 304 against the bare view
GOAL_COLD_MS = 60  # the agenda, first request after an edit, at 500 sessions

# ---------------------------------------------------------------------------------------------
# The programme
# ---------------------------------------------------------------------------------------------

TOPICS = [
    "Countering the financing of terrorism",
    "Supporting victims of terrorism",
    "Preventing violent extremism conducive to terrorism",
    "Border security and management",
    "Protecting critical infrastructure and soft targets",
    "Engaging youth in prevention",
    "Gender dimensions of countering terrorism",
    "Human rights and the rule of law in counter-terrorism",
    "Terrorist use of new technologies",
    "Prosecution, rehabilitation and reintegration",
    "Aviation security and travel information",
    "Regional cooperation and information sharing",
]
ANGLES = ["lessons from the field", "the way forward", "regional perspectives", "partnerships", "a stocktaking"]
KINDS = ["thematic"] * 7 + ["side_event"] * 6 + ["interactive"] * 2 + ["webinar"] * 2 + ["high_level", "other"]
ROOMS = ["General Assembly Hall", "ECOSOC Chamber", "Trusteeship Council Chamber"] + [
    f"Conference Room {number}" for number in range(1, 13)
]
GIVEN = ["Amina", "Carlos", "Mei", "Olga", "Kwame", "Fatima", "Jean", "Priya", "Ahmed", "Sofia", "Hiroshi", "Nadia"]
FAMILY = ["Diallo", "García", "Chen", "Ivanova", "Mensah", "Haddad", "Dupont", "Sharma", "Kato", "Rossi", "Okafor"]
FUNCTIONS = ["Director", "Head of Unit", "Senior Adviser", "Ambassador", "Professor", "Programme Officer"]
ORGANIZATIONS = ["UNOCT", "CTED", "UNODC", "INTERPOL", "Permanent Mission of Kenya", "OSCE", "African Union"]
DESCRIPTION = (
    "The session takes stock of what Member States have learnt, and of the partnerships that made it work; "
    "speakers present practices that others can adopt."
)


def seed(sessions_total=500, days=DAYS):
    """One published conference of `days` days next month with `sessions_total` sessions, each with 1-3
    pillars, 0-3 people, a room, some with a short description, of varied kinds. Replaces an earlier one."""
    from django.utils import timezone

    from conference.models import Conference, Format, Room, Session, SessionPerson, Venue
    from conference.versioning import bump_schedule_version
    from strategy.models import Pillar

    Conference.objects.filter(slug=SLUG).delete()
    rng = random.Random(sessions_total)
    today = timezone.localdate()
    start = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=3)  # days 3-12 of next month
    venue, _ = Venue.objects.get_or_create(name="United Nations Headquarters", defaults={"city": "New York"})
    rooms = [Room.objects.get_or_create(venue=venue, name=name)[0] for name in ROOMS]
    conference = Conference.objects.create(
        title="Counter-Terrorism Week (benchmark)",
        slug=SLUG,
        theme="Cooperation against terrorism in a changing world",
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        venue=venue,
        format=Format.HYBRID,
        registration_opens_at=timezone.now() - datetime.timedelta(days=1),
        capacity_in_person=800,
        capacity_online=1500,
    )
    sessions, on_day = [], collections.Counter()
    for index in range(sessions_total):
        day = start + datetime.timedelta(days=index * days // sessions_total)
        slot = on_day[day] % 24  # half-hour slots from 08:00 to 19:30, as many rooms in parallel as needed
        on_day[day] += 1
        starts = conference.local_midnight(day) + datetime.timedelta(hours=8, minutes=30 * slot)
        kind = rng.choice(KINDS)
        sessions.append(
            Session(
                conference=conference,
                title=f"{rng.choice(TOPICS)}: {rng.choice(ANGLES)}",
                kind=kind,
                description=DESCRIPTION if rng.random() < 0.4 else "",
                date=day,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=rng.choice([60, 75, 90])),
                room=rng.choice(rooms),
                is_open=rng.random() < 0.5,
                organizers="The Permanent Mission of Norway and UNOCT" if kind == "side_event" else "",
            )
        )
    Session.objects.bulk_create(sessions)
    pillars = list(Pillar.objects.all())
    links, people = [], []
    for session in sessions:
        links += [
            Session.pillars.through(session_id=session.pk, pillar_id=pillar.pk)
            for pillar in rng.sample(pillars, rng.randint(1, 3))
        ]
        for position, role in enumerate(["chair", "moderator", "speaker"][: rng.randint(0, 3)]):
            people.append(
                SessionPerson(
                    session=session,
                    role=role,
                    name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                    function=rng.choice(FUNCTIONS),
                    organization=rng.choice(ORGANIZATIONS),
                    position=position,
                )
            )
    Session.pillars.through.objects.bulk_create(links)
    SessionPerson.objects.bulk_create(people)
    bump_schedule_version()  # bulk_create sends no signals
    return conference


def pages(conference):
    """(name, path, file extension, lists the whole programme) of the pages measured."""
    from conference.models import Session
    from strategy.models import Pillar

    slug, month = conference.slug, conference.start_date.strftime("%Y-%m")
    session = Session.objects.filter(conference=conference, people__position=2).exclude(description="").first()
    return [
        ("home", "/", "html", False),
        ("session", f"/sessions/{session.pk}/", "html", False),
        ("agenda", f"/conferences/{slug}/", "html", True),
        ("full programme", f"/conferences/{slug}/?day=all", "html", True),
        ("calendar list", f"/calendar/list/?month={month}", "html", True),
        ("calendar month", f"/calendar/?month={month}", "html", True),
        ("pillar", f"/pillars/{Pillar.objects.order_by('number').first().slug}/", "html", False),
        ("strategy", "/strategy/", "html", False),
        ("schedule.json", f"/conferences/{slug}/schedule.json", "json", True),
        ("iCal feed", f"/conferences/{slug}/calendar.ics", "ics", True),
    ]


def edit_programme(session_pk):
    """What staff do in the admin, in short: save a session. Its signal changes the programme's version in
    the shared cache, and its time of change the feeds' version."""
    from conference.models import Session

    Session.objects.get(pk=session_pk).save()


# ---------------------------------------------------------------------------------------------
# HTTP without keep-alive
# ---------------------------------------------------------------------------------------------


def request_bytes(port, path, headers=None):
    """A browser's GET through the TLS proxy (X-Forwarded-Proto), on a connection of its own."""
    fields = {
        "Host": f"127.0.0.1:{port}",
        "User-Agent": "bench/public_pages.py",
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Encoding": "gzip, br",
        "Accept-Language": "en",
        "X-Forwarded-Proto": "https",
        "Connection": "close",
        **(headers or {}),
    }
    lines = [f"GET {path} HTTP/1.1", *(f"{name}: {value}" for name, value in fields.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def exchange(port, request):
    """One request on a new connection; returns (status, response bytes with headers)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(262144):
            chunks.append(chunk)
    response = b"".join(chunks)
    if not response.startswith(b"HTTP/1.") or len(response) < 12:
        raise ConnectionError("closed without an answer")
    return int(response[9:12]), response


def split_response(response):
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    return {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}, body


def fetch(port, path, headers=None):
    status, response = exchange(port, request_bytes(port, path, headers))
    found, body = split_response(response)
    return status, found, body


def load(port, request, seconds, connections):
    """`connections` clients, each sending the request again as soon as it has the answer, for `seconds`.
    Returns (requests per second, {status: count})."""
    deadline = time.perf_counter() + seconds
    statuses = collections.Counter()
    lock = threading.Lock()

    def client():
        mine = collections.Counter()
        while time.perf_counter() < deadline:
            try:
                mine[exchange(port, request)[0]] += 1
            except OSError:  # ConnectionError too
                mine["error"] += 1
        with lock:
            statuses.update(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(statuses.values()) / (time.perf_counter() - started), statuses


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


def redis_answers(url):
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def environment(folder, cache):
    """Production's environment, debug off; the bench's settings and cache key prefix."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "REDIS_", "BENCH_", "WEB_CONCURRENCY", "BIND"))
    }
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(folder / "private-media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "BENCH_CACHE_PREFIX": f"bench-{secrets.token_hex(4)}",
        # The Procfile's `python` and `gunicorn`: those beside the Python running the bench.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    if cache == "redis":
        env["REDIS_URL"] = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    return env


def release():
    """The Procfile's `release` line (migrate, cache table, collectstatic, reference data), in this process."""
    import shlex

    from django.core.management import call_command

    for command in procfile()["release"].split("&&"):
        words = shlex.split(command)
        if words[:2] != ["python", "manage.py"]:
            raise SystemExit(f"the Procfile's release line runs {command.strip()!r}, not a manage.py command")
        call_command(*words[2:], verbosity=0)


class Server:
    """The Procfile's `web` line with 2 workers, on a port of its own."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.env = {**env, "BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "2"}
        self.log_path = log_path
        self.process = None

    def __enter__(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                shell(procfile()["web"]), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if fetch(self.port, "/health/")[0] == 200:
                    return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                stop_all([self.process])
                tail = "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-30:])
                raise SystemExit(f"gunicorn did not answer /health/:\n{tail}")
            time.sleep(0.2)

    def __exit__(self, *exc):
        stop_all([self.process])


def write_static_twins(static_root, bodies):
    """Each page's body as a file under STATIC_ROOT, with the .gz and .br that collectstatic would add.
    Returns {page name: URL path}."""
    from whitenoise.compress import Compressor

    folder = static_root / "bench"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    compressor = Compressor(quiet=True)
    paths = {}
    for index, (name, (extension, body)) in enumerate(bodies.items()):
        path = folder / f"page-{index}.{extension}"
        path.write_bytes(body)
        for _ in compressor.compress(str(path)):
            pass
        paths[name] = f"/static/bench/{path.name}"
    return paths


# ---------------------------------------------------------------------------------------------
# Measuring one size
# ---------------------------------------------------------------------------------------------


Row = collections.namedtuple("Row", "name size wire per_session rate bare static static_rate cold statuses")


def interleaved(port, targets, rounds, seconds, connections):
    """Rounds of each target in turn; returns each target's requests per second over all its rounds, and
    the status codes seen."""
    totals = {name: [0.0, collections.Counter()] for name, _ in targets}
    for _ in range(rounds):
        for name, request in targets:
            rate, statuses = load(port, request, seconds, connections)
            totals[name][0] += rate / rounds
            totals[name][1].update(statuses)
    return totals


def cold_latencies(port, path, session_pk, options):
    """Median and 95th percentile in ms of the first request after an edit: `cold_samples` of them, fewer
    (at least `cold_least`) past `cold_seconds`. None when a request failed (gunicorn's timeout: 30 s)."""
    times = []
    request = request_bytes(port, path)
    started_all = time.perf_counter()
    while len(times) < options.cold_samples and (
        len(times) < options.cold_least or time.perf_counter() - started_all < options.cold_seconds
    ):
        edit_programme(session_pk)
        started = time.perf_counter()
        try:
            status = exchange(port, request)[0]
        except OSError:
            status = "no answer"
        if status != 200:
            progress(f"  {path} answered {status} after an edit")
            return None
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 0.5), percentile(times, 0.95)


def progress(message, since=None):
    print(message + (f" ({time.monotonic() - since:.0f} s)" if since else ""), file=sys.stderr, flush=True)


def clock_step():
    """Public pages are rendered again when the clock passes a step (conference.caching)."""
    step = getattr(importlib.import_module("conference.caching"), "CLOCK_STEP_SECONDS", None)
    return (int(time.time() // step), step - time.time() % step) if step else (0, math.inf)


def warm_up(port, path, seconds):
    """The page once, rendered should it not be cached, early enough in a clock step that the next
    `seconds` of warm rounds do not measure a render; returns its answer."""
    while True:
        step, left = clock_step()
        if left < seconds + 1:
            time.sleep(left + 0.2)
            continue
        answer = fetch(port, path)
        if clock_step()[0] == step:
            return answer


def page_bodies(env, log, measured):
    """{page name: (file extension, body)} as gunicorn serves them, uncompressed; (name, why) of the others."""
    bodies, failed = {}, []
    with Server(env, log) as server:
        for name, path, extension, _ in measured:
            try:
                status, _, body = fetch(server.port, path, {"Accept-Encoding": "identity"})
            except OSError as error:
                status = type(error).__name__
            if status == 200:
                bodies[name] = (extension, body)
            else:
                failed.append((name, f"{path} answered {status}"))
    return bodies, failed


def warm_row(port, name, path, body, static_path, per_session, options):
    """The page, repeated, against the bare view and its static twin, in interleaved rounds."""
    wire = len(warm_up(port, path, options.rounds * 3 * options.seconds)[2])
    static_wire = len(fetch(port, static_path)[2])
    targets = [
        ("bare", request_bytes(port, "/bench/bare/")),
        ("page", request_bytes(port, path)),
        ("static", request_bytes(port, static_path)),
    ]
    got = interleaved(port, targets, options.rounds, options.seconds, options.connections)
    progress(f"  {name}: {got['page'][0]:.0f} req/s")
    return Row(
        name=name,
        size=len(body),
        wire=(wire, static_wire),
        per_session=per_session,
        rate=got["page"][0],
        bare=got["page"][0] / got["bare"][0],
        static=got["page"][0] / got["static"][0],
        static_rate=got["static"][0],
        cold=None,
        statuses=got["page"][1] + got["static"][1] + got["bare"][1],
    )


def not_modified_row(port, path, options):
    """A repeat with the page's ETag (If-None-Match), against the bare view."""
    etag = warm_up(port, path, options.rounds * 2 * options.seconds)[1]["etag"]
    targets = [
        ("bare", request_bytes(port, "/bench/bare/")),
        ("304", request_bytes(port, path, {"If-None-Match": etag})),
    ]
    got = interleaved(port, targets, options.rounds, options.seconds, options.connections)
    return Row(
        name="agenda repeat (304)",
        size=None,
        wire=None,
        per_session=None,
        rate=got["304"][0],
        bare=got["304"][0] / got["bare"][0],
        static=None,
        static_rate=None,
        cold=None,
        statuses=got["304"][1] + got["bare"][1],
    )


def measure_size(env, folder, sessions, options):
    """Rows of the table for one size, and (page, why) of the pages that could not be measured. Every page
    is measured warm first, then cold: each cold request makes every page cold."""
    from conference.models import Session

    began = time.monotonic()
    conference = seed(sessions)
    measured = pages(conference)
    edited = Session.objects.filter(conference=conference).order_by("-pk").values_list("pk", flat=True).first()
    log = folder / "gunicorn.log"
    progress(f"{sessions} sessions: seeded; the pages' bodies", began)
    bodies, failed = page_bodies(env, log, measured)
    static_paths = write_static_twins(Path(env["DJANGO_STATIC_ROOT"]), bodies)
    measured = [page for page in measured if page[0] in bodies]

    rows = []
    with Server(env, log) as server:  # whitenoise lists STATIC_ROOT's files when it starts
        load_before, cpu, wall = os.getloadavg()[0], time.process_time(), time.perf_counter()
        for name, path, _, whole_programme in measured:
            body = bodies[name][1]
            per_session = len(body) / sessions if whole_programme else None
            rows.append(warm_row(server.port, name, path, body, static_paths[name], per_session, options))
        paths = {name: path for name, path, *_ in measured}
        if "agenda" in paths:
            rows.append(not_modified_row(server.port, paths["agenda"], options))
        share = (time.process_time() - cpu) / (time.perf_counter() - wall)
        notes = [
            f"the clients used {share:.0%} of a core during the warm rounds; {os.cpu_count()} cores, "
            f"load average {load_before:.1f} before them, {os.getloadavg()[0]:.1f} after",
            *(f"not measured: {name} ({why})" for name, why in failed),
        ]
        progress(f"{sessions} sessions: cold", began)
        for index, (_, path, *_) in enumerate(measured):
            rows[index] = rows[index]._replace(cold=cold_latencies(server.port, path, edited, options))
    return rows, failed, notes


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def print_table(sessions, rows, notes):
    print(f"\n{sessions} sessions over {DAYS} days")
    header = (
        f"{'page':<20}{'KB':>7}{'sent KB page/static':>21}{'B/sess':>8}{'req/s':>8}{'× bare':>8}"
        f"{'× static':>10}{'static/s':>10}{'cold ms p50/p95':>17}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        size = f"{row.size / 1024:.1f}" if row.size is not None else "-"
        wire = f"{row.wire[0] / 1024:.1f} / {row.wire[1] / 1024:.1f}" if row.wire else "-"
        per_session = f"{row.per_session:.0f}" if row.per_session else "-"
        static = f"{row.static:.2f}" if row.static is not None else "-"
        static_rate = f"{row.static_rate:.0f}" if row.static_rate is not None else "-"
        cold = f"{row.cold[0]:.0f} / {row.cold[1]:.0f}" if row.cold else ("-" if row.size is None else "failed")
        print(
            f"{row.name:<20}{size:>7}{wire:>21}{per_session:>8}{row.rate:>8.0f}{row.bare:>8.2f}"
            f"{static:>10}{static_rate:>10}{cold:>17}"
        )
    unexpected = collections.Counter()
    for row in rows:
        expected = 304 if "304" in row.name else 200
        unexpected.update({status: n for status, n in row.statuses.items() if status not in (200, expected)})
    if unexpected:
        print(f"unexpected answers: {dict(unexpected)}")
    for note in notes:
        print(note)


def goals(results):
    """(goal, passed, detail) for each goal at each size measured; a page not measured fails its goals."""
    checks = []
    for sessions, (rows, failed, _) in results.items():
        by_name = {row.name: row for row in rows}
        short = [f"{row.name} {row.static:.2f}" for row in rows if row.static is not None and row.static < GOAL_STATIC]
        short += [f"{name} not measured" for name, _ in failed]
        lowest = min((row.static for row in rows if row.static is not None), default=math.nan)
        checks.append(
            (
                f"{sessions}: every cached public page ≥ {GOAL_STATIC}× a static file of its size",
                not short,
                ", ".join(short) or f"lowest {lowest:.2f}",
            )
        )
        for name, goal in (("home", GOAL_BARE), ("session", GOAL_BARE), ("agenda repeat (304)", GOAL_NOT_MODIFIED)):
            ratio = by_name[name].bare if name in by_name else math.nan
            checks.append((f"{sessions}: {name} ≥ {goal}× bare", ratio >= goal, f"{ratio:.2f}"))
    colds = {}
    for sessions, (rows, *_) in results.items():
        agenda = next((row for row in rows if row.name == "agenda"), None)
        colds[sessions] = agenda.cold[0] if agenda and agenda.cold else math.nan
    if 500 in colds:
        detail = ", ".join(f"{sessions} sessions: {ms:.0f} ms" for sessions, ms in colds.items())
        largest = max(colds)
        if largest != 500:
            detail += f"; ×{colds[largest] / colds[500]:.1f} the time for ×{largest / 500:g} the sessions"
        checks.append((f"500: cold agenda ≤ {GOAL_COLD_MS} ms (median)", colds[500] <= GOAL_COLD_MS, detail))
    return checks


def print_goals(results):
    print("\nGoals")
    for goal, passed, detail in goals(results):
        print(f"{'PASS' if passed else 'FAIL'}  {goal}  ({detail})")


# ---------------------------------------------------------------------------------------------


def delete_cache_keys(env):
    if "REDIS_URL" not in env:
        return
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    keys = list(client.scan_iter(match=f"{env['BENCH_CACHE_PREFIX']}:*", count=1000))
    if keys:
        client.delete(*keys)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sessions", type=int, nargs="+", help="sizes (default 500 2000; 500 with --quick)")
    parser.add_argument("--quick", action="store_true", help="500 sessions, short rounds, fewer cold samples")
    parser.add_argument("--cache", choices=["redis", "database"], default="redis", help="default redis, as deployed")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients (default 8)")
    options = parser.parse_args()
    options.sessions = options.sessions or ([500] if options.quick else [500, 2000])
    options.rounds, options.seconds = (1, 0.5) if options.quick else (2, 1.0)
    options.cold_samples, options.cold_least, options.cold_seconds = (3, 1, 1.0) if options.quick else (10, 3, 2.0)
    sys.stdout.reconfigure(line_buffering=True)

    with tempfile.TemporaryDirectory(prefix="public-pages-") as name:
        folder = Path(name)
        env = environment(folder, options.cache)
        if options.cache == "redis" and not redis_answers(env["REDIS_URL"]):
            raise SystemExit(f"Redis does not answer at {env['REDIS_URL']}; start it or use --cache database")
        began = time.monotonic()
        try:
            os.environ.update(env)
            sys.path.insert(0, str(ROOT))
            import django

            django.setup()
            from django.conf import settings

            release()
            progress("release steps done", began)

            cache = settings.CACHES["default"]
            print(
                f"gunicorn, 2 sync workers, debug off; database {settings.DATABASES['default']['ENGINE']}; "
                f"cache {cache['BACKEND']} {cache['LOCATION']}; {options.connections} clients, no keep-alive; "
                f"{options.rounds} × {options.seconds:g} s rounds of bare, page, static; "
                f"cold: {options.cold_samples} samples (at least {options.cold_least} past {options.cold_seconds:g} s)"
            )
            results = {}
            for sessions in options.sessions:
                results[sessions] = measure_size(env, folder, sessions, options)
                rows, _, notes = results[sessions]
                print_table(sessions, rows, notes)
            print_goals(results)
            print(f"\n{time.monotonic() - began:.0f} s in all")
        finally:
            if "django" in sys.modules:
                from django.db import connections

                from conference.models import Conference

                with contextlib.suppress(Exception):
                    Conference.objects.filter(slug=SLUG).delete()
                connections.close_all()
            with contextlib.suppress(Exception):
                delete_cache_keys(env)


if __name__ == "__main__":
    main()
