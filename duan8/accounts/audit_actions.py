"""The audit actions this app records, in words (shown by the audit viewer, ``duan8.trail``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "accounts.login": _("Signed in"),
    "accounts.login_failed": _("Failed sign-in"),
    "accounts.logout": _("Signed out"),
    "accounts.password.changed": _("Own password changed"),
}
