"""Time the dashboard of a commune with 30 villages, its series chart and the series itself.

    .venv/bin/python bench/bench_dashboard_series.py                          # SQLite
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_dashboard_series.py
    .venv/bin/python bench/bench_dashboard_series.py --runs 50 --events-per-village 150

The data are those of ``bench_progress_page.py`` (xã Ba Trang, Kế hoạch 87/KH-UBND, 30 villages,
``--events-per-village`` events of 2023 with participant counts, groups, members, cadres,
difficulties). Timed, as the commune's Women's Union officer through Django's test client, over
``--runs`` requests after two warm-ups: the dashboard of 2023 (its series table: 2021 to the
year after next), the image of its series chart, and
``activities.values.series.indicator_series`` of the communication sessions' indicator for
2021–2027 and for 2021–2035 (the queries must not grow with the years).

On PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>``.
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
sys.path.insert(0, str(ROOT / "bench"))

SESSIONS = "1719.GD1.DA8.ND1.HD2.2"


def timed_call(call, runs: int) -> tuple[list[float], int]:
    """Milliseconds per call over ``runs`` calls after two warm-ups; queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        call()
    with CaptureQueriesContext(connection) as context:
        call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times, len(context.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--events-per-village", type=int, default=100)
    args = parser.parse_args()

    with bench_database(debug=False) as database:
        from bench_progress_page import build, percentile, timed
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from duan8.activities.values.series import indicator_series
        from duan8.programs.models import ProgramElement

        plan, officer, counts = build(args.events_per_village)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(officer)
        load = os.getloadavg()
        commune = plan.issuing_unit
        query = f"?year=2023&as_of=2024-01-01&indicator={SESSIONS}"
        pages = {
            "dashboard page": reverse("reports:dashboard", args=[commune.pk]) + query,
            "series chart": reverse("reports:dashboard_chart", args=[commune.pk, "series"]) + query,
        }
        results = {name: timed(client, url, args.runs)[::2] for name, url in pages.items()}
        element = ProgramElement.objects.get(code=SESSIONS)
        for last in (2027, 2035):
            results[f"indicator_series 2021–{last}"] = timed_call(
                lambda last=last: indicator_series(
                    actor=officer, unit=commune, element=element, years=range(2021, last + 1)
                ),
                args.runs,
            )

    print(f"Database: {database}")
    print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"Load average before/after: {load[0]:.1f} / {os.getloadavg()[0]:.1f}")
    for name, (times, queries) in results.items():
        print(
            f"{name}: median {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f}"
            f" ms, min {min(times):.0f} ms over {len(times)} runs; {queries} queries"
        )


if __name__ == "__main__":
    main()
