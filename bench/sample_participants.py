"""Time the sample-data command on a fresh SQLite database.

    .venv/bin/python bench/sample_participants.py [N]

Prints the seconds taken to add N (default 10,000) sample registrations and the rate.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        manage("migrate", "--noinput", env=env)
        manage("load_reference_data", env=env)
        manage("load_sample_data", env=env)
        started = time.perf_counter()
        manage("load_sample_data", "--participants", str(count), "--verbosity", "0", env=env)
        seconds = time.perf_counter() - started
    print(f"{count} sample registrations on SQLite: {seconds:.1f} s ({count / seconds:.0f} per second)")


if __name__ == "__main__":
    main()
