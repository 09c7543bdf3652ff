"""Audit actions of the registry's registry part (merged in mothers.audit_actions)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "mothers.case.proposed": _("Mother proposed for the safe-motherhood packages"),
    "mothers.case.updated": _("Mother's case corrected"),
    "mothers.case.verified": _("Mother's case verified"),
    "mothers.case.rejected": _("Mother's case rejected"),
    "mothers.case.viewed": _("Mother's case viewed"),
    "mothers.cases.viewed": _("List of mothers' cases viewed"),
}
