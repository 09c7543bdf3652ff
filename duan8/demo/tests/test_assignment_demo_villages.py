"""The demo's 2027 draft of xã Đặng Thùy Trâm has its own villages, taken over from xã Ba Trang
and xã Ba Khâm before the draft is made (issue 12, points 5 and 7)."""

import datetime

from duan8.demo.assignment import YEAR, demo_assignment_ensure
from duan8.orgunits.models import OrgUnitAttribute, OrgUnitSuccession
from duan8.programs.models import AllocationRow, Plan

DBKK = OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE


def test_the_demo_draft_of_the_merged_commune_has_the_villages_it_took_over(
    program_structure, new_quang_ngai, ba_trang_merger, villages, ba_kham_village
):
    OrgUnitAttribute.objects.create(
        org_unit=villages["Bùi Hui"], key=DBKK, valid_from=datetime.date(2021, 9, 16)
    )

    lines = demo_assignment_ensure(province=new_quang_ngai, commune=ba_trang_merger)

    draft = Plan.objects.get(issuing_unit=ba_trang_merger, year=YEAR)
    rows = draft.allocation_rows.filter(kind=AllocationRow.Kind.VILLAGE).order_by("order")
    own = list(ba_trang_merger.children.order_by("name"))
    assert [row.village for row in rows] == own
    assert [v.name for v in own] == ["Bùi Hui", "Kon Riêng", "Làng Rêu", "Nước Đang"]
    came_from = {
        edge.successor.name: edge.predecessor
        for edge in OrgUnitSuccession.objects.filter(successor__in=own)
    }
    assert came_from["Bùi Hui"] == villages["Bùi Hui"]
    assert came_from["Làng Rêu"] == ba_kham_village
    assert own[0].attributes.filter(key=DBKK).exists()  # thôn ĐBKK, as it was in xã Ba Trang
    assert any("4" in line for line in lines)
    # run again: nothing taken over twice, the draft kept
    assert demo_assignment_ensure(province=new_quang_ngai, commune=ba_trang_merger) == []
    assert ba_trang_merger.children.count() == 4
