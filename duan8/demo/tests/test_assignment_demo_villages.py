"""The demo's 2027 draft of xã Đặng Thùy Trâm has the villages it inherited from xã Ba Trang
(issue 12, point 5)."""

from duan8.demo.assignment import YEAR, demo_assignment_ensure
from duan8.programs.models import AllocationRow, Plan


def test_the_demo_draft_of_the_merged_commune_has_the_inherited_villages(
    program_structure, new_quang_ngai, ba_trang_merger, villages
):
    demo_assignment_ensure(province=new_quang_ngai, commune=ba_trang_merger)

    draft = Plan.objects.get(issuing_unit=ba_trang_merger, year=YEAR)
    rows = draft.allocation_rows.filter(kind=AllocationRow.Kind.VILLAGE).order_by("order")
    assert [row.village_id for row in rows] == [v.pk for v in villages.values()]
