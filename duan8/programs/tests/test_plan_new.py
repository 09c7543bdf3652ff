"""A new draft plan from the previous one or empty (issue 12, point 1 a and c): the service."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import translation

from duan8.core.models import AuditEvent
from duan8.core.problems import problems_of
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.services import org_unit_save_with_path
from duan8.programs.models import AllocationCell, AllocationRow, Plan, Target
from duan8.programs.plan_new import EMPTY, PREVIOUS, PlanExists, plan_new


def _problems(exc: ValidationError) -> dict[str, str]:
    return {p.field: p.message for p in problems_of(exc)}


def test_from_previous_copies_structure_and_texts_with_blank_targets(
    ba_trang_plan, commune_officer
):
    result = plan_new(
        actor=commune_officer, unit=ba_trang_plan.issuing_unit, year=2024, source=PREVIOUS
    )

    plan, old = result.plan, ba_trang_plan
    assert (plan.year, plan.status, plan.version) == (2024, Plan.Status.DRAFT, 1)
    assert plan.number is None and plan.issued_on is None
    assert "năm 2024" in plan.title and "năm 2023" not in plan.title
    assert "năm 2024" in plan.proposal
    for name in ("issuing_body", "parent_body", "place", "recipients", "signer_name"):
        assert getattr(plan, name) == getattr(old, name) != ""
    assert [b.document_id for b in plan.legal_bases.all()] == [
        b.document_id for b in old.legal_bases.all()
    ]
    assert plan.focuses.count() == old.focuses.count() > 0
    assert plan.responsibilities.count() == old.responsibilities.count() > 0
    assert plan.allocation_columns.count() == old.allocation_columns.count() > 0
    assert plan.allocation_rows.count() == old.allocation_rows.count() > 0
    assert plan.targets.count() == 0
    assert AllocationCell.objects.filter(row__plan=plan).count() == 0
    event = AuditEvent.objects.get(action="programs.plan.created")
    assert event.actor == commune_officer and event.target_id == str(plan.pk)
    assert old.targets.count() > 0  # the previous plan is untouched


def test_from_previous_carries_targets_and_allocation_when_asked(ba_trang_plan, commune_officer):
    result = plan_new(
        actor=commune_officer,
        unit=ba_trang_plan.issuing_unit,
        year=2024,
        source=PREVIOUS,
        carry_targets=True,
    )

    def shown(plan: Plan) -> list[tuple[str, str, str]]:
        return sorted((t.element.code, t.scope, t.display) for t in plan.targets.all())

    def cells(plan: Plan) -> Decimal:
        values = AllocationCell.objects.filter(row__plan=plan).values_list("value", flat=True)
        return sum(values, Decimal(0))

    assert shown(result.plan) == shown(ba_trang_plan) != []
    assert cells(result.plan) == cells(ba_trang_plan) > 0
    assert result.targets == ba_trang_plan.targets.count()


def test_from_previous_leaves_out_villages_gone_and_adds_new_ones(
    ba_trang_plan, commune_officer, villages
):
    gone = villages["Kon Riêng"]
    gone.valid_to = datetime.date(2023, 12, 31)
    gone.save(update_fields=["valid_to"])
    org_unit_save_with_path(
        OrgUnit(
            code_scheme=OrgUnit.CodeScheme.LOCAL,
            code="21520-09",
            name="Làng Mới",
            level=OrgUnit.Level.VILLAGE,
            kind="Thôn",
            parent=ba_trang_plan.issuing_unit,
            valid_from=datetime.date(2024, 1, 1),
        )
    )

    result = plan_new(
        actor=commune_officer, unit=ba_trang_plan.issuing_unit, year=2024, source=PREVIOUS
    )

    labels = set(
        result.plan.allocation_rows.filter(kind=AllocationRow.Kind.VILLAGE).values_list(
            "label", flat=True
        )
    )
    assert "Thôn Làng Mới" in labels
    assert not any("Kon Riêng" in label for label in labels)
    assert any("Kon Riêng" in label for label in result.dropped_villages)


def test_empty_plan_has_the_structure_lines_and_the_villages(
    program_structure, ba_trang, villages, commune_officer
):
    with translation.override("en"):  # a page in English still writes a Vietnamese document
        result = plan_new(actor=commune_officer, unit=ba_trang, year=2024, source=EMPTY)

    plan = result.plan
    assert plan.issuing_body == "Ủy ban nhân dân xã Ba Trang"
    assert plan.title.startswith("Triển khai thực hiện Dự án 8")
    assert plan.parent_body == "Ủy ban nhân dân huyện Ba Tơ"
    assert plan.project == program_structure
    assert plan.targets.count() == 0
    assert plan.allocation_columns.count() > 0
    rows = list(plan.allocation_rows.order_by("order"))
    assert rows[0].kind == AllocationRow.Kind.TOTAL
    assert {r.village for r in rows[1:]} == set(villages.values())
    assert "Ba Trang" in plan.issuing_body and "2024" in plan.title


def test_a_second_plan_for_the_same_unit_and_year_is_refused_naming_it(
    ba_trang_plan, commune_officer
):
    first = plan_new(
        actor=commune_officer, unit=ba_trang_plan.issuing_unit, year=2024, source=PREVIOUS
    )

    with pytest.raises(PlanExists) as caught:
        plan_new(actor=commune_officer, unit=ba_trang_plan.issuing_unit, year=2024, source=EMPTY)

    assert caught.value.plan == first.plan
    with translation.override("vi"):
        assert "đã có kế hoạch năm 2024" in _problems(caught.value)["year"]
    assert Plan.objects.filter(issuing_unit=ba_trang_plan.issuing_unit, year=2024).count() == 1


def test_an_approved_plan_of_the_year_also_blocks_a_new_one(ba_trang_plan, commune_officer):
    Plan.objects.filter(pk=ba_trang_plan.pk).update(status=Plan.Status.APPROVED)

    with pytest.raises(PlanExists):
        plan_new(actor=commune_officer, unit=ba_trang_plan.issuing_unit, year=2023, source=EMPTY)


def test_a_unit_that_did_not_exist_that_year_is_refused(
    program_structure, ba_trang, dang_thuy_tram, commune_officer
):
    with pytest.raises(ValidationError) as late:
        plan_new(actor=None, unit=ba_trang, year=2027, source=EMPTY)
    with pytest.raises(ValidationError) as early:
        plan_new(actor=None, unit=dang_thuy_tram, year=2024, source=EMPTY)

    with translation.override("vi"):
        assert "30/06/2025" in _problems(late.value)["unit"]
        assert "01/07/2025" in _problems(early.value)["unit"]
    assert Plan.objects.count() == 0


def test_a_year_outside_the_programs_period_is_refused(program_structure, dang_thuy_tram):
    with pytest.raises(ValidationError) as caught:
        plan_new(actor=None, unit=dang_thuy_tram, year=2040, source=EMPTY)

    problems = _problems(caught.value)
    assert "2040" in problems["year"] and "2021" in problems["year"]
    assert Plan.objects.count() == 0


def test_from_previous_without_a_previous_plan_is_refused(program_structure, ba_trang):
    with pytest.raises(ValidationError) as caught:
        plan_new(actor=None, unit=ba_trang, year=2024, source=PREVIOUS)

    assert "source" in _problems(caught.value)
    assert Plan.objects.count() == 0


def test_an_as_of_day_when_the_unit_did_not_exist_is_refused(program_structure, ba_trang):
    with pytest.raises(ValidationError) as caught:
        plan_new(
            actor=None, unit=ba_trang, year=2025, source=EMPTY, as_of=datetime.date(2025, 8, 1)
        )

    assert "as_of" in _problems(caught.value)


def test_only_an_editor_of_the_unit_may_start_its_plan(
    ba_trang_plan, other_commune_officer, commune_leader
):
    for outsider in (other_commune_officer, commune_leader):
        with pytest.raises(PermissionDenied):
            plan_new(actor=outsider, unit=ba_trang_plan.issuing_unit, year=2024, source=PREVIOUS)

    assert Plan.objects.filter(year=2024).count() == 0


def test_the_command_line_is_audited_without_a_user(ba_trang_plan):
    plan_new(actor=None, unit=ba_trang_plan.issuing_unit, year=2024, source=PREVIOUS)

    event = AuditEvent.objects.get(action="programs.plan.created")
    assert event.actor is None and "command line" in event.actor_name


def test_targets_carried_are_real_rows_the_target_editor_reads(ba_trang_plan, commune_officer):
    result = plan_new(
        actor=commune_officer,
        unit=ba_trang_plan.issuing_unit,
        year=2024,
        source=PREVIOUS,
        carry_targets=True,
    )

    assert Target.objects.filter(plan=result.plan).count() == result.targets > 0


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_create_one_draft(default_roles_again, ba_trang_plan, commune_officer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are PostgreSQL's; SQLite writes one at a time")
    unit = ba_trang_plan.issuing_unit
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def attempt() -> None:
        start.wait()
        try:
            plan_new(actor=commune_officer, unit=unit, year=2024, source=PREVIOUS)
            outcomes.append("created")
        except PlanExists:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "refused"]
    assert Plan.objects.filter(issuing_unit=unit, year=2024).count() == 1
