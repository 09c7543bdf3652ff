# ruff: noqa: F811 (fixtures imported from budget_fixtures)
"""Recording allocations received: amounts, decisions, who allocates, reductions, access."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from duan8.accounts.models import User
from duan8.core.models import AuditEvent
from duan8.finance.balance import allocated
from duan8.finance.forms_budget import amount_parse
from duan8.finance.models import Allocation, Estimate, EstimateLine, Source
from duan8.finance.services.allocations import AllocationInput, allocation_record
from duan8.finance.tests.budget_fixtures import (  # noqa: F401 (fixtures)
    accountant,
    allocate,
    other_accountant,
    qd73,
)
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.plan_edit import LegalBasisInput
from duan8.testing import legal_documents_written

pytestmark = pytest.mark.django_db

K = Allocation.Kind


def _input(holder: OrgUnit, **changes: object) -> AllocationInput:
    values: dict[str, object] = {
        "holder": holder,
        "decision": LegalBasisInput(document=qd73()),
        "allocator": holder.parent,
        "year": 2023,
        "element": ProgramElement.objects.get(code="1719.GD1.DA8"),
        "source": Source.CENTRAL,
        "kind": K.INITIAL,
        "amount": Decimal(150_000_000),
    }
    values.update(changes)
    return AllocationInput(**values)  # type: ignore[arg-type]


def _problems(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_accountant_records_allocation_from_a_new_decision(
    accountant: User, ba_trang: OrgUnit, program_structure: ProgramElement
) -> None:
    decision = LegalBasisInput(
        kind=LegalDocument.Kind.DECISION,
        number="73",
        symbol="QĐ-UBND",
        issued_on=datetime.date(2023, 4, 28),
        issuer="Ủy ban nhân dân huyện Ba Tơ",
        title="Về việc phân bổ kinh phí",
    )

    row = allocation_record(actor=accountant, data=_input(ba_trang, decision=decision))

    assert row.decision.reference == "73/QĐ-UBND"
    assert allocated(holder=ba_trang, year=2023) == Decimal(150_000_000)
    assert AuditEvent.objects.filter(action="finance.allocation.recorded").count() == 1
    again = allocation_record(
        actor=accountant, data=_input(ba_trang, decision=decision, kind=K.SUPPLEMENT)
    )
    assert again.decision_id == row.decision_id


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (Decimal(-5), "min_value"),
        (Decimal(0), "min_value"),
        (Decimal("1000.5"), "decimals"),
        (Decimal(10) ** 15, "max_value"),
    ],
)
def test_bad_amounts_are_refused(
    accountant: User,
    ba_trang: OrgUnit,
    program_structure: ProgramElement,
    amount: Decimal,
    code: str,
) -> None:
    with pytest.raises(ValidationError) as exc:
        allocation_record(actor=accountant, data=_input(ba_trang, amount=amount))

    assert [e.code for e in exc.value.error_dict["amount"]] == [code]
    assert Allocation.objects.count() == 0


def test_amount_typed_as_vietnamese_write_it() -> None:
    assert amount_parse("1.200.000") == Decimal(1_200_000)
    assert amount_parse("1200000") == Decimal(1_200_000)
    assert amount_parse(" 1.200.000 đ") == Decimal(1_200_000)
    for bad in ("1.200.000,50", "1200,5", "12.00", "-100", "abc"):
        with pytest.raises(ValidationError):
            amount_parse(bad)


def test_a_new_decision_with_missing_parts_saves_nothing(
    accountant: User, ba_trang: OrgUnit, program_structure: ProgramElement
) -> None:
    decision = LegalBasisInput(kind="", number="", symbol="QĐ-UBND", issued_on=None, issuer="")
    data = _input(ba_trang, decision=decision)
    before = legal_documents_written()

    with pytest.raises(ValidationError) as exc:
        allocation_record(actor=accountant, data=data)

    assert {"decision.kind", "decision.number", "decision.issued_on", "decision.issuer"} <= set(
        _problems(exc)
    )
    assert legal_documents_written() == before
    assert Allocation.objects.count() == 0


def test_the_district_allocates_only_until_june_2025(
    accountant: User, ba_trang: OrgUnit, ba_to: OrgUnit, program_structure: ProgramElement
) -> None:
    late = LegalBasisInput(
        kind=LegalDocument.Kind.DECISION,
        number="9",
        symbol="QĐ-UBND",
        issued_on=datetime.date(2025, 3, 1),
        issuer="Ủy ban nhân dân huyện Ba Tơ",
    )
    allocation_record(actor=accountant, data=_input(ba_trang, decision=late, year=2025))
    ba_to.valid_to = None
    ba_to.save()
    after = LegalBasisInput(
        kind=LegalDocument.Kind.DECISION,
        number="10",
        symbol="QĐ-UBND",
        issued_on=datetime.date(2025, 8, 1),
        issuer="Ủy ban nhân dân huyện Ba Tơ",
    )

    with pytest.raises(ValidationError) as exc:
        allocation_record(actor=accountant, data=_input(ba_trang, decision=after, year=2025))

    assert "allocator" in _problems(exc)


def test_a_unit_not_above_the_holder_cannot_allocate(
    accountant: User, ba_trang: OrgUnit, ba_kham: OrgUnit, program_structure: ProgramElement
) -> None:
    with pytest.raises(ValidationError) as exc:
        allocation_record(actor=accountant, data=_input(ba_trang, allocator=ba_kham))

    assert "allocator" in _problems(exc)


def test_an_activity_is_not_an_allocation_element(
    accountant: User, ba_trang: OrgUnit, program_structure: ProgramElement
) -> None:
    activity = ProgramElement.objects.get(code="1719.GD1.DA8.ND1.HD1")
    with pytest.raises(ValidationError) as exc:
        allocation_record(actor=accountant, data=_input(ba_trang, element=activity))

    assert "element" in _problems(exc)


def test_a_reduction_below_what_is_estimated_is_refused(
    accountant: User, ba_trang_plan: Plan
) -> None:
    allocate(ba_trang_plan.issuing_unit, 100_000_000)
    estimate = Estimate.objects.create(plan=ba_trang_plan)
    EstimateLine.objects.create(
        estimate=estimate,
        activity=ProgramElement.objects.get(code="1719.GD1.DA8.ND1.HD1"),
        description="Truyền thông",
        quantity=1,
        unit_amount=Decimal(80_000_000),
        amount=Decimal(80_000_000),
        source=Source.CENTRAL,
    )
    holder = ba_trang_plan.issuing_unit

    with pytest.raises(ValidationError) as exc:
        allocation_record(
            actor=accountant, data=_input(holder, kind=K.REDUCTION, amount=Decimal(30_000_000))
        )
    assert "80.000.000" in " ".join(_problems(exc)["amount"])

    allocation_record(
        actor=accountant, data=_input(holder, kind=K.REDUCTION, amount=Decimal(20_000_000))
    )
    assert allocated(holder=holder, year=2023) == Decimal(80_000_000)


def test_carry_over_is_at_most_last_years_unspent(
    accountant: User, ba_trang: OrgUnit, program_structure: ProgramElement
) -> None:
    allocate(ba_trang, 10_000_000, year=2022)

    with pytest.raises(ValidationError):
        allocation_record(
            actor=accountant,
            data=_input(ba_trang, kind=K.CARRY_OVER, amount=Decimal(10_000_001)),
        )
    allocation_record(
        actor=accountant, data=_input(ba_trang, kind=K.CARRY_OVER, amount=Decimal(10_000_000))
    )
    assert allocated(holder=ba_trang, year=2023) == Decimal(10_000_000)


def test_wu_officer_and_leader_cannot_record_allocations(
    commune_officer: User,
    commune_leader: User,
    ba_trang: OrgUnit,
    program_structure: ProgramElement,
) -> None:
    for user in (commune_officer, commune_leader):
        with pytest.raises(PermissionDenied):
            allocation_record(actor=user, data=_input(ba_trang))
    assert Allocation.objects.count() == 0


def test_another_communes_accountant_cannot_record(
    other_accountant: User, ba_trang: OrgUnit, program_structure: ProgramElement
) -> None:
    with pytest.raises(PermissionDenied):
        allocation_record(actor=other_accountant, data=_input(ba_trang))


# --- pages -------------------------------------------------------------------------------------


def test_allocations_page_shows_totals_by_source_and_content(
    client: Client,
    accountant: User,
    ba_trang: OrgUnit,
    program_structure: ProgramElement,
    django_assert_max_num_queries: object,
) -> None:
    content = ProgramElement.objects.get(code="1719.GD1.DA8.ND1")
    allocate(ba_trang, 100_000_000)
    allocate(ba_trang, 1_200_000, element=content, source=Source.LOCAL)
    allocate(ba_trang, 200_000, element=content, source=Source.LOCAL, kind=K.REDUCTION)
    client.force_login(accountant)
    url = reverse("finance:allocations", args=[ba_trang.pk]) + "?nam=2023"

    first = client.get(url)
    for _ in range(5):
        allocate(ba_trang, 1_000, element=content)
    with django_assert_max_num_queries(len(_queries_of(client, url))):  # type: ignore[operator]
        page = client.get(url)

    text = first.content.decode()
    assert "100.000.000" in text and "1.000.000" in text and "101.000.000" in text
    assert page.status_code == 200


def _queries_of(client: Client, url: str) -> list[object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return list(captured.captured_queries)


def test_another_communes_accountant_gets_404(
    client: Client, other_accountant: User, ba_trang: OrgUnit
) -> None:
    client.force_login(other_accountant)

    assert client.get(reverse("finance:allocations", args=[ba_trang.pk])).status_code == 404
    assert client.get(reverse("finance:allocation_record", args=[ba_trang.pk])).status_code == 404


def test_wu_officer_reads_but_may_not_open_the_record_form(
    client: Client, commune_officer: User, ba_trang: OrgUnit
) -> None:
    client.force_login(commune_officer)

    assert client.get(reverse("finance:allocations", args=[ba_trang.pk])).status_code == 200
    assert client.get(reverse("finance:allocation_record", args=[ba_trang.pk])).status_code == 403


def test_record_form_saves_once_and_refuses_decimals(
    client: Client, accountant: User, ba_trang: OrgUnit, program_structure: ProgramElement
) -> None:
    client.force_login(accountant)
    url = reverse("finance:allocation_record", args=[ba_trang.pk])
    form = {
        "once": "k" * 24,
        "document": qd73().pk,
        "allocator": ba_trang.parent_id,
        "year": "2023",
        "element": ProgramElement.objects.get(code="1719.GD1.DA8").pk,
        "source": Source.CENTRAL,
        "kind": K.INITIAL,
        "amount": "1.200.000,5",
    }

    refused = client.post(url, form)
    assert refused.status_code == 200 and Allocation.objects.count() == 0

    form["amount"] = "1.200.000"
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    assert list(Allocation.objects.values_list("amount", flat=True)) == [Decimal(1_200_000)]
