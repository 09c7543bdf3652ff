"""Audit actions of the registry's payments part (merged in mothers.audit_actions)."""

from django.utils.functional import Promise

ACTIONS: dict[str, Promise] = {}
