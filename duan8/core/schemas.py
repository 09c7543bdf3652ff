"""Declared schemas for the data files: one way to read them and to say what is wrong with them.

Every JSON data file shipped with the code (program structure, plans, schedules, document
templates, indicator rules, geography, the demo) is described by a pydantic model deriving from
``FileSchema``: strict types (a number written as text is refused, ``true`` is not a number),
unknown keys refused, text normalised to NFC and stripped. ``load`` validates the data against the
model; on failure it raises ``FileInvalid``, an ``Invalid`` (duan8.core.problems) with one
``Problem`` per error:

- ``field`` is the dotted location of the value, items of a list counted from 1 as a person
  editing the file counts them: ``elements.3.code`` is the code of the third element;
- ``message`` is translated from the error's type (missing → "required", unknown key, wrong type,
  a value outside the allowed ones, …); a validator's own ``ValueError`` message (already
  translated) passes through;
- ``code`` is pydantic's error type.

``FileInvalid.lines()`` gives "<file>: <location>: <message>", one line per problem, for the
management commands.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

from django.db.models import Model
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic import ValidationError as PydanticError
from pydantic_core import ErrorDetails

from duan8.core.problems import WHOLE, Invalid, Problem

M = TypeVar("M", bound=BaseModel)


class FileSchema(BaseModel):
    """The base of every data file's schema: strict, closed, immutable.

    Strict means the JSON's own types: an enum field (a file holds its value, not the enum)
    is declared ``Annotated[Kind, Field(strict=False)]``, a date field ``Day``.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def nfc(value: str) -> str:
    """Text as stored: NFC (Excel and some editors write decomposed Vietnamese), stripped."""
    return unicodedata.normalize("NFC", value).strip()


def _nonempty(value: str) -> str:
    if not value:
        raise ValueError(_("must not be empty"))
    return value


# Refuses empty text: ``Annotated[NullText, Filled]``.
Filled = AfterValidator(_nonempty)
# Text normalised to NFC and stripped; ``Name`` also refuses an empty value.
Text = Annotated[str, AfterValidator(nfc)]
Name = Annotated[str, AfterValidator(nfc), Filled]


def _date_text(value: Any) -> Any:
    if not isinstance(value, str | date):  # not a number of seconds, as lax pydantic reads it
        raise ValueError(_("must be a date written YYYY-MM-DD"))
    return value


# A date written "YYYY-MM-DD" (JSON has no date type, so this field is not strict).
Day = Annotated[date, Field(strict=False), BeforeValidator(_date_text)]
Count = Annotated[int, Field(ge=0)]


def max_chars(limit: int | None) -> AfterValidator:
    """A validator refusing text longer than ``limit`` characters (counted after NFC)."""

    def check(value: str) -> str:
        if limit is not None and len(value) > limit:
            raise ValueError(_("must have at most %(limit)s characters") % {"limit": limit})
        return value

    return AfterValidator(check)


def fits(model: type[Model], name: str) -> AfterValidator:
    """Text that fits the model's field: ``Annotated[Text, fits(Plan, "symbol")]``."""
    return max_chars(getattr(model._meta.get_field(name), "max_length", None))


def blank_as_none(value: Any) -> Any:
    """``""`` (or only spaces) read as absent, for optional fields files write as ``""``."""
    return None if isinstance(value, str) and not value.strip() else value


def none_as_blank(value: Any) -> Any:
    """``null`` read as ``""``, for text fields files write as ``null`` when empty."""
    return "" if value is None else value


def none_as_list(value: Any) -> Any:
    """``null`` read as ``[]``, for lists files write as ``null`` when empty."""
    return [] if value is None else value


OptionalText = Annotated[Text | None, BeforeValidator(blank_as_none)]
NullText = Annotated[str, BeforeValidator(none_as_blank), AfterValidator(nfc)]


class FileInvalid(Invalid):
    """The problems of one data file; ``source`` names the file.

    ``hints`` give, for a problem's field, what the item it is in is called in the file (its
    code or label), shown after the location. Its ``messages`` are its ``lines()``, so a caller
    that only joins the messages still says where each problem is.
    """

    def __init__(
        self, problems: Iterable[Problem], *, source: str, hints: dict[str, str] | None = None
    ) -> None:
        self.source = source
        self.hints = hints or {}
        super().__init__(problems)

    @property
    def messages(self) -> list[str]:
        return self.lines()

    def lines(self) -> list[str]:
        """One "<file>: <location>: <message>" line per problem."""
        return format_problems(self.problems, source=self.source, hints=self.hints)


def format_problems(
    problems: Iterable[Problem], *, source: str, hints: dict[str, str] | None = None
) -> list[str]:
    """Problems as a person fixing the file reads them: "<file>: <location>: <message>"."""
    hints = hints or {}
    lines = []
    for problem in problems:
        if problem.field == WHOLE:
            lines.append(f"{source}: {problem.message}")
            continue
        hint = hints.get(problem.field)
        where = f"{problem.field} ({hint})" if hint else problem.field
        lines.append(f"{source}: {where}: {problem.message}")
    return lines


# The keys that name an item of a list in the data files, in the order they are preferred.
NAMING_KEYS = ("code", "element", "content", "label", "name", "agency", "symbol")


def hints_for(data: Any, problems: Iterable[Problem]) -> dict[str, str]:
    """For each problem's field, the name of the innermost list item on its path in ``data``."""
    return {p.field: hint for p in problems if (hint := _hint(data, p.field))}


def _hint(data: Any, field: str) -> str:
    hint, node = "", data
    for part in field.split(".") if field != WHOLE else []:
        if isinstance(node, list) and part.isdigit() and 0 < int(part) <= len(node):
            node = node[int(part) - 1]
            if isinstance(node, dict):
                names = [node[k] for k in NAMING_KEYS if isinstance(node.get(k), str | int)]
                hint = str(names[0]) if names and str(names[0]).strip() else hint
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            break
    return hint


def error_lines(error: Exception, *, source: str) -> list[str]:
    """The lines for any error a loader raises: a ``FileInvalid``'s own, others under ``source``."""
    if isinstance(error, FileInvalid):
        return error.lines()
    if isinstance(error, Invalid):
        return format_problems(error.problems, source=source)
    messages = getattr(error, "messages", None) or [str(error)]
    return [f"{source}: {message}" for message in messages]


def load(model: type[M], data: Any, *, source: str, context: dict[str, Any] | None = None) -> M:
    """``data`` validated against ``model``; ``FileInvalid`` naming every problem otherwise.
    ``context`` reaches the validators (``info.context``): what they check against, such as
    the codes in the database."""
    try:
        return model.model_validate(data, context=context)
    except PydanticError as exc:
        problems = problems_from(exc)
        raise FileInvalid(problems, source=source, hints=hints_for(data, problems)) from exc


def read_json(path: Path) -> Any:
    """The parsed content of a JSON file; ``FileInvalid`` when it cannot be read or parsed."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        message = _("cannot be read: %(error)s") % {"error": exc}
    except json.JSONDecodeError as exc:
        message = _("not valid JSON (line %(line)s, column %(column)s): %(error)s") % {
            "line": exc.lineno,
            "column": exc.colno,
            "error": exc.msg,
        }
    raise FileInvalid([Problem(field=WHOLE, message=message, code="json")], source=path.name)


def load_file(model: type[M], path: Path) -> M:
    """The JSON file at ``path`` read and validated against ``model``."""
    return load(model, read_json(path), source=path.name)


def fail(problems: Sequence[Problem] | Problem, *, source: str, data: Any = None) -> FileInvalid:
    """A ``FileInvalid`` for problems found after the schema (against the database, across
    files): ``raise fail(Problem("elements.3.parent", _("unknown parent")), source=…)``;
    ``data``, the file's content, names the items in the lines."""
    items = [problems] if isinstance(problems, Problem) else list(problems)
    return FileInvalid(items, source=source, hints=hints_for(data, items))


def location(loc: Sequence[int | str]) -> str:
    """A pydantic location as a dotted path, list items counted from 1."""
    parts = [str(part + 1) if isinstance(part, int) else part for part in loc]
    return ".".join(parts) or WHOLE


def problems_from(error: PydanticError) -> list[Problem]:
    """One problem per pydantic error, located and translated."""
    return [
        Problem(field=location(item["loc"]), message=message_of(item), code=item["type"])
        for item in error.errors(include_url=False)
    ]


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as "“a”, “b”, “c”" (no English "or" in the message)."""
    values = [value.strip().strip("'") for value in re.split(r", | or ", expected)]
    return ", ".join(f"“{value}”" for value in values if value)


def _ctx(item: ErrorDetails, key: str) -> Any:
    return (item.get("ctx") or {}).get(key)


def _not_one_of(item: ErrorDetails) -> str:
    choices = _choices(str(_ctx(item, "expected")))
    value = item.get("input")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return _("“%(value)s” is not one of %(choices)s") % {"value": value, "choices": choices}
    return _("must be one of %(choices)s") % {"choices": choices}


def _value_error(item: ErrorDetails) -> str:
    error = _ctx(item, "error")
    return str(error) if error is not None else item["msg"]


# Error type → its message; ``item`` is pydantic's error, for the context (limits, choices).
_MESSAGES: dict[str, Callable[[ErrorDetails], str]] = {
    "missing": lambda item: _("required"),
    "extra_forbidden": lambda item: _("unknown field"),
    "string_type": lambda item: _("must be text"),
    "string_too_short": lambda item: (
        _("must not be empty")
        if _ctx(item, "min_length") == 1
        else _("must have at least %(limit)s characters") % {"limit": _ctx(item, "min_length")}
    ),
    "string_too_long": lambda item: (
        _("must have at most %(limit)s characters") % {"limit": _ctx(item, "max_length")}
    ),
    "string_pattern_mismatch": lambda item: (
        _("does not have the expected form (%(pattern)s)") % {"pattern": _ctx(item, "pattern")}
    ),
    "int_type": lambda item: _("must be a whole number"),
    "int_parsing": lambda item: _("must be a whole number"),
    "int_from_float": lambda item: _("must be a whole number"),
    "float_type": lambda item: _("must be a number"),
    "float_parsing": lambda item: _("must be a number"),
    "decimal_type": lambda item: _("must be a number"),
    "decimal_parsing": lambda item: _("must be a number"),
    "bool_type": lambda item: _("must be true or false"),
    "bool_parsing": lambda item: _("must be true or false"),
    "date_type": lambda item: _("must be a date written YYYY-MM-DD"),
    "date_parsing": lambda item: _("must be a date written YYYY-MM-DD"),
    "date_from_datetime_parsing": lambda item: _("must be a date written YYYY-MM-DD"),
    "date_from_datetime_inexact": lambda item: _("must be a date written YYYY-MM-DD"),
    "list_type": lambda item: _("must be a list"),
    "tuple_type": lambda item: _("must be a list"),
    "dict_type": lambda item: _("must be an object"),
    "model_type": lambda item: _("must be an object"),
    "model_attributes_type": lambda item: _("must be an object"),
    "none_required": lambda item: _("must be empty"),
    "literal_error": _not_one_of,
    "enum": _not_one_of,
    "greater_than": lambda item: _("must be greater than %(limit)s") % {"limit": _ctx(item, "gt")},
    "greater_than_equal": lambda item: (
        _("must be at least %(limit)s") % {"limit": _ctx(item, "ge")}
    ),
    "less_than": lambda item: _("must be less than %(limit)s") % {"limit": _ctx(item, "lt")},
    "less_than_equal": lambda item: _("must be at most %(limit)s") % {"limit": _ctx(item, "le")},
    "too_short": lambda item: (
        _("must have at least %(limit)s items") % {"limit": _ctx(item, "min_length")}
    ),
    "too_long": lambda item: (
        _("must have at most %(limit)s items") % {"limit": _ctx(item, "max_length")}
    ),
    "value_error": _value_error,
    "assertion_error": _value_error,
}


def message_of(item: ErrorDetails) -> str:
    """The translated message of one pydantic error."""
    translate = _MESSAGES.get(item["type"])
    if translate is not None:
        return translate(item)
    # A validator's own PydanticCustomError carries its message; anything else is shown with
    # pydantic's English wording rather than hidden.
    return _("invalid value (%(detail)s)") % {"detail": item["msg"]}
