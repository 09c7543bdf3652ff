"""The two readers of the entry rules (``core.rules_engine`` on the server, ``rules.js`` in the
offline page) give the answers of ``rules_cases.json``, the one table that holds them together.

A case is one of:

- ``test``: an expression; a problem when it is truthy (``fails``);
- ``value``: an expression shown as a message's param: its ``text``;
- ``rules`` with ``problems``: [field, code, message] in order;
- ``rules`` with ``error``: a malformed rule both readers refuse.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from duan8.core.rules_engine import RuleError, check, for_client
from duan8.core.tests.js_rules import js_check_many

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "rules_cases.json").read_text(encoding="utf-8")
)
TODAY = "2024-03-15"


def _rules(case: dict[str, Any]) -> Any:
    if "test" in case:
        return [{"field": "x", "code": "test", "fail": case["test"], "message": "failed"}]
    if "value" in case:
        return [{"field": "x", "fail": True, "message": "%(v)s", "params": {"v": case["value"]}}]
    return case["rules"]


def _expected(case: dict[str, Any]) -> list[list[str]]:
    if "test" in case:
        return [["x", "test", "failed"]] if case["fails"] else []
    if "value" in case:
        return [["x", "invalid", case["text"]]]
    problems: list[list[str]] = case["problems"]
    return problems


def _python(case: dict[str, Any]) -> list[list[str]]:
    problems = check(
        _rules(case),
        case.get("data", {}),
        refs=case.get("refs"),
        today=datetime.date.fromisoformat(case.get("today", TODAY)),
        translate=lambda message: message,
    )
    return [[p.field, p.code, p.message] for p in problems]


@pytest.fixture(scope="module")
def js_answers() -> dict[str, dict[str, Any]]:
    """rules.js's answer to every case, from one Node.js process."""
    answers = js_check_many(
        [
            {
                "rules": _rules(case),
                "data": case.get("data", {}),
                "refs": case.get("refs", {}),
                "today": case.get("today", TODAY),
            }
            for case in CASES
        ]
    )
    return {case["name"]: answer for case, answer in zip(CASES, answers, strict=True)}


def test_every_case_has_its_own_name() -> None:
    names = [case["name"] for case in CASES]

    assert len(names) == len(set(names))


ANSWERED = [case for case in CASES if not case.get("error")]
MALFORMED = [case for case in CASES if case.get("error")]


@pytest.mark.parametrize("case", ANSWERED, ids=[case["name"] for case in ANSWERED])
def test_the_server_reads_the_case_as_the_table_says(case: dict[str, Any]) -> None:
    assert _python(case) == _expected(case)


@pytest.mark.parametrize("case", ANSWERED, ids=[case["name"] for case in ANSWERED])
def test_the_browser_reads_the_case_as_the_table_says(
    case: dict[str, Any], js_answers: dict[str, dict[str, Any]]
) -> None:
    answer = js_answers[case["name"]]

    assert "error" not in answer, answer
    assert [[p["field"], p["code"], p["message"]] for p in answer["problems"]] == _expected(case)


@pytest.mark.parametrize("case", MALFORMED, ids=[case["name"] for case in MALFORMED])
def test_both_readers_refuse_a_malformed_rule(
    case: dict[str, Any], js_answers: dict[str, dict[str, Any]]
) -> None:
    with pytest.raises(RuleError):
        _python(case)
    with pytest.raises(RuleError):
        for_client(case["rules"], translate=lambda message: message)

    assert "error" in js_answers[case["name"]]


def test_the_table_covers_every_operator() -> None:
    text = json.dumps(CASES)
    operators = ["var", "ref", "today", "and", "or", "if", "==", "!=", "<", "<=", ">", ">="]
    operators += ["!", "in", "+", "-", "blank", "len", "digits", "sum", "year", "days", "dmy"]

    assert [op for op in operators if f'"{op}":' not in text] == []


def test_the_offline_rules_carry_translated_messages() -> None:
    rules = [{"field": "a", "fail": True, "message": "required."}]

    sent = for_client(rules, translate=lambda message: message.upper())

    assert sent == [{"field": "a", "fail": True, "message": "REQUIRED."}]
    assert rules[0]["message"] == "required."


def test_a_malformed_list_is_refused_every_time_it_is_given() -> None:
    """Lists are validated once (the apps' constants): a refused list is never taken as valid."""
    good = [{"field": "a", "fail": True, "message": "required."}]
    bad = [{"field": "a", "fail": {"no such operator": 1}, "message": "required."}]

    for _ in range(2):
        assert [problem.field for problem in check(good, {})] == ["a"]
        with pytest.raises(RuleError):
            check(bad, {})
