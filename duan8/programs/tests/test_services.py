from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duan8.core.concurrency import EditConflict
from duan8.programs.models import AllocationCell, Plan, ProgramElement, Target
from duan8.programs.plan_edit import plan_update
from duan8.programs.selectors import allocation_table, plan_list
from duan8.programs.services import (
    allocation_field,
    allocation_set,
    plan_approve,
    target_field,
    target_set,
)

TEAMS = "1719.GD1.DA8.ND1.HD1.1"

pytestmark = pytest.mark.usefixtures("english")


def _cells(plan):
    table = allocation_table(plan=plan)
    by_label = {row.label: row for row in table.rows}
    column = next(c for c in table.columns if c.element.code == TEAMS)
    return table, by_label, column


def _values(table, overrides):
    values = {key: str(value) for key, value in table.values.items()}
    values.update(overrides)
    return values


def test_allocation_that_adds_up_is_saved(ba_trang_plan, commune_officer):
    table, rows, teams = _cells(ba_trang_plan)
    changes = {
        (rows["Thôn Bùi Hui"].pk, teams.pk): "1",
        (rows["UBND xã"].pk, teams.pk): "2",
        (rows["Chỉ tiêu cần đạt năm 2023"].pk, teams.pk): "02",
    }

    allocation_set(
        plan=ba_trang_plan,
        values=_values(table, changes),
        difficult_villages={},
        actor=commune_officer,
        expected_version=ba_trang_plan.version,
    )

    cell = AllocationCell.objects.get(row=rows["UBND xã"], column=teams)
    assert cell.value == Decimal(2)
    assert allocation_table(plan=ba_trang_plan).problems == []


def test_allocation_that_does_not_add_up_names_its_total_cell_and_saves_nothing(
    ba_trang_plan, commune_officer
):
    table, rows, teams = _cells(ba_trang_plan)
    changes = {(rows["Thôn Bùi Hui"].pk, teams.pk): "1"}

    with pytest.raises(ValidationError) as error:
        allocation_set(
            plan=ba_trang_plan,
            values=_values(table, changes),
            difficult_villages={},
            actor=commune_officer,
            expected_version=ba_trang_plan.version,
        )

    assert [(p.field, p.message) for p in error.value.problems] == [
        (
            allocation_field(rows["UBND xã"].pk, teams.pk),
            "The total is 01 but its rows add up to 02.",
        )
    ]
    assert AllocationCell.objects.get(row=rows["Thôn Bùi Hui"], column=teams).value == 0


def test_allocation_refuses_text_and_negative_numbers_by_cell(ba_trang_plan, commune_officer):
    table, rows, teams = _cells(ba_trang_plan)
    changes = {
        (rows["Thôn Bùi Hui"].pk, teams.pk): "một",
        (rows["Thôn Kon Riêng"].pk, teams.pk): "-2",
    }

    with pytest.raises(ValidationError) as error:
        allocation_set(
            plan=ba_trang_plan,
            values=_values(table, changes),
            difficult_villages={},
            actor=commune_officer,
            expected_version=ba_trang_plan.version,
        )

    assert [(p.field, p.message) for p in error.value.problems] == [
        (allocation_field(rows["Thôn Bùi Hui"].pk, teams.pk), "“một” is not a number."),
        (
            allocation_field(rows["Thôn Kon Riêng"].pk, teams.pk),
            "“-2” is negative; a target cannot be below 0.",
        ),
    ]


def test_difficult_village_count_must_add_up(ba_trang_plan, commune_officer):
    table, rows, _ = _cells(ba_trang_plan)

    with pytest.raises(ValidationError) as error:
        allocation_set(
            plan=ba_trang_plan,
            values=_values(table, {}),
            difficult_villages={rows["Thôn Nước Đang"].pk: "0"},
            actor=commune_officer,
            expected_version=ba_trang_plan.version,
        )

    assert [p.field for p in error.value.problems] == [allocation_field(rows["UBND xã"].pk)]
    rows["Thôn Nước Đang"].refresh_from_db()
    assert rows["Thôn Nước Đang"].difficult_villages == 1


def test_number_target_refuses_text(ba_trang_plan, commune_officer):
    element = ProgramElement.objects.get(code=TEAMS)

    with pytest.raises(ValidationError) as error:
        target_set(
            plan=ba_trang_plan,
            element=element,
            scope=Target.Scope.VILLAGE,
            kind=Target.Kind.NUMBER,
            value="một tổ",
            actor=commune_officer,
            expected_version=ba_trang_plan.version,
        )

    assert [(p.field, p.message) for p in error.value.problems] == [
        (target_field(element, Target.Scope.VILLAGE, "value"), "“một tổ” is not a number.")
    ]
    target = Target.objects.get(plan=ba_trang_plan, element=element, scope=Target.Scope.VILLAGE)
    assert target.value == 1


def test_text_target_keeps_the_instruction(ba_trang_plan, commune_officer):
    element = ProgramElement.objects.get(code=TEAMS)

    target = target_set(
        plan=ba_trang_plan,
        element=element,
        scope=Target.Scope.COMMUNE,
        kind=Target.Kind.TEXT,
        text="Tùy tình hình thực tế",
        actor=commune_officer,
        expected_version=ba_trang_plan.version,
    )

    assert target.display == "Tùy tình hình thực tế"


def test_other_commune_cannot_change_a_target(ba_trang_plan, other_commune_officer):
    element = ProgramElement.objects.get(code=TEAMS)

    with pytest.raises(PermissionDenied):
        target_set(
            plan=ba_trang_plan,
            element=element,
            scope=Target.Scope.VILLAGE,
            kind=Target.Kind.NUMBER,
            value="5",
            actor=other_commune_officer,
            expected_version=ba_trang_plan.version,
        )

    assert Target.objects.get(plan=ba_trang_plan, element=element, scope="village").value == 1


def test_plan_number_already_used_by_the_same_body_in_the_same_year_is_refused(
    ba_trang_plan, commune_officer
):
    second = Plan.objects.create(
        project=ba_trang_plan.project,
        issuing_unit=ba_trang_plan.issuing_unit,
        year=2023,
        issuing_body=ba_trang_plan.issuing_body,
        title="Kế hoạch khác",
    )

    with pytest.raises(ValidationError) as error:
        plan_update(plan=second, actor=commune_officer, expected_version=second.version, number=87)

    assert [p.field for p in error.value.problems] == ["number"]
    assert "87/KH-UBND" in error.value.messages[0]
    second.refresh_from_db()
    assert second.number is None


def test_approval_is_blocked_while_the_allocation_does_not_add_up(ba_trang_plan, commune_leader):
    _, rows, teams = _cells(ba_trang_plan)
    AllocationCell.objects.filter(row=rows["Thôn Bùi Hui"], column=teams).update(value=3)

    with pytest.raises(ValidationError) as error:
        plan_approve(
            plan=ba_trang_plan, actor=commune_leader, expected_version=ba_trang_plan.version
        )

    assert any("UBND xã" in m for m in error.value.messages)
    ba_trang_plan.refresh_from_db()
    assert ba_trang_plan.status == Plan.Status.DRAFT


def test_commune_leader_approves_and_the_plan_is_then_locked(
    ba_trang_plan, commune_leader, commune_officer
):
    plan_approve(plan=ba_trang_plan, actor=commune_leader, expected_version=ba_trang_plan.version)

    assert ba_trang_plan.status == Plan.Status.APPROVED
    with pytest.raises(ValidationError):
        plan_update(
            plan=ba_trang_plan,
            actor=commune_officer,
            expected_version=ba_trang_plan.version,
            title="Đổi",
        )


def test_women_union_officer_cannot_approve(ba_trang_plan, commune_officer):
    with pytest.raises(PermissionDenied):
        plan_approve(
            plan=ba_trang_plan, actor=commune_officer, expected_version=ba_trang_plan.version
        )


def test_plan_list_shows_own_commune_and_hides_other_communes(
    ba_trang_plan, commune_officer, other_commune_officer, district_reviewer, village_head
):
    assert list(plan_list(actor=commune_officer)) == [ba_trang_plan]
    assert list(plan_list(actor=district_reviewer)) == [ba_trang_plan]
    assert list(plan_list(actor=other_commune_officer)) == []
    assert list(plan_list(actor=village_head)) == []


def test_a_write_that_names_no_version_is_refused(ba_trang_plan, commune_officer, commune_leader):
    element = ProgramElement.objects.get(code=TEAMS)
    table, rows, teams = _cells(ba_trang_plan)

    with pytest.raises(EditConflict):
        target_set(
            plan=ba_trang_plan,
            element=element,
            scope=Target.Scope.VILLAGE,
            kind=Target.Kind.NUMBER,
            value="5",
            actor=commune_officer,
            expected_version=None,
        )
    with pytest.raises(EditConflict):
        allocation_set(
            plan=ba_trang_plan,
            values=_values(
                table,
                {
                    (rows["Thôn Bùi Hui"].pk, teams.pk): "1",
                    (rows["UBND xã"].pk, teams.pk): "2",
                    (rows["Chỉ tiêu cần đạt năm 2023"].pk, teams.pk): "02",
                },
            ),
            difficult_villages={},
            actor=commune_officer,
            expected_version=None,
        )
    with pytest.raises(EditConflict):
        plan_update(plan=ba_trang_plan, actor=commune_officer, expected_version=None, title="Đổi")
    with pytest.raises(EditConflict):
        plan_approve(plan=ba_trang_plan, actor=commune_leader, expected_version=None)

    ba_trang_plan.refresh_from_db()
    assert ba_trang_plan.version == 1
    assert ba_trang_plan.status == Plan.Status.DRAFT
    assert Target.objects.get(plan=ba_trang_plan, element=element, scope="village").value == 1


def test_a_write_over_an_older_version_is_refused(ba_trang_plan, commune_officer):
    plan_update(plan=ba_trang_plan, actor=commune_officer, expected_version=1, title="Kế hoạch mới")

    with pytest.raises(EditConflict) as conflict:
        plan_update(plan=ba_trang_plan, actor=commune_officer, expected_version=1, place="Ba Tơ")

    assert "Someone else saved this plan" in conflict.value.messages[0]
    ba_trang_plan.refresh_from_db()
    assert (ba_trang_plan.version, ba_trang_plan.title) == (2, "Kế hoạch mới")
