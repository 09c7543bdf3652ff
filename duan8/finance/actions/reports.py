"""Audit actions of the money's reports part (merged in ``finance.audit_actions``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "finance.settlement.drafted": _("Settlement drafted"),
    "finance.settlement.refreshed": _("Settlement draft computed again"),
    "finance.settlement.approved": _("Settlement approved (the year's spending locked)"),
    "finance.report.exported": _("Money report exported"),
}
