# ruff: noqa: F811 (fixtures imported from budget_fixtures)
"""A reduction recorded while a line is being added to the estimate cannot leave the estimate
above the allocation: both lock the holder's allocation rows of the year (PostgreSQL: the second
waits for the first to commit, then sees its line and is refused)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from duan8.accounts.models import User
from duan8.core.problems import Invalid
from duan8.finance.balance import allocated, estimate_total
from duan8.finance.models import Allocation, Source
from duan8.finance.services.allocations import AllocationInput, allocation_record
from duan8.finance.services.estimates import EstimateLineInput, estimate_line_add
from duan8.finance.tests.budget_fixtures import accountant, allocate, qd73  # noqa: F401
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.plan_edit import LegalBasisInput


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_a_reduction_waits_for_a_line_being_added(
    default_roles_again: None, commune_officer: User, accountant: User, ba_trang_plan: Plan
) -> None:
    holder = ba_trang_plan.issuing_unit
    allocate(holder, 10_000_000)
    project = ProgramElement.objects.get(code="1719.GD1.DA8")
    activity = ProgramElement.objects.get(code="1719.GD1.DA8.ND1.HD1")
    line_written = threading.Event()
    outcome: dict[str, object] = {}

    def add_line() -> None:
        try:
            with transaction.atomic():
                estimate_line_add(
                    actor=commune_officer,
                    plan=ba_trang_plan,
                    data=EstimateLineInput(
                        activity=activity,
                        source=Source.CENTRAL,
                        quantity=1,
                        unit_amount=Decimal(8_000_000),
                        description="Hội nghị",
                    ),
                    expected_version=1,
                )
                line_written.set()
                threading.Event().wait(0.5)  # hold the lock while the reduction tries
            outcome["line"] = "added"
        finally:
            line_written.set()
            connection.close()

    def reduce() -> None:
        line_written.wait(5)
        try:
            allocation_record(
                actor=accountant,
                data=AllocationInput(
                    holder=holder,
                    decision=LegalBasisInput(document=qd73()),
                    allocator=holder.parent,
                    year=2023,
                    element=project,
                    source=Source.CENTRAL,
                    kind=Allocation.Kind.REDUCTION,
                    amount=Decimal(5_000_000),
                ),
            )
            outcome["reduction"] = "recorded"
        except Invalid as refused:
            outcome["reduction"] = refused
        finally:
            connection.close()

    threads = [threading.Thread(target=add_line), threading.Thread(target=reduce)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert outcome["line"] == "added"
    assert isinstance(outcome["reduction"], Invalid)
    assert allocated(holder=holder, year=2023) == Decimal(10_000_000)
    assert estimate_total(ba_trang_plan) == Decimal(8_000_000)
