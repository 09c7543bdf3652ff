"""Time the national roll-up (Việt Nam → its provinces) against hand-written SQL, in the same run.

    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_national.py   # PostgreSQL
    .venv/bin/python bench/bench_national.py                                  # SQLite
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_national.py --reuse test_duan8_nat

Builds a fresh database: the whole country's map (both maps, the successions of 1/7/2025, Việt
Nam above the provinces), the program structure, 40 indicators (the shipped rules and the extra
ones of ``demo/generator/extra_rules.py``, as ``bench_rollup.py``) and ``generate_demo --scale
national`` (every old commune, 2021–2025). Then, for 2023 on the 2023 map (63 old provinces) and
on the 2026 map (34 new provinces), times:

- **indicator_values** of Việt Nam with its provinces (one call: the engine reads the country's
  map once and keeps it while the map does not change; the first call is timed apart);
- **hand SQL**: ``bench_rollup.hand_sql`` with a placement written for the country's map (a
  record's unit → its province at depth 2 of the path; on the new map an old province's units go
  to the new province its primary succession names);
- **page**: ``GET /so-lieu/VN/?year=2023&as_of=…`` as a superuser;
- **loop**: what the country cost before it had a unit: one ``indicator_values`` per province.

It checks that the engine and the hand SQL agree on every province's values before timing.
Options: ``--runs N`` (default 5), ``--keep`` (keep the database), ``--reuse NAME`` (time on a
database kept by an earlier ``--keep`` run, PostgreSQL only: no building).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", default="")
    args = parser.parse_args()
    with bench_database(keep=args.keep, reuse=args.reuse):
        if not args.reuse:
            build()
        run(args.runs)


def build() -> None:
    from django.db import connection

    from duan8.activities.rules import indicator_rules_load
    from duan8.demo.generator import demo_generate
    from duan8.demo.generator.extra_rules import extra_rules_load
    from duan8.orgunits.geography import geography_load
    from duan8.programs.structure import program_structure_files, program_structure_load

    started = time.perf_counter()
    geography_load()
    for path in program_structure_files():
        program_structure_load(path=path)
    indicator_rules_load()
    extra_rules_load()
    print(f"Map, structure and rules: {time.perf_counter() - started:.1f} s")
    result = demo_generate(scale="national", seed=8, year_from=2021, year_to=2025)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"generate_demo --scale national: {result.seconds:.1f} s — {result.communes} communes, "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(result.rows.items()))
    )


def national_placement(unit, as_of) -> tuple[str, list]:
    """``place(unit_id, child_id)`` for Việt Nam: the province at depth 2 of a unit's path when
    it is a province of the map (a child of Việt Nam valid on ``as_of``); else, for an old
    province's units on the new map, the new province of its primary succession."""
    from duan8.orgunits.models import OrgUnit, OrgUnitSuccession

    units, successions = OrgUnit._meta.db_table, OrgUnitSuccession._meta.db_table
    valid = (
        "(c.valid_from IS NULL OR c.valid_from <= %s) AND (c.valid_to IS NULL OR c.valid_to >= %s)"
    )
    return (
        f"""place AS (
            SELECT u.id AS unit_id, c.id AS child_id
            FROM {units} u JOIN {units} c ON c.path = substr(u.path, 1, 19)
            WHERE c.parent_id = %s AND {valid}
            UNION ALL
            SELECT u.id, s.successor_id
            FROM {units} u
            JOIN {units} op ON op.path = substr(u.path, 1, 19) AND op.parent_id = %s
            JOIN {successions} s ON s.predecessor_id = op.id AND s.is_primary
            WHERE op.valid_to < %s AND s.effective_on <= %s)""",  # noqa: S608
        [unit.pk, as_of, as_of, unit.pk, as_of, as_of],
    )


def _timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(runs: int) -> None:
    import datetime

    from bench_rollup import check, hand_sql
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from duan8.accounts.models import User
    from duan8.activities.values import SYSTEM, Breakdown, indicator_values
    from duan8.orgunits import rollup
    from duan8.orgunits.models import OrgUnit
    from duan8.orgunits.rollup import org_unit_children_as_of

    country = OrgUnit.objects.get(level=OrgUnit.Level.NATIONAL)
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(
        "Units: "
        + ", ".join(
            f"{OrgUnit.Level(level).label} {count:,}"
            for level, count in sorted(
                (row["level"], row["n"])
                for row in OrgUnit.objects.values("level").annotate(n=django_count())
            )
        )
    )
    setup_test_environment()
    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench",
        password="bench-not-secret",  # noqa: S106
    )
    client = Client()
    client.force_login(admin)
    print()
    print(f"Median of {runs} runs, seconds:")
    print(
        "| Case | first call | indicator_values | hand SQL | ratio | page | loop over provinces |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, as_of in [
        ("2023 on the 2023 map (63 provinces)", datetime.date(2023, 12, 31)),
        ("2023 on the 2026 map (34 provinces)", datetime.date(2026, 1, 1)),
    ]:
        rollup.org_unit_rollup_forget()

        def ours(as_of=as_of):
            return indicator_values(actor=SYSTEM, unit=country, period=2023, as_of=as_of)

        start = time.perf_counter()
        data = ours()
        first = time.perf_counter() - start
        check(data, hand_sql(country, as_of, 2023, placement=national_placement))
        provinces = org_unit_children_as_of(country, as_of)

        def loop(as_of=as_of, provinces=provinces):
            for province in provinces:
                indicator_values(
                    actor=SYSTEM,
                    unit=province,
                    period=2023,
                    as_of=as_of,
                    breakdown=Breakdown.UNIT,
                )

        url = f"/so-lieu/VN/?year=2023&as_of={as_of}"
        assert client.get(url).status_code == 200
        a = _timed(ours, runs)
        b = _timed(lambda as_of=as_of: hand_sql(country, as_of, 2023, national_placement), runs)
        p = _timed(lambda url=url: client.get(url), runs)
        loop_seconds = _timed(loop, 1)
        print(
            f"| {label} | {first:.2f} | {a:.2f} | {b:.2f} | {a / b:.2f} | {p:.2f} "
            f"| {loop_seconds:.1f} |"
        )
    pages(client, country, runs)


def pages(client, country, runs: int) -> None:
    """The national reviewer's other pages: the dashboard (roll-up, completeness and charts,
    drawn from the page's own numbers) and the completeness summary, gzip as served."""
    import gzip

    print()
    print("| Page of Việt Nam | median s | bytes | gzip bytes |")
    print("| --- | --- | --- | --- |")
    for label, url in [
        ("dashboard, 2023 on the 2023 map", f"/don-vi/{country.pk}/tong-quan/?year=2023"),
        (
            "dashboard, 2023 on today's map",
            f"/don-vi/{country.pk}/tong-quan/?year=2023&as_of=2026-01-01",
        ),
        ("completeness, 2023", f"/don-vi/{country.pk}/bao-cao/tinh-hinh-nop/?year=2023"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = response.content
        seconds = _timed(lambda url=url: client.get(url), runs)
        print(f"| {label} | {seconds:.2f} | {len(body):,} | {len(gzip.compress(body, 6)):,} |")


def django_count():
    from django.db.models import Count

    return Count("id")


if __name__ == "__main__":
    main()
