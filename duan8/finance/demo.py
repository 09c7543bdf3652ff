"""Demo data: xã Ba Trang's money for Dự án 8 in 2023 (``data/demo_ba_trang_2023.json``, issue 14,
point 8): the allocation from QĐ 73/QĐ-UBND of huyện Ba Tơ (demo amounts, labelled as such), the
estimate of Kế hoạch 87/KH-UBND, the vouchers paying the demo events, one payment request, and —
after the mothers' package payments — the year's settlement.

Every step goes through the services, by the demo user who would take it: the accountant records
the allocations, the vouchers and the settlement's draft; the WU officer writes the estimate and
proposes the payment request; the chairman approves the plan, the estimate and the settlement.
Each record is found again by its natural key, so a second run creates nothing twice. Where a
service stamps "now", the demo moves the timestamp to the day it tells (never a voucher's: they
are final). Never load this into a production database.

Order in ``seed_demo``: ``demo_finance_load`` after the demo work (it pays its events) and before
the reports demo (the approved report locks 1/1–15/12/2023) and the mothers demo (their payments
become vouchers of this allocation); ``demo_settlement_load`` after the mothers demo.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import Field

from duan8.accounts.models import User
from duan8.activities.models import Event
from duan8.core.schemas import Day, FileSchema, Name, Text, load_file
from duan8.finance.models import (
    Allocation,
    Estimate,
    EstimateLine,
    PaymentRequest,
    Settlement,
    SpendingNorm,
    Voucher,
)
from duan8.finance.services.allocations import AllocationInput, allocation_record
from duan8.finance.services.estimates import (
    EstimateLineInput,
    estimate_approve,
    estimate_line_add,
    estimate_of,
    norm_in_force,
)
from duan8.finance.services.settlement import settlement_approve, settlement_draft
from duan8.finance.services.vouchers import VoucherInput, voucher_record
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.plan_edit import LegalBasisInput
from duan8.programs.services import plan_approve

DEMO_FINANCE_FILE = Path(__file__).resolve().parent / "data" / "demo_ba_trang_2023.json"

SourceCode = Literal["nstw", "nsdp"]
Amount = Annotated[int, Field(gt=0)]


class PlanRef(FileSchema):
    reference: Name
    year: int
    approved_on: Day


class DecisionRef(FileSchema):
    number: Name
    symbol: Name
    issued_on: Day


class AllocationRow(FileSchema):
    element: Name
    source: SourceCode
    amount: Amount
    note: Name
    kind: Literal["initial", "supplement", "reduction", "carry_over"] = "initial"


class LineRow(FileSchema):
    activity: Name
    norm: Text | None
    quantity: Amount
    unit_amount: Amount | None
    source: SourceCode
    description: Text
    village: Text | None = None


class EstimateRow(FileSchema):
    approved_on: Day
    lines: list[LineRow]


class EventRef(FileSchema):
    unit: Name  # "commune" or a village's name
    held_on: Day
    title: Name


class RequestRow(FileSchema):
    proposed_on: Day


class VoucherRow(FileSchema):
    number: Name
    paid_on: Day
    payee: Name
    content: Name
    source: SourceCode
    event: EventRef
    request: RequestRow | None = None


class SettlementRow(FileSchema):
    drafted_on: Day
    approved_on: Day


class FinanceFile(FileSchema):
    format: Literal["duan8.demo_finance/1"]
    source: Name
    notes: list[Text]
    plan: PlanRef
    decision: DecisionRef
    recorded_on: Day
    allocations: list[AllocationRow]
    estimate: EstimateRow
    vouchers: list[VoucherRow]
    settlement: SettlementRow


@dataclass
class DemoFinanceTally:
    """What a run created (``created``) and found (``existing``), by kind of record."""

    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, *, created: bool) -> None:
        counts = self.created if created else self.existing
        counts[key] = counts.get(key, 0) + 1

    def total_created(self) -> int:
        return sum(self.created.values())

    def lines(self) -> list[str]:
        labels = {
            "allocations": _("Allocations (demo amounts)"),
            "estimate_lines": _("Estimate lines"),
            "vouchers": _("Vouchers"),
            "requests": _("Payment requests"),
            "approvals": _("Approvals"),
            "settlements": _("Settlements"),
        }
        return [
            _("%(what)s: %(created)s created, %(existing)s already there.")
            % {
                "what": label,
                "created": self.created.get(key, 0),
                "existing": self.existing.get(key, 0),
            }
            for key, label in labels.items()
            if key in self.created or key in self.existing
        ]


def _moment(day: datetime.date) -> datetime.datetime:
    """9:00 local time of ``day``: when the demo says a step happened."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _problem(message: str, **values: object) -> ValidationError:
    return ValidationError(_("Demo data: %(problem)s") % {"problem": message % values})


class _Loader:
    def __init__(self, *, commune: OrgUnit, plan: Plan, actors: dict[str, User]) -> None:
        self.commune = commune
        self.plan = plan
        self.actors = actors
        self.tally = DemoFinanceTally()

    def actor(self, key: str) -> User:
        if key not in self.actors:
            raise _problem(_("no user given for “%(key)s”."), key=key)
        return self.actors[key]

    def element(self, code: str) -> ProgramElement:
        element = ProgramElement.objects.filter(code=code).first()
        if element is None:
            raise _problem(_("unknown program element “%(code)s”."), code=code)
        return element

    def decision(self, ref: DecisionRef) -> LegalDocument:
        """The plan's cited decision, in the legal register once the plan is loaded."""
        found = LegalDocument.objects.filter(
            number=ref.number, symbol=ref.symbol, issued_on=ref.issued_on
        ).first()
        if found is None:
            raise _problem(
                _("decision %(number)s/%(symbol)s is not in the legal register; load the plan."),
                number=ref.number,
                symbol=ref.symbol,
            )
        return found

    # --- allocations ---

    def allocations(self, data: FinanceFile) -> None:
        decision = self.decision(data.decision)
        allocator = self.commune.parent
        if allocator is None:
            raise _problem(_("%(unit)s has no unit above it."), unit=self.commune.full_name)
        for row in data.allocations:
            element = self.element(row.element)
            found = Allocation.objects.filter(
                holder=self.commune,
                year=data.plan.year,
                decision=decision,
                element=element,
                source=row.source,
                kind=row.kind,
            ).exists()
            if not found:
                saved = allocation_record(
                    actor=self.actor("commune_accountant"),
                    data=AllocationInput(
                        holder=self.commune,
                        decision=LegalBasisInput(document=decision),
                        allocator=allocator,
                        year=data.plan.year,
                        element=element,
                        source=row.source,
                        kind=row.kind,
                        amount=Decimal(row.amount),
                        note=row.note,
                        demo=True,
                    ),
                )
                moment = _moment(data.recorded_on)
                Allocation.objects.filter(pk=saved.pk).update(created_at=moment, updated_at=moment)
            self.tally.add("allocations", created=not found)

    # --- the plan's approval and its estimate ---

    def plan_approval(self, day: datetime.date) -> None:
        plan = Plan.objects.get(pk=self.plan.pk)
        if plan.status == Plan.Status.DRAFT:
            plan = plan_approve(
                plan=plan, actor=self.actor("commune_leader"), expected_version=plan.version
            )
            Plan.objects.filter(pk=plan.pk).update(approved_at=_moment(day))
            self.tally.add("approvals", created=True)
        self.plan = Plan.objects.get(pk=plan.pk)

    def norm(self, code: str | None) -> SpendingNorm | None:
        if code is None:
            return None
        for norm in SpendingNorm.objects.filter(code=code).order_by("valid_from"):
            if norm_in_force(norm, self.plan.year):
                return norm
        raise _problem(
            _("no spending norm “%(code)s” in force in %(year)s."), code=code, year=self.plan.year
        )

    def village(self, name: str | None) -> OrgUnit | None:
        if name is None:
            return None
        return self.unit(name)

    def estimate(self, spec: EstimateRow) -> None:
        estimate = estimate_of(self.plan)
        if estimate.status == Estimate.Status.APPROVED:
            self.tally.add("estimate_lines", created=False)
            return
        officer = self.actor("commune_wu_officer")
        for row in spec.lines:
            norm = self.norm(row.norm)
            description = row.description or (norm.name if norm else "")
            activity = self.element(row.activity)
            found = EstimateLine.objects.filter(
                estimate=estimate, activity=activity, description=description, source=row.source
            ).exists()
            if not found:
                estimate.refresh_from_db()
                estimate_line_add(
                    actor=officer,
                    plan=self.plan,
                    data=EstimateLineInput(
                        activity=activity,
                        source=row.source,
                        quantity=row.quantity,
                        norm=norm,
                        unit_amount=Decimal(row.unit_amount) if row.unit_amount else None,
                        description=description,
                        village=self.village(row.village),
                    ),
                    expected_version=estimate.version,
                )
            self.tally.add("estimate_lines", created=not found)
        estimate.refresh_from_db()
        estimate_approve(
            actor=self.actor("commune_leader"), plan=self.plan, expected_version=estimate.version
        )
        Estimate.objects.filter(pk=estimate.pk).update(updated_at=_moment(spec.approved_on))
        self.tally.add("approvals", created=True)

    # --- vouchers and the payment request ---

    def unit(self, key: str) -> OrgUnit:
        if key == "commune":
            return self.commune
        village = self.commune.children.filter(level=OrgUnit.Level.VILLAGE, name=key).first()
        if village is None:
            raise _problem(_("unknown village “%(key)s”."), key=key)
        return village

    def event(self, ref: EventRef) -> Event:
        event = Event.objects.filter(
            plan=self.plan, org_unit=self.unit(ref.unit), held_on=ref.held_on, title=ref.title
        ).first()
        if event is None:
            raise _problem(
                _("no event “%(title)s” of %(day)s; load the demo work first."),
                title=ref.title,
                day=ref.held_on.strftime("%d/%m/%Y"),
            )
        return event

    def voucher(self, row: VoucherRow) -> None:
        found = Voucher.objects.filter(
            holder=self.commune, year=self.plan.year, number=row.number
        ).exists()
        if found:
            self.tally.add("vouchers", created=False)
            return
        event = self.event(row.event)
        request = self.request(row, event) if row.request is not None else None
        voucher_record(
            actor=self.actor("commune_accountant"),
            data=VoucherInput(
                holder=self.commune,
                plan=self.plan,
                number=row.number,
                paid_on=row.paid_on,
                payee=row.payee,
                amount=event.cost,
                content=row.content,
                activity=event.activity,
                source=row.source,
                event=event,
                request=request,
                request_version=request.version if request is not None else None,
            ),
        )
        if request is not None:
            PaymentRequest.objects.filter(pk=request.pk).update(updated_at=_moment(row.paid_on))
        self.tally.add("vouchers", created=True)

    def request(self, row: VoucherRow, event: Event) -> PaymentRequest:
        """The WU's payment request for the event: found again, or proposed."""
        assert row.request is not None  # noqa: S101 (the caller checks)
        found = PaymentRequest.objects.filter(
            holder=self.commune, plan=self.plan, event=event
        ).first()
        if found is not None:
            self.tally.add("requests", created=False)
            return found
        proposed = _request_propose(
            actor=self.actor("commune_wu_officer"),
            holder=self.commune,
            plan=self.plan,
            event=event,
            row=row,
        )
        moment = _moment(row.request.proposed_on)
        PaymentRequest.objects.filter(pk=proposed.pk).update(created_at=moment, updated_at=moment)
        self.tally.add("requests", created=True)
        proposed.refresh_from_db()
        return proposed

    # --- the settlement ---

    def settlement(self, spec: SettlementRow) -> None:
        settlement = Settlement.objects.filter(holder=self.commune, year=self.plan.year).first()
        if settlement is not None and settlement.status == Settlement.Status.APPROVED:
            self.tally.add("settlements", created=False)
            return
        settlement = settlement_draft(
            actor=self.actor("commune_accountant"),
            holder=self.commune,
            year=self.plan.year,
            version=settlement.version if settlement is not None else None,
        )
        settlement = settlement_approve(
            actor=self.actor("commune_leader"), settlement=settlement, version=settlement.version
        )
        Settlement.objects.filter(pk=settlement.pk).update(
            created_at=_moment(spec.drafted_on),
            approved_at=_moment(spec.approved_on),
            updated_at=_moment(spec.approved_on),
        )
        self.tally.add("settlements", created=True)


def _request_propose(
    *, actor: User, holder: OrgUnit, plan: Plan, event: Event, row: VoucherRow
) -> PaymentRequest:
    from duan8.finance.services.requests import RequestInput, request_propose

    return request_propose(
        actor=actor,
        data=RequestInput(
            holder=holder,
            plan=plan,
            activity=event.activity,
            event=event,
            payee=row.payee,
            content=row.content,
            amount=event.cost,
            source=row.source,
        ),
    )


def _plan_check(plan: Plan, data: FinanceFile) -> None:
    if plan.year != data.plan.year or plan.reference != data.plan.reference:
        raise _problem(
            _("the file is for %(file)s of %(year)s, not %(plan)s."),
            file=data.plan.reference,
            year=data.plan.year,
            plan=plan.reference,
        )


@transaction.atomic
def demo_finance_load(
    *, commune: OrgUnit, plan: Plan, actors: dict[str, User], path: Path = DEMO_FINANCE_FILE
) -> DemoFinanceTally:
    """Allocations, the plan's approval and estimate, the vouchers of the demo events and the
    payment request, through the services. ``actors``: commune_accountant, commune_wu_officer,
    commune_leader."""
    data = load_file(FinanceFile, path)
    _plan_check(plan, data)
    loader = _Loader(commune=commune, plan=plan, actors=actors)
    loader.allocations(data)
    loader.plan_approval(data.plan.approved_on)
    loader.estimate(data.estimate)
    for row in data.vouchers:
        loader.voucher(row)
    return loader.tally


@transaction.atomic
def demo_settlement_load(
    *, commune: OrgUnit, plan: Plan, actors: dict[str, User], path: Path = DEMO_FINANCE_FILE
) -> DemoFinanceTally:
    """The year's settlement, drafted by the accountant and approved by the chairman: after the
    mothers' package payments, which it settles too."""
    data = load_file(FinanceFile, path)
    _plan_check(plan, data)
    loader = _Loader(commune=commune, plan=plan, actors=actors)
    loader.settlement(data.settlement)
    return loader.tally
