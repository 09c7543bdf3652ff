"""The audit actions this app records, in words (shown by the audit viewer, ``duan8.trail``);
each part names its own in ``finance/actions/``."""

from django.utils.functional import Promise

from duan8.finance.actions import budget, reports, spending

ACTIONS: dict[str, Promise] = {**budget.ACTIONS, **spending.ACTIONS, **reports.ACTIONS}
