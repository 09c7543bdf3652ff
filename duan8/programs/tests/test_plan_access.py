"""Own-level planning rights (issue 12, point 3): the reviewer of a province (before 1/7/2025 of a
district) writes and approves the unit's own plan, the one that assigns targets to its communes
(``plans.assign``, held in the unit itself), and never the plans of those communes."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.tests.factories import make_unit
from duan8.programs.amendments import plan_amend
from duan8.programs.models import AllocationCell, AllocationRow, Plan, Target
from duan8.programs.plan_access import can_approve_plan, can_write_plan
from duan8.programs.plan_edit import plan_update
from duan8.programs.plan_new import ASSIGNED, EMPTY, plan_new
from duan8.programs.services import TargetInput, allocation_set, plan_approve, targets_set
from duan8.testing import NEW, REFORM

L = OrgUnit.Level
YEAR = 2027
BEFORE_REFORM = datetime.datetime(2025, 3, 3, 9, tzinfo=datetime.UTC)


@pytest.fixture
def province_reviewer(new_quang_ngai):
    user = UserFactory(username="hlhpn.quangngai", full_name="Lê Thị Ngãi")
    membership(user, new_quang_ngai, "province_reviewer")
    return user


@pytest.fixture
def dtt_officer(ba_trang_merger):
    user = UserFactory(username="hlhpn.dangthuytram", full_name="Hồ Thị Trâm")
    membership(user, ba_trang_merger, "commune_wu_officer")
    return user


@pytest.fixture
def gia_lai(db):
    return make_unit(
        code="52", name="Gia Lai", level=L.PROVINCE, kind="Tỉnh", scheme=NEW, valid_from=REFORM,
        valid_to=None,
    )  # fmt: skip


@pytest.fixture
def gia_lai_commune(gia_lai):
    return make_unit(
        code="21600", name="An Nhơn", level=L.COMMUNE, kind="Xã", parent=gia_lai, scheme=NEW,
        valid_from=REFORM, valid_to=None,
    )  # fmt: skip


def header(plan: Plan, actor, number: int = 141) -> Plan:
    return plan_update(
        plan=plan,
        actor=actor,
        expected_version=plan.version,
        number=number,
        issued_on=datetime.date(2026, 12, 1),
    )


def commune_rows_of(plan: Plan) -> tuple[AllocationRow, list[AllocationRow]]:
    rows = list(plan.allocation_rows.order_by("order", "pk"))
    total = next(r for r in rows if r.kind == AllocationRow.Kind.TOTAL)
    return total, [r for r in rows if r.kind == AllocationRow.Kind.VILLAGE]


def first_column(plan: Plan):
    return plan.allocation_columns.select_related("element").order_by("order").first()


@pytest.fixture
def province_draft(program_structure, new_quang_ngai, ba_trang_merger, province_reviewer):
    """Tỉnh Quảng Ngãi's 2027 draft, started by its reviewer: plan_new gave it the year's total
    and a row for its one commune, xã Đặng Thùy Trâm."""
    return plan_new(actor=province_reviewer, unit=new_quang_ngai, year=YEAR, source=EMPTY).plan


@pytest.fixture
def dtt_draft(program_structure, ba_trang_merger, villages, dtt_officer):
    """Xã Đặng Thùy Trâm's own 2027 draft (started empty by its officer)."""
    return plan_new(actor=dtt_officer, unit=ba_trang_merger, year=YEAR, source=EMPTY).plan


# --- the province reviewer's own plan --------------------------------------------------------


def test_the_province_reviewer_starts_edits_and_approves_the_province_plan(
    province_draft, province_reviewer, ba_trang_merger, dtt_officer
):
    plan = header(province_draft, province_reviewer)
    column = first_column(plan)
    total, (row,) = commune_rows_of(plan)

    allocation_set(
        plan=plan,
        values={(total.pk, column.pk): "12", (row.pk, column.pk): "12"},
        difficult_villages={},
        actor=province_reviewer,
        expected_version=plan.version,
    )
    plan.refresh_from_db()
    targets_set(
        plan=plan,
        items=[TargetInput(column.element, Target.Scope.COMMUNE, Target.Kind.NUMBER, "12")],
        actor=province_reviewer,
        expected_version=plan.version,
    )
    plan.refresh_from_db()
    plan_approve(plan=plan, actor=province_reviewer, expected_version=plan.version)
    draft = plan_new(actor=dtt_officer, unit=ba_trang_merger, year=YEAR, source=ASSIGNED).plan

    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED and plan.approved_by == province_reviewer
    assert AllocationCell.objects.get(row=row, column=column).value == Decimal(12)
    assigned = draft.targets.get(element=column.element, scope=Target.Scope.COMMUNE)
    assert assigned.value == Decimal(12)


def test_the_province_reviewer_assigns_on_the_pages_and_the_officer_sees_it_in_her_draft(
    client, province_draft, province_reviewer, ba_trang_merger, dtt_officer
):
    plan = header(province_draft, province_reviewer)
    column = first_column(plan)
    total, (row,) = commune_rows_of(plan)
    client.force_login(province_reviewer)
    page = client.get(reverse("programs:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    edit = reverse("programs:plan_allocation_edit", kwargs={"pk": plan.pk})
    form = client.get(edit).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data[f"cell-{row.pk}-{column.pk}"] = data[f"cell-{total.pk}-{column.pk}"] = "7"

    saved = client.post(edit, data)
    approved = client.post(
        reverse("programs:plan_approve", kwargs={"pk": plan.pk}), {"version": plan.version + 1}
    )
    client.force_login(dtt_officer)
    created = client.post(
        reverse("programs:plan_new", kwargs={"pk": ba_trang_merger.pk}),
        {"year": str(YEAR), "source": ASSIGNED},
    )
    draft_page = client.get(created["Location"])

    assert edit in page and reverse("programs:plan_approve", kwargs={"pk": plan.pk}) in page
    assert saved.status_code == 302 and approved.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    panel = draft_page.content.decode().split('id="assigned-targets"', 1)[1].split("</section>")[0]
    assert plan.reference in panel
    assert re.search(rf"{re.escape(column.heading)}</th>\s*<td>7</td>", panel)


def test_the_unit_page_offers_the_reviewer_a_new_plan_of_the_province_not_of_a_commune(
    client, program_structure, new_quang_ngai, ba_trang_merger, province_reviewer
):
    client.force_login(province_reviewer)

    province = client.get(reverse("orgunits:unit_detail", kwargs={"pk": new_quang_ngai.pk}))
    commune = client.get(reverse("orgunits:unit_detail", kwargs={"pk": ba_trang_merger.pk}))

    own = reverse("programs:plan_new", kwargs={"pk": new_quang_ngai.pk})
    assert own in province.content.decode()
    assert commune.status_code == 200
    assert (
        reverse("programs:plan_new", kwargs={"pk": ba_trang_merger.pk})
        not in commune.content.decode()
    )


# --- what the province reviewer must not do --------------------------------------------------


def test_the_province_reviewer_cannot_write_approve_or_amend_a_communes_plan(
    dtt_draft, province_reviewer
):
    column = first_column(dtt_draft)
    version = dtt_draft.version

    with pytest.raises(PermissionDenied):
        header(dtt_draft, province_reviewer, number=9)
    with pytest.raises(PermissionDenied):
        targets_set(
            plan=dtt_draft,
            items=[TargetInput(column.element, Target.Scope.COMMUNE, Target.Kind.NUMBER, "1")],
            actor=province_reviewer,
            expected_version=version,
        )
    with pytest.raises(PermissionDenied):
        plan_approve(plan=dtt_draft, actor=province_reviewer, expected_version=version)
    Plan.objects.filter(pk=dtt_draft.pk).update(status=Plan.Status.APPROVED)
    dtt_draft.refresh_from_db()
    with pytest.raises(PermissionDenied):
        plan_amend(actor=province_reviewer, plan=dtt_draft, reason="x", in_force_from=None)

    dtt_draft.refresh_from_db()
    assert dtt_draft.version == version and dtt_draft.number is None
    assert not dtt_draft.targets.filter(element=column.element).exists()
    assert Plan.objects.filter(issuing_unit=dtt_draft.issuing_unit).count() == 1
    assert not can_write_plan(province_reviewer, dtt_draft)
    assert not can_approve_plan(province_reviewer, dtt_draft)


def test_the_province_reviewer_cannot_start_a_communes_plan(
    client, program_structure, ba_trang_merger, province_reviewer
):
    client.force_login(province_reviewer)

    with pytest.raises(PermissionDenied):
        plan_new(actor=province_reviewer, unit=ba_trang_merger, year=YEAR, source=EMPTY)
    page = client.post(
        reverse("programs:plan_new", kwargs={"pk": ba_trang_merger.pk}),
        {"year": str(YEAR), "source": EMPTY},
    )

    assert page.status_code == 403
    assert not Plan.objects.filter(issuing_unit=ba_trang_merger).exists()


def test_the_province_reviewer_gets_403_on_a_communes_plan_pages_and_sees_no_edit_button(
    client, dtt_draft, province_reviewer
):
    client.force_login(province_reviewer)
    pk = {"pk": dtt_draft.pk}
    column = first_column(dtt_draft)
    _total, rows = commune_rows_of(dtt_draft)

    detail = client.get(reverse("programs:plan_detail", kwargs=pk)).content.decode()
    answers = [
        client.get(reverse(f"programs:{name}", kwargs=pk)).status_code
        for name in ("plan_targets_edit", "plan_allocation_edit", "plan_text_edit", "plan_approve")
    ]
    posted = [
        client.post(reverse("programs:plan_allocation_edit", kwargs=pk), {
            "version": dtt_draft.version, f"cell-{rows[0].pk}-{column.pk}": "5"
        }).status_code,
        client.post(reverse("programs:plan_approve", kwargs=pk), {
            "version": dtt_draft.version
        }).status_code,
    ]  # fmt: skip

    assert answers == [403, 403, 403, 403] and posted == [403, 403]
    assert reverse("programs:plan_allocation_edit", kwargs=pk) not in detail
    assert reverse("programs:plan_approve", kwargs=pk) not in detail
    dtt_draft.refresh_from_db()
    assert dtt_draft.status == Plan.Status.DRAFT
    assert not AllocationCell.objects.filter(row=rows[0], value__gt=0).exists()


def test_the_province_reviewer_cannot_act_on_another_provinces_plan(
    client, program_structure, gia_lai, gia_lai_commune, province_reviewer
):
    superuser = UserFactory(username="admin", is_superuser=True)
    plan = plan_new(actor=superuser, unit=gia_lai, year=YEAR, source=EMPTY).plan
    client.force_login(province_reviewer)

    with pytest.raises(PermissionDenied):
        header(plan, province_reviewer)
    with pytest.raises(PermissionDenied):
        plan_new(actor=province_reviewer, unit=gia_lai, year=YEAR + 1, source=EMPTY)
    page = client.get(reverse("programs:plan_allocation_edit", kwargs={"pk": plan.pk}))

    assert page.status_code == 404
    plan.refresh_from_db()
    assert plan.number is None and Plan.objects.filter(issuing_unit=gia_lai).count() == 1


def test_a_commune_officer_cannot_edit_the_province_plan(province_draft, dtt_officer):
    with pytest.raises(PermissionDenied):
        header(province_draft, dtt_officer)
    with pytest.raises(PermissionDenied):
        plan_approve(plan=province_draft, actor=dtt_officer, expected_version=1)

    province_draft.refresh_from_db()
    assert province_draft.number is None and province_draft.status == Plan.Status.DRAFT


# --- a district, until it ended on 30/6/2025 -------------------------------------------------


@pytest.fixture
def district_2024(program_structure, ba_to, district_reviewer):
    with time_machine.travel(BEFORE_REFORM, tick=False):
        return plan_new(actor=district_reviewer, unit=ba_to, year=2024, source=EMPTY).plan


def test_a_district_reviewer_wrote_its_districts_2024_plan_while_the_district_existed(
    district_2024, district_reviewer
):
    with time_machine.travel(BEFORE_REFORM, tick=False):
        allowed = can_write_plan(district_reviewer, district_2024)
        plan = header(district_2024, district_reviewer, number=195)

    assert allowed and plan.number == 195


def test_a_district_reviewer_cannot_write_its_plan_after_the_district_ended(
    district_2024, district_reviewer
):
    with pytest.raises(PermissionDenied):
        header(district_2024, district_reviewer, number=195)

    district_2024.refresh_from_db()
    assert district_2024.number is None and not can_write_plan(district_reviewer, district_2024)


def test_a_district_reviewer_cannot_write_a_communes_plan(ba_trang_plan, district_reviewer):
    with time_machine.travel(BEFORE_REFORM, tick=False):
        allowed = can_write_plan(district_reviewer, ba_trang_plan)
        with pytest.raises(PermissionDenied):
            header(ba_trang_plan, district_reviewer, number=9)
        with pytest.raises(PermissionDenied):
            plan_approve(
                plan=ba_trang_plan, actor=district_reviewer, expected_version=ba_trang_plan.version
            )

    ba_trang_plan.refresh_from_db()
    assert allowed is False and ba_trang_plan.number == 87
