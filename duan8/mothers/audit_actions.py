"""The audit actions this app records, in words (shown by the audit viewer, ``duan8.trail``);
each part of the registry names its own in ``mothers/actions/``."""

from django.utils.functional import Promise

from duan8.mothers.actions import duplicates, payments, privacy, registry, rules

ACTIONS: dict[str, Promise] = {
    **registry.ACTIONS,
    **rules.ACTIONS,
    **duplicates.ACTIONS,
    **payments.ACTIONS,
    **privacy.ACTIONS,
}
