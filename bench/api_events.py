"""Time the events API: page through 10,000 events of one commune, and retry one POST 100 times.

    .venv/bin/python bench/api_events.py                                  # SQLite, temporary file
    DB=postgres DB_HOST=127.0.0.1 DB_USER=postgres DB_NAME=duan8_bench \
        .venv/bin/python bench/api_events.py
    .venv/bin/python bench/api_events.py --events 10000 --page-sizes 100 500 --retries 100

The commune is xã Ba Trang with its 2023 plan (Kế hoạch 87/KH-UBND, the demo data) and 30
villages. ``--events`` events spread over 2023 and the villages, each with two to four participant
count cells, are recorded through the service (``events_save_many``, all checks and locks, one
audit entry for the batch). The commune's Women's Union officer then pages through
``GET /api/v1/events/`` with an API token (Django's test client: middleware, token
authentication, throttling, the audit of each token use, JSON rendering), following ``next`` to
the end, for each ``--page-sizes``; every page is timed (``time.perf_counter``), and a second walk
counts the queries of each page (they must be the same for every page and every page size; the
token's "last used" time, written at most once a minute, is counted apart).
Last, one POST of a new event is sent ``--retries`` times with the same ``Idempotency-Key``:
exactly one event must be recorded, the other answers replayed.

The token rate limit (``API_RATE``) is raised for the run. After the setup and one warm-up walk
(which imports the API's modules), the objects in the process are moved out of the garbage
collector's reach (``gc.freeze()``, as a server that loads the application before forking
does): otherwise the full collections, one every dozen pages or so, walk the setup's objects too
(100–200 ms of CPU each), a cost of the benchmark's process, not of the request.
On PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>`` (as the test runner does),
so ``DB_NAME`` itself is never written to.
"""

import argparse
import datetime
import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACTIVITIES = [
    ("communication", "1719.GD1.DA8.ND1.HD2.2"),
    ("campaign", "1719.GD1.DA8.ND1.HD2.2"),
    ("dialogue", "1719.GD1.DA8.ND3.HD1.2"),
    ("broadcast", "1719.GD1.DA8.ND3.HD1.3"),
    ("training", "1719.GD1.DA8.ND1.HD1.3"),
    ("review", "1719.GD1.DA8.ND3.HD3.1"),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def build(events: int) -> tuple:
    """The map, the plan, an officer and ``events`` events; returns (plan, officer, villages)."""
    from duan8.accounts.models import Membership, Role, User
    from duan8.activities.services.events import CountInput, EventInput, events_save_many
    from duan8.activities.services.shared import Upload
    from duan8.activities.tests.progress_data import add_villages
    from duan8.orgunits.models import OrgUnit
    from duan8.orgunits.services import org_unit_save_with_path
    from duan8.programs.models import ProgramElement
    from duan8.programs.plan_data import BA_TRANG_2023, plan_data_read, plan_load
    from duan8.programs.structure import program_structure_files, program_structure_load

    def unit(code: str, name: str, level: int, kind: str, parent=None, scheme=None) -> OrgUnit:
        return org_unit_save_with_path(
            OrgUnit(
                code_scheme=scheme or OrgUnit.CodeScheme.QD124_2004,
                code=code,
                name=name,
                level=level,
                kind=kind,
                parent=parent,
            )
        )

    L = OrgUnit.Level
    province = unit("51", "Quảng Ngãi", L.PROVINCE, "Tỉnh")
    district = unit("535", "Ba Tơ", L.DISTRICT, "Huyện", province)
    commune = unit("21520", "Ba Trang", L.COMMUNE, "Xã", district)
    named = {
        name: unit(f"21520-{i:02d}", name, L.VILLAGE, "Thôn", commune, OrgUnit.CodeScheme.LOCAL)
        for i, name in enumerate(["Bùi Hui", "Kon Riêng", "Nước Đang"], start=1)
    }
    villages = [*named.values(), *add_villages(commune, 27, start=4)]
    for path in program_structure_files():
        program_structure_load(path=path)
    plan = plan_load(data=plan_data_read(BA_TRANG_2023), issuing_unit=commune, villages=named)
    officer = User.objects.create(username="hlhpn.batrang", full_name="Đinh Thị Hoa")
    Membership.objects.create(
        user=officer, org_unit=commune, role=Role.objects.get(code="commune_wu_officer")
    )
    elements = {e.code: e for e in ProgramElement.objects.filter(code__startswith="1719.")}
    rng = random.Random(8)
    first = datetime.date(2023, 1, 1)
    new = []
    for n in range(events):
        kind, code = ACTIVITIES[n % len(ACTIVITIES)]
        cells = [
            CountInput("F", True, "adult", rng.randint(5, 30)),
            CountInput("M", True, "adult", rng.randint(0, 15)),
        ]
        if n % 3 == 0:
            cells.append(CountInput("F", False, "child", rng.randint(1, 8)))
        if n % 5 == 0:
            cells.append(CountInput("M", False, "adult", rng.randint(1, 4)))
        new.append(
            EventInput(
                plan=plan,
                activity=elements[code],
                kind=kind,
                title=f"Sự kiện {n + 1:05d}",
                held_on=first + datetime.timedelta(days=rng.randrange(365)),
                org_unit=villages[n % len(villages)],
                place="Nhà văn hóa thôn",
                cost=rng.randrange(0, 3_000_000, 50_000),
                counts=cells,
            )
        )
    upload = Upload("event", "bench", len(new), 0, commune)
    for start in range(0, len(new), 2_000):
        events_save_many(actor=officer, new=new[start : start + 2_000], upload=upload)
    return plan, officer, villages


def walk(
    client, page_size: int, *, count_queries: bool
) -> tuple[list[float], list[float], list[int], int]:
    """Every page of the list at ``page_size``: ms per page (wall clock, and the CPU time of this
    process: with SQLite that is the whole work, and it does not count what other programs on a
    busy machine take), queries per page, events seen."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url: str | None = f"/api/v1/events/?page_size={page_size}"
    times: list[float] = []
    cpu: list[float] = []
    queries: list[int] = []
    seen = 0
    while url:
        if count_queries:
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            sql = [q["sql"] for q in context.captured_queries]
            touches = sum(1 for q in sql if q.startswith('UPDATE "api_apitoken"'))
            queries.append(len(sql) - touches)
        else:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.content[:300]
        page = response.json()
        seen += len(page["results"])
        url = page["next"]
    return times, cpu, queries, seen


def retries(client, plan, village, times: int) -> tuple[list[float], int, set[int]]:
    """One new event POSTed ``times`` times with one Idempotency-Key: ms each, events made."""
    import json

    from duan8.activities.models import Event

    body = {
        "plan": plan.pk,
        "org_unit": village.pk,
        "activity": "1719.GD1.DA8.ND3.HD1.2",
        "kind": "dialogue",
        "title": "Đối thoại chính sách (gửi lại 100 lần)",
        "held_on": "2023-12-28",
        "counts": [{"sex": "F", "minority": True, "age_group": "adult", "count": 17}],
        "confirm_duplicate": True,
    }
    before = Event.objects.count()
    elapsed, statuses = [], set()
    for _ in range(times):
        start = time.perf_counter()
        response = client.post(
            "/api/v1/events/",
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": "bench-retry-0001"},
        )
        elapsed.append((time.perf_counter() - start) * 1000)
        statuses.add(response.status_code)
    return elapsed, Event.objects.count() - before, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--page-sizes", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--retries", type=int, default=100)
    args = parser.parse_args()

    with bench_database(debug=False) as database:
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from duan8.api.tokens import api_token_create

        settings.API_RATE = "1000000/min"  # the walk sends hundreds of requests a minute

        start = time.perf_counter()
        plan, officer, villages = build(args.events)
        build_seconds = time.perf_counter() - start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        _token, key = api_token_create(actor=officer, name="bench", read_only=False)
        client = Client(HTTP_AUTHORIZATION=f"Token {key}")
        load = os.getloadavg()
        walk(client, args.page_sizes[0], count_queries=False)  # warm-up
        gc.collect()
        gc.freeze()
        results = {}
        for size in args.page_sizes:
            times, cpu, _none, seen = walk(client, size, count_queries=False)
            _none, _cpu, queries, _seen = walk(client, size, count_queries=True)
            results[size] = (times, cpu, queries, seen)
        retry_ms, made, statuses = retries(client, plan, villages[0], args.retries)

    print(f"Database: {database}; {args.events:,} events recorded in {build_seconds:.1f} s")
    print(f"Load average before/after: {load[0]:.1f} / {os.getloadavg()[0]:.1f}")
    for size, (times, cpu, queries, seen) in results.items():
        print(
            f"page_size {size}: {len(times)} pages, {seen:,} events; per page median"
            f" {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, max"
            f" {max(times):.0f} ms (CPU median {statistics.median(cpu):.0f} ms, p95"
            f" {percentile(cpu, 0.95):.0f} ms); queries per page {sorted(set(queries))}"
        )
    print(
        f"{args.retries} POSTs with one Idempotency-Key: {made} event recorded, answers"
        f" {sorted(statuses)}; first {retry_ms[0]:.0f} ms, retries median"
        f" {statistics.median(retry_ms[1:]):.0f} ms"
    )
    if made != 1 or any(len(set(r[2])) != 1 for r in results.values()):
        sys.exit("FAILED: more than one event recorded, or queries per page not fixed")


if __name__ == "__main__":
    main()
