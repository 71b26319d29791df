"""`--clock-offset-days=N` runs the suite N days ahead: in every thread, as the browser tests' live server
runs in one. A run with it shows that no test depends on today's date."""

import datetime
import threading
import time

import time_machine
from django.utils import timezone


def real_now():
    travelling = time_machine.escape_hatch.is_travelling()
    seconds = time_machine.escape_hatch.time.time() if travelling else time.time()
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def test_every_thread_runs_the_offset_ahead_of_the_real_clock(pytestconfig):
    offset = datetime.timedelta(days=pytestconfig.getoption("--clock-offset-days"))
    seen = []
    thread = threading.Thread(target=lambda: seen.append(timezone.now()))
    thread.start()
    thread.join()

    real = real_now()
    for now in (timezone.now(), *seen):
        assert abs(now - real - offset) < datetime.timedelta(minutes=1)
