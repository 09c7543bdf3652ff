"""Measure the offline entry page (issue 17): its compressed weight and an entry on slow 3G.

    .venv/bin/python bench/offline_entry.py                       # SQLite, 3 runs
    DB=postgres DB_HOST=127.0.0.1 DB_USER=postgres DB_NAME=duan8_bench \\
        .venv/bin/python bench/offline_entry.py --runs 5

Each run is the two browser tests of tests/browser/test_offline_weight.py in a fresh pytest
process (its own test database, Debian's Chromium, the live server):

- weight: every answer the page needs once signed in (the page, its style sheets and scripts,
  du-lieu.json, /sw.js, the manifest and its two icons), each body compressed on its own by
  ``gzip.compress(body, compresslevel=6)``, summed; each URL counted once;
- slow 3G: Chromium's network emulation (400 ms latency, 50,000 bytes/s down and up) from the
  navigation to the entry page to the event being in the database: the page read through the
  slow network on a first visit (no worker yet), one event typed by the test (no human pause)
  and saved, then sent by the page.

The figures are those the tests print; the script reports the median, minimum and maximum.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = "tests/browser/test_offline_weight.py"
WEIGHT = re.compile(r"offline entry page: (\d+) files, ([\d.]+) KB gzip-6")
SLOW = re.compile(r"slow 3G: the event recorded ([\d.]+) s after opening the page")


def one_run() -> tuple[float, int, float]:
    """(KB compressed, files, seconds on slow 3G) of one pytest process."""
    extra = ["--create-db"] if os.environ.get("DB") == "postgres" else []
    result = subprocess.run(  # noqa: S603 (our own test runner)
        [
            str(ROOT / ".venv" / "bin" / "pytest"),
            TESTS,
            "-k",
            "weigh or slow_3g",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    weight, slow = WEIGHT.search(result.stdout), SLOW.search(result.stdout)
    if result.returncode != 0 or not weight or not slow:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-2000:])
        raise SystemExit(f"the run failed (pytest exit {result.returncode})")
    return float(weight.group(2)), int(weight.group(1)), float(slow.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    figures = []
    for n in range(1, runs + 1):
        kb, files, seconds = one_run()
        figures.append((kb, seconds))
        print(f"run {n}: {kb:.1f} KB gzip-6 in {files} files; slow 3G entry {seconds:.1f} s")  # noqa: T201
    for name, values, unit, limit in (
        ("weight", [f[0] for f in figures], "KB", 150),
        ("slow 3G entry", [f[1] for f in figures], "s", 60),
    ):
        print(  # noqa: T201
            f"{name}: median {statistics.median(values):.1f} {unit}, "
            f"min {min(values):.1f}, max {max(values):.1f} (limit {limit} {unit})"
        )


if __name__ == "__main__":
    main()
