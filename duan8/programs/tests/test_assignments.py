"""Targets assigned by the level above (issue 12, point 3): the selector, the table, the plan page
panel, and a new draft from the assignment (point 1 b)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.problems import problems_of
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.tests.factories import make_unit
from duan8.programs.assignments import assigned_targets, assigner_of, assignment_table
from duan8.programs.models import (
    AllocationCell,
    AllocationColumn,
    AllocationRow,
    Plan,
    ProgramElement,
    Target,
)
from duan8.programs.plan_new import plan_new
from duan8.programs.services import allocation_set
from duan8.testing import PROJECT_CODE


def indicators(count: int = 2) -> list[ProgramElement]:
    return list(
        ProgramElement.objects.filter(
            code__startswith=f"{PROJECT_CODE}.", kind=ProgramElement.Kind.INDICATOR
        )
        .exclude(unit="")
        .order_by("order", "code")[:count]
    )


def assignment_plan(
    assigner: OrgUnit,
    year: int,
    values: dict[OrgUnit, list[int]],
    elements: list[ProgramElement],
    status: str = Plan.Status.APPROVED,
) -> Plan:
    """A plan of ``assigner`` whose allocation rows assign each commune its values, by element."""
    plan = Plan.objects.create(
        project=ProgramElement.objects.get(code=PROJECT_CODE),
        issuing_unit=assigner,
        year=year,
        number=141,
        issuing_body=f"UBND {assigner.full_name}",
        title=f"Giao chỉ tiêu năm {year}",
        status=status,
    )
    columns = AllocationColumn.objects.bulk_create(
        AllocationColumn(plan=plan, element=e, heading=e.title, order=n)
        for n, e in enumerate(elements)
    )
    total = AllocationRow.objects.create(plan=plan, kind=AllocationRow.Kind.TOTAL, label="Tổng")
    cells = []
    for n, (commune, numbers) in enumerate(values.items(), start=1):
        row = AllocationRow.objects.create(
            plan=plan,
            parent=total,
            kind=AllocationRow.Kind.VILLAGE,
            number=str(n),
            label=commune.full_name,
            village=commune,
            order=n,
        )
        cells += [
            AllocationCell(row=row, column=c, value=Decimal(v))
            for c, v in zip(columns, numbers, strict=True)
        ]
    sums = [sum(numbers[n] for numbers in values.values()) for n in range(len(columns))]
    cells += [
        AllocationCell(row=total, column=c, value=Decimal(v))
        for c, v in zip(columns, sums, strict=True)
    ]
    AllocationCell.objects.bulk_create(cells)
    return plan


def commune_plan(commune: OrgUnit, year: int, targets: dict[ProgramElement, int]) -> Plan:
    plan = Plan.objects.create(
        project=ProgramElement.objects.get(code=PROJECT_CODE),
        issuing_unit=commune,
        year=year,
        issuing_body=f"UBND {commune.full_name}",
        title=f"Kế hoạch năm {year}",
    )
    Target.objects.bulk_create(
        Target(
            plan=plan,
            element=e,
            scope=Target.Scope.COMMUNE,
            kind=Target.Kind.NUMBER,
            value=Decimal(v),
        )
        for e, v in targets.items()
    )
    return plan


@pytest.fixture
def elements(program_structure):
    return indicators(2)


@pytest.fixture
def district_2024(ba_to, ba_trang, ba_kham, elements):
    return assignment_plan(ba_to, 2024, {ba_trang: [3, 2], ba_kham: [4, 1]}, elements)


def test_a_commune_reads_what_its_district_assigned(ba_trang, district_2024, elements):
    assigned = assigned_targets(unit=ba_trang, year=2024)

    assert {k: v.value for k, v in assigned.items()} == {
        elements[0].pk: Decimal(3),
        elements[1].pk: Decimal(2),
    }
    assert assigned_targets(unit=ba_trang, year=2023) == {}


def test_a_draft_assignment_is_not_yet_assigned(ba_trang, district_2024):
    district_2024.status = Plan.Status.DRAFT
    district_2024.save(update_fields=["status"])

    assert assigned_targets(unit=ba_trang, year=2024) == {}


def test_the_assigner_is_the_parent_on_the_map_of_that_year(
    ba_to, ba_trang, dang_thuy_tram, new_quang_ngai, elements
):
    assignment_plan(new_quang_ngai, 2027, {dang_thuy_tram: [5, 6]}, elements)

    assert assigner_of(ba_trang, 2024) == ba_to
    assert assigner_of(ba_trang, 2027) is None  # the district ended on 30/6/2025
    assert assigner_of(dang_thuy_tram, 2027) == new_quang_ngai
    assert [a.value for a in assigned_targets(unit=dang_thuy_tram, year=2027).values()] == [
        Decimal(5),
        Decimal(6),
    ]


def test_the_table_flags_targets_below_and_communes_without_a_plan(
    district_reviewer, ba_to, ba_trang, ba_kham, district_2024, elements
):
    commune_plan(ba_trang, 2024, {elements[0]: 2, elements[1]: 5})

    table = assignment_table(actor=district_reviewer, unit=ba_to, year=2024)

    rows = {row.commune.name: row for row in table.rows}
    trang = rows["Ba Trang"]
    assert [(c.assigned, c.target.value, c.below) for c in trang.cells] == [
        (Decimal(3), Decimal(2), True),
        (Decimal(2), Decimal(5), False),
    ]
    assert rows["Ba Khâm"].plan is None and table.without_plan == [ba_kham]
    assert [c.assigned for c in rows["Ba Khâm"].cells] == [Decimal(4), Decimal(1)]


def test_the_table_takes_a_fixed_number_of_queries(district_reviewer, ba_to, ba_trang, elements):
    def count(communes: int) -> int:
        made = [
            make_unit(
                code=f"9{communes}{n:02d}",
                name=f"Xã thử {communes}-{n}",
                level=OrgUnit.Level.COMMUNE,
                kind="Xã",
                parent=ba_to,
            )
            for n in range(communes)
        ]
        plan = assignment_plan(ba_to, 2020 + communes, {c: [1, 2] for c in made}, elements)
        for commune in made:
            commune_plan(commune, plan.year, {elements[0]: 1})
        with CaptureQueriesContext(connection) as queries:
            table = assignment_table(actor=district_reviewer, unit=ba_to, year=plan.year)
        assert len(table.rows) >= communes
        return len(queries)

    count(1)  # the reviewer's roles are read once per request
    assert count(2) == count(8) == 6


def test_plan_new_from_assigned_fills_the_commune_targets(
    commune_officer, ba_trang, villages, district_2024, elements
):
    result = plan_new(actor=commune_officer, unit=ba_trang, year=2024, source="assigned")

    targets = {
        t.element_id: (t.kind, t.value)
        for t in result.plan.targets.filter(scope=Target.Scope.COMMUNE)
    }
    assert targets == {
        elements[0].pk: (Target.Kind.NUMBER, Decimal(3)),
        elements[1].pk: (Target.Kind.NUMBER, Decimal(2)),
    }
    assert result.targets == 2 and result.plan.status == Plan.Status.DRAFT


def test_plan_new_from_assigned_refuses_when_nothing_was_assigned(
    commune_officer, ba_trang, program_structure
):
    with pytest.raises(ValidationError) as refused:
        plan_new(actor=commune_officer, unit=ba_trang, year=2024, source="assigned")

    assert [p.field for p in problems_of(refused.value)] == ["source"]
    assert not Plan.objects.filter(issuing_unit=ba_trang).exists()


def test_the_district_reviewer_sees_the_table(client, district_reviewer, ba_to, district_2024):
    client.force_login(district_reviewer)

    response = client.get(
        reverse("programs:assignment_table", kwargs={"pk": ba_to.pk}), {"year": 2024}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Ba Trang" in body and "Ba Khâm" in body and 'id="without-plan"' in body


def test_a_commune_officer_cannot_see_the_district_table(
    client, commune_officer, ba_to, district_2024
):
    client.force_login(commune_officer)

    response = client.get(
        reverse("programs:assignment_table", kwargs={"pk": ba_to.pk}), {"year": 2024}
    )

    assert response.status_code == 404
    assert "Ba Khâm" not in response.content.decode()


def test_the_commune_plan_page_shows_the_assignment_beside_its_target(
    client, commune_officer, ba_trang, district_2024, elements
):
    plan = commune_plan(ba_trang, 2024, {elements[0]: 2, elements[1]: 5})
    client.force_login(commune_officer)

    body = client.get(reverse("programs:plan_detail", kwargs={"pk": plan.pk})).content.decode()

    assert 'id="assigned-targets"' in body
    assert body.count('class="below-assignment"') == 1


def test_a_plan_page_without_assignment_shows_no_panel(client, commune_officer, ba_trang, elements):
    plan = commune_plan(ba_trang, 2024, {elements[0]: 2})
    client.force_login(commune_officer)

    body = client.get(reverse("programs:plan_detail", kwargs={"pk": plan.pk})).content.decode()

    assert 'id="assigned-targets"' not in body


def test_a_province_reviewer_sees_its_communes_after_the_reform(
    client, new_quang_ngai, dang_thuy_tram, elements
):
    reviewer = UserFactory(username="hlhpn.quangngai")
    membership(reviewer, new_quang_ngai, "district_reviewer")
    assignment_plan(new_quang_ngai, 2027, {dang_thuy_tram: [5, 6]}, elements)
    client.force_login(reviewer)

    response = client.get(
        reverse("programs:assignment_table", kwargs={"pk": new_quang_ngai.pk}), {"year": 2027}
    )

    assert response.status_code == 200 and "Đặng Thùy Trâm" in response.content.decode()


def test_an_assignment_outside_the_assigners_area_is_refused(
    ba_to, ba_trang, dang_thuy_tram, elements
):
    admin = UserFactory(username="admin.i12e", is_superuser=True)
    plan = assignment_plan(
        ba_to, 2024, {ba_trang: [1, 1], dang_thuy_tram: [2, 2]}, elements, Plan.Status.DRAFT
    )
    row = plan.allocation_rows.get(village=dang_thuy_tram)
    column = plan.allocation_columns.first()
    before = AllocationCell.objects.get(row=row, column=column).value

    with pytest.raises(ValidationError) as refused:
        allocation_set(
            plan=plan,
            values={(row.pk, column.pk): "2"},
            difficult_villages={},
            actor=admin,
            expected_version=plan.version,
        )

    problems = problems_of(refused.value)
    assert [p.field for p in problems] == [f"rows.{row.pk}"]
    assert "Đặng Thùy Trâm" in problems[0].message
    assert AllocationCell.objects.get(row=row, column=column).value == before


def test_an_assignment_to_its_own_communes_is_saved(ba_to, ba_trang, ba_kham, elements):
    admin = UserFactory(username="admin.i12e", is_superuser=True)
    plan = assignment_plan(ba_to, 2024, {ba_trang: [1], ba_kham: [2]}, elements[:1], "draft")
    total = plan.allocation_rows.get(kind=AllocationRow.Kind.TOTAL)
    row = plan.allocation_rows.get(village=ba_trang)
    column = plan.allocation_columns.get()

    allocation_set(
        plan=plan,
        values={(row.pk, column.pk): "4", (total.pk, column.pk): "6"},
        difficult_villages={},
        actor=admin,
        expected_version=plan.version,
    )

    assert AllocationCell.objects.get(row=row, column=column).value == Decimal(4)


def test_the_command_starts_a_draft_from_the_assignment(ba_trang, villages, district_2024):
    out = StringIO()

    call_command("plan_new", "--unit", "21520", "--year", "2024", "--from-assigned", stdout=out)

    plan = Plan.objects.get(issuing_unit=ba_trang, year=2024)
    assert plan.targets.filter(scope=Target.Scope.COMMUNE, kind=Target.Kind.NUMBER).count() == 2
    assert "2024" in out.getvalue()


def test_the_new_plan_page_offers_the_assignment(client, commune_officer, ba_trang):
    client.force_login(commune_officer)

    body = client.get(reverse("programs:plan_new", kwargs={"pk": ba_trang.pk})).content.decode()

    assert 'value="assigned"' in body


def test_the_district_page_links_to_its_table(client, district_reviewer, ba_to):
    client.force_login(district_reviewer)

    body = client.get(reverse("orgunits:unit_detail", kwargs={"pk": ba_to.pk})).content.decode()

    assert reverse("programs:assignment_table", kwargs={"pk": ba_to.pk}) in body
