"""What every import shares: reading a cell by its column's type, errors by row and column,
the locks and rights of each row's unit, and the check → save sequence.

``Importer.check`` validates every row (parsing, then the services' ``*_check`` functions, then
the unit's right and locks, then repeats and conflicts with recorded data) and writes nothing.
``Importer.save`` writes the checked rows in one transaction with bulk writes and records one
audit event for the upload.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from duan8.accounts.models import User
from duan8.activities.excel.kinds import CHOICE, DATE, INT, MONEY, TEXT, YEAR, Column, Kind
from duan8.activities.excel.lists import ChoiceList, clean, lists_build
from duan8.activities.excel.scope import EDIT, Scope
from duan8.activities.excel.workbook import RawRow
from duan8.activities.models import DataLock
from duan8.core import audit
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit

CREATE, UPDATE, SAME = "create", "update", "same"
BATCH = 1000  # rows per bulk write
PREVIEW_ROWS = 20
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


@dataclass
class RowError:
    row: int | None  # as in Excel; None for the file as a whole
    column: str  # the column's header, "" when the error is the row's
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


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
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.items)

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
        header = str(self.importer.kind.column(key).header) if key else ""
        self.importer.errors.append(RowError(self.raw.number, header, message))
        self.failed = True

    def service(self, messages: list[str]) -> None:
        """Messages of a ``*_check`` function ("Full name: required."), put in their column."""
        for message in messages:
            for column in self.importer.kind.columns:
                labels = {str(column.header)}
                if column.service_label is not None:
                    labels.add(str(column.service_label))
                prefix = next(
                    (f"{label}: " for label in labels if message.startswith(f"{label}: ")), None
                )
                if prefix:
                    self.error(column.key, message[len(prefix) :])
                    break
            else:
                self.error(None, message)

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


class Locks:
    """The data locks over a commune (and above it), loaded once for the whole file."""

    def __init__(self, commune: OrgUnit) -> None:
        prefixes = [commune.path[:i] for i in range(10, len(commune.path) + 1, 9)]
        self.locks = list(
            DataLock.objects.filter(
                Q(org_unit__path__in=prefixes) | Q(org_unit__path__startswith=commune.path)
            ).select_related("org_unit")
        )

    def message(self, unit: OrgUnit, day: datetime.date | None) -> str | None:
        if day is None:
            return None
        for lock in self.locks:
            if (
                unit.path.startswith(lock.org_unit.path)
                and lock.period_start <= day <= lock.period_end
            ):
                return _(
                    "The data of %(unit)s for %(start)s–%(end)s is locked (%(reason)s); "
                    "ask the approver to unlock it."
                ) % {
                    "unit": lock.org_unit.full_name,
                    "start": lock.period_start.strftime("%d/%m/%Y"),
                    "end": lock.period_end.strftime("%d/%m/%Y"),
                    "reason": lock.reason,
                }
        return None


class Importer:
    """One kind's check and save; subclasses give ``row`` and ``write`` (and may ``prepare``)."""

    kind: Kind

    def __init__(self, *, actor: User, scope: Scope) -> None:
        self.actor = actor
        self.scope = scope
        self.lists: dict[str, ChoiceList] = lists_build(
            scope, [c.choices for c in self.kind.columns if c.type == CHOICE]
        )
        self.errors: list[RowError] = []
        self.locks = Locks(scope.commune)
        self.seen: dict[Any, int] = {}

    # -- to be given by each kind --
    def prepare(self) -> None:
        """Load what rows are compared with (recorded rows), in a fixed number of queries."""

    def row(self, r: RowReader) -> Item | None:
        raise NotImplementedError

    def finish(self, items: list[Item]) -> None:
        """Checks of the file as a whole, after every row."""

    def write(self, items: list[Item]) -> None:
        raise NotImplementedError

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

    def unlocked(self, r: RowReader, key: str, unit: OrgUnit, day: datetime.date | None) -> None:
        message = self.locks.message(unit, day)
        if message:
            r.error(key, message)

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
            self.errors.append(RowError(None, "", _("The file has no rows to save.")))
        if not self.errors:
            self.finish(items)
        self.errors.sort(key=lambda e: (e.row or 0, self._column_order(e.column)))
        return ImportCheck(self.kind, self.scope, len(rows), items, self.errors)

    def _column_order(self, header: str) -> int:
        for index, column in enumerate(self.kind.columns):
            if str(column.header) == header:
                return index
        return -1

    def save(self, check: ImportCheck, *, file_name: str) -> dict[str, int]:
        if not check.ok:
            raise ValidationError([str(e) for e in check.errors] or _("Nothing to save."))
        with transaction.atomic():
            self.write([item for item in check.items if item.action != SAME])
            counts = {
                "rows": check.rows,
                "created": check.count(CREATE),
                "updated": check.count(UPDATE),
                "unchanged": check.count(SAME),
            }
            audit.record(
                actor=self.actor,
                action=f"activities.{self.kind.key}.imported",
                target=self.scope.target(self.kind.plan_bound),
                org_unit=self.scope.unit,
                after={**counts, "file": file_name[:120]},
            )
        return counts

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
            "errors": [str(e) for e in check.errors],
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


# --- writing ---------------------------------------------------------------------------------


def stamp(rows: list[Any]) -> None:
    now = timezone.now()
    for row in rows:
        row.updated_at = now


def changed(existing: Any, values: dict[str, Any]) -> bool:
    """True when a value differs from the recorded row's (relations compared by id, no query)."""
    for name, value in values.items():
        field = existing._meta.get_field(name)
        if field.is_relation:
            if getattr(existing, field.attname) != (value.pk if value is not None else None):
                return True
        elif getattr(existing, name) != value:
            return True
    return False
