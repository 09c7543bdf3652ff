"""Audit actions of the registry's rules part (merged in mothers.audit_actions)."""

from django.utils.functional import Promise

ACTIONS: dict[str, Promise] = {}
