"""The audit pages name every action in words, never by its code (walk-through findings)."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from duan8.core import audit
from duan8.core.tests.test_import_direction import ORDER
from duan8.trail.labels import action_labels, declared_actions

SOURCE = Path(settings.BASE_DIR) / "duan8"
ACTION = re.compile(r"^[a-z_]+\.[a-z_]+(\.[a-z_]+)?$")


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def literal_values(node: ast.expr, constants: dict[str, str]) -> set[str]:
    """The strings an ``action=`` argument can be: a literal, a module constant, either branch of
    a conditional. Actions built at run time (f-strings) are left out."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name) and node.id in constants:
        return {constants[node.id]}
    if isinstance(node, ast.IfExp):
        return literal_values(node.body, constants) | literal_values(node.orelse, constants)
    return set()


def actions_in(source: str) -> set[str]:
    """Every action passed to ``audit.record`` in a module's source."""
    tree = ast.parse(source)
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "record":
            for keyword in node.keywords:
                if keyword.arg == "action":
                    found |= literal_values(keyword.value, constants)
    return {action for action in found if ACTION.match(action)}


def recorded_actions() -> dict[str, set[str]]:
    """App label → the actions its production modules record."""
    found: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).parts
        if "tests" in parts or "migrations" in parts or len(parts) < 2:
            continue
        found.setdefault(parts[0], set()).update(actions_in(path.read_text(encoding="utf-8")))
    return found


def test_the_scan_finds_literals_constants_and_both_branches():
    source = (
        'SEEN = "x.seen"\n'
        "def f(before):\n"
        '    audit.record(actor=None, action="x.made")\n'
        "    audit.record(actor=None, action=SEEN)\n"
        '    audit.record(actor=None, action="x.changed" if before else "x.added")\n'
        '    audit.record(actor=None, action=f"x.{before}")\n'
    )

    assert actions_in(source) == {"x.made", "x.seen", "x.changed", "x.added"}


def test_every_recorded_action_has_a_label():
    actions = set().union(*recorded_actions().values())

    assert len(actions) > 40  # the scan finds the calls
    assert actions - set(action_labels()) == set()


def test_each_app_declares_the_actions_it_records():
    """Beside its services: in its own ``audit_actions.py`` or in that of an app it may import
    (``access.denied`` is core's), never in an app above it."""
    declared = declared_actions()
    missing = {
        f"{app}: {action}"
        for app, actions in recorded_actions().items()
        for action in actions
        if not any(action in declared.get(lower, {}) for lower in ORDER[: ORDER.index(app) + 1])
    }

    assert missing == set()


def test_the_trail_shows_an_event_in_words_and_booleans_as_yes_or_no(
    client, commune_leader, commune_officer, ba_trang
):
    audit.record(
        actor=commune_officer,
        action="activities.events.exported",
        org_unit=ba_trang,
        after={"rows": 3, "personal": False},
    )
    client.force_login(commune_leader)

    html = client.get(reverse("trail:audit_list")).content.decode()

    assert "Events exported" in html
    assert "activities.events.exported" not in html
    assert "False" not in html and "→ <ins>no</ins>" in html
