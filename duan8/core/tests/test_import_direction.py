"""The import graph follows the direction docs/architecture.md declares ("Import direction").

Every production module of an app (not its tests, not its migrations) is parsed; each import of
``duan8.<app>`` must name the module's own app or an app to its left in ``ORDER``. Imports inside
functions count as much as those at the top of a module: a lazy import is still a dependency, it
only hides a cycle from Python. A setting naming a dotted path that a lower app calls through
``import_string`` (``PLAN_APPROVAL_CHECKS``, ``PLAN_PAGE_PANELS``, ``UNIT_PAGE_PANELS``) is not
an import, and neither is a string reference to a model (``"orgunits.OrgUnit"``). The project's
wiring (``duan8/settings.py``, ``duan8/urls.py``, ``duan8/testing*.py``, ``asgi.py``, ``wsgi.py``,
``__main__.py``) belongs to no app and may name any of them; no app imports it.
"""

import ast
from pathlib import Path

import duan8

ORDER = [
    "core",
    "legal",
    "accounts",
    "jobs",
    "orgunits",
    "programs",
    "activities",
    "documents",
    "reports",
    "trail",
    "finance",
    "mothers",
    "supervision",
    "api",
    "offline",
    "demo",
]

ROOT = Path(duan8.__file__).parent

# Imports against the direction that are known, each with its reason: (importing module,
# imported module) exactly, so that no other import of the same module slips through. None today:
# the audit viewer (duan8.trail) and the demo loaders (duan8.demo) sit above the domains.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def production_modules() -> list[Path]:
    return sorted(
        path
        for app in ORDER
        for path in (ROOT / app).rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    )


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.Module, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) of every import in the tree, at any depth; relative ones made absolute."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = module.split(".")
                package = package[: len(package) - node.level + (1 if is_package else 0)]
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base == "duan8":  # from duan8 import programs
                found += [(node.lineno, f"duan8.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, base))
    return found


def module_problems(label: str, module: str, tree: ast.Module, is_package: bool) -> list[str]:
    """The imports of one module against the direction, as "file:line: ..." messages."""
    app = module.split(".")[1]
    problems = []
    for line, imported in imported_modules(tree, module, is_package):
        parts = imported.split(".")
        if parts[0] != "duan8" or len(parts) < 2:
            continue
        target = parts[1]
        if target not in ORDER:
            problems.append(
                f"{label}:{line}: {app} imports {imported}, which belongs to no app"
                " (the project's wiring imports apps, not the other way round)"
            )
        elif ORDER.index(target) > ORDER.index(app) and (module, imported) not in EXCEPTIONS:
            problems.append(
                f"{label}:{line}: {app} imports {imported}, but {target} is to the right of {app}"
            )
    return problems


def violations() -> list[str]:
    problems = []
    for path in production_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        label = str(path.relative_to(ROOT.parent))
        problems += module_problems(label, module_name(path), tree, path.name == "__init__.py")
    return problems


def test_apps_import_only_apps_to_their_left() -> None:
    problems = violations()
    assert not problems, (
        "Imports against the direction of docs/architecture.md"
        f" ({' ← '.join(ORDER)}):\n" + "\n".join(problems)
    )


def test_every_exception_is_still_needed() -> None:
    """An exception whose import is gone is removed, so that the list says what is true."""
    seen = set()
    for path in production_modules():
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        seen |= {
            (module, imported)
            for _, imported in imported_modules(tree, module, path.name == "__init__.py")
        }
    assert not set(EXCEPTIONS) - seen, sorted(set(EXCEPTIONS) - seen)


def test_the_parser_sees_imports_at_every_depth() -> None:
    """Imports at the top and inside functions, absolute and relative."""
    source = (
        "import duan8.reports.models\n"
        "from duan8 import documents\n"
        "def f():\n"
        "    from ..activities.services import x\n"
        "    from . import selectors\n"
    )
    found = imported_modules(ast.parse(source), "duan8.programs.views", is_package=False)
    assert found == [
        (1, "duan8.reports.models"),
        (2, "duan8.documents"),
        (4, "duan8.activities.services"),
        (5, "duan8.programs"),
    ]


def test_an_import_to_the_right_is_named_with_its_file_and_line() -> None:
    """A lazy import of a higher app fails as a top-level one does; one to the left passes."""
    source = (
        "from duan8.accounts.models import User\n"
        "def f():\n"
        "    from duan8.programs.selectors import plan_list\n"
        "    import duan8.settings\n"
    )
    tree = ast.parse(source)
    problems = module_problems("duan8/orgunits/x.py", "duan8.orgunits.x", tree, is_package=False)
    assert problems == [
        "duan8/orgunits/x.py:3: orgunits imports duan8.programs.selectors,"
        " but programs is to the right of orgunits",
        "duan8/orgunits/x.py:4: orgunits imports duan8.settings, which belongs to no app"
        " (the project's wiring imports apps, not the other way round)",
    ]
