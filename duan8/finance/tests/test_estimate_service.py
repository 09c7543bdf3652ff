# ruff: noqa: F811 (fixtures imported from budget_fixtures)
"""A plan's estimate: lines, bad input, the allocation as a ceiling, approval with the plan."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from docx import Document

from duan8.accounts.models import User
from duan8.core.models import AuditEvent
from duan8.documents.plan_document import plan_docx
from duan8.finance.balance import estimate_total
from duan8.finance.models import Estimate, EstimateLine, Source, SpendingNorm
from duan8.finance.services.estimates import (
    EstimateLineInput,
    estimate_approve,
    estimate_line_add,
    estimate_line_remove,
)
from duan8.finance.tests.budget_fixtures import accountant, allocate, other_accountant  # noqa: F401
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

pytestmark = pytest.mark.django_db

ACTIVITY = "1719.GD1.DA8.ND1.HD1"


def _line(**changes: object) -> EstimateLineInput:
    values: dict[str, object] = {
        "activity": ProgramElement.objects.get(code=ACTIVITY),
        "source": Source.CENTRAL,
        "quantity": 2,
        "unit_amount": Decimal(1_500_000),
        "description": "Hội nghị truyền thông",
    }
    values.update(changes)
    return EstimateLineInput(**values)  # type: ignore[arg-type]


def _add(actor: User, plan: Plan, **changes: object) -> EstimateLine:
    estimate = Estimate.objects.filter(plan=plan).first()
    version = estimate.version if estimate else 1
    return estimate_line_add(
        actor=actor, plan=plan, data=_line(**changes), expected_version=version
    )


@pytest.fixture
def funded_plan(ba_trang_plan: Plan) -> Plan:
    allocate(ba_trang_plan.issuing_unit, 10_000_000)
    allocate(ba_trang_plan.issuing_unit, 2_000_000, source=Source.LOCAL)
    return ba_trang_plan


def test_lines_are_quantity_times_norm_or_typed_amount(
    commune_officer: User, funded_plan: Plan, villages: dict[str, OrgUnit]
) -> None:
    kit = SpendingNorm.objects.get(code="goi-vat-tu")

    by_norm = _add(
        commune_officer, funded_plan, norm=kit, unit_amount=None, quantity=4, description=""
    )
    typed = _add(commune_officer, funded_plan, village=villages["Bùi Hui"])
    local = _add(commune_officer, funded_plan, source=Source.LOCAL, quantity=1)

    assert by_norm.amount == Decimal(2_000_000) and by_norm.description == kit.name
    assert typed.amount == Decimal(3_000_000) and typed.village == villages["Bùi Hui"]
    assert estimate_total(funded_plan) == Decimal(6_500_000)
    assert estimate_total(funded_plan, source=Source.LOCAL) == local.amount
    assert AuditEvent.objects.filter(action="finance.estimate.line_added").count() == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"unit_amount": Decimal(-1)}, "unit_amount"),
        ({"unit_amount": Decimal("1000.5")}, "unit_amount"),
        ({"unit_amount": None}, "unit_amount"),
        ({"quantity": 0}, "quantity"),
        ({"source": "xyz"}, "source"),
        ({"description": ""}, "description"),
    ],
)
def test_bad_lines_are_refused_and_nothing_saved(
    commune_officer: User, funded_plan: Plan, changes: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        _add(commune_officer, funded_plan, **changes)

    assert field in exc.value.message_dict
    assert EstimateLine.objects.count() == 0


def test_an_activity_not_in_the_plan_is_refused(commune_officer: User, funded_plan: Plan) -> None:
    other_project = (
        ProgramElement.objects.filter(kind=ProgramElement.Kind.ACTIVITY)
        .exclude(code__startswith=f"{funded_plan.project.code}.")
        .first()
    )
    content = ProgramElement.objects.get(code="1719.GD1.DA8.ND1")
    for activity in [a for a in (other_project, content) if a is not None]:
        with pytest.raises(ValidationError) as exc:
            _add(commune_officer, funded_plan, activity=activity)
        assert "activity" in exc.value.message_dict
    assert EstimateLine.objects.count() == 0


def test_a_village_of_another_commune_is_refused(
    commune_officer: User, funded_plan: Plan, ba_kham_village: OrgUnit
) -> None:
    with pytest.raises(ValidationError) as exc:
        _add(commune_officer, funded_plan, village=ba_kham_village)

    assert "village" in exc.value.message_dict


def test_a_fixed_norm_is_not_retyped(commune_officer: User, funded_plan: Plan) -> None:
    kit = SpendingNorm.objects.get(code="goi-vat-tu")

    with pytest.raises(ValidationError) as exc:
        _add(commune_officer, funded_plan, norm=kit, unit_amount=Decimal(600_000))

    assert "500.000" in " ".join(exc.value.message_dict["unit_amount"])


def test_over_the_allocation_is_refused_naming_the_line(
    commune_officer: User, funded_plan: Plan
) -> None:
    _add(commune_officer, funded_plan, quantity=6)  # 9.000.000 of 10.000.000

    with pytest.raises(ValidationError) as exc:
        _add(commune_officer, funded_plan, quantity=1, description="Tờ rơi")

    message = " ".join(exc.value.messages)
    assert "Tờ rơi" in message and "10.000.000" in message
    assert EstimateLine.objects.count() == 1
    assert estimate_total(funded_plan) == Decimal(9_000_000)


def test_a_source_not_allocated_is_refused(commune_officer: User, ba_trang_plan: Plan) -> None:
    allocate(ba_trang_plan.issuing_unit, 10_000_000)

    with pytest.raises(ValidationError) as exc:
        _add(commune_officer, ba_trang_plan, source=Source.LOCAL)

    assert exc.value.message_dict["amount"][0].count("0") >= 0
    assert EstimateLine.objects.count() == 0


def test_a_content_allocation_limits_its_own_lines(
    commune_officer: User, ba_trang_plan: Plan
) -> None:
    content2 = ProgramElement.objects.get(code="1719.GD1.DA8.ND2")
    allocate(ba_trang_plan.issuing_unit, 1_000_000, element=content2)

    with pytest.raises(ValidationError):
        _add(commune_officer, ba_trang_plan, quantity=1)  # ND1: nothing allocated


def test_only_the_wu_officer_writes_lines(
    accountant: User, commune_leader: User, other_commune_officer: User, funded_plan: Plan
) -> None:
    for user in (accountant, commune_leader, other_commune_officer):
        with pytest.raises(PermissionDenied):
            _add(user, funded_plan)


def test_approval_waits_for_the_plan_and_freezes_the_estimate(
    commune_officer: User, commune_leader: User, accountant: User, funded_plan: Plan
) -> None:
    line = _add(commune_officer, funded_plan)
    estimate = line.estimate
    estimate.refresh_from_db()

    with pytest.raises(ValidationError):
        estimate_approve(actor=commune_leader, plan=funded_plan, expected_version=estimate.version)
    with pytest.raises(PermissionDenied):
        estimate_approve(actor=accountant, plan=funded_plan, expected_version=estimate.version)

    Plan.objects.filter(pk=funded_plan.pk).update(status=Plan.Status.APPROVED)
    funded_plan.refresh_from_db()
    estimate_approve(actor=commune_leader, plan=funded_plan, expected_version=estimate.version)

    estimate.refresh_from_db()
    assert estimate.status == Estimate.Status.APPROVED
    with pytest.raises(ValidationError):
        _add(commune_officer, funded_plan)
    with pytest.raises(ValidationError):
        estimate_line_remove(actor=commune_officer, line=line, expected_version=estimate.version)


def test_remove_a_line_is_version_checked(commune_officer: User, funded_plan: Plan) -> None:
    line = _add(commune_officer, funded_plan)
    estimate = line.estimate
    estimate.refresh_from_db()

    with pytest.raises(ValidationError):
        estimate_line_remove(actor=commune_officer, line=line, expected_version=1)
    estimate_line_remove(actor=commune_officer, line=line, expected_version=estimate.version)

    assert EstimateLine.objects.count() == 0


# --- pages, panel and document -------------------------------------------------------------


def test_estimate_page_shows_allocated_estimated_left(
    client: Client,
    commune_officer: User,
    funded_plan: Plan,
    django_assert_max_num_queries: object,
) -> None:
    _add(commune_officer, funded_plan)
    client.force_login(commune_officer)
    url = reverse("finance:estimate", args=[funded_plan.pk])

    page = client.get(url)
    text = page.content.decode()
    assert "10.000.000" in text and "3.000.000" in text and "7.000.000" in text
    for _ in range(5):
        _add(commune_officer, funded_plan, quantity=1, unit_amount=Decimal(1000))
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_estimate_page_queries_do_not_grow_with_lines(
    client: Client, commune_leader: User, commune_officer: User, funded_plan: Plan
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _add(commune_officer, funded_plan, quantity=1)
    client.force_login(commune_leader)
    url = reverse("finance:estimate", args=[funded_plan.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(6):
        _add(commune_officer, funded_plan, quantity=1, unit_amount=Decimal(1000))
    with CaptureQueriesContext(connection) as seven:
        client.get(url)

    assert len(seven.captured_queries) == len(one.captured_queries)


def test_adding_a_line_by_the_form(
    client: Client, commune_officer: User, funded_plan: Plan
) -> None:
    client.force_login(commune_officer)
    url = reverse("finance:estimate_line_add", args=[funded_plan.pk])
    form = {
        "once": "e" * 24,
        "version": "1",
        "activity": ProgramElement.objects.get(code=ACTIVITY).pk,
        "quantity": "2",
        "unit_amount": "1.500.000,5",
        "source": Source.CENTRAL,
        "description": "Hội nghị",
    }

    assert client.post(url, form).status_code == 200
    assert EstimateLine.objects.count() == 0
    form["unit_amount"] = "1.500.000"
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    assert list(EstimateLine.objects.values_list("amount", flat=True)) == [Decimal(3_000_000)]


def test_must_not_see_or_do(
    client: Client,
    other_accountant: User,
    accountant: User,
    commune_officer: User,
    funded_plan: Plan,
) -> None:
    line = _add(commune_officer, funded_plan)
    client.force_login(other_accountant)
    assert client.get(reverse("finance:estimate", args=[funded_plan.pk])).status_code == 404
    remove = reverse("finance:estimate_line_remove", args=[line.pk])
    assert client.post(remove, {"version": "2"}).status_code == 404

    client.force_login(accountant)
    approve = reverse("finance:estimate_approve", args=[funded_plan.pk])
    assert client.post(approve, {"version": "2"}).status_code == 403
    add = reverse("finance:estimate_line_add", args=[funded_plan.pk])
    assert client.post(add, {}).status_code == 403
    assert EstimateLine.objects.count() == 1


def test_plan_page_shows_the_estimate_status(
    client: Client, commune_officer: User, village_head: User, funded_plan: Plan
) -> None:
    _add(commune_officer, funded_plan)
    client.force_login(commune_officer)

    page = client.get(reverse("programs:plan_detail", args=[funded_plan.pk])).content.decode()

    assert reverse("finance:estimate", args=[funded_plan.pk]) in page
    assert "3.000.000" in page


def test_the_plan_document_prints_the_budget_appendix(
    commune_officer: User, funded_plan: Plan
) -> None:
    _add(commune_officer, funded_plan, description="Hội nghị truyền thông")

    document = Document(io.BytesIO(plan_docx(funded_plan)))

    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("Hội nghị truyền thông" in text for text in cells)
    assert "3.000.000" in cells
    texts = [p.text for p in document.paragraphs]
    # the third appendix, after the activities and the allocation table (its words come from
    # the Vietnamese catalogue, compiled by the lead)
    assert any(t.endswith(" III") for t in texts)
    assert any("2023" in t and "87/KH-UBND" in t for t in texts)


def test_no_estimate_no_appendix(funded_plan: Plan) -> None:
    document = Document(io.BytesIO(plan_docx(funded_plan)))

    assert not any(p.text.endswith(" III") for p in document.paragraphs)
