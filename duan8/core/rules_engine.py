"""Entry rules as data: one table of checks that the server and the offline entry page both run.

A form's rules (``activities/entry_rules.py``, ``mothers/entry_rules.py``) are a list of dicts
that JSON can carry. The server evaluates them here, in each service's ``*_check``; the offline
page (issue 17) receives the same list, its messages translated, and evaluates it with
``offline/static/offline/rules.js``. The two evaluators are held together by one table of cases
(``core/tests/rules_cases.json``) that the tests run through both, so the rules cannot drift: there
is one copy of them, and two readers proven to read it alike.

The checks that need the database (a lock on the period, an event already recorded, the village
of a commune on a date, the rule in force on a day) stay in Python only; offline they are made
when the entry is sent, and the page shows the server's answer.

A rule::

    {"field": "ended_on", "code": "before_start",
     "if": {"!": {"blank": {"var": "ended_on"}}},        # optional: the rule applies when truthy
     "fail": {"<": [{"var": "ended_on"}, {"var": "held_on"}]},   # a problem when truthy
     "message": "before the start date (%(start)s).",     # a msgid, translated when shown
     "params": {"start": {"dmy": {"var": "held_on"}}}}    # optional: %(name)s in the message

``each``: the name of a list in the input; the rule is checked once per item, the item read as
``{"var": "item.<key>"}`` and its number (from 1) put in the field's ``{n}``
(``participants.{n}.sex``). Rules are read in order and a field keeps its first problem: a later
rule on a field that already has one is skipped (the required check comes before the range one).

The input is plain JSON: strings, numbers, booleans, null, lists and objects; dates are ISO
strings ("2023-05-14"). An expression is a literal, a list (each item evaluated) or an object
with one key, the operator, whose value is its argument or list of arguments (JsonLogic's
notation, jsonlogic.com; the operators are the subset below and a few of our own):

- ``var`` name (dotted, "item.sex"), missing → null; ``ref`` name: a list the caller gives
  (``refs``: the ethnic group codes, …);
- ``==`` ``!=`` (strict), ``<`` ``<=`` ``>`` ``>=`` (numbers, or strings such as ISO dates; false
  when either side is null), ``and`` ``or`` ``!`` ``if`` ``in`` (an item of a list, or a part of a
  string), ``+`` ``-`` (null when a side is null);
- ``blank`` (null, a string of spaces only, an empty list), ``len`` (characters or items; null
  → 0), ``digits`` (the ASCII digits of a string after NFKC), ``sum`` [list, key];
- dates: ``today`` (the local date), ``year``, ``days`` (day number since 1970-01-01), ``dmy``
  (dd/mm/yyyy for a message).

Truthiness is JsonLogic's: null, false, 0, "" and [] are false (an object is true).

Read alike by both readers (held by ``core/tests/rules_cases.json``):

- a rule is checked before it is read (``validate``): its keys (``field``, ``fail``, ``message``,
  optional ``code``, ``if``, ``each``, ``params``), every operator and its number of arguments,
  ``var`` and ``ref`` taking one literal name, ``today`` none (``{"today": []}``); a malformed
  rule raises ``RuleError`` (rules.js: an ``Error``) whatever the data, even in a branch the data
  would not reach;
- ``==`` compares lists and objects item by item (a boolean is not a number: ``true != 1``; in
  Python a ``str`` subclass such as a ``TextChoices`` member is the text it holds);
  strings compare by code point (rules.js does not compare UTF-16 units);
- a date is a string starting with ``YYYY-MM-DD`` (ASCII digits) naming a real day, from year 1
  ("2023-02-30", "20230514" and "2023-W20-1" are not dates); ``dmy`` pads the year to 4 digits;
- ``blank`` strips the whitespace of Python's ``str.isspace`` (rules.js lists the same; U+FEFF
  is not whitespace); ``len`` counts code points as given (the caller normalises if it stores
  NFC), so "Nguyễn" typed with combining marks is longer than its NFC form, and an emoji is one;
- a message's ``%(name)s`` takes its param as text: null → "", true/false, a whole number without
  ".0", a list's items joined by ", ", an object → ""; ``%%`` is a literal ``%`` (gettext's
  python-format); a name of ASCII letters, digits and ``_``.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from duan8.core.problems import Problem

Rule = dict[str, Any]
UNIX_DAY_ZERO = datetime.date(1970, 1, 1).toordinal()


class RuleError(ValueError):
    """A rule the evaluator cannot read: an unknown operator or a malformed argument."""


def truthy(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return len(value) > 0
    return True if isinstance(value, Mapping) else bool(value)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _comparable(a: Any, b: Any) -> bool:
    return (_number(a) and _number(b)) or (isinstance(a, str) and isinstance(b, str))


_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _date(value: Any) -> datetime.date | None:
    found = _ISO_DAY.match(value) if isinstance(value, str) else None
    if found is None:
        return None
    try:
        return datetime.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


_INDEX = re.compile(r"[0-9]+")


def _var(scope: Mapping[str, Any], name: Any) -> Any:
    value: Any = scope
    for part in str(name).split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and _INDEX.fullmatch(part) and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _len(value: Any) -> int:
    return len(value) if isinstance(value, str | list) else 0


def _digits(value: Any) -> str:
    text = unicodedata.normalize("NFKC", value) if isinstance(value, str) else ""
    return re.sub(r"[^0-9]", "", text)


def _sum(items: Any, key: Any) -> int | float:
    if not isinstance(items, list):
        return 0
    values: list[Any] = [item.get(key) for item in items if isinstance(item, Mapping)]
    return sum(value for value in values if _number(value))


def _add(a: Any, b: Any) -> Any:
    return a + b if _number(a) and _number(b) else None


def _sub(a: Any, b: Any) -> Any:
    return a - b if _number(a) and _number(b) else None


def _days(value: Any) -> int | None:
    day = _date(value)
    return None if day is None else day.toordinal() - UNIX_DAY_ZERO


def _year(value: Any) -> int | None:
    day = _date(value)
    return None if day is None else day.year


def _dmy(value: Any) -> str:
    day = _date(value)
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _compare(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda a, b: _comparable(a, b) and test(a, b)


def _equal(a: Any, b: Any) -> bool:
    if _number(a) and _number(b):
        return bool(a == b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_equal(a[key], b[key]) for key in a)
    if isinstance(a, str) and isinstance(b, str):  # a TextChoices member is its value
        return str.__eq__(a, b)
    return type(a) is type(b) and not isinstance(a, list | tuple | Mapping) and a == b


def _in(needle: Any, haystack: Any) -> bool:
    if isinstance(haystack, str):
        return isinstance(needle, str) and needle in haystack
    return isinstance(haystack, list) and any(_equal(needle, item) for item in haystack)


# Operators whose arguments are all evaluated first: name → (number of arguments, function).
_PLAIN: dict[str, tuple[int, Callable[..., Any]]] = {
    "==": (2, _equal),
    "!=": (2, lambda a, b: not _equal(a, b)),
    "<": (2, _compare(lambda a, b: a < b)),
    "<=": (2, _compare(lambda a, b: a <= b)),
    ">": (2, _compare(lambda a, b: a > b)),
    ">=": (2, _compare(lambda a, b: a >= b)),
    "!": (1, lambda a: not truthy(a)),
    "in": (2, _in),
    "+": (2, _add),
    "-": (2, _sub),
    "blank": (1, _blank),
    "len": (1, _len),
    "digits": (1, _digits),
    "sum": (2, _sum),
    "year": (1, _year),
    "days": (1, _days),
    "dmy": (1, _dmy),
}


_OWN = {"var": 1, "ref": 1, "today": 0, "if": 3}
_RULE_KEYS = {"field", "code", "if", "fail", "message", "params", "each"}


def _arguments(raw: Any) -> list[Any]:
    return raw if isinstance(raw, list) else [raw]


def validate_expression(expression: Any) -> None:
    """Raise ``RuleError`` unless every operator in ``expression`` is known and takes the number
    of arguments it is given (``and`` / ``or``: any number)."""
    if isinstance(expression, list):
        for item in expression:
            validate_expression(item)
        return
    if not isinstance(expression, dict):
        return
    if len(expression) != 1:
        raise RuleError(f"an expression has one operator: {expression!r}")
    ((operator, raw),) = expression.items()
    args = _arguments(raw)
    if operator in ("and", "or"):
        count = len(args)
    elif operator in _OWN:
        count = _OWN[operator]
    elif operator in _PLAIN:
        count = _PLAIN[operator][0]
    else:
        raise RuleError(f"unknown operator {operator!r}")
    if len(args) != count:
        raise RuleError(f"{operator} takes {count} argument(s), not {len(args)}")
    if operator in ("var", "ref") and not isinstance(args[0], str):
        raise RuleError(f"{operator} takes a name: {args[0]!r}")
    validate_expression(args)


# The rule lists already validated, by identity (the list is kept so its id is never reused):
# the apps' lists are module constants, checked on every submission (about 0.5 ms each time).
_VALIDATED: dict[int, Sequence[Rule]] = {}


def _validate_once(rules: Sequence[Rule]) -> None:
    if _VALIDATED.get(id(rules)) is not rules:
        validate(rules)
        if len(_VALIDATED) < 64:  # a few lists an app; more are checked each time
            _VALIDATED[id(rules)] = rules


def validate(rules: Sequence[Rule]) -> None:
    """Raise ``RuleError`` unless every rule can be read (its keys, their types, every
    expression in it), whatever data it would be checked against."""
    if not isinstance(rules, list | tuple):
        raise RuleError("the rules are a list")
    for rule in rules:
        if not isinstance(rule, dict):
            raise RuleError(f"a rule is an object: {rule!r}")
        if unknown := set(rule) - _RULE_KEYS:
            raise RuleError(f"unknown keys {sorted(unknown)} in {rule!r}")
        texts = {"field": True, "message": False, "code": True, "each": True}  # → not empty
        for key, filled in texts.items():
            value = rule.get(key, "-" if key in ("code", "each") else None)
            if not isinstance(value, str) or (filled and not value):
                raise RuleError(f"{key} is a text in {rule!r}")
        if "fail" not in rule:
            raise RuleError(f"a rule has a fail: {rule!r}")
        params = rule.get("params", {})
        if not isinstance(params, dict):
            raise RuleError(f"params is an object in {rule!r}")
        validate_expression([rule.get("if"), rule["fail"], *params.values()])


class Evaluator:
    """Evaluates (valid) expressions against one input (``data``), the item of an ``each`` rule,
    the lists the caller gives (``refs``) and today's date."""

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        refs: Mapping[str, Sequence[Any]] | None = None,
        today: datetime.date | None = None,
    ) -> None:
        self.scope: dict[str, Any] = dict(data)
        self.refs = refs or {}
        self.today = (today or timezone.localdate()).isoformat()

    def __call__(self, expression: Any) -> Any:
        if isinstance(expression, list):
            return [self(item) for item in expression]
        if not isinstance(expression, dict):
            return expression
        ((operator, raw),) = expression.items()
        args = _arguments(raw)
        if operator == "var":
            return _var(self.scope, args[0])
        if operator == "ref":
            found = self.refs.get(args[0])
            return list(found) if isinstance(found, list | tuple) else []
        if operator == "today":
            return self.today
        if operator == "and":
            return all(truthy(self(arg)) for arg in args)
        if operator == "or":
            return any(truthy(self(arg)) for arg in args)
        if operator == "if":
            return self(args[1]) if truthy(self(args[0])) else self(args[2])
        return _PLAIN[operator][1](*(self(arg) for arg in args))


def _number_text(value: float) -> str:
    """A float as JavaScript's String() writes it (the other reader's)."""
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text and 1e-6 <= abs(value) < 1e21:
        return format(Decimal(text), "f")
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)


def _text(value: Any) -> str:
    if value is None or isinstance(value, Mapping):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    return str(value)


_PLACEHOLDER = re.compile(r"%%|%\(([A-Za-z0-9_]+)\)s")


def _format(message: str, params: Mapping[str, Any]) -> str:
    return _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else _text(params.get(m[1])), message)


def check(
    rules: Sequence[Rule],
    data: Mapping[str, Any],
    *,
    refs: Mapping[str, Sequence[Any]] | None = None,
    today: datetime.date | None = None,
    translate: Callable[[str], str] = gettext,
) -> list[Problem]:
    """The problems the rules find in ``data``, in the order of the rules, at most one per
    field, each message translated (``translate``) then filled with its params. A list of rules
    is validated the first time it is given (the apps' lists are constants)."""
    _validate_once(rules)
    evaluate = Evaluator(data, refs=refs, today=today)
    problems: list[Problem] = []
    failed: set[str] = set()
    for rule in rules:
        each = rule.get("each")
        items = evaluate({"var": each}) if each else [None]
        for number, item in enumerate(items if isinstance(items, list) else [], start=1):
            evaluate.scope["item"] = item
            field = rule["field"].replace("{n}", str(number))
            if field in failed:
                continue
            if "if" in rule and not truthy(evaluate(rule["if"])):
                continue
            if not truthy(evaluate(rule["fail"])):
                continue
            params = {name: evaluate(expr) for name, expr in rule.get("params", {}).items()}
            message = _format(translate(rule["message"]), params)
            problems.append(Problem(field, message, rule.get("code", "invalid")))
            failed.add(field)
        evaluate.scope.pop("item", None)
    return problems


def for_client(rules: Sequence[Rule], translate: Callable[[str], str] = gettext) -> list[Rule]:
    """The rules as the offline page receives them: the same rules, messages translated."""
    validate(rules)
    return [{**rule, "message": translate(rule["message"])} for rule in rules]
