"""Settlement: the draft's lines per element and source with carry-over; approval by the
commune leader freezes them and locks the year's spending; who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from duan8.accounts.models import User
from duan8.core.audit import AuditEvent
from duan8.core.concurrency import EditConflict
from duan8.finance.models import Settlement, Source
from duan8.finance.services.settlement import (
    settlement_approve,
    settlement_draft,
    settlement_locked,
    settlement_totals,
)
from duan8.finance.tests.frep_records import accountant, allocate, pay
from duan8.finance.tests.spending_fixtures import spending_fixture  # noqa: F401 (fixture)
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the catalogue translates them for users)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

D = datetime.date
ND1 = "1719.GD1.DA8.ND1"


@pytest.fixture
def money(ba_trang: OrgUnit, ba_trang_plan: Plan) -> User:
    allocate(ba_trang, 100_000_000)
    allocate(ba_trang, 20_000_000, code=ND1)
    allocate(ba_trang, 10_000_000, source=Source.LOCAL)
    pay(ba_trang, ba_trang_plan, 25_000_000, D(2023, 5, 1))  # ND1.HD2: on content 1's line
    pay(ba_trang, ba_trang_plan, 3_000_000, D(2023, 6, 1), activity="1719.GD1.DA8.ND2.HD1")
    pay(
        ba_trang,
        ba_trang_plan,
        4_000_000,
        D(2023, 6, 2),
        activity="1719.GD1.DA8.ND2.HD1",
        source=Source.LOCAL,
    )
    return accountant(ba_trang)


def _lines(settlement: Settlement) -> dict[tuple[str, str], tuple[int, int, int]]:
    return {
        (line.element.code, line.source): (
            int(line.allocated),
            int(line.spent),
            int(line.carried_over),
        )
        for line in settlement.lines.select_related("element")
    }


def test_the_draft_per_project_content_activity_and_source(ba_trang: OrgUnit, money: User) -> None:
    settlement = settlement_draft(actor=money, holder=ba_trang, year=2023)

    lines = _lines(settlement)
    assert lines[(ND1, "nstw")] == (20_000_000, 25_000_000, 0)  # overspent: nothing carried
    assert lines[("1719.GD1.DA8", "nstw")] == (100_000_000, 3_000_000, 97_000_000)
    assert lines[("1719.GD1.DA8", "nsdp")] == (10_000_000, 4_000_000, 6_000_000)
    assert lines[(f"{ND1}.HD2", "nstw")] == (0, 25_000_000, 0)  # the detail
    assert settlement_totals(list(settlement.lines.select_related("element"))) == (
        Decimal(130_000_000),
        Decimal(32_000_000),
        Decimal(103_000_000),
    )
    assert AuditEvent.objects.filter(action="finance.settlement.drafted").count() == 1


def test_approval_freezes_the_lines_and_locks_the_year(
    ba_trang: OrgUnit, ba_trang_plan: Plan, money: User, commune_leader: User
) -> None:
    settlement = settlement_draft(actor=money, holder=ba_trang, year=2023)
    assert not settlement_locked(ba_trang, 2023)

    settlement_approve(actor=commune_leader, settlement=settlement, version=settlement.version)

    settlement.refresh_from_db()
    assert settlement.status == Settlement.Status.APPROVED
    assert settlement.approved_by == commune_leader
    assert settlement_locked(ba_trang, 2023)
    assert not settlement_locked(ba_trang, 2024)
    assert AuditEvent.objects.filter(action="finance.settlement.approved").count() == 1
    with pytest.raises(ValidationError):
        settlement_draft(actor=money, holder=ba_trang, year=2023, version=settlement.version)
    pay(ba_trang, ba_trang_plan, 1_000_000, D(2023, 12, 1))  # written around the service
    assert _lines(settlement)[("1719.GD1.DA8", "nstw")] == (100_000_000, 3_000_000, 97_000_000)


def test_a_reader_or_the_accountant_cannot_approve(
    ba_trang: OrgUnit, money: User, commune_officer: User, district_reviewer: User
) -> None:
    settlement = settlement_draft(actor=money, holder=ba_trang, year=2023)
    for actor in (commune_officer, district_reviewer, money):
        with pytest.raises(PermissionDenied):
            settlement_approve(actor=actor, settlement=settlement, version=settlement.version)
    with pytest.raises(PermissionDenied):
        settlement_draft(actor=commune_officer, holder=ba_trang, year=2023)
    assert not settlement_locked(ba_trang, 2023)


def test_approval_is_version_checked_and_refused_when_the_figures_moved(
    ba_trang: OrgUnit, ba_trang_plan: Plan, money: User, commune_leader: User
) -> None:
    settlement = settlement_draft(actor=money, holder=ba_trang, year=2023)
    with pytest.raises(EditConflict):
        settlement_approve(actor=commune_leader, settlement=settlement, version=99)
    pay(ba_trang, ba_trang_plan, 1_000_000, D(2023, 12, 1))
    with pytest.raises(ValidationError, match="changed since the draft"):
        settlement_approve(actor=commune_leader, settlement=settlement, version=settlement.version)
    settlement = settlement_draft(
        actor=money, holder=ba_trang, year=2023, version=settlement.version
    )
    settlement_approve(actor=commune_leader, settlement=settlement, version=settlement.version)
    assert settlement_locked(ba_trang, 2023)


def test_after_approval_a_voucher_of_that_year_is_refused(spending) -> None:  # type: ignore[no-untyped-def]
    from duan8.finance.models import Voucher
    from duan8.finance.services.vouchers import voucher_record

    settlement = settlement_draft(actor=spending.accountant, holder=spending.commune, year=2023)
    settlement_approve(actor=spending.leader, settlement=settlement, version=settlement.version)
    with pytest.raises(ValidationError) as refused:
        voucher_record(actor=spending.accountant, data=spending.voucher())
    assert "settlement of 2023 is approved" in " ".join(refused.value.messages)
    assert not Voucher.objects.exists()
    assert settlement_locked(spending.commune, 2023)
