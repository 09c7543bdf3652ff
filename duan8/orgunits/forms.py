"""Forms of the unit page. They only read input; ``orgunits.services`` does the writing."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from duan8.core.idempotency import OnceForm
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit

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


class VillageChangeForm(OnceForm):
    """What every change of villages carries: the date it takes effect and the deciding act,
    picked from the register or added to it (type, number, symbol, date, issuer, title)."""

    effective_on = forms.DateField(
        label=_("Takes effect on"), input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    decision = DecisionChoiceField(
        label=_("Deciding act"),
        queryset=LegalDocument.objects.all(),
        required=False,
        empty_label=_("(not in the register: add it below, or none)"),
    )
    act_kind = forms.ChoiceField(
        label=_("New act: type"),
        choices=LegalDocument.Kind.choices,
        initial=LegalDocument.Kind.RESOLUTION,
        required=False,
    )
    act_number = forms.CharField(label=_("New act: number"), max_length=20, required=False)
    act_symbol = forms.CharField(
        label=_("New act: symbol"),
        max_length=40,
        required=False,
        help_text=_("For example NQ-HĐND or QĐ-UBND"),
    )
    act_issued_on = forms.DateField(
        label=_("New act: date issued"),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        required=False,
    )
    act_issuer = forms.CharField(label=_("New act: issuing body"), max_length=255, required=False)
    act_title = forms.CharField(label=_("New act: title"), required=False)

    ACT_FIELDS = ("act_number", "act_symbol", "act_issued_on", "act_issuer")

    def clean(self) -> dict:
        data = super().clean() or {}
        given = [name for name in self.ACT_FIELDS if data.get(name)]
        if given and data.get("decision"):
            raise ValidationError(
                {"decision": _("Pick an act from the register or add a new one, not both.")}
            )
        if given:
            for name in self.ACT_FIELDS:
                if not data.get(name):
                    self.add_error(name, _("Give this detail of the new act."))
        return data

    def new_act(self) -> dict | None:
        """The new act's details, when the user added one."""
        data = self.cleaned_data
        if not data.get("act_number"):
            return None
        return {
            "kind": data["act_kind"] or LegalDocument.Kind.OTHER,
            "number": data["act_number"],
            "symbol": data["act_symbol"],
            "issued_on": data["act_issued_on"],
            "issuer": data["act_issuer"],
            "title": data["act_title"],
        }


class VillageRenameForm(VillageChangeForm):
    name = forms.CharField(label=_("New name"), max_length=120)

    field_order = ["name", "effective_on", "decision"]


class VillagesMergeForm(VillageChangeForm):
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages to merge"),
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    name = forms.CharField(
        label=_("Name of the merged village"),
        max_length=120,
        help_text=_("It may be the name of one of them"),
    )

    field_order = ["villages", "name", "effective_on", "decision"]

    def __init__(self, *args: Any, villages: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["villages"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = villages


class VillageSplitForm(VillageChangeForm):
    names = forms.CharField(
        label=_("Names of the new villages"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name a line; the first takes over the village's records"),
    )

    field_order = ["names", "effective_on", "decision"]

    def clean_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["names"].splitlines() if line.strip()]


class VillagesUploadForm(OnceForm):
    file = forms.FileField(label=_("Filled template (.xlsx)"))
    decision = DecisionChoiceField(
        label=_("Decision on the especially difficult villages"),
        queryset=LegalDocument.objects.filter(kind=LegalDocument.Kind.DECISION),
        required=False,
        empty_label=_("(no decision given)"),
        help_text=_("For example QĐ 612/QĐ-UBDT of 16/09/2021"),
    )
