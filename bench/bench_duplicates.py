"""Time duplicate detection over 100,000 cases of the mothers' registry; target under 30 s.

    .venv/bin/python bench/bench_duplicates.py                          # SQLite, temporary file
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_duplicates.py
    .venv/bin/python bench/bench_duplicates.py --cases 200000

The world: one old province of 100 communes × 10 villages, ended 30/6/2025, and 50 new communes
each formed from two of them (successions of 1/7/2025) with 10 villages of their own. Mothers
and their cases are bulk-created (names drawn from Vietnamese family, middle and given names,
so a name without diacritics is shared by about 20 women; years of birth 1980–2006; a third with
an ID number, half with a phone; a tenth not yet delivered, with only the expected date, which
is encrypted). About 2% are copies of another case: typed again elsewhere in the lineage (the
same commune, or its successor after 1/7/2025), with the name without its diacritics, the date a
few days off, sometimes the ID number.

Timed: ``duan8.mothers.duplicates.duplicates_find()`` over everything (blocking, writing the
pairs), then again over the new province (idempotent: nothing new). It prints how many injected
copies were caught. On PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>``.
"""

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Hà"
MIDDLE = ["Thị", "Thị Thu", "Thị Ngọc", "Thị Kim", "Ngọc", "Thu", "Thị Mỹ", "Thị Thanh"]
GIVEN = (
    "Lan Hoa Mai Đào Hương Huệ Hồng Nga Ngân Nhung Oanh Phương Quyên Sương Thảo Thủy Trang Trinh "
    "Tuyết Uyên Vân Xuân Yến Ánh Bích Chi Diệp Dung Giang Hạnh Hiền Huyền Khánh Liên Linh Loan "
    "Lụa Mận Nguyệt Nhàn Như Phượng Quế Sen Thơm Tâm Thắm Thúy Trâm Tú Vy"
)
COMMUNES, VILLAGES, COPY_SHARE = 100, 10, 0.02
REFORM = datetime.date(2025, 7, 1)


def world() -> tuple[list, list, dict, dict]:
    """The units: old communes' villages, new communes' villages, old → new, village → commune."""
    from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
    from duan8.orgunits.tests.factories import make_unit

    level = OrgUnit.Level
    old_province = make_unit(code="51", name="Quảng Ngãi", level=level.PROVINCE, kind="Tỉnh")
    new_province = make_unit(
        code="51",
        name="Quảng Ngãi",
        level=level.PROVINCE,
        kind="Tỉnh",
        scheme=OrgUnit.CodeScheme.QD19_2025,
        valid_from=REFORM,
        valid_to=None,
    )
    old_villages, new_villages, successor, commune_of = [], [], {}, {}
    new_communes = []
    for index in range(COMMUNES // 2):
        new = make_unit(
            code=f"9{index:04d}",
            name=f"Xã mới {index}",
            level=level.COMMUNE,
            kind="Xã",
            parent=new_province,
            scheme=OrgUnit.CodeScheme.QD19_2025,
            valid_from=REFORM,
            valid_to=None,
        )
        new_communes.append(new)
    for index in range(COMMUNES):
        old = make_unit(
            code=f"2{index:04d}",
            name=f"Xã cũ {index}",
            level=level.COMMUNE,
            kind="Xã",
            parent=old_province,
        )
        new = new_communes[index // 2]
        OrgUnitSuccession.objects.create(
            predecessor=old, successor=new, kind=OrgUnitSuccession.Kind.MERGED, effective_on=REFORM
        )
        for number in range(VILLAGES):
            village = make_unit(
                code=f"2{index:04d}-{number}",
                name=f"Thôn {number}",
                level=level.VILLAGE,
                kind="Thôn",
                parent=old,
                scheme=OrgUnit.CodeScheme.LOCAL,
            )
            old_villages.append(village)
            successor[village.pk] = new
            commune_of[village.pk] = old
    for new in new_communes:
        for number in range(VILLAGES):
            village = make_unit(
                code=f"{new.code}-{number}",
                name=f"Thôn {number}",
                level=level.VILLAGE,
                kind="Thôn",
                parent=new,
                scheme=OrgUnit.CodeScheme.LOCAL,
                valid_from=REFORM,
                valid_to=None,
            )
            new_villages.append(village)
            commune_of[village.pk] = new
    return old_villages, new_villages, successor, commune_of


def cases_make(count: int, rng: random.Random) -> tuple[int, int]:
    """Bulk-create ``count`` cases (with their mothers); returns (copies made, their ID'd ones)."""
    from duan8.activities.models import EthnicGroup
    from duan8.mothers import crypto
    from duan8.mothers.models import Mother, Pregnancy
    from duan8.mothers.names import name_key

    old_villages, new_villages, successor, commune_of = world()
    new_by_commune: dict[int, list] = {}
    for village in new_villages:
        new_by_commune.setdefault(commune_of[village.pk].pk, []).append(village)
    hre = EthnicGroup.objects.get(code="19")
    originals = int(count * (1 - COPY_SHARE))
    mothers: list = []
    pregnancies: list = []
    plans: list[tuple] = []
    for index in range(count):
        if index < originals:
            name = f"{rng.choice(FAMILY.split())} {rng.choice(MIDDLE)} {rng.choice(GIVEN.split())}"
            year = rng.randint(1980, 2006)
            digits = f"0511{year % 100:02d}{index:06d}" if rng.random() < 0.33 else ""
            phone = f"09{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.5 else ""
            delivered = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randint(0, 1000))
            village = rng.choice(old_villages if delivered < REFORM else new_villages)
        else:  # a copy of an earlier case, typed again in its lineage
            source = plans[rng.randrange(originals)]
            name, year, digits, phone, delivered, village = source
            name = name_key(name).title() if rng.random() < 0.5 else name
            digits = digits if rng.random() < 0.5 else ""
            phone = phone if rng.random() < 0.5 else ""
            delivered = delivered + datetime.timedelta(days=rng.randint(-7, 7))
            if village.pk in successor and delivered >= REFORM:
                village = rng.choice(new_by_commune[successor[village.pk].pk])
        plans.append((name, year, digits, phone, delivered, village))
        commune = commune_of[village.pk]
        mothers.append(
            Mother(
                commune=commune,
                village=village,
                full_name=name,
                name_key=name_key(name),
                birth_year=year,
                ethnic_group=hre,
                phone=phone,
                id_number=digits,
                id_number_index=crypto.blind_index(digits) if digits else "",
            )
        )
        waiting = rng.random() < 0.1
        pregnancies.append(
            Pregnancy(
                village=village,
                commune=commune,
                delivered_on=None if waiting else delivered,
                expected_on=delivered if waiting else None,  # type: ignore[misc]
            )
        )
    Mother.objects.bulk_create(mothers, batch_size=2000)
    for mother, pregnancy in zip(mothers, pregnancies, strict=True):
        pregnancy.mother = mother
    Pregnancy.objects.bulk_create(pregnancies, batch_size=2000)
    return count - originals, originals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    with bench_database() as database:
        from django.db import transaction

        from duan8.mothers.duplicates import duplicates_find
        from duan8.mothers.models import DuplicateCandidate
        from duan8.orgunits.models import OrgUnit

        start = time.perf_counter()
        with transaction.atomic():
            copies, originals = cases_make(args.cases, random.Random(args.seed))
        built = time.perf_counter() - start

        start = time.perf_counter()
        found = duplicates_find()
        first = time.perf_counter() - start
        province = OrgUnit.objects.get(code="51", valid_to__isnull=True)
        start = time.perf_counter()
        again = duplicates_find(communes=[province])
        second = time.perf_counter() - start
        caught = DuplicateCandidate.objects.filter(second_id__gt=originals).values("second_id")
        caught_count = caught.distinct().count()
        exact = DuplicateCandidate.objects.filter(exact=True).count()
        within = DuplicateCandidate.objects.filter(second_id__lte=originals).count()

    print(f"Database: {database}")
    print(f"{args.cases:,} cases ({copies:,} copies) bulk-created in {built:.1f} s (not timed)")
    print(
        f"duplicates_find(), everything: {first:.2f} s, {found:,} pairs ({exact:,} exact);"
        f" copies caught {caught_count:,} of {copies:,}; pairs among originals {within:,}"
    )
    print(f"duplicates_find(new province) again: {second:.2f} s, {again} new pairs")


if __name__ == "__main__":
    main()
