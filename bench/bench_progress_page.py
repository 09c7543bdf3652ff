"""Time the progress page of a commune plan with 30 villages and a year of records.

    .venv/bin/python bench/bench_progress_page.py                          # SQLite, temporary file
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_progress_page.py
    .venv/bin/python bench/bench_progress_page.py --runs 50 --events-per-village 150

The commune is xã Ba Trang with its 2023 plan (Kế hoạch 87/KH-UBND, the demo data) and 30
villages; each village has a communication team, some a club and a livelihood group, members,
``--events-per-village`` events spread over the year with participant counts, a woman cadre, and
some difficulties. The page is rendered through Django's test client as the commune's Women's
Union officer, as a browser would get it (middleware, session, template), and timed
(``time.perf_counter``) over ``--runs`` requests after two warm-up requests. The work hub is
timed the same way.

On PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>`` (as the test runner does),
so ``DB_NAME`` itself is never written to.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def build(events_per_village: int) -> tuple:
    """The map, the plan, an officer and a year of records; returns (plan, officer, counts)."""
    from duan8.accounts.models import Membership, Role, User
    from duan8.activities.rules import indicator_rules_load
    from duan8.activities.tests.progress_data import add_villages, year_of_records
    from duan8.orgunits.models import OrgUnit
    from duan8.orgunits.services import org_unit_save_with_path
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
    indicator_rules_load()
    plan = plan_load(data=plan_data_read(BA_TRANG_2023), issuing_unit=commune, villages=named)
    officer = User.objects.create(username="hlhpn.batrang", full_name="Đinh Thị Hoa")
    Membership.objects.create(
        user=officer, org_unit=commune, role=Role.objects.get(code="commune_wu_officer")
    )
    counts = year_of_records(plan=plan, villages=villages, events_per_village=events_per_village)
    counts["villages"] = len(villages)
    return plan, officer, counts


def timed(client, url: str, runs: int) -> tuple[list[float], list[float], int, int]:
    """Milliseconds per request over ``runs`` requests after two warm-ups (wall clock, and the
    CPU time of this process: with SQLite that is the whole work, and it does not count the
    time other programs on a busy machine take); queries; bytes of the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    queries = len(context.captured_queries)  # now: the next request empties the query log
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    return times, cpu, queries, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--events-per-village", type=int, default=100)
    args = parser.parse_args()

    with bench_database(debug=False) as database:
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        start = time.perf_counter()
        plan, officer, counts = build(args.events_per_village)
        build_seconds = time.perf_counter() - start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(officer)
        load = os.getloadavg()
        pages = {
            "progress page": reverse("activities:plan_progress", args=[plan.pk]),
            "work hub": reverse("activities:work_hub", args=[plan.issuing_unit.pk, plan.year]),
        }
        results = {name: timed(client, url, args.runs) for name, url in pages.items()}

    print(f"Database: {database}; records built in {build_seconds:.1f} s")
    print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"Load average before/after: {load[0]:.1f} / {os.getloadavg()[0]:.1f}")
    for name, (times, cpu, queries, size) in results.items():
        print(
            f"{name}: median {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f}"
            f" ms, min {min(times):.0f} ms, max {max(times):.0f} ms over {len(times)} runs"
            f" (CPU median {statistics.median(cpu):.0f} ms, p95 {percentile(cpu, 0.95):.0f} ms);"
            f" {queries} queries, {size / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
