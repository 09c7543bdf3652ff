"""The audit pages name every action in words, never by its code (walk-through findings)."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from duan8.core import audit
from duan8.core.views import ACTION_LABELS

SOURCE = Path(settings.BASE_DIR) / "duan8"
ACTION = re.compile(r"^[a-z_]+\.[a-z_]+(\.[a-z_]+)?$")


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def recorded_actions() -> set[str]:
    """Every literal ``action="…"`` passed to ``audit.record`` outside the tests."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "record":
                for keyword in node.keywords:
                    value = keyword.value
                    literal = value.value if isinstance(value, ast.Constant) else None
                    if (
                        keyword.arg == "action"
                        and isinstance(literal, str)
                        and ACTION.match(literal)
                    ):
                        found.add(literal)
    return found


def test_every_literal_action_has_a_label():
    actions = recorded_actions()

    assert len(actions) > 20  # the scan finds the calls
    assert actions - set(ACTION_LABELS) == set()


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

    html = client.get(reverse("core:audit_list")).content.decode()

    assert "Events exported" in html
    assert "activities.events.exported" not in html
    assert "False" not in html and "→ <ins>no</ins>" in html
