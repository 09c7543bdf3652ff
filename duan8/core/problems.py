"""Problems with input, keyed by field: what every ``*_check`` and service raises.

A problem names the field it is about (the input's own field name, a dotted path for an item of
a list: ``participants.2.sex``), the translated message *without* the field's label (the place
where it is shown supplies the label: beside the field on a form, the column on an Excel row),
a machine code, and for a batch the row it came from. ``Invalid`` carries them; it is a
``ValidationError`` whose ``error_dict`` is keyed by field, so code that only wants the messages
(``exc.messages``) keeps working.

Three adapters show them, so no caller parses a message back into a field:

- ``on_form``: each message beside its field, the others at the top with their label;
- ``row_message``: "Dòng 7, cột “Ngày”: …" for an imported spreadsheet row;
- ``as_json``: ``{"errors": [{"field", "row", "code", "message"}]}`` for an API response.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

# The field of a problem with the record as a whole (Django's name for it).
WHOLE = NON_FIELD_ERRORS


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input."""

    field: str
    message: str
    code: str = "invalid"
    row: int | None = None

    @property
    def head(self) -> str:
        """The first part of the field's path: the form field or column it belongs to."""
        return self.field.split(".", 1)[0]


class Invalid(ValidationError):
    """One or more problems, each keyed by field (and, in a batch, by row)."""

    problems: list[Problem]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        by_field: dict[str, list[ValidationError]] = {}
        for problem in self.problems:
            by_field.setdefault(problem.field, []).append(
                ValidationError(problem.message, code=problem.code)
            )
        if not by_field:
            by_field[WHOLE] = [ValidationError(_("Invalid input."))]
        super().__init__(dict(by_field))


class Problems:
    """Collects the problems of one check; ``raise_if_any`` ends the check with all of them."""

    def __init__(self, *, row: int | None = None) -> None:
        self.row = row
        self.items: list[Problem] = []

    def add(self, field: str, message: str, code: str = "invalid") -> None:
        self.items.append(Problem(field=field, message=str(message), code=code, row=self.row))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(
            replace(p, row=self.row) if p.row is None and self.row else p for p in problems
        )

    def fields(self) -> set[str]:
        return {p.head for p in self.items}

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise Invalid(self.items)


def problems_of(
    error: ValidationError | Iterable[Problem], *, row: int | None = None
) -> list[Problem]:
    """The problems an error carries: an ``Invalid``'s own, a Django field-keyed error's by field,
    any other error's as problems of the whole record."""
    if isinstance(error, Invalid):
        found = error.problems
    elif isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            found = [
                Problem(field=field, message=message, code=_code(item))
                for field, items in error.error_dict.items()
                for item in items
                for message in item.messages
            ]
        else:
            found = [
                Problem(field=WHOLE, message=message, code=_code(item))
                for item in error.error_list
                for message in item.messages
            ]
    else:
        found = list(error)
    if row is None:
        return list(found)
    return [p if p.row is not None else replace(p, row=row) for p in found]


def _code(error: ValidationError) -> str:
    return getattr(error, "code", None) or "invalid"


def on_form(
    form: forms.BaseForm,
    error: ValidationError | Iterable[Problem],
    *,
    fields: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Put each problem beside its field on ``form``.

    ``fields`` maps a problem's field (or the head of its path) to the form's field name where
    they differ; a problem whose field the form does not show goes to the top of the form,
    prefixed with its label from ``labels`` when one is given.
    """
    fields = fields or {}
    labels = labels or {}
    for problem in problems_of(error):
        name = fields.get(problem.field) or fields.get(problem.head) or problem.head
        if name in form.fields:
            form.add_error(name, ValidationError(problem.message, code=problem.code))
            continue
        form.add_error(None, ValidationError(labelled(problem, labels), code=problem.code))


def labelled(problem: Problem, labels: Mapping[str, str]) -> str:
    """The problem's message named by its label from ``labels`` (by field, else the head of its
    path), for a place that does not show the field: the top of a form, a page's messages."""
    label = labels.get(problem.field) or labels.get(problem.head)
    return with_label(label, problem.message) if label else problem.message


def with_label(label: object, message: str) -> str:
    """The message after its label ("Label: message"), shown away from what it is about."""
    return _("%(label)s: %(message)s") % {"label": label, "message": message}


def row_message(problem: Problem, columns: Mapping[str, str]) -> str:
    """The problem as a spreadsheet user reads it: "Row 7, column “Date held”: …".

    ``columns`` maps a field (or the head of its path) to its column's header.
    """
    column = columns.get(problem.field) or columns.get(problem.head)
    if problem.row is not None and column:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": problem.row,
            "column": column,
            "message": problem.message,
        }
    if problem.row is not None:
        return _("Row %(row)s: %(message)s") % {"row": problem.row, "message": problem.message}
    if column:
        return _("Column “%(column)s”: %(message)s") % {
            "column": column,
            "message": problem.message,
        }
    return problem.message


def as_json(error: ValidationError | Iterable[Problem]) -> dict[str, list[dict[str, Any]]]:
    """The problems as an API response body (HTTP 400)."""
    return {
        "errors": [
            {"field": p.field, "row": p.row, "code": p.code, "message": p.message}
            for p in problems_of(error)
        ]
    }
