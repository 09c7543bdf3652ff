"""Where a request's time goes: CPU per page and cProfile of an event's form GET + POST.

    set -a; . bench/load/load.env; set +a     # the load database, DEBUG=0 (as run.sh serves it)
    .venv/bin/python bench/load/profile_pages.py [--runs 50] [--top 30] [--sort tottime]

Runs in one process through Django's test client (the whole middleware stack, the templates,
the database; no HTTP server), signed in as the first user of ``bench/out/load/users.json``.
For each page of the Locust mix it prints the median CPU time (``time.process_time``, which the
machine's other work hardly changes, unlike wall time) and queries of ``--runs`` requests after a
warm-up; then profiles ``--runs`` event submissions (form GET + POST) with cProfile and prints the
``--top`` functions. The events it records stay in the load database (counted apart from a
Locust run, which compares the rows before and after itself).

``--profile PAGE`` profiles one page instead (plan, progress, events, dashboard, reports,
"entry (GET form)", or ``api``: ``POST /api/v1/events/`` with the user's token, as Locust's
``api`` mix sends it, after printing its median CPU); ``--queries`` prints the page's SQL, cut to
``SQL_WIDTH`` characters (300). With ``PROFILE_OUT=FILE`` the profile is also written to FILE
(``pstats``, to ask who called what). ``API_RATE=100000/min`` lifts the token's rate for long runs.
"""

import argparse
import cProfile
import datetime
import json
import os
import pstats
import random
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))


def found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--only", default="", help="profile only: pages or entry")
    parser.add_argument(
        "--profile",
        default="",
        help="cProfile this page (plan, progress, ..., or api: the events API POST); --queries",
    )
    parser.add_argument("--queries", action="store_true", help="with --profile: print its SQL")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duan8.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    me = json.loads((ROOT / "bench/out/load/users.json").read_text())[0]
    client = Client(HTTP_HOST="127.0.0.1")
    page = client.get("/login/")
    token = found(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    signed = client.post(
        "/login/",
        {"csrfmiddlewaretoken": token, "username": me["username"], "password": me["password"]},
    )
    assert signed.status_code == 302, signed.status_code
    entry = f"/don-vi/{me['commune']}/su-kien/ghi/?plan={me['plan']}"
    pages = {
        "plan": f"/ke-hoach/{me['plan']}/",
        "progress": f"/ke-hoach/{me['plan']}/tien-do/",
        "events": f"/don-vi/{me['commune']}/su-kien/",
        "dashboard": f"/don-vi/{me['commune']}/tong-quan/",
        "reports": f"/don-vi/{me['commune']}/bao-cao/",
        "entry (GET form)": entry,
    }

    serial = [0]

    def submit() -> tuple[int, int]:
        page = client.get(entry)
        html = page.text
        acts = re.findall(r'<option value="(\d+)"[^>]*data-kind="(\w+)"', html)
        selects = dict(re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', html, re.S))
        units = re.findall(r'<option value="(\d+)"', selects["org_unit"])
        activity, kind = random.choice(acts)  # noqa: S311
        serial[0] += 1
        day = datetime.date(me["year"], 1, 1) + datetime.timedelta(random.randint(0, 300))  # noqa: S311
        data = {
            "csrfmiddlewaretoken": found(r'csrfmiddlewaretoken" value="([^"]+)"', html),
            "once": found(r'name="once" value="([^"]+)"', html),
            "plan": me["plan"],
            "held_on": str(day),
            "org_unit": random.choice(units),  # noqa: S311
            "activity": activity,
            "kind": kind,
            "title": f"Hồ sơ đo {serial[0]} {time.time()}",
            "n-F-minority-adult": random.randint(1, 30),  # noqa: S311
            "n-M-minority-adult": random.randint(1, 30),  # noqa: S311
        }
        posted = client.post(entry, data)
        return page.status_code, posted.status_code

    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {me['token']}")

    def post_api() -> int:
        """One event through ``POST /api/v1/events/``, as the Locust ``api`` mix sends it."""
        activity = random.choice(list(me["activities"]))  # noqa: S311
        serial[0] += 1
        body = {
            "plan": me["plan"],
            "org_unit": random.choice(me["units"]),  # noqa: S311
            "activity": activity,
            "kind": me["activities"][activity],
            "title": f"Hồ sơ api {serial[0]} {time.time()}",
            "held_on": str(datetime.date(me["year"], 1, 1) + datetime.timedelta(serial[0] % 300)),
            "counts": [
                {"sex": "F", "minority": True, "age_group": "adult", "count": 12},
                {"sex": "M", "minority": True, "age_group": "adult", "count": 5},
            ],
            "confirm_duplicate": True,
        }
        response = api.post(
            "/api/v1/events/",
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )
        assert response.status_code == 201, response.content[:300]
        return response.status_code

    print(f"Database: {connection.settings_dict['NAME']}; user {me['username']}")
    if args.profile:
        url = pages.get(args.profile, "")
        fetch = post_api if args.profile == "api" else (lambda: client.get(url).status_code)
        assert fetch() in (200, 201), args.profile
        if args.profile == "api":
            cpu = []
            for _ in range(args.runs):
                c = time.process_time()
                post_api()
                cpu.append(time.process_time() - c)
            tenth = statistics.quantiles(cpu, n=10)[0]
            print(
                f"  api POST CPU {statistics.median(cpu) * 1000:6.1f} ms (median of {args.runs};"
                f" tenth percentile {tenth * 1000:.1f} ms, steadier on a shared machine)"
            )
        with CaptureQueriesContext(connection) as queries:
            fetch()
        if args.queries:
            for query in queries:
                print(f"{query['time']:>7} {query['sql'][: int(os.environ.get('SQL_WIDTH', 300))]}")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.runs):
            fetch()
        profile.disable()
        if os.environ.get("PROFILE_OUT"):
            profile.dump_stats(os.environ["PROFILE_OUT"])
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
        return
    print(f"Median of {args.runs} requests after a warm-up (CPU of this process, queries):")
    if args.only != "entry":
        for name, url in pages.items():
            assert client.get(url).status_code == 200, name
            cpu, wall = [], []
            for _ in range(args.runs):
                c, w = time.process_time(), time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                cpu.append(time.process_time() - c)
                wall.append(time.perf_counter() - w)
                assert response.status_code == 200, (name, response.status_code)
            print(
                f"  {name:18} CPU {statistics.median(cpu) * 1000:6.1f} ms, wall"
                f" {statistics.median(wall) * 1000:6.1f} ms, {len(queries)} queries,"
                f" {len(response.content) // 1024} KB"
            )
    submit()
    cpu, wall = [], []
    for _ in range(args.runs):
        c, w = time.process_time(), time.perf_counter()
        statuses = submit()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
        assert statuses == (200, 302), statuses
    print(
        f"  {'submit GET+POST':18} CPU {statistics.median(cpu) * 1000:6.1f} ms, wall"
        f" {statistics.median(wall) * 1000:6.1f} ms"
    )
    if args.only == "pages":
        return
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.runs):
        submit()
    profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
