"""Audit actions of the registry's rules part (merged in mothers.audit_actions)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "mothers.case.approved": _("Mother's case approved with its entitlement"),
    "mothers.rule.updated": _("Eligibility rule of the packages changed"),
    "mothers.rule.created": _("Eligibility rule of the packages added for a new period"),
    "mothers.item.updated": _("Package item changed"),
    "mothers.item.created": _("Package item added for a new period"),
}
