"""Permission codes are declared once (accounts/permissions.py): every code a role holds or a
check names is declared, and every declared code is checked somewhere (issue 11, point 4)."""

import ast
import re
from pathlib import Path

import pytest

import duan8
from duan8.accounts import permissions
from duan8.accounts.models import Role

ROOT = Path(duan8.__file__).resolve().parent
# The functions that check a permission, and the argument naming it (position, keyword).
CHECKS = {
    "can": 1,
    "can_here": 1,
    "require_permission": 1,
    "holds_somewhere": 1,
    "org_units_visible_to": 1,
    "held_paths": 1,
}
TEMPLATE_CHECK = re.compile(r"""\{%\s*holds_permission\s+["']([^"']+)["']""")
DECLARED = {
    name: value
    for name, value in vars(permissions).items()
    if name.isupper() and isinstance(value, str)
}


def strings(node: ast.AST | None, names: dict[str, set[str]]) -> set[str]:
    """The strings an expression can be: a literal, a name bound to strings in the module (or a
    constant of accounts.permissions), either branch of a conditional, items of a set or tuple."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name):
        return names.get(node.id, set())
    if isinstance(node, ast.Attribute) and node.attr in DECLARED:
        return {DECLARED[node.attr]}
    if isinstance(node, ast.IfExp):
        return strings(node.body, names) | strings(node.orelse, names)
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return set().union(*(strings(item, names) for item in node.elts))
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("frozenset", "set"):
        return strings(node.args[0], names) if node.args else set()
    return set()


def bound_names(tree: ast.Module) -> dict[str, set[str]]:
    """Names bound to strings anywhere in a module, and the constants it imports from
    accounts.permissions."""
    names: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "duan8.accounts.permissions":
            for alias in node.names:
                if alias.name in DECLARED:
                    names[alias.asname or alias.name] = {DECLARED[alias.name]}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    names.setdefault(target.id, set()).update(strings(node.value, names))
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    for item, value in zip(target.elts, node.value.elts, strict=False):
                        if isinstance(item, ast.Name):
                            names.setdefault(item.id, set()).update(strings(value, names))
    return names


def checked_in(source: str) -> set[str]:
    """The codes a module's source checks: arguments of the check functions, ``"x" in
    role.permissions``, and the rights readable through the map's history."""
    tree = ast.parse(source)
    names = bound_names(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            if func in CHECKS:
                position = CHECKS[func]
                if len(node.args) > position:
                    found |= strings(node.args[position], names)
                found |= set().union(
                    *(strings(k.value, names) for k in node.keywords if k.arg == "permission")
                )
        elif (
            isinstance(node, ast.Compare)
            and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
            and any(getattr(c, "attr", "") == "permissions" for c in node.comparators)
        ):
            found |= strings(node.left, names)
    return found


def production_sources() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
        and path.name not in ("permissions.py", "testing.py")
    )


def checked_codes() -> dict[str, set[str]]:
    """Code → the files (production modules and templates) that check it."""
    found: dict[str, set[str]] = {}
    for path in production_sources():
        for code in checked_in(path.read_text(encoding="utf-8")):
            found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    for path in (ROOT / "templates").rglob("*.html"):
        for code in TEMPLATE_CHECK.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_scan_reads_literals_constants_and_conditionals():
    source = (
        "from duan8.accounts.permissions import PLANS_EDIT\n"
        'VIEW, EDIT = "records.view", "records.edit"\n'
        "def f(actor, unit, m, late):\n"
        '    can(actor, "plans.approve", unit)\n'
        "    require_permission(actor, PLANS_EDIT, unit)\n"
        "    org_units_visible_to(actor, permission=VIEW)\n"
        '    right = "reports.review" if late else EDIT\n'
        "    access.can(actor, right, unit)\n"
        '    return "users.manage" in m.role.permissions\n'
    )

    assert checked_in(source) == {
        "plans.approve",
        "plans.edit",
        "records.view",
        "reports.review",
        "records.edit",
        "users.manage",
    }


def test_every_checked_code_is_declared():
    checked = checked_codes()

    assert len(checked) > 5  # the scan finds the checks
    undeclared = {code: sorted(files) for code, files in checked.items() if code not in PERMISSIONS}
    assert undeclared == {}


def test_every_declared_code_is_checked_somewhere():
    """A right no service, selector or view checks is used or removed."""
    assert set(PERMISSIONS) - set(checked_codes()) == set()


@pytest.mark.django_db
def test_every_code_a_role_holds_is_declared():
    held = {code for codes in Role.objects.values_list("permissions", flat=True) for code in codes}

    assert Role.objects.count() >= 10  # the roles of the migrations
    assert held - set(PERMISSIONS) == set()


def test_each_code_has_one_constant_and_a_description():
    assert sorted(DECLARED.values()) == sorted(set(DECLARED.values()))
    assert set(DECLARED.values()) == set(PERMISSIONS)
    assert all(str(label) for label in PERMISSIONS.values())


PERMISSIONS = permissions.PERMISSIONS
