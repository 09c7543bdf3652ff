"""Disbursement: figures of a commune by month, quarter, source and content; the roll-up across
the 2025 map; who may read them; a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duan8.core.audit import NotVisible
from duan8.finance.disbursement import disbursement_compute, disbursement_of
from duan8.finance.models import Allocation, Source
from duan8.finance.tests.frep_records import allocate, pay
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.tests.factories import make_unit
from duan8.programs.models import Plan

pytestmark = pytest.mark.django_db

D = datetime.date
ND1, ND2 = "1719.GD1.DA8.ND1", "1719.GD1.DA8.ND2"


@pytest.fixture
def ba_trang_money(ba_trang: OrgUnit, ba_kham: OrgUnit, ba_trang_plan: Plan) -> None:
    allocate(ba_trang, 100_000_000)
    allocate(ba_trang, 20_000_000, code=ND1, kind=Allocation.Kind.SUPPLEMENT)
    allocate(ba_trang, 10_000_000, kind=Allocation.Kind.REDUCTION)
    allocate(ba_trang, 30_000_000, source=Source.LOCAL)
    allocate(ba_trang, 9_000_000, year=2024)  # another year
    paid = pay(ba_trang, ba_trang_plan, 10_000_000, D(2023, 3, 15))
    pay(
        ba_trang,
        ba_trang_plan,
        5_000_000,
        D(2023, 6, 2),
        activity=f"{ND2}.HD1",
        source=Source.LOCAL,
    )
    pay(ba_trang, ba_trang_plan, -2_000_000, D(2023, 7, 1), reverses=paid)
    pay(ba_trang, ba_trang_plan, 1_000_000, D(2024, 1, 5))  # another year
    allocate(ba_kham, 50_000_000)
    pay(ba_kham, ba_trang_plan, 4_000_000, D(2023, 11, 20))


def test_a_commune_by_month_quarter_source_and_content(
    ba_trang: OrgUnit, ba_trang_money: None
) -> None:
    data = disbursement_compute(unit=ba_trang, year=2023, as_of=D(2023, 12, 31))

    assert data.total.allocated == Decimal(140_000_000)
    assert data.total.disbursed == Decimal(13_000_000)  # net of the reversal
    assert data.total.percent == 9
    assert data.deadline == D(2023, 12, 31)
    months = {row.key: row for row in data.months}
    assert months[3].figures.disbursed == 10_000_000
    assert months[7].figures.disbursed == -2_000_000
    assert months[12].cumulative is not None and months[12].cumulative.disbursed == 13_000_000
    quarters = [row.figures.disbursed for row in data.quarters]
    assert quarters == [10_000_000, 5_000_000, -2_000_000, 0]
    assert [row.cumulative.percent for row in data.quarters if row.cumulative] == [7, 11, 9, 9]
    sources = {row.key: row.figures for row in data.sources}
    assert (sources["nstw"].allocated, sources["nstw"].disbursed) == (110_000_000, 8_000_000)
    assert (sources["nsdp"].allocated, sources["nsdp"].disbursed) == (30_000_000, 5_000_000)
    contents = {row.label.split(":")[0]: row.figures for row in data.contents}
    assert contents["Nội dung 1"].allocated == 20_000_000
    assert contents["Nội dung 1"].disbursed == 8_000_000
    assert contents["Nội dung 2"].disbursed == 5_000_000
    assert data.contents[-1].key == "project"
    assert data.contents[-1].figures.allocated == 120_000_000


def test_a_district_shows_one_row_per_commune(
    ba_to: OrgUnit, ba_trang: OrgUnit, ba_kham: OrgUnit, ba_trang_money: None
) -> None:
    data = disbursement_compute(unit=ba_to, year=2023, as_of=D(2023, 12, 31))

    rows = {row.unit.name: row.figures for row in data.units if row.unit}
    assert rows["Ba Trang"].disbursed == 13_000_000
    assert rows["Ba Khâm"].allocated == 50_000_000
    assert rows["Ba Khâm"].percent == 8
    assert data.total.disbursed == 17_000_000
    assert data.total.allocated == 190_000_000


def test_ba_trang_counts_under_dang_thuy_tram_and_the_new_province_as_of_2027(
    ba_trang: OrgUnit, ba_trang_money: None, ba_trang_merger: OrgUnit, new_quang_ngai: OrgUnit
) -> None:
    commune = disbursement_compute(unit=ba_trang_merger, year=2023, as_of=D(2027, 1, 1))
    assert commune.total.disbursed == 17_000_000  # Ba Trang's and Ba Khâm's
    assert commune.total.allocated == 190_000_000

    province = disbursement_compute(unit=new_quang_ngai, year=2023, as_of=D(2027, 1, 1))
    rows = {row.unit.name: row.figures for row in province.units if row.unit}
    assert rows == {"Đặng Thùy Trâm": commune.total}
    assert province.total.disbursed == 17_000_000
    assert sum(row.figures.disbursed for row in province.months) == 17_000_000

    # On the map of 2023, the same vouchers are Ba Trang's own.
    old = disbursement_compute(unit=ba_trang, year=2023, as_of=D(2023, 12, 31))
    assert old.total.disbursed == 13_000_000


def test_another_communes_officer_gets_404(
    ba_trang: OrgUnit, other_commune_officer, district_reviewer, ba_trang_money: None
) -> None:
    with pytest.raises(NotVisible):
        disbursement_of(actor=other_commune_officer, unit=ba_trang, year=2023)
    seen = disbursement_of(actor=district_reviewer, unit=ba_trang, year=2023, as_of=D(2023, 12, 31))
    assert seen.total.disbursed == 13_000_000


def _communes(district: OrgUnit, prefix: str, count: int, plan: Plan) -> None:
    for i in range(count):
        commune = make_unit(
            code=f"{prefix}{i:02d}",
            name=f"Số {prefix}{i}",
            level=OrgUnit.Level.COMMUNE,
            kind="Xã",
            parent=district,
        )
        allocate(commune, 1_000_000)
        pay(commune, plan, 100_000, D(2023, 5, 1 + i))


def test_a_fixed_number_of_queries_however_many_communes(
    ba_to: OrgUnit, ba_trang_plan: Plan
) -> None:
    _communes(ba_to, "299", 2, ba_trang_plan)
    with CaptureQueriesContext(connection) as few:
        disbursement_compute(unit=ba_to, year=2023, as_of=D(2023, 12, 31))
    _communes(ba_to, "298", 8, ba_trang_plan)
    with CaptureQueriesContext(connection) as many:
        data = disbursement_compute(unit=ba_to, year=2023, as_of=D(2023, 12, 31))
    assert len(data.units) == 11  # and Ba Trang
    assert data.total.disbursed == 1_000_000
    assert len(many) == len(few) <= 12


def test_the_whole_country_one_row_per_province_of_the_map(
    ba_trang_money: None, ba_trang_merger: OrgUnit, new_quang_ngai: OrgUnit
) -> None:
    from duan8.finance.disbursement import disbursement_national

    new = disbursement_national(year=2023, as_of=D(2027, 1, 1))
    assert {row.label: row.figures.disbursed for row in new.units} == {"Quảng Ngãi": 17_000_000}
    assert new.total.disbursed == 17_000_000 and new.total.allocated == 190_000_000
    old = disbursement_national(year=2023, as_of=D(2023, 12, 31))
    assert [row.unit.code_scheme for row in old.units if row.unit] == ["qd124_2004"]
    assert old.total == new.total


def test_a_voucher_booked_on_an_indicator_counts_in_the_content_above_it(
    ba_trang: OrgUnit, ba_trang_plan: Plan
) -> None:
    allocate(ba_trang, 20_000_000, code="1719.GD1.DA8.ND1")
    pay(ba_trang, ba_trang_plan, 3_000_000, D(2023, 10, 5), activity="1719.GD1.DA8.ND1.HD2.2")

    data = disbursement_compute(unit=ba_trang, year=2023, as_of=D(2023, 12, 31))

    (row,) = data.contents
    assert row.label.startswith("Nội dung 1")
    assert (row.figures.allocated, row.figures.disbursed) == (20_000_000, 3_000_000)
