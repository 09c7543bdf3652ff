"""Forms of the spending part: a voucher, its reversal, a payment request and its refusal.
Amounts are typed as Vietnamese write them ("1.200.000"; ``forms_budget.AmountField``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duan8.accounts.models import User
from duan8.activities.models import Event
from duan8.core.idempotency import OnceForm
from duan8.core.problems import on_form
from duan8.finance.forms_budget import AmountField
from duan8.finance.models import PaymentRequest, Source, Voucher
from duan8.finance.services.requests import RequestInput, request_propose, request_refuse
from duan8.finance.services.voucher_checks import ACTIVITY_KINDS
from duan8.finance.services.vouchers import VoucherInput, voucher_record, voucher_reverse
from duan8.orgunits.models import OrgUnit
from duan8.programs.forms_edit import DATE
from duan8.programs.models import Plan, ProgramElement


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} ({obj.year})"


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.outline_number or obj.code} {obj.title[:90]}"


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.held_on:%d/%m/%Y} {obj.title[:80]}"


def holder_plans(holder: OrgUnit) -> Any:
    return (
        Plan.objects.filter(issuing_unit=holder)
        .exclude(status=Plan.Status.SUPERSEDED)
        .select_related("project")
        .order_by("-year", "-pk")
    )


def plan_activity_choices(plans: Any) -> Any:
    """The activities of the holder's plans' projects, and the indicators under them that events
    are recorded on (the service checks the chosen plan's)."""
    codes = {plan.project.code for plan in plans}
    query = ProgramElement.objects.none()
    for code in codes:
        query = query | ProgramElement.objects.filter(
            code__startswith=f"{code}.", kind__in=ACTIVITY_KINDS
        )
    return query.order_by("code")


class _PlanFields(forms.Form):
    plan = PlanChoiceField(label=_("plan"), queryset=Plan.objects.none())
    activity = ActivityChoiceField(label=_("plan activity"), queryset=ProgramElement.objects)
    event = EventChoiceField(
        label=_("event paid for"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("An event's cost is entered once: its vouchers may not pay more than it."),
    )

    def _limit(self, holder: OrgUnit) -> None:
        plans = list(holder_plans(holder))
        self.fields["plan"].queryset = holder_plans(holder)  # type: ignore[attr-defined]
        self.fields["activity"].queryset = plan_activity_choices(plans)  # type: ignore[attr-defined]
        self.fields["event"].queryset = (  # type: ignore[attr-defined]
            Event.objects.filter(plan__issuing_unit=holder)
            .exclude(cost=0)
            .order_by("-held_on", "-pk")
        )


class VoucherForm(OnceForm, _PlanFields):
    number = forms.CharField(label=_("voucher number"), max_length=40)
    paid_on = forms.DateField(label=_("date"), widget=DATE)
    payee = forms.CharField(label=_("payee"), max_length=255)
    amount = AmountField(label=_("amount (VND)"))
    content = forms.CharField(label=_("content"), max_length=255)
    source = forms.ChoiceField(label=_("source"), choices=Source.choices)
    receipt = forms.FileField(
        label=_("receipt (photo or PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    request = forms.ModelChoiceField(
        queryset=PaymentRequest.objects.none(), required=False, widget=forms.HiddenInput
    )
    request_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = [
        "number",
        "paid_on",
        "amount",
        "payee",
        "content",
        "plan",
        "activity",
        "source",
        "event",
        "receipt",
    ]

    def __init__(self, *args: Any, holder: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holder = holder
        self._limit(holder)
        self.fields["request"].queryset = PaymentRequest.objects.filter(  # type: ignore[attr-defined]
            holder=holder
        )
        self.fields["paid_on"].initial = timezone.localdate()

    def save(self, *, actor: User) -> Voucher | None:
        data = self.cleaned_data
        try:
            return voucher_record(
                actor=actor,
                data=VoucherInput(
                    holder=self.holder,
                    plan=data.get("plan"),
                    number=(data.get("number") or "").strip(),
                    paid_on=data.get("paid_on"),
                    payee=(data.get("payee") or "").strip(),
                    amount=data.get("amount"),
                    content=(data.get("content") or "").strip(),
                    activity=data.get("activity"),
                    source=data.get("source") or "",
                    event=data.get("event"),
                    request=data.get("request"),
                    request_version=data.get("request_version"),
                    receipt=data.get("receipt") or None,
                ),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


def initial_from(*, event: Event | None, request: PaymentRequest | None, paid: Decimal) -> dict:
    """A voucher form's first values: the request's, or the event's cost still unpaid."""
    if request is not None:
        return {
            "payee": request.payee,
            "content": request.content,
            "amount": request.amount,
            "source": request.source,
            "plan": request.plan_id,
            "activity": request.activity_id,
            "event": request.event_id,
            "request": request.pk,
            "request_version": request.version,
        }
    if event is not None:
        return {
            "content": event.title,
            "amount": max(event.cost - paid, Decimal(0)),
            "plan": event.plan_id,
            "activity": event.activity_id,
            "event": event.pk,
        }
    return {}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def reverse(self, *, actor: User, voucher: Voucher) -> Voucher | None:
        try:
            return voucher_reverse(
                actor=actor, voucher=voucher, reason=self.cleaned_data.get("reason") or ""
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None

    def refuse(self, *, actor: User, request: PaymentRequest) -> PaymentRequest | None:
        try:
            return request_refuse(
                actor=actor,
                request=request,
                reason=self.cleaned_data.get("reason") or "",
                expected_version=self.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class RequestForm(OnceForm, _PlanFields):
    payee = forms.CharField(label=_("payee"), max_length=255)
    content = forms.CharField(label=_("content"), max_length=255)
    amount = AmountField(label=_("amount (VND)"))
    source = forms.ChoiceField(label=_("source"), choices=Source.choices)

    field_order = ["payee", "content", "amount", "plan", "activity", "source", "event"]

    def __init__(self, *args: Any, holder: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holder = holder
        self._limit(holder)

    def save(self, *, actor: User) -> PaymentRequest | None:
        data = self.cleaned_data
        try:
            return request_propose(
                actor=actor,
                data=RequestInput(
                    holder=self.holder,
                    plan=data.get("plan"),
                    activity=data.get("activity"),
                    payee=(data.get("payee") or "").strip(),
                    content=(data.get("content") or "").strip(),
                    amount=data.get("amount"),
                    source=data.get("source") or "",
                    event=data.get("event"),
                ),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None
