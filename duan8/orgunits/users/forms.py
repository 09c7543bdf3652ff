"""User management forms. They only read input; ``orgunits.users.services`` checks rights and
saves.

The unit and role lists offer only what the actor may grant; a forged choice is refused here
(unit) or by the service (role).
"""

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from duan8.accounts.forms import NOT_THE_SAME, password_field, passwords_differ
from duan8.accounts.models import Role, User
from duan8.orgunits.forms import DATE_INPUT_FORMATS, DateInput
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.users.selectors import grantable_roles, managed_units


def unit_label(unit: OrgUnit) -> str:
    """A unit with its kind and the units above it, up to its district (or province after the
    2025 reform): "Thôn Nước Đang – xã Ba Trang – huyện Ba Tơ". Many villages share a name."""
    parts = [unit.full_name]
    parent = unit.parent
    while parent is not None and parent.level != OrgUnit.Level.NATIONAL:
        kind = parent.kind[:1].lower() + parent.kind[1:]
        parts.append(f"{kind} {parent.name}".strip())
        if parent.level <= OrgUnit.Level.DISTRICT:
            break
        parent = parent.parent
    return " – ".join(parts)


def fold(text: str) -> str:
    """Lower case without Vietnamese marks, so "nuoc dang" finds "Nước Đang"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_label(obj)


class _RoleFields(forms.Form):
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the units where you manage users.")},
    )
    role = forms.ModelChoiceField(
        label=_("Role"),
        queryset=Role.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the roles listed.")},
    )

    def __init__(self, *args, actor: User, unit_search: str = "", **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        units = managed_units(actor=actor).select_related("parent__parent")
        unit_field, role_field = self.fields["unit"], self.fields["role"]
        assert isinstance(unit_field, UnitChoiceField)
        assert isinstance(role_field, forms.ModelChoiceField)
        # Any managed unit may be posted; the search only narrows the list shown.
        unit_field.queryset = units
        labelled = [(unit.pk, unit_label(unit)) for unit in units]
        self.units_total = len(labelled)
        self.unit_search = unit_search.strip()[:100]
        if self.unit_search:
            words = fold(self.unit_search).split()
            labelled = [
                (pk, label) for pk, label in labelled if all(w in fold(label) for w in words)
            ]
        self.units_shown = len(labelled)
        unit_field.choices = [("", "---------"), *labelled]
        # Every role may be posted; the service refuses one above the actor's own rights (403).
        role_field.queryset = Role.objects.order_by("name")
        role_field.choices = [("", "---------")] + [
            (role.pk, role.name) for role in grantable_roles(actor=actor)
        ]


class UserCreateForm(_RoleFields):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("For signing in, e.g. tt.nuocdang"),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["unit", "role", "username", "full_name", "phone", "password"]


class RoleGrantForm(_RoleFields):
    valid_from = forms.DateField(
        label=_("From"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    valid_to = forms.DateField(
        label=_("Until"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )


class PasswordResetForm(forms.Form):
    password1 = password_field(_("New password"))
    password2 = password_field(_("New password again"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if passwords_differ(data, "password1", "password2"):
            raise ValidationError(NOT_THE_SAME)
        return data


class UserUpdateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    # What the form showed: the service writes only if the user still holds it.
    shown_full_name = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    shown_phone = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    def shown(self) -> tuple[str, str] | None:
        if "shown_full_name" not in self.data or "shown_phone" not in self.data:
            return None
        return self.cleaned_data["shown_full_name"], self.cleaned_data["shown_phone"]
