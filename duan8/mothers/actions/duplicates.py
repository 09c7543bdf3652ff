"""Audit actions of the registry's duplicates part (merged in mothers.audit_actions)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "mothers.duplicates.viewed": _("Likely duplicates of a commune viewed"),
    "mothers.duplicates.found": _("Likely duplicates looked for"),
    "mothers.duplicate.confirmed": _("Likely duplicate confirmed"),
    "mothers.duplicate.dismissed": _("Likely duplicate dismissed"),
    "mothers.proposals.imported": _("Proposal list uploaded from Excel"),
}
