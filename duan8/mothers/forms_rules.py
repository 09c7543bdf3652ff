"""Forms of the rules pages: correct a rule or an item, start a new period of one, and the leader's
approval of a list of cases. Plain forms built from the models' fields (the service, not the
form, changes the row); each hands its data to the service and puts its problems beside them."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import Model
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from duan8.core.idempotency import new_key
from duan8.mothers.models import BenefitItem, EligibilityRule
from duan8.mothers.services.rules import ITEM_FIELDS, RULE_FIELDS
from duan8.orgunits.forms import DATE_INPUT_FORMATS, DateInput
from duan8.orgunits.models import OrgUnit


class _RowForm(forms.Form):
    model: ClassVar[type[Model]]
    names: ClassVar[tuple[str, ...]]

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, row: Model, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_names = list(self.names)
        self.fields.update(
            fields_for_model(
                self.model,
                fields=self.names,
                widgets={"valid_from": DateInput(), "valid_to": DateInput()},
            )
        )
        for name in ("valid_from", "valid_to"):
            field = self.fields[name]
            assert isinstance(field, forms.DateField)
            field.input_formats = DATE_INPUT_FORMATS
        if not self.is_bound:
            self.initial = {**model_to_dict(row, fields=self.names), "version": row.version}  # type: ignore[attr-defined]

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.field_names}


class RuleForm(_RowForm):
    model = EligibilityRule
    names = (*RULE_FIELDS, "provinces")

    def __init__(self, *args: Any, row: Model, **kwargs: Any) -> None:
        super().__init__(*args, row=row, **kwargs)
        provinces = self.fields["provinces"]
        assert isinstance(provinces, forms.ModelMultipleChoiceField)
        provinces.queryset = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE).order_by(
            "code_scheme", "code"
        )
        provinces.label_from_instance = _province_label  # type: ignore[assignment,method-assign]
        provinces.widget.attrs["size"] = 12
        if not isinstance(row, EligibilityRule) or row.kind != EligibilityRule.Kind.PROVINCE_LISTED:
            del self.fields["provinces"]
            self.field_names.remove("provinces")


def _province_label(unit: OrgUnit) -> str:
    scheme = "QĐ 19/2025" if unit.code_scheme == OrgUnit.CodeScheme.QD19_2025 else "QĐ 124/2004"
    return f"{unit.code} {unit.full_name} ({scheme})"


class ItemForm(_RowForm):
    model = BenefitItem
    names = ITEM_FIELDS


class RuleNewPeriodForm(RuleForm):
    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=new_key)

    def __init__(self, *args: Any, row: Model, **kwargs: Any) -> None:
        super().__init__(*args, row=row, **kwargs)
        if not self.is_bound:
            self.initial.update(valid_from=None, valid_to=None)


class ItemNewPeriodForm(ItemForm):
    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=new_key)

    def __init__(self, *args: Any, row: Model, **kwargs: Any) -> None:
        super().__init__(*args, row=row, **kwargs)
        if not self.is_bound:
            self.initial.update(valid_from=None, valid_to=None)


class ApproveForm(forms.Form):
    """The ticked cases, each with the version the page showed (``version-<id>``)."""

    cases = forms.TypedMultipleChoiceField(
        label=_("Cases to approve"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cases"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices

    def versions(self) -> dict[int, int | None]:
        found: dict[int, int | None] = {}
        for pk in self.cleaned_data["cases"]:
            raw = str(self.data.get(f"version-{pk}", ""))
            found[pk] = int(raw) if raw.isdigit() else None
        return found
