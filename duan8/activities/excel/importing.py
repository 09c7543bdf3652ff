"""What every import shares: reading a cell by its column's type, problems by row and column,
the rights of each row's unit, and the check → save sequence. Imports parse, validate and
preview; the services write.

``Importer.check`` validates every row (parsing, then the services' ``*_check`` functions and
their lock checks, then the unit's right, then repeats and conflicts with recorded data) and
writes nothing. ``Importer.save`` hands the checked rows to the kind's batch service
(``*_save_many``), which checks again and writes them in one transaction with bulk writes and
one audit event for the upload. A problem is keyed by the column it is about (the services' field
names mapped by ``Importer.FIELD_COLUMNS``) and shown with ``core.problems.row_message``
("Dòng 7, cột “Ngày tổ chức”: …").
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from duan8.accounts.models import User
from duan8.activities.excel.columns import CHOICE, DATE, INT, MONEY, TEXT, YEAR, Column, Kind
from duan8.activities.excel.lists import ChoiceList, clean, lists_build
from duan8.activities.excel.scope import EDIT, Scope
from duan8.activities.excel.workbook import RawRow
from duan8.activities.services.shared import LockTable, Upload
from duan8.core.problems import WHOLE, Problem, row_message
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit

CREATE, UPDATE, SAME = "create", "update", "same"
PREVIEW_ROWS = 20
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


@dataclass
class Item:
    """One checked row: what will be written."""

    row: int
    action: str  # CREATE, UPDATE or SAME
    values: dict[str, Any]  # column key → parsed value (for the preview)
    data: Any = None  # the service input built from the row
    existing: Any = None  # the recorded row it updates
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportCheck:
    kind: Kind
    scope: Scope
    rows: int
    items: list[Item]
    errors: list[Problem]  # keyed by column (``Column.key``), on their row

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.items)

    @property
    def messages(self) -> list[str]:
        """Each problem as the user reads it: "Row 7, column “Date held”: …"."""
        headers = {c.key: str(c.header) for c in self.kind.columns}
        return [row_message(problem, headers) for problem in self.errors]

    def count(self, action: str) -> int:
        return sum(1 for item in self.items if item.action == action)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value)


class RowReader:
    """Reads one row's cells by their columns' types, collecting errors."""

    def __init__(self, importer: "Importer", raw: RawRow) -> None:
        self.importer = importer
        self.raw = raw
        self.values: dict[str, Any] = {}
        self.failed = False

    def error(self, key: str | None, message: str) -> None:
        self.importer.errors.append(Problem(key or WHOLE, message, row=self.raw.number))
        self.failed = True

    def problems(self, problems: list[Problem]) -> None:
        """Problems of a service's check, each put in its field's column."""
        for problem in problems:
            self.error(self.importer.column_of(problem), problem.message)

    def get(self, key: str) -> Any:
        column = self.importer.kind.column(key)
        raw = self.raw.values.get(key)
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        if empty:
            value = None if column.type != TEXT else ""
            if column.required:
                self.error(key, _("required"))
        else:
            value = self._parse(column, raw)
        self.values[key] = value
        return value

    def _parse(self, column: Column, raw: Any) -> Any:
        parse = {
            TEXT: self._text,
            DATE: self._date,
            INT: self._int,
            YEAR: self._year,
            MONEY: self._money,
            CHOICE: self._choice,
        }[column.type]
        return parse(column, raw)

    def _text(self, column: Column, raw: Any) -> str:
        text = _number_text(raw)
        if len(text) > column.max_length:
            self.error(
                column.key,
                _("too long (%(length)s characters; at most %(limit)s)")
                % {"length": len(text), "limit": column.max_length},
            )
        return text

    def _date(self, column: Column, raw: Any) -> datetime.date | None:
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        if isinstance(raw, int | float) and 20000 <= raw <= 80000:  # an Excel day number
            return from_excel(raw).date()
        text = clean(raw)
        match = _DATE_TEXT.match(text)
        iso = _ISO_TEXT.match(text)
        try:
            if match:
                day, month, year = (int(g) for g in match.groups())
                return datetime.date(year, month, day)
            if iso:
                year, month, day = (int(g) for g in iso.groups())
                return datetime.date(year, month, day)
        except ValueError:
            pass
        self.error(column.key, _("“%(value)s” is not a date; write dd/mm/yyyy") % {"value": text})
        return None

    def _whole(self, column: Column, raw: Any) -> int | None:
        if isinstance(raw, bool):
            raw = str(raw)
        if isinstance(raw, int):
            number = raw
        elif isinstance(raw, float) and raw.is_integer():
            number = int(raw)
        else:
            text = clean(raw).replace(" ", "")
            if re.fullmatch(r"-?\d+", text):
                number = int(text)
            else:
                self.error(
                    column.key,
                    _("“%(value)s” is not a whole number") % {"value": clean(raw)},
                )
                return None
        if number < 0:
            self.error(column.key, _("cannot be negative (%(value)s)") % {"value": number})
            return None
        return number

    def _int(self, column: Column, raw: Any) -> int | None:
        return self._whole(column, raw)

    def _year(self, column: Column, raw: Any) -> int | None:
        if isinstance(raw, datetime.date):
            return raw.year
        year = self._whole(column, raw)
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            self.error(column.key, _("%(year)s is not a possible year of birth") % {"year": year})
            return None
        return year

    def _money(self, column: Column, raw: Any) -> Decimal | None:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            text = str(raw)
        else:
            text = clean(raw).lower()
            for noise in ("vnđ", "vnd", "đồng", "đ", " ", ".", ","):
                text = text.replace(noise, "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.error(
                column.key, _("“%(value)s” is not an amount in đồng") % {"value": clean(raw)}
            )
            return None
        if amount < 0:
            self.error(column.key, _("cannot be negative (%(value)s)") % {"value": clean(raw)})
            return None
        if amount != amount.to_integral_value():
            self.error(column.key, _("write whole đồng, without decimals"))
            return None
        return amount.quantize(Decimal(1))

    def _choice(self, column: Column, raw: Any) -> Any:
        text = _number_text(raw)
        try:
            return self.importer.lists[column.choices].read(text)
        except KeyError:
            self.error(column.key, _("“%(value)s” is not in the list") % {"value": text})
            return None


class Importer:
    """One kind's check and save; subclasses give ``row`` and ``write`` (and may ``prepare``)."""

    kind: Kind
    # The column of a service's field where its key differs ("org_unit" is the "unit" column).
    FIELD_COLUMNS: dict[str, str] = {"org_unit": "unit"}

    def __init__(self, *, actor: User, scope: Scope) -> None:
        self.actor = actor
        self.scope = scope
        self.lists: dict[str, ChoiceList] = lists_build(
            scope, [c.choices for c in self.kind.columns if c.type == CHOICE]
        )
        self.errors: list[Problem] = []
        self.locks = LockTable([scope.commune], below=scope.commune)
        self.seen: dict[Any, int] = {}

    # -- to be given by each kind --
    def prepare(self) -> None:
        """Load what rows are compared with (recorded rows), in a fixed number of queries."""

    def row(self, r: RowReader) -> Item | None:
        raise NotImplementedError

    def finish(self, items: list[Item]) -> None:
        """Checks of the file as a whole, after every row."""

    def write(self, items: list[Item], upload: Upload) -> None:
        """Hand the rows to save to the kind's batch service, with the upload to audit."""
        raise NotImplementedError

    def column_of(self, problem: Problem) -> str:
        """The column of a service's problem: its field's, else the row's as a whole."""
        keys = {c.key for c in self.kind.columns}
        for name in (problem.field, problem.head):
            column = self.FIELD_COLUMNS.get(name, name)
            if column in keys:
                return column
        return WHOLE

    # -- shared checks --
    def unit_allowed(self, r: RowReader, key: str, unit: OrgUnit | None) -> bool:
        if unit is None:
            return False
        if not self.scope.covers(unit) or not can(self.actor, EDIT, unit):
            r.error(
                key,
                _("%(unit)s is outside this upload: you may record only for %(scope)s")
                % {"unit": unit.full_name, "scope": self.scope.unit.full_name},
            )
            return False
        return True

    def once(self, r: RowReader, key: str, identity: Any, what: str) -> None:
        """Refuse a row that repeats an earlier row of the file."""
        first = self.seen.setdefault(identity, r.raw.number)
        if first != r.raw.number:
            r.error(key, _("repeats row %(row)s (%(what)s)") % {"row": first, "what": what})

    # -- the sequence --
    def check(self, rows: list[RawRow]) -> ImportCheck:
        require_permission(self.actor, EDIT, self.scope.unit)
        self.prepare()
        items: list[Item] = []
        for raw in rows:
            reader = RowReader(self, raw)
            item = self.row(reader)
            if item is not None and not reader.failed:
                items.append(item)
        if not rows:
            self.errors.append(Problem(WHOLE, _("The file has no rows to save.")))
        if not self.errors:
            self.finish(items)
        self.errors.sort(key=lambda e: (e.row or 0, self._column_order(e.field)))
        return ImportCheck(self.kind, self.scope, len(rows), items, self.errors)

    def _column_order(self, key: str) -> int:
        for index, column in enumerate(self.kind.columns):
            if column.key == key:
                return index
        return -1

    def save(self, check: ImportCheck, *, file_name: str) -> dict[str, int]:
        if not check.ok:
            raise ValidationError(check.messages or _("Nothing to save."))
        upload = Upload(
            kind=self.kind.key,
            file_name=file_name,
            rows=check.rows,
            unchanged=check.count(SAME),
            org_unit=self.scope.unit,
            target=self.scope.target(self.kind.plan_bound),
        )
        with transaction.atomic():
            self.write([item for item in check.items if item.action != SAME], upload)
        return {
            "rows": check.rows,
            "created": check.count(CREATE),
            "updated": check.count(UPDATE),
            "unchanged": check.count(SAME),
        }

    # -- the preview --
    def display(self, column: Column, value: Any) -> str:
        if value is None or value == "":
            return ""
        if column.type == CHOICE:
            return self.lists[column.choices].label(value)
        if column.type == DATE:
            return value.strftime("%d/%m/%Y")
        if column.type == MONEY:
            return f"{int(value):,}".replace(",", ".")
        return str(value)

    def action_label(self, action: str) -> str:
        return {
            CREATE: _("New row"),
            UPDATE: _("Changes a recorded row"),
            SAME: _("Already recorded, unchanged"),
        }[action]

    def summary(self, check: ImportCheck, *, personal: bool) -> dict[str, Any]:
        """What the preview page shows, kept as JSON beside the file."""
        columns = [c for c in self.kind.upload_columns if personal or not c.personal]
        return {
            "kind": self.kind.key,
            "rows": check.rows,
            "created": check.count(CREATE),
            "updated": check.count(UPDATE),
            "unchanged": check.count(SAME),
            "errors": check.messages,
            "headers": [str(c.header) for c in columns],
            "preview": [
                {
                    "row": item.row,
                    "action": self.action_label(item.action),
                    "cells": [self.display(c, item.values.get(c.key)) for c in columns],
                }
                for item in check.items[:PREVIEW_ROWS]
            ],
            "note": self.note(check),
        }

    def note(self, check: ImportCheck) -> str:
        return ""
