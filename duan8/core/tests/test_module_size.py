"""No module of the production code over 500 lines (issue 11): a module that grows past it
becomes a package of modules, one subject each. Complexity is ruff's (C90, max 15, in
`make lint`)."""

from pathlib import Path

import duan8

LIMIT = 500


def test_no_production_module_over_500_lines() -> None:
    root = Path(duan8.__file__).parent
    too_long = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LIMIT:
            too_long[str(path.relative_to(root))] = lines
    assert too_long == {}
