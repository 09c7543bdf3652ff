"""Audit actions of the registry's payments part (merged in mothers.audit_actions)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "mothers.payment_list.created": _("Payment list made"),
    "mothers.payment_list.approved": _("Payment list approved"),
    "mothers.payment_list.exported": _("Payment list downloaded"),
    "mothers.payment.recorded": _("Payment to a mother recorded"),
    "mothers.payment.reversed": _("Payment to a mother reversed"),
    # mothers' names with the money paid for their births, read over the API (issue 16)
    "mothers.payments.viewed": _("Payments to mothers viewed"),
}
