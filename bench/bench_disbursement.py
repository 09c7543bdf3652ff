"""Time the national disbursement roll-up against a hand-written SQL aggregate, in the same run.

    .venv/bin/python bench/bench_disbursement.py                                  # SQLite
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_disbursement.py  # PostgreSQL

Builds a fresh database: the whole country's map (``geography_load``: 10,035 old communes,
3,321 new ones, the successions of 1/7/2025), the program structure, and — ``generate_demo``
writes no money — bulk-created 2023 allocations (3 per old commune: NSTW on the project,
NSĐP on the project, an NSTW supplement on a content) and vouchers (``--vouchers`` per old
commune, default 24: two a month over four activities and both sources, one in twelve reversed).
Then times ``finance.disbursement.disbursement_national`` (first call: the national roll-up map
read in one pass, ``orgunits.rollup.org_unit_rollup_national``, which is also timed against,
and checked equal to, the engine's maps of the 34 provinces merged; later calls: the map kept
while it does not change), year 2023 on the map of
1/1/2026: one row per new province, plus the months, sources and contents, and the same numbers from
hand-written SQL (old commune → old province by path → new province through the province's
succession; four GROUP BY queries), checks that both agree, and prints the medians. On
PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>``, as the test runner does.

Options: ``--runs N`` (default 7), ``--vouchers N``, ``--keep``.
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--vouchers", type=int, default=24)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    with bench_database(keep=args.keep):
        run(args.runs, args.vouchers)


def build(vouchers_per_commune: int) -> tuple[int, int]:
    import datetime
    from decimal import Decimal

    from duan8.accounts.models import User
    from duan8.finance.models import Allocation, Voucher
    from duan8.legal.models import LegalDocument
    from duan8.orgunits.models import OrgUnit
    from duan8.programs.models import Plan, ProgramElement

    project = ProgramElement.objects.get(code="1719.GD1.DA8")
    activities = list(
        ProgramElement.objects.filter(kind="activity", code__startswith="1719.GD1.DA8.")
    )
    by_content: dict = {}
    for activity in sorted(activities, key=lambda a: a.code):
        by_content.setdefault(activity.parent_id, activity)
    activities = (list(by_content.values()) + sorted(activities, key=lambda a: a.code))[:4]
    content = activities[0].parent
    communes = list(
        OrgUnit.objects.filter(code_scheme=OrgUnit.CodeScheme.QD124_2004, level=3).values_list(
            "pk", "parent_id"
        )
    )
    user = User.objects.create_user("bench-accountant", password="bench-not-secret")  # noqa: S106
    decision = LegalDocument.objects.create(
        kind=LegalDocument.Kind.DECISION,
        number="1",
        symbol="QĐ-UBND",
        issued_on=datetime.date(2023, 1, 10),
        issuer="bench",
    )
    first = OrgUnit.objects.get(pk=communes[0][0])
    plan = Plan.objects.create(
        project=project, issuing_unit=first, year=2023, issuing_body="bench", title="bench"
    )
    allocations = []
    for pk, parent_id in communes:
        common = {"decision": decision, "allocator_id": parent_id, "holder_id": pk, "year": 2023}
        allocations += [
            Allocation(**common, element=project, source="nstw", amount=Decimal(120_000_000)),
            Allocation(**common, element=project, source="nsdp", amount=Decimal(20_000_000)),
            Allocation(
                **common,
                element=content,
                source="nstw",
                kind="supplement",
                amount=Decimal(9_000_000),
            ),
        ]
    Allocation.objects.bulk_create(allocations, batch_size=5000)
    batch: list = []
    written = 0
    for pk, _parent in communes:
        for i in range(vouchers_per_commune):
            batch.append(
                Voucher(
                    holder_id=pk,
                    year=2023,
                    number=f"PC{i:04d}",
                    paid_on=datetime.date(2023, i % 12 + 1, 1 + (pk + i) % 27),
                    payee="bench",
                    amount=Decimal(-250_000 if i % 12 == 11 else 1_000_000 + 10_000 * (i % 7)),
                    content="bench",
                    plan=plan,
                    activity=activities[i % 4],
                    source="nstw" if i % 3 else "nsdp",
                    recorded_by=user,
                )
            )
        if len(batch) >= 20_000:
            Voucher.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    Voucher.objects.bulk_create(batch)
    written += len(batch)
    return len(communes), written


def hand_sql() -> dict:
    """The same figures from raw SQL written for the map of 2026: a voucher's holder (an old
    commune) → its old province (the first path segment) → the new province it merged into."""
    from django.db import connection

    from duan8.finance.models import Allocation, Voucher
    from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
    from duan8.programs.models import ProgramElement

    units, succ = OrgUnit._meta.db_table, OrgUnitSuccession._meta.db_table
    vouchers, allocs = Voucher._meta.db_table, Allocation._meta.db_table
    elements = ProgramElement._meta.db_table
    depth = len(OrgUnit.objects.filter(parent__isnull=True).values_list("path", flat=True)[0])
    place = f"""
        JOIN {units} u ON u.id = x.holder_id
        JOIN {units} op ON op.path = substr(u.path, 1, {depth})
        JOIN {succ} s ON s.predecessor_id = op.id AND s.is_primary"""
    signed = "CASE WHEN x.kind = 'reduction' THEN -x.amount ELSE x.amount END"
    month = (
        "CAST(strftime('%%m', x.paid_on) AS INTEGER)"
        if connection.vendor == "sqlite"
        else "EXTRACT(MONTH FROM x.paid_on)"
    )
    queries = {
        "given": f"SELECT s.successor_id, SUM({signed}) FROM {allocs} x {place}"
        " WHERE x.year = 2023 GROUP BY s.successor_id",
        "paid": f"SELECT s.successor_id, SUM(x.amount) FROM {vouchers} x {place}"
        " WHERE x.year = 2023 GROUP BY s.successor_id",
        "by_source": f"SELECT x.source, x.element_id, SUM({signed}) FROM {allocs} x"
        " WHERE x.year = 2023 GROUP BY x.source, x.element_id",
        "by_month": f"SELECT {month}, x.source, a.parent_id, SUM(x.amount) FROM {vouchers} x"
        f" JOIN {elements} a ON a.id = x.activity_id WHERE x.year = 2023"
        f" GROUP BY {month}, x.source, a.parent_id",
    }
    result = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql)
            result[name] = cursor.fetchall()
    return result


def per_province(as_of: datetime.date) -> None:
    """The map as it was read before the one-pass map: each province's engine map (a few
    queries each), merged; timed, and checked equal to the one-pass map."""
    from duan8.finance.disbursement import deadline_of, national_placement
    from duan8.orgunits.models import OrgUnit
    from duan8.orgunits.rollup import org_unit_rollup_map

    start = time.perf_counter()
    merged: dict[str, int] = {}
    for province in OrgUnit.objects.filter(parent__isnull=True, level=OrgUnit.Level.PROVINCE):
        if province.is_valid_on(as_of):
            rollup = org_unit_rollup_map(province, on=as_of, records_until=deadline_of(2023))
            merged.update(dict.fromkeys(rollup.path_targets, province.pk))
    seconds = time.perf_counter() - start
    assert merged == national_placement(year=2023, as_of=as_of).path_targets, "maps differ"
    print(f"The same map read province by province (as before): {seconds:.3f} s, equal")


def run(runs: int, per_commune: int) -> None:
    import datetime
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from duan8.finance.disbursement import disbursement_national
    from duan8.orgunits.geography import geography_load
    from duan8.programs.structure import program_structure_files, program_structure_load

    database = f"{connection.vendor} ({connection.settings_dict['NAME']})"
    started = time.perf_counter()
    geography_load()
    for path in program_structure_files():
        program_structure_load(path=path)
    map_seconds = time.perf_counter() - started
    started = time.perf_counter()
    communes, vouchers = build(per_commune)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Database: {database}")
    print(f"Map and structure: {map_seconds:.1f} s")
    print(
        f"Money written in {time.perf_counter() - started:.1f} s: {communes:,} old communes, "
        f"{3 * communes:,} allocations, {vouchers:,} vouchers of 2023"
    )

    as_of = datetime.date(2026, 1, 1)
    start = time.perf_counter()
    data = disbursement_national(year=2023, as_of=as_of)
    cold = time.perf_counter() - start
    hand = hand_sql()
    paid = {pk: Decimal(total) for pk, total in hand["paid"]}
    given = {pk: Decimal(total) for pk, total in hand["given"]}
    ours_paid = {row.key: row.figures.disbursed for row in data.units if row.figures.disbursed}
    ours_given = {row.key: row.figures.allocated for row in data.units if row.figures.allocated}
    assert ours_paid == paid, "disbursed per province differs from the hand SQL"
    assert ours_given == given, "allocated per province differs from the hand SQL"
    months = sum(Decimal(r[3]) for r in hand["by_month"])
    assert sum(row.figures.disbursed for row in data.months) == months == data.total.disbursed
    with CaptureQueriesContext(connection) as queries:
        disbursement_national(year=2023, as_of=as_of)
    print(
        f"{len(data.units)} provinces on the map of {as_of}; disbursed {data.total.disbursed:,} "
        f"of {data.total.allocated:,} ({data.total.percent}%); {len(queries)} queries "
        f"(the map kept: its state, then the money's)"
    )
    print(f"First call (the national map read in one pass): {cold:.3f} s")
    per_province(as_of)
    ours, theirs = [], []
    for _ in range(runs):
        start = time.perf_counter()
        disbursement_national(year=2023, as_of=as_of)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        hand_sql()
        theirs.append(time.perf_counter() - start)
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"Median of {runs} runs (after one warm-up), seconds:")
    print("| disbursement_national | hand SQL | ratio |")
    print("| --- | --- | --- |")
    print(f"| {a:.3f} | {b:.3f} | {a / b:.2f} |")


if __name__ == "__main__":
    main()
