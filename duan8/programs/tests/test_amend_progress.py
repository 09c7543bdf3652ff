"""Progress is measured against the version of the plan in force (issue 12, point 4)."""

import datetime

import lxml.html
import pytest
from django.urls import reverse

from duan8.activities.selectors.progress import plan_progress
from duan8.activities.values import SYSTEM
from duan8.programs.amendments import plan_amend
from duan8.programs.models import ProgramElement, Target
from duan8.programs.plan_edit import plan_update
from duan8.programs.services import TargetInput, plan_approve, targets_set


@pytest.fixture
def approved(ba_trang_plan, commune_leader):
    return plan_approve(
        plan=ba_trang_plan, actor=commune_leader, expected_version=ba_trang_plan.version
    )


def _commune_targets(plan):
    return {
        line.line.element.code: line.line.commune.display
        for line in plan_progress(actor=SYSTEM, plan=plan).lines
        if line.line.commune is not None
    }


def _amend(approved, officer, leader, in_force_from, *, approve=True):
    draft = plan_amend(actor=officer, plan=approved, reason="Lý do", in_force_from=in_force_from)
    target = (
        draft.targets.filter(kind=Target.Kind.NUMBER, scope=Target.Scope.COMMUNE)
        .exclude(element__in=draft.allocation_columns.values("element"))
        .select_related("element")[0]
    )
    targets_set(
        plan=draft,
        items=[TargetInput(element=target.element, scope=target.scope, kind="number", value="77")],
        actor=officer,
        expected_version=draft.version,
    )
    if approve:
        draft.refresh_from_db()
        plan_update(
            plan=draft,
            actor=officer,
            expected_version=draft.version,
            number=120,
            issued_on=datetime.date(2023, 10, 30),
        )
        plan_approve(plan=draft, actor=leader, expected_version=draft.version)
    return draft, target.element.code


def test_progress_reads_the_amended_targets_once_the_amendment_is_in_force(
    approved, commune_officer, commune_leader
):
    before = _commune_targets(approved)
    amended, code = _amend(approved, commune_officer, commune_leader, datetime.date(2023, 11, 1))

    assert before[code] != "77"
    assert _commune_targets(approved)[code] == "77"  # the old version's page: the year's end
    assert _commune_targets(amended)[code] == "77"


def test_a_draft_amendment_does_not_change_the_progress(approved, commune_officer, commune_leader):
    before = _commune_targets(approved)
    _draft, code = _amend(
        approved, commune_officer, commune_leader, datetime.date(2023, 11, 1), approve=False
    )

    assert _commune_targets(approved)[code] == before[code] != "77"


def test_the_plan_pages_progress_counts_against_the_version_in_force(
    client, approved, commune_officer, commune_leader
):
    # the page prints the old version's own targets, and hands them to its progress panel
    # only when that version is the one in force
    before = _commune_targets(approved)
    _amended, code = _amend(approved, commune_officer, commune_leader, datetime.date(2023, 11, 1))
    client.force_login(commune_officer)

    html = client.get(reverse("programs:plan_detail", args=[approved.pk])).content.decode()

    element = ProgramElement.objects.get(code=code)
    tree = lxml.html.fromstring(html)
    progress_row = tree.find_class("progress-table")[0].get_element_by_id(f"line-{element.pk}")
    assert progress_row.find_class("target-commune")[0].text_content().strip() == "77"
    assert before[code] != "77"
