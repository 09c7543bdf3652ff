"""A merged commune's first plan "from the previous one" starts from the plans of the communes it
succeeded (issue 12, points 1 a and 5): xã Đặng Thùy Trâm from xã Ba Trang's Kế hoạch 87/KH-UBND,
its village rows those of the villages it took over."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from duan8.accounts.tests.factories import UserFactory
from duan8.core.problems import problems_of
from duan8.orgunits.villages import village_rename
from duan8.orgunits.villages_move import villages_take_over
from duan8.programs.models import AllocationCell, AllocationRow, Plan
from duan8.programs.plan_new import PREVIOUS, plan_new

D = datetime.date


def _village_rows(plan: Plan) -> list[AllocationRow]:
    return list(
        plan.allocation_rows.filter(kind=AllocationRow.Kind.VILLAGE)
        .select_related("village")
        .order_by("order", "pk")
    )


def _cells(rows: list[AllocationRow]) -> dict[str, Decimal]:
    """The sum of each village row's cells, by the village's name."""
    totals: dict[str, Decimal] = {}
    for cell in AllocationCell.objects.filter(row__in=rows).select_related("row__village"):
        name = cell.row.village.name
        totals[name] = totals.get(name, Decimal(0)) + (cell.value or 0)
    return totals


def test_the_merged_commune_starts_from_its_predecessors_plan_with_its_own_villages(
    ba_trang_plan, ba_trang_merger, villages, ba_kham_village
):
    villages_take_over(actor=None, commune=ba_trang_merger)
    own = {v.name: v for v in ba_trang_merger.children.all()}

    result = plan_new(
        actor=None, unit=ba_trang_merger, year=2025, source=PREVIOUS, carry_targets=True
    )

    plan, old = result.plan, ba_trang_plan
    assert result.previous == old
    rows = _village_rows(plan)
    assert [row.village for row in rows] == [
        own["Bùi Hui"],
        own["Kon Riêng"],
        own["Nước Đang"],
        own["Làng Rêu"],  # of xã Ba Khâm: no row in Ba Trang's plan, added after the others
    ]
    assert [row.label for row in rows] == [v.full_name for v in (row.village for row in rows)]
    assert [row.number for row in rows] == ["1", "2", "3", "4"]
    assert result.dropped_villages == []
    # the village allocations follow the villages
    assert _cells(rows) == _cells(_village_rows(old)) != {}
    assert plan.allocation_columns.count() == old.allocation_columns.count() > 0
    assert plan.focuses.count() == old.focuses.count() > 0
    assert [b.document_id for b in plan.legal_bases.all()] == [
        b.document_id for b in old.legal_bases.all()
    ]


def test_the_texts_name_the_new_commune_and_the_level_above_it(
    ba_trang_plan, ba_trang_merger, villages
):
    villages_take_over(actor=None, commune=ba_trang_merger)

    plan = plan_new(actor=None, unit=ba_trang_merger, year=2025, source=PREVIOUS).plan

    assert "xã Đặng Thùy Trâm năm 2025" in plan.title and "Ba Trang" not in plan.title
    assert plan.issuing_body == "Ủy ban nhân dân xã Đặng Thùy Trâm"
    assert plan.parent_body == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert plan.place == "Đặng Thùy Trâm"
    assert "xã Đặng Thùy Trâm" in plan.proposal and "năm 2025" in plan.proposal
    assert plan.signer_name == "" and plan.signer_title == ba_trang_plan.signer_title
    # xã Ba Trang's plan is untouched
    ba_trang_plan.refresh_from_db()
    assert "xã Ba Trang" in ba_trang_plan.title and ba_trang_plan.signer_name


def test_2027_from_the_predecessors_plan_has_the_villages_taken_over_and_renamed(
    ba_trang_plan, ba_trang_merger, villages
):
    villages_take_over(actor=None, commune=ba_trang_merger)
    kon_rieng = ba_trang_merger.children.get(name="Kon Riêng")
    renamed = village_rename(
        village=kon_rieng,
        name="Kon Riêng Thượng",
        effective_on=D(2026, 9, 1),
        actor=_superuser(),
    )

    result = plan_new(actor=None, unit=ba_trang_merger, year=2027, source=PREVIOUS)

    rows = _village_rows(result.plan)
    assert [row.label for row in rows] == [
        "Thôn Bùi Hui",
        "Thôn Kon Riêng Thượng",
        "Thôn Nước Đang",
    ]
    assert rows[1].village == renamed
    assert all(row.village.parent == ba_trang_merger for row in rows)
    assert result.dropped_villages == []


def test_without_the_take_over_the_rows_are_the_inherited_villages(
    ba_trang_plan, ba_trang_merger, villages
):
    result = plan_new(actor=None, unit=ba_trang_merger, year=2027, source=PREVIOUS)

    assert [row.village for row in _village_rows(result.plan)] == list(villages.values())


def test_a_merged_commune_whose_predecessors_had_no_plan_is_told_to_start_empty(
    program_structure, ba_trang_merger, villages
):
    with pytest.raises(ValidationError) as exc:
        plan_new(actor=None, unit=ba_trang_merger, year=2027, source=PREVIOUS)

    assert [p.field for p in problems_of(exc.value)] == ["source"]
    assert not Plan.objects.filter(issuing_unit=ba_trang_merger).exists()


def test_a_commune_with_plans_of_its_own_starts_from_its_own(
    ba_trang_plan, ba_trang_merger, villages, ba_kham
):
    villages_take_over(actor=None, commune=ba_trang_merger)
    own = plan_new(actor=None, unit=ba_trang_merger, year=2025, source=PREVIOUS).plan
    Plan.objects.filter(pk=own.pk).update(title="Kế hoạch riêng của xã Đặng Thùy Trâm năm 2025")

    result = plan_new(actor=None, unit=ba_trang_merger, year=2026, source=PREVIOUS)

    assert result.previous == own
    assert result.plan.title == "Kế hoạch riêng của xã Đặng Thùy Trâm năm 2026"


def test_the_command_starts_the_merged_communes_plan_from_its_predecessors(
    ba_trang_plan, ba_trang_merger, villages
):
    villages_take_over(actor=None, commune=ba_trang_merger)
    out = io.StringIO()

    call_command("plan_new", unit="21520", year=2027, from_previous=True, stdout=out)

    plan = Plan.objects.get(issuing_unit=ba_trang_merger, year=2027)
    assert "87/KH-UBND" in out.getvalue() and "2023" in out.getvalue()
    assert {row.village.parent for row in _village_rows(plan)} == {ba_trang_merger}


def _superuser():
    return UserFactory.create(username="quantri", is_superuser=True)
