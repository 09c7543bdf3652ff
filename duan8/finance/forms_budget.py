"""Forms of the budget part: an allocation received, a spending norm, an estimate line.

Amounts are typed as Vietnamese write them: "1.200.000" (dots group the thousands) or
"1200000"; a comma is the decimal mark, and đồng have no decimals, so "1.200.000,5" is refused.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duan8.accounts.models import User
from duan8.activities.services.events import plan_activities
from duan8.core.idempotency import OnceForm
from duan8.core.problems import on_form
from duan8.finance.models import Allocation, EstimateLine, Source, SpendingNorm
from duan8.finance.services.allocations import AllocationInput, allocation_record
from duan8.finance.services.estimates import EstimateLineInput, estimate_line_add
from duan8.finance.services.norms import norm_new_period, norm_update
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.programs.forms_edit import DATE, RegisterChoiceField
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.plan_edit import LegalBasisInput

GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
PLAIN = re.compile(r"^\d+$")


def amount_parse(raw: str) -> Decimal:
    """ "1.200.000" or "1200000" (spaces and a trailing "đ" ignored) → Decimal(1200000)."""
    text = re.sub(r"\s+", "", raw or "").removesuffix("đ").removesuffix("VND")
    if text.startswith("-"):
        raise ValidationError(_("The amount must be above zero."), code="min_value")
    if "," in text or (("." in text) and not GROUPED.match(text)):
        raise ValidationError(_("Amounts are whole đồng: no decimals."), code="decimals")
    if not (GROUPED.match(text) or PLAIN.match(text)):
        raise ValidationError(_("Enter an amount in đồng, e.g. 1.200.000."), code="invalid")
    return Decimal(text.replace(".", ""))


class AmountField(forms.Field):
    """An amount in whole đồng typed as text ("1.200.000")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int):
            return f"{int(value):,}".replace(",", ".")
        return value

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()[:40]
        if not text:
            return None
        return amount_parse(text)


def elements_for_allocation() -> Any:
    return ProgramElement.objects.filter(
        kind__in=[ProgramElement.Kind.PROJECT, ProgramElement.Kind.CONTENT],
        code__contains=".DA8",
    ).order_by("code")


class ElementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj}"


class AllocationForm(OnceForm):
    document = RegisterChoiceField(
        label=_("Decision from the register"),
        queryset=LegalDocument.objects.all(),
        required=False,
        help_text=_("Or describe a new decision below; it joins the register."),
    )
    kind_of_document = forms.ChoiceField(
        label=_("document type"),
        choices=[("", "—"), *LegalDocument.Kind.choices],
        required=False,
        initial=LegalDocument.Kind.DECISION,
    )
    number = forms.CharField(label=_("number"), required=False)
    symbol = forms.CharField(label=_("symbol"), required=False)
    issued_on = forms.DateField(label=_("date issued"), required=False, widget=DATE)
    issuer = forms.CharField(label=_("issuing body"), required=False)
    title = forms.CharField(label=_("title (trích yếu)"), required=False)
    allocator = forms.ModelChoiceField(label=_("allocated by"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    element = ElementChoiceField(label=_("project or content"), queryset=ProgramElement.objects)
    source = forms.ChoiceField(label=_("source"), choices=Source.choices)
    kind = forms.ChoiceField(label=_("kind"), choices=Allocation.Kind.choices)
    amount = AmountField(label=_("amount (VND)"))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args: Any, holder: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holder = holder
        self.fields["allocator"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            pk__in=_ancestor_ids(holder),
            level__in=[OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT],
        ).order_by("path")
        self.fields["element"].queryset = elements_for_allocation()  # type: ignore[attr-defined]

    def as_input(self) -> AllocationInput:
        data = self.cleaned_data
        decision = (
            LegalBasisInput(document=data["document"])
            if data.get("document")
            else LegalBasisInput(
                kind=data.get("kind_of_document") or "",
                number=data.get("number") or "",
                symbol=data.get("symbol") or "",
                issued_on=data.get("issued_on"),
                issuer=data.get("issuer") or "",
                title=data.get("title") or "",
            )
        )
        return AllocationInput(
            holder=self.holder,
            decision=decision,
            allocator=data.get("allocator"),
            year=data.get("year"),
            element=data.get("element"),
            source=data.get("source") or "",
            kind=data.get("kind") or "",
            amount=data.get("amount"),
            note=data.get("note") or "",
        )

    def save(self, *, actor: User) -> Allocation | None:
        try:
            return allocation_record(actor=actor, data=self.as_input())
        except ValidationError as exc:
            on_form(self, exc, fields=DECISION_FIELDS)
            return None


DECISION_FIELDS = {
    "decision.kind": "kind_of_document",
    "decision.number": "number",
    "decision.symbol": "symbol",
    "decision.issued_on": "issued_on",
    "decision.issuer": "issuer",
    "decision.title": "title",
    "decision": "document",
}


def _ancestor_ids(unit: OrgUnit) -> list[int]:
    ids: list[int] = []
    current = unit.parent
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    return ids


class NormForm(forms.Form):
    """A norm's fields; ``version`` says which copy the page was made on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cost_line = forms.ChoiceField(label=_("cost line"), choices=SpendingNorm.CostLine.choices)
    name = forms.CharField(label=_("name"), max_length=255)
    unit = forms.CharField(label=_("unit"), max_length=40)
    amount = AmountField(label=_("amount (VND)"))
    is_ceiling = forms.BooleanField(label=_("a ceiling, not a fixed amount"), required=False)
    legal_source = RegisterChoiceField(
        label=_("legal source"), queryset=LegalDocument.objects.all(), required=False
    )
    legal_article = forms.CharField(label=_("article"), max_length=120, required=False)
    valid_from = forms.DateField(label=_("applies from"), widget=DATE)
    valid_to = forms.DateField(label=_("applies until"), widget=DATE, required=False)
    verified = forms.BooleanField(label=_("verified against the text"), required=False)

    @classmethod
    def initial_of(cls, norm: SpendingNorm) -> dict[str, Any]:
        names = [name for name in cls.base_fields if name != "version"]
        return {"version": norm.version, **{name: getattr(norm, name) for name in names}}

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "once")}

    def save(self, *, actor: User, norm: SpendingNorm, new_period: bool = False) -> Any:
        service = norm_new_period if new_period else norm_update
        try:
            return service(
                actor=actor,
                norm=norm,
                expected_version=self.cleaned_data.get("version"),
                data=self.values(),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class NormPeriodForm(OnceForm, NormForm):
    """A new period of a norm: the same fields, made once."""


class NormChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        amount: str = str(_("amount not known"))
        if obj.amount:
            amount = f"{int(obj.amount):,}".replace(",", ".") + " đ"
            amount = f"{_('up to')} {amount}" if obj.is_ceiling else amount
        mark = "" if obj.verified else f" ({_('not verified')})"
        return f"{obj.name} — {amount}/{obj.unit}{mark}"


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.outline_number} {obj.title}"


class EstimateLineForm(OnceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    activity = ActivityChoiceField(label=_("activity"), queryset=ProgramElement.objects.none())
    village = forms.ModelChoiceField(
        label=_("village"), queryset=OrgUnit.objects.none(), required=False
    )
    norm = NormChoiceField(label=_("norm"), queryset=SpendingNorm.objects.none(), required=False)
    description = forms.CharField(
        label=_("content"),
        max_length=255,
        required=False,
        help_text=_("Empty: the norm's name."),
    )
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=1_000_000)
    unit_amount = AmountField(
        label=_("unit amount (VND)"),
        required=False,
        help_text=_("Empty: the norm's amount. Typed where there is no norm, or up to a ceiling."),
    )
    source = forms.ChoiceField(label=_("source"), choices=Source.choices)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        activities = [e.pk for e in plan_activities(plan)]
        self.fields["activity"].queryset = ProgramElement.objects.filter(  # type: ignore[attr-defined]
            pk__in=activities
        ).order_by("order", "code")
        self.fields["village"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            parent=plan.issuing_unit, level=OrgUnit.Level.VILLAGE
        ).order_by("name")
        start, end = datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)
        self.fields["norm"].queryset = (  # type: ignore[attr-defined]
            SpendingNorm.objects.filter(valid_from__lte=end)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
            .order_by("cost_line", "code")
        )

    def save(self, *, actor: User) -> EstimateLine | None:
        data = self.cleaned_data
        line = EstimateLineInput(
            activity=data.get("activity"),
            village=data.get("village"),
            norm=data.get("norm"),
            description=data.get("description") or "",
            quantity=data.get("quantity"),
            unit_amount=data.get("unit_amount"),
            source=data.get("source") or "",
        )
        try:
            return estimate_line_add(
                actor=actor, plan=self.plan, data=line, expected_version=data.get("version")
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class VersionOnlyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
