"""Amendments of an approved plan (issue 12, point 4): the service, the versions, the diff."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duan8.core.models import AuditEvent
from duan8.core.problems import problems_of
from duan8.programs.amendments import (
    AmendmentOpen,
    plan_amend,
    plan_in_force,
    plan_versions,
    plan_versions_diff,
)
from duan8.programs.models import Plan, Target
from duan8.programs.plan_edit import plan_update
from duan8.programs.selectors import element_label
from duan8.programs.services import TargetInput, plan_approve, targets_set

DAY = datetime.date(2023, 11, 1)


def _fields(exc: ValidationError) -> dict[str, str]:
    return {p.field: p.message for p in problems_of(exc)}


@pytest.fixture
def approved(ba_trang_plan, commune_leader):
    return plan_approve(
        plan=ba_trang_plan, actor=commune_leader, expected_version=ba_trang_plan.version
    )


def _free_target(plan: Plan) -> Target:
    """A number target outside the allocation table (changing it keeps the table adding up)."""
    columns = set(plan.allocation_columns.values_list("element_id", flat=True))
    return next(
        t
        for t in plan.targets.select_related("element").order_by("pk")
        if t.kind == Target.Kind.NUMBER and t.element_id not in columns
    )


def _amend_and_approve(approved, officer, leader):
    draft = plan_amend(
        actor=officer, plan=approved, reason="Tăng số lớp tập huấn", in_force_from=DAY
    )
    target = _free_target(draft)
    targets_set(
        plan=draft,
        items=[
            TargetInput(
                element=target.element,
                scope=target.scope,
                kind=Target.Kind.NUMBER,
                value=str(target.value + 5),
            )
        ],
        actor=officer,
        expected_version=draft.version,
    )
    draft.refresh_from_db()
    plan_update(
        plan=draft,
        actor=officer,
        expected_version=draft.version,
        number=120,
        issued_on=datetime.date(2023, 10, 30),
    )
    return plan_approve(plan=draft, actor=leader, expected_version=draft.version), target


def test_amend_copies_the_approved_plan_into_a_linked_draft(approved, commune_officer):
    draft = plan_amend(
        actor=commune_officer, plan=approved, reason=" Tăng chỉ tiêu ", in_force_from=DAY
    )

    assert draft.status == Plan.Status.DRAFT and draft.pk != approved.pk
    assert (draft.amends, draft.amendment_reason, draft.in_force_from) == (
        approved,
        "Tăng chỉ tiêu",
        DAY,
    )
    assert (draft.year, draft.issuing_unit, draft.title) == (
        approved.year,
        approved.issuing_unit,
        approved.title,
    )
    assert draft.number is None and draft.issued_on is None
    assert draft.targets.count() == approved.targets.count() > 0
    assert draft.allocation_rows.count() == approved.allocation_rows.count()
    assert plan_versions_diff(approved, draft) == []
    approved.refresh_from_db()
    assert approved.status == Plan.Status.APPROVED  # in force until the amendment is approved
    event = AuditEvent.objects.get(action="programs.plan.amendment_started")
    assert event.target_id == str(draft.pk) and event.actor == commune_officer


def test_a_draft_is_not_amended(ba_trang_plan, commune_officer):
    with pytest.raises(ValidationError) as caught:
        plan_amend(actor=commune_officer, plan=ba_trang_plan, reason="Lý do", in_force_from=DAY)
    assert [p.code for p in problems_of(caught.value)] == ["not_approved"]
    assert Plan.objects.count() == 1


def test_empty_reason_and_bad_dates_are_refused_by_field(approved, commune_officer):
    with pytest.raises(ValidationError) as caught:
        plan_amend(actor=commune_officer, plan=approved, reason="  ", in_force_from=None)
    assert set(_fields(caught.value)) == {"reason", "in_force_from"}

    with pytest.raises(ValidationError) as caught:
        plan_amend(
            actor=commune_officer,
            plan=approved,
            reason="Lý do",
            in_force_from=datetime.date(2023, 9, 1),  # before 25/9/2023, the plan's date
        )
    assert "25/09/2023" in _fields(caught.value)["in_force_from"]

    with pytest.raises(ValidationError) as caught:
        plan_amend(
            actor=commune_officer,
            plan=approved,
            reason="Lý do",
            in_force_from=datetime.date(2024, 1, 2),
        )
    assert "2023" in _fields(caught.value)["in_force_from"]
    assert Plan.objects.count() == 1


def test_a_second_open_amendment_is_refused_with_the_first(approved, commune_officer):
    first = plan_amend(actor=commune_officer, plan=approved, reason="Lý do", in_force_from=DAY)

    with pytest.raises(AmendmentOpen) as caught:
        plan_amend(actor=commune_officer, plan=approved, reason="Lý do khác", in_force_from=DAY)
    assert caught.value.draft == first
    assert Plan.objects.count() == 2


def test_read_only_and_other_commune_cannot_amend(
    approved, district_reviewer, other_commune_officer
):
    for actor in (district_reviewer, other_commune_officer):
        with pytest.raises(PermissionDenied):
            plan_amend(actor=actor, plan=approved, reason="Lý do", in_force_from=DAY)
    assert Plan.objects.count() == 1


def test_approval_supersedes_and_both_versions_stay(approved, commune_officer, commune_leader):
    amended, target = _amend_and_approve(approved, commune_officer, commune_leader)

    approved.refresh_from_db()
    assert amended.status == Plan.Status.APPROVED
    assert approved.status == Plan.Status.SUPERSEDED
    kept = approved.targets.get(element=target.element, scope=target.scope)
    assert kept.value == target.value  # the old version keeps its target
    assert plan_versions(approved) == plan_versions(amended) == [approved, amended]
    assert AuditEvent.objects.filter(
        action="programs.plan.superseded", target_id=str(approved.pk)
    ).exists()
    # a superseded version is amended no more: the one in force is
    with pytest.raises(ValidationError) as caught:
        plan_amend(actor=commune_officer, plan=approved, reason="Lý do", in_force_from=DAY)
    assert [p.code for p in problems_of(caught.value)] == ["not_approved"]


def test_the_diff_lists_the_changed_target(approved, commune_officer, commune_leader):
    amended, target = _amend_and_approve(approved, commune_officer, commune_leader)
    approved.refresh_from_db()

    changes = plan_versions_diff(approved, amended)

    assert len(changes) == 1
    change = changes[0]
    assert change.what == element_label(target.element)  # “Nội dung 1, Hoạt động 1, dòng 2 (…)”
    assert change.scope == str(target.get_scope_display())
    assert (change.old, change.new) == (
        target.display,
        amended.targets.get(element=target.element, scope=target.scope).display,
    )
    assert change.old != change.new


def test_the_version_in_force_on_a_day(approved, commune_officer, commune_leader):
    amended, _target = _amend_and_approve(approved, commune_officer, commune_leader)
    approved.refresh_from_db()

    assert plan_in_force(plan_or_chain=approved, on=datetime.date(2023, 9, 24)) is None
    assert plan_in_force(plan_or_chain=amended, on=datetime.date(2023, 9, 25)) == approved
    assert plan_in_force(plan_or_chain=approved, on=DAY - datetime.timedelta(days=1)) == approved
    assert plan_in_force(plan_or_chain=approved, on=DAY) == amended
    assert plan_in_force(plan_or_chain=amended, on=datetime.date(2023, 12, 31)) == amended


def test_a_draft_amendment_is_not_in_force(approved, commune_officer):
    plan_amend(actor=commune_officer, plan=approved, reason="Lý do", in_force_from=DAY)

    assert plan_in_force(plan_or_chain=approved, on=datetime.date(2023, 12, 31)) == approved
