"""Forms of the unit page. They only read input; ``orgunits.services`` does the writing."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from duan8.legal.models import LegalDocument

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    """The phone's own date picker; it sends ISO dates whatever the display language."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LegalDocument) -> str:
        return f"{obj.reference} ({obj.issued_on:%d/%m/%Y}, {obj.issuer})"


class VillageForm(forms.Form):
    name = forms.CharField(
        label=_("Village name"),
        max_length=120,
        help_text=_("Without the word “Thôn”, e.g. Nước Đang"),
    )


class DifficultVillageForm(forms.Form):
    """Mark a village as especially difficult (thôn ĐBKK) from a date, by a decision."""

    valid_from = forms.DateField(
        label=_("From"), input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    valid_to = forms.DateField(
        label=_("Until"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    decision = DecisionChoiceField(
        label=_("Decision"),
        queryset=LegalDocument.objects.filter(kind=LegalDocument.Kind.DECISION),
        required=False,
        empty_label=_("(no decision given)"),
        help_text=_("For example QĐ 612/QĐ-UBDT of 16/09/2021"),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        start: datetime.date | None = data.get("valid_from")
        end: datetime.date | None = data.get("valid_to")
        if start and end and end < start:
            raise ValidationError(
                {"valid_to": _("The end date must not be before the start date.")}
            )
        return data
