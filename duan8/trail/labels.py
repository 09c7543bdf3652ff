"""The words for every audit action, collected from the apps that record them.

Each app declares the actions it records, and their labels, beside its services in
``<app>/audit_actions.py``: ``ACTIONS``, a dict of action code → ``gettext_lazy`` label. The
codes are those stored in ``AuditEvent.action`` and never change (rows keep them), so a code may
name another app than the one declaring it (``accounts.user.created`` is recorded by user
management, in ``orgunits``).
"""

from functools import cache
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule

MODULE = "audit_actions"


def declared_actions() -> dict[str, dict[str, Promise]]:
    """Every installed app's declared actions, by app label (apps declaring none are left out)."""
    found = {}
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, MODULE):
            found[config.label] = import_module(f"{config.name}.{MODULE}").ACTIONS
    return found


@cache
def action_labels() -> dict[str, Promise]:
    """Action code → label, over every app; a code declared by two apps is a mistake."""
    labels: dict[str, Promise] = {}
    for app, actions in declared_actions().items():
        for code, label in actions.items():
            if code in labels:
                raise ImproperlyConfigured(f"Audit action {code} is declared twice ({app}).")
            labels[code] = label
    return labels


def action_label(action: str) -> str:
    """The action in words; an undeclared code as it is (a test fails on any such code)."""
    label = action_labels().get(action)
    return str(label) if label is not None else action
