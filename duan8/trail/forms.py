"""The audit list's filters. They only read input; ``trail.selectors`` does the filtering."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), max_length=150, required=False)
    unit = forms.CharField(
        label=_("Unit"), max_length=120, required=False, help_text=_("Code or name")
    )
    date_from = forms.DateField(
        label=_("From (dd/mm/yyyy)"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, e.g. 25/09/2023.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"}),
    )
    date_to = forms.DateField(
        label=_("To (dd/mm/yyyy)"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, e.g. 25/09/2023.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"}),
    )
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("All kinds")), *kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError(_("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """The valid filters (an invalid field is ignored and shown with its error)."""
        data = getattr(self, "cleaned_data", {})
        if self.non_field_errors():
            data = {k: v for k, v in data.items() if k not in ("date_from", "date_to")}
        return {
            "user": (data.get("user") or "").strip() or None,
            "unit": (data.get("unit") or "").strip() or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "kind": data.get("kind") or None,
        }
