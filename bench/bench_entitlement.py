"""Time eligibility and entitlement for 100,000 cases of the mothers' registry; target under 10 s.

    .venv/bin/python bench/bench_entitlement.py                          # SQLite, temporary file
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_entitlement.py
    .venv/bin/python bench/bench_entitlement.py --cases 200000 --db-cases 20000

The world, in a throw-away database migrated as usual (migration 0003 loads the shipped rules):
old tỉnh Quảng Ngãi (51) with 100 communes × 30 villages, ended 30/6/2025, and new tỉnh Quảng
Ngãi (51, QĐ 19/2025) with 50 communes × 30 villages from 1/7/2025 (the province's succession
recorded); two villages in three are ĐBKK from 16/9/2021 (dated attributes). ``load_package_rules``
links the provinces. A second province, not in the rule (48), holds a tenth of the cases.

Timed:

- **engine**: ``RuleSet.load()`` (one read of the rules, items, provinces, successions and every
  ĐBKK attribute) and ``entitlement_for`` over ``--cases`` cases built in memory (mothers of the
  54 groups, 15% Kinh; dates from 2021 to 2026; home and facility births, normal and caesarean,
  1–7 days, with or without a carer, 0–6 antenatal visits), as a national run would compute them
  after reading the cases;
- **read + engine**: the same over ``--db-cases`` cases saved in the database, read with
  ``for_entitlement`` (which decrypts the health fields: the cost of reading, not of the rules);
- **national run**: the same saved cases read and computed by ``entitlement_batch.entitlements``
  (plain facts, not model objects; decrypted only what is read), from ``RuleSet.load`` to the
  last result, checked equal to the per-case results.

On PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>``.
"""

import argparse
import datetime
import random
import sys
import time
from collections import Counter
from pathlib import Path

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REFORM = datetime.date(2025, 7, 1)
VILLAGES = 30


def world(rng: random.Random) -> list:
    """The villages (old, new and of the province not listed), ĐBKK ones marked."""
    from duan8.orgunits.models import OrgUnit, OrgUnitAttribute, OrgUnitSuccession
    from duan8.orgunits.tests.factories import make_unit

    level = OrgUnit.Level
    old = make_unit(code="51", name="Quảng Ngãi", level=level.PROVINCE, kind="Tỉnh")
    new = make_unit(
        code="51",
        name="Quảng Ngãi",
        level=level.PROVINCE,
        kind="Tỉnh",
        scheme=OrgUnit.CodeScheme.QD19_2025,
        valid_from=REFORM,
        valid_to=None,
    )
    other = make_unit(code="48", name="Đà Nẵng", level=level.PROVINCE, kind="Thành phố")
    OrgUnitSuccession.objects.create(
        predecessor=old, successor=new, kind=OrgUnitSuccession.Kind.MERGED, effective_on=REFORM
    )
    communes = [
        make_unit(code=f"2{n:04d}", name=f"Xã {n}", level=level.COMMUNE, kind="Xã", parent=old)
        for n in range(100)
    ]
    communes += [
        make_unit(
            code=f"3{n:04d}",
            name=f"Xã mới {n}",
            level=level.COMMUNE,
            kind="Xã",
            parent=new,
            scheme=OrgUnit.CodeScheme.QD19_2025,
            valid_from=REFORM,
            valid_to=None,
        )
        for n in range(50)
    ]
    communes += [
        make_unit(code=f"4{n:04d}", name=f"Xã ĐN {n}", level=level.COMMUNE, kind="Xã", parent=other)
        for n in range(10)
    ]
    villages = []
    for commune in communes:
        rows = [
            OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code=f"{commune.code}-{n:02d}",
                name=f"số {n}",
                level=level.VILLAGE,
                kind="Thôn",
                parent=commune,
            )
            for n in range(VILLAGES)
        ]
        for village in OrgUnit.objects.bulk_create(rows):
            village.path = f"{commune.path}{village.pk:08d}/"
            villages.append(village)
    OrgUnit.objects.bulk_update(villages, ["path"], batch_size=1000)
    OrgUnitAttribute.objects.bulk_create(
        [
            OrgUnitAttribute(
                org_unit=village,
                key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
                valid_from=datetime.date(2021, 9, 16),
            )
            for village in villages
            if rng.random() < 2 / 3
        ],
        batch_size=1000,
    )
    return villages


def cases(rng: random.Random, villages: list, count: int) -> list:
    """``count`` pregnancies in memory with their mothers (nothing saved)."""
    from duan8.activities.models import EthnicGroup
    from duan8.mothers.models import Mother, Pregnancy

    groups = list(EthnicGroup.objects.order_by("code"))
    kinh = next(group for group in groups if not group.is_minority)
    minority = [group for group in groups if group.is_minority]
    old = [v for v in villages if v.code.startswith("2")]
    new = [v for v in villages if v.code.startswith("3")]
    other = [v for v in villages if v.code.startswith("4")]
    start = datetime.date(2021, 6, 1)
    found = []
    for _ in range(count):
        day = start + datetime.timedelta(days=rng.randrange(5 * 365))
        pick = rng.random()
        if pick < 0.1:
            village = rng.choice(other)
        else:
            village = rng.choice(new if day >= REFORM and pick < 0.6 else old)
        mother = Mother(
            village=village,
            commune=village.parent,
            full_name="Mẹ",
            birth_year=1995,
            ethnic_group=kinh if rng.random() < 0.15 else rng.choice(minority),
        )
        delivered = rng.random() < 0.9
        pregnancy = Pregnancy(  # type: ignore[misc]  # encrypted fields take dates and numbers
            mother=mother,
            village=village,
            commune=village.parent,
            expected_on=day,
            delivered_on=day if delivered else None,
            place=rng.choice(["facility", "facility", "facility", "home"]) if delivered else "",
            mode=rng.choice(["normal", "normal", "normal", "caesarean"]),
            days_at_facility=rng.randint(1, 7),
            has_carer=rng.random() < 0.7,
        )
        pregnancy.antenatal_visit_count = rng.randint(0, 6)  # type: ignore[attr-defined]
        found.append(pregnancy)
    return found


def save(rng: random.Random, built: list) -> None:
    """Save ``built`` (mothers, then pregnancies with their encrypted fields) for the read test."""
    from duan8.mothers.models import AntenatalVisit, Mother, Pregnancy

    mothers = Mother.objects.bulk_create([p.mother for p in built], batch_size=1000)
    for pregnancy, mother in zip(built, mothers, strict=True):
        pregnancy.mother = mother
    saved = Pregnancy.objects.bulk_create(built, batch_size=1000)
    AntenatalVisit.objects.bulk_create(
        [
            AntenatalVisit(pregnancy=p, visited_on=datetime.date(2024, 1, 1))  # type: ignore[misc]
            for p in saved
            for _ in range(p.antenatal_visit_count)  # type: ignore[attr-defined]
        ],
        batch_size=1000,
    )


def run(args: argparse.Namespace) -> None:
    from django.db import connection

    from duan8.mothers.entitlement import RuleSet, entitlement_for, for_entitlement
    from duan8.mothers.entitlement_batch import entitlements
    from duan8.mothers.models import Pregnancy
    from duan8.mothers.rules_data import package_rules_load

    rng = random.Random(13)
    villages = world(rng)
    package_rules_load()
    built = cases(rng, villages, args.cases)
    print(f"Database: {connection.vendor}; {len(villages):,} villages, {args.cases:,} cases")

    start, cpu = time.perf_counter(), time.process_time()
    rules = RuleSet.load()
    loaded = time.perf_counter() - start
    results = [entitlement_for(case, rules=rules) for case in built]
    engine, engine_cpu = time.perf_counter() - start, time.process_time() - cpu
    eligible = sum(1 for result in results if result.eligible)
    total = sum(result.total for result in results)
    print(
        f"engine: {engine:.2f} s ({engine_cpu:.2f} s CPU) for {len(built):,} cases"
        f" (RuleSet.load {loaded * 1000:.0f} ms);"
        f" {eligible:,} eligible, {int(total):,} VND due"
    )
    reasons = Counter(
        result.reasons_not_eligible[0].split(" (")[0][:60]
        for result in results
        if not result.eligible and result.reasons_not_eligible
    )
    for reason, count in reasons.most_common(4):
        print(f"  not eligible {count:>6,}: {reason}")

    save(rng, built[: args.db_cases])
    start, cpu = time.perf_counter(), time.process_time()
    rules = RuleSet.load()
    read = list(for_entitlement(Pregnancy.objects.all()))
    reading = time.perf_counter() - start
    again = [entitlement_for(case, rules=rules) for case in read]
    both, both_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"read + engine: {both:.2f} s ({both_cpu:.2f} s CPU) for {len(again):,} saved cases"
        f" (of which reading and decrypting {reading:.2f} s)"
    )

    start, cpu = time.perf_counter(), time.process_time()
    national = dict(entitlements(Pregnancy.objects.all(), rules=RuleSet.load()))
    batch, batch_cpu = time.perf_counter() - start, time.process_time() - cpu
    same = national == {case.pk: result for case, result in zip(read, again, strict=True)}
    print(
        f"national run (entitlements): {batch:.2f} s ({batch_cpu:.2f} s CPU)"
        f" for {len(national):,} saved cases; same results as per case: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db-cases", type=int, default=10_000)
    args = parser.parse_args()
    with bench_database():
        from django.utils import translation

        with translation.override("vi"):
            run(args)


if __name__ == "__main__":
    main()
