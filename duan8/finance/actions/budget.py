"""Audit actions of the money's budget part (merged in ``finance.audit_actions``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "finance.allocation.recorded": _("Allocation received recorded"),
    "finance.norm.created": _("Spending norm added"),
    "finance.norm.changed": _("Spending norm changed"),
    "finance.norms.loaded": _("Spending norms loaded from the shipped file"),
    "finance.estimate.line_added": _("Estimate line added"),
    "finance.estimate.line_removed": _("Estimate line removed"),
    "finance.estimate.approved": _("Estimate approved with the plan"),
}
