"""Time a province's dashboard (charts included) and its completeness page, and weigh them.

    .venv/bin/python bench/bench_dashboard_page.py                                  # SQLite
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_dashboard_page.py  # PostgreSQL

Builds a fresh database as ``bench_rollup.py`` does: the map of Quảng Ngãi (new province 51 =
old Quảng Ngãi + old Kon Tum), ``generate_demo --scale province`` (100 communes × 30 villages,
2021–2025, seed 8) and the 40 indicators; then one report per commune and deadline of 2023 and
2025 (seeded: about 70 % on time, 15 % late, 5 % returned, 10 % never written), as the map stood
on each due date.

Timed through Django's test client as a superuser (who reviews everything), ``--runs`` requests
after a warm-up, with ``Accept-Encoding: gzip`` (the GZipMiddleware compresses what it sends):

- the dashboard of the old province (2023 on the 2023 map: 13 districts) and of the new one
  (2023 on the 2026 map: 96 communes) with every chart image the page makes the browser fetch,
  one after the other (none since the charts are drawn inline; five before);
- one chart alone (``dashboard_chart``, the units chart), which the page no longer requests;
- the completeness pages of both provinces, page 1 and a filtered page.

Prints each page's median and p95, its size as sent (gzip) and unpacked, its queries, and the
machine's load average. On PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>``.
"""

import argparse
import gzip
import os
import random
import statistics
import sys
import time
from pathlib import Path

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep the database (drop it by hand)")
    parser.add_argument(
        "--profile", action="store_true", help="time the parts of the new province's dashboard"
    )
    args = parser.parse_args()
    with bench_database(keep=args.keep, debug=False):
        run(args.runs, profile=args.profile)


def reports_make(seed: int = 8) -> int:
    """One report per commune and deadline of 2023 and 2025, for the communes that existed on
    the due date; written straight to the table (the workflow is not what is measured)."""
    import datetime
    from zoneinfo import ZoneInfo

    from duan8.orgunits.models import OrgUnit
    from duan8.reports.models import Report
    from duan8.reports.selectors.deadlines import deadlines_for_year

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    rng = random.Random(seed)
    communes = list(OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE).select_related("parent"))
    rows = []
    for year in (2023, 2025):
        for deadline in deadlines_for_year(year):
            for unit in communes:
                if not unit.is_valid_on(deadline.due_on):
                    continue
                draw = rng.random()
                if draw < 0.10:
                    continue  # never written
                late = 0.70 <= draw < 0.85
                day = deadline.due_on + datetime.timedelta(days=5 if late else -2)
                at = datetime.datetime.combine(day, datetime.time(9), tzinfo=tz)
                status = "returned" if draw >= 0.95 else "approved" if draw < 0.5 else "submitted"
                rows.append(
                    Report(
                        schedule=deadline.schedule,
                        org_unit=unit,
                        recipient_unit=unit.parent,
                        period_start=deadline.period_start,
                        period_end=deadline.period_end,
                        due_on=deadline.due_on,
                        status=status,
                        first_submitted_at=at,
                        submitted_at=at,
                    )
                )
    Report.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def parts(admin, unit, runs: int) -> None:
    """The median of each part of the new province's dashboard, called directly."""
    import datetime

    from duan8.reports.selectors.dashboards import completeness_lines, dashboard_rows, series_years
    from duan8.reports.series_chart import series_lines

    as_of = datetime.date(2026, 1, 1)
    board = dashboard_rows(actor=admin, unit=unit, year=2023, as_of=as_of)
    calls = {
        "dashboard_rows (indicator_values, CHILDREN)": lambda: dashboard_rows(
            actor=admin, unit=unit, year=2023, as_of=as_of
        ),
        "completeness_lines": lambda: completeness_lines(admin, unit, 2023),
        "series_lines 2021–2027": lambda: series_lines(
            actor=admin, unit=unit, element=board.element, years=series_years(2023)
        ),
    }
    for label, call in calls.items():
        call()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        print(f"{label}: median {statistics.median(times):.3f} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _get(client, url: str):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200, (url, response.status_code)
    body = response.content
    packed = response.get("Content-Encoding") == "gzip"
    return response, len(body), len(gzip.decompress(body)) if packed else len(body), packed


def _images(body: bytes) -> list[str]:
    """The chart images a page makes the browser fetch (none once the charts are inline)."""
    import lxml.html

    return lxml.html.fromstring(body).xpath("//figure[contains(@class, 'chart')]/img/@src")


def timed(client, url: str, runs: int) -> dict:
    """The page and every chart image it makes the browser fetch, one after the other (a
    browser would fetch them side by side, the server computing each)."""
    from django.db import connection

    response, *_ = _get(client, url)
    html = (
        gzip.decompress(response.content) if response.get("Content-Encoding") else response.content
    )
    urls = [url, *_images(html)]
    spent = {"queries": 0, "seconds": 0.0}

    def counted(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["queries"] += 1
            spent["seconds"] += time.perf_counter() - start

    with connection.execute_wrapper(counted):
        for each in urls:
            _get(client, each)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        sizes = [_get(client, each)[1:] for each in urls]
        times.append(time.perf_counter() - start)
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "sent": sum(s[0] for s in sizes),
        "unpacked": sum(s[1] for s in sizes),
        "gzip": all(s[2] for s in sizes),
        "queries": spent["queries"],
        "database": spent["seconds"],
        "requests": len(urls),
    }


def run(runs: int, *, profile: bool = False) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from duan8.accounts.models import User
    from duan8.activities.rules import indicator_rules_load
    from duan8.demo.generator import demo_generate
    from duan8.demo.generator.extra_rules import extra_rules_load
    from duan8.orgunits.geography import geography_load
    from duan8.orgunits.models import OrgUnit
    from duan8.programs.structure import program_structure_files, program_structure_load

    database = f"{connection.vendor} ({connection.settings_dict['NAME']})"
    geography_load(province_codes=["51"])
    for path in program_structure_files():
        program_structure_load(path=path)
    indicator_rules_load()
    extra_rules_load()
    result = demo_generate(scale="province", seed=8, year_from=2021, year_to=2025)
    reports = reports_make()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    new = OrgUnit.objects.get(code_scheme="qd19_2025", level=1, code="51")
    old = OrgUnit.objects.get(code_scheme="qd124_2004", level=1, code="51")
    setup_test_environment()
    admin = User.objects.create_superuser("bench", password="bench-not-secret")  # noqa: S106
    client = Client()
    client.force_login(admin)

    def dashboard(unit, as_of: str) -> str:
        return reverse("reports:dashboard", args=[unit.pk]) + f"?year=2023&as_of={as_of}"

    def completeness(unit, year: int, extra: str = "") -> str:
        return reverse("reports:completeness", args=[unit.pk]) + f"?year={year}{extra}"

    pages = [
        (
            "Dashboard, old province, 2023 on the 2023 map (13 districts)",
            dashboard(old, "2023-12-31"),
        ),
        (
            "Dashboard, new province, 2023 on the 2026 map (96 communes)",
            dashboard(new, "2026-01-01"),
        ),
        (
            "One chart alone (units, new province; not requested by the page)",
            reverse("reports:dashboard_chart", args=[new.pk, "units"])
            + "?year=2023&as_of=2026-01-01",
        ),
        ("Completeness, old province, 2023 (districts × deadlines)", completeness(old, 2023)),
        (
            "Completeness, new province, 2025 (communes × deadlines, page 1)",
            completeness(new, 2025),
        ),
        (
            "Completeness, new province, 2025, page 2",
            completeness(new, 2025, "&page=2"),
        ),
        (
            "Completeness, new province, 2025, not reported only",
            completeness(new, 2025, "&status=missing"),
        ),
    ]
    if profile:
        parts(admin, new, runs)
    load_before = os.getloadavg()
    results = [(label, timed(client, url, runs)) for label, url in pages]
    load_after = os.getloadavg()

    print(f"Database: {database}")
    print(
        f"generate_demo --scale province: {result.communes} communes "
        f"({result.new_communes} after 1/7/2025); {reports:,} reports of 2023 and 2025"
    )
    print(f"Load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f}")
    print(f"Median and p95 of {runs} requests after a warm-up (Accept-Encoding: gzip):")
    print("| Page | requests | median | p95 | sent (gzip) | unpacked | queries (database time) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, r in results:
        sent = f"{r['sent'] / 1024:.1f} KB" + ("" if r["gzip"] else " (not compressed)")
        print(
            f"| {label} | {r['requests']} | {r['median']:.3f} s | {r['p95']:.3f} s | {sent} "
            f"| {r['unpacked'] / 1024:.1f} KB | {r['queries']} ({r['database']:.3f} s) |"
        )


if __name__ == "__main__":
    main()
