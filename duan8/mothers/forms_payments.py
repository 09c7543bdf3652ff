"""Forms of the payment pages: making a list, approving it, recording a payment, reversing one.
Each hands its data to the service and puts the service's problems beside its fields."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duan8.accounts.models import User
from duan8.core.idempotency import OnceForm
from duan8.core.problems import on_form
from duan8.mothers.models import Payment, PaymentList, PaymentListEntry
from duan8.mothers.services.payments import (
    TITLE_DEFAULT,
    payment_list_approve,
    payment_list_create,
    payment_record,
    payment_reverse,
)
from duan8.orgunits.forms import DATE_INPUT_FORMATS, DateInput
from duan8.orgunits.models import OrgUnit

_GROUPING = re.compile(r"[.,\s\u00a0]")


class MoneyField(forms.Field):
    """An amount in đồng as people type it: "2.200.000", "2 200 000" or "2200000"."""

    default_error_messages = {"invalid": _("Enter an amount in đồng, e.g. 2.200.000.")}
    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:
        text = _GROUPING.sub("", str(value or "")).removesuffix("đ").strip()
        if not text:
            return None
        if not text.isdigit() or len(text) > 14:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(text)


class PaymentListForm(OnceForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.CharField(
        label=_("Number"), max_length=40, required=False, help_text=_("e.g. 12/DS-UBND")
    )
    title = forms.CharField(label=_("Title"), max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["year"].initial = year
        self.fields["title"].initial = TITLE_DEFAULT.format(year=year)

    def save(self, *, actor: User, commune: OrgUnit) -> PaymentList | None:
        data = self.cleaned_data
        try:
            return payment_list_create(
                actor=actor,
                commune=commune,
                year=data["year"],
                title=data["title"],
                number=data["number"],
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def save(self, *, actor: User, payment_list: PaymentList) -> PaymentList | None:
        try:
            return payment_list_approve(
                actor=actor,
                payment_list=payment_list,
                expected_version=self.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class PaymentForm(OnceForm):
    paid_on = forms.DateField(
        label=_("Date paid"),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, e.g. 25/09/2023.")},
    )
    amount = MoneyField(label=_("Amount (VND)"))
    receipt = forms.CharField(label=_("Receipt number"), max_length=60, required=False)

    def save(self, *, actor: User, entry: PaymentListEntry) -> Payment | None:
        data = self.cleaned_data
        try:
            return payment_record(
                actor=actor,
                entry=entry,
                paid_on=data["paid_on"],
                amount=data["amount"],
                receipt=data["receipt"],
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


class ReverseForm(OnceForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        max_length=1000,
    )

    def save(self, *, actor: User, payment: Payment) -> Payment | None:
        try:
            return payment_reverse(actor=actor, payment=payment, reason=self.cleaned_data["reason"])
        except ValidationError as exc:
            on_form(self, exc)
            return None
