"""Audit actions of the money's spending part (merged in ``finance.audit_actions``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "finance.voucher.recorded": _("Voucher recorded"),
    "finance.voucher.reversed": _("Voucher reversed"),
    "finance.request.proposed": _("Payment request proposed"),
    "finance.request.refused": _("Payment request refused"),
}
