"""A new plan of a merged commune lists the villages it inherited (issue 12, point 5)."""

from duan8.programs.models import AllocationRow
from duan8.programs.plan_new import EMPTY, plan_new


def test_empty_plan_of_the_merged_commune_has_the_inherited_villages_as_rows(
    program_structure, ba_trang_merger, villages
):
    result = plan_new(actor=None, unit=ba_trang_merger, year=2027, source=EMPTY)

    rows = list(
        result.plan.allocation_rows.filter(kind=AllocationRow.Kind.VILLAGE).order_by("order")
    )
    assert [row.village for row in rows] == [
        villages["Bùi Hui"],
        villages["Kon Riêng"],
        villages["Nước Đang"],
    ]
    assert [row.number for row in rows] == ["1", "2", "3"]
    assert result.rows == 4  # the year's total and the three villages
