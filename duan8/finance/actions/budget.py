"""Audit actions of the money's budget part (merged in ``finance.audit_actions``)."""

from django.utils.functional import Promise

ACTIONS: dict[str, Promise] = {}
