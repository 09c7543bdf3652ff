"""Forms of one's own account. They only read input; ``accounts.services`` checks and saves.

The forms that manage other users live in ``orgunits.users.forms``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

NOT_THE_SAME = _("The two passwords are not the same.")


def password_field(
    label: StrOrPromise, *, autocomplete: str = "new-password", help_text: StrOrPromise = ""
) -> forms.CharField:
    """A password box, taken as typed (no stripping): one's own and a reset by the manager."""
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        help_text=help_text,
    )


def passwords_differ(data: dict[str, Any], first: str, again: str) -> bool:
    """The new password was typed, and typed differently the second time."""
    return bool(data.get(first)) and data.get(again) != data.get(first)


class PasswordChangeForm(forms.Form):
    old_password = password_field(_("Current password"), autocomplete="current-password")
    new_password1 = password_field(
        _("New password"),
        help_text=_("At least 10 characters, not only digits, not like your name."),
    )
    new_password2 = password_field(_("New password again"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if passwords_differ(data, "new_password1", "new_password2"):
            self.add_error("new_password2", NOT_THE_SAME)
        return data
