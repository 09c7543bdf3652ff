"""Run the browser's rules evaluator (offline/static/offline/rules.js) under Node.js, to hold it
to the same answers as ``core.rules_engine`` (one table of rules, two readers)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

RULES_JS = Path(__file__).resolve().parents[2] / "offline" / "static" / "offline" / "rules.js"

_RUNNER = """
const rules = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const out = cases.map((c) => {
    try { return {problems: rules.check(c.rules, c.data, {refs: c.refs, today: c.today})}; }
    catch (e) { return {error: String(e.message || e)}; }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def node() -> str:
    found = shutil.which("node")
    if found is None:
        raise RuntimeError("Node.js is needed to test the browser's rules (apt-get install nodejs)")
    return found


def js_check_many(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case ``{rules, data, refs, today}`` checked by rules.js: ``{"problems": [...]}`` or
    ``{"error": message}``, in order. One Node process for all of them."""
    result = subprocess.run(  # noqa: S603 (our own script, our own file)
        [node(), "-e", _RUNNER, str(RULES_JS)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answers: list[dict[str, Any]] = json.loads(result.stdout)
    return answers


def js_check(
    rules: list[dict[str, Any]],
    data: dict[str, Any],
    refs: dict[str, list[Any]] | None = None,
    today: str | None = None,
) -> list[dict[str, Any]]:
    answer = js_check_many([{"rules": rules, "data": data, "refs": refs or {}, "today": today}])[0]
    if "error" in answer:
        raise ValueError(answer["error"])
    problems: list[dict[str, Any]] = answer["problems"]
    return problems
