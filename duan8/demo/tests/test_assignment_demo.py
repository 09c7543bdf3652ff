"""The demo's 2027 assignment to xã Đặng Thùy Trâm and its draft from it (issue 12, point 5)."""

from duan8.demo.assignment import YEAR, demo_assignment_ensure
from duan8.programs.assignments import assigned_targets
from duan8.programs.models import Plan, Target


def test_the_province_assigns_2027_and_the_commune_drafts_from_it(
    program_structure, new_quang_ngai, dang_thuy_tram
):
    lines = demo_assignment_ensure(province=new_quang_ngai, commune=dang_thuy_tram)

    assigned = assigned_targets(unit=dang_thuy_tram, year=YEAR)
    draft = Plan.objects.get(issuing_unit=dang_thuy_tram, year=YEAR)
    assert len(lines) == 2 and assigned
    assert draft.status == Plan.Status.DRAFT
    planned = {t.element_id: t.value for t in draft.targets.filter(scope=Target.Scope.COMMUNE)}
    assert planned == {element_id: item.value for element_id, item in assigned.items()}
    assert demo_assignment_ensure(province=new_quang_ngai, commune=dang_thuy_tram) == []
    assert Plan.objects.filter(year=YEAR).count() == 2
