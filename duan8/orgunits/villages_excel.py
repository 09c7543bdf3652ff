"""A commune's villages loaded from an Excel template (issue 12, point 7).

One row per village: name, the commune's code for it (optional), thôn ĐBKK yes/no, and the date
from which it exists. The upload is all or nothing: every row is checked first, every problem is
reported by row and column (``row_message``), and only a file without any is saved.
"""

import datetime
import unicodedata
from dataclasses import dataclass
from typing import IO, Any, cast

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.worksheet.worksheet import Worksheet

from duan8.accounts.models import User
from duan8.accounts.permissions import ORGUNITS_MANAGE_VILLAGES
from duan8.core import xlsx
from duan8.core.problems import Problem, Problems, row_message
from duan8.legal.models import LegalDocument
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.orgunits.services import org_unit_attribute_set, village_create
from duan8.orgunits.villages import FUTURE_LIMIT

FIELDS = ("name", "code", "difficult", "valid_from")
YES = {"có", "co", "x", "1", "yes", "true", "đbkk"}
NO = {"", "không", "khong", "0", "no", "false"}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def columns() -> dict[str, str]:
    """The template's column headers, by field."""
    return {
        "name": _("Village name"),
        "code": _("Code (optional)"),
        "difficult": _("Especially difficult (có/không)"),
        "valid_from": _("Exists from (dd/mm/yyyy)"),
    }


def villages_template(*, commune: OrgUnit) -> bytes:
    """The empty template, with one example row the user replaces."""
    book = xlsx.workbook_new(title=_("Villages of %(unit)s") % {"unit": commune.full_name})
    sheet = cast(Worksheet, book.active)  # a new workbook has its first sheet
    sheet.title = _("Villages")
    xlsx.row_append(sheet, columns().values())
    xlsx.row_append(sheet, ["Nước Đang", "", "có", "01/01/2024"])
    for letter, width in zip("ABCD", (30, 18, 28, 26), strict=True):
        sheet.column_dimensions[letter].width = width
    return xlsx.workbook_bytes(book)


@dataclass
class VillageRow:
    row: int
    name: str
    code: str
    difficult: bool
    valid_from: datetime.date | None


def _text(value: Any) -> str:
    value = xlsx.unescape(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _date(value: Any, problems: Problems) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = _text(value)
    if not raw:
        problems.add("valid_from", _("Give the date from which the village exists."), "required")
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, pattern).date()  # noqa: DTZ007 (a plain date)
        except ValueError:
            continue
    problems.add("valid_from", _("%(value)s is not a date (dd/mm/yyyy).") % {"value": raw})
    return None


def _row(number: int, values: tuple[Any, ...], problems: Problems) -> VillageRow:
    cells = (list(values) + [None] * 4)[:4]
    name, code, difficult = _text(cells[0]), _text(cells[1]), _text(cells[2]).casefold()
    if not name:
        problems.add("name", _("Give the village a name."), "required")
    if difficult not in YES | NO:
        problems.add("difficult", _("Write “có” or “không”."))
    return VillageRow(number, name, code, difficult in YES, _date(cells[3], problems))


def _check(commune: OrgUnit, item: VillageRow, problems: Problems, seen: dict[str, set]) -> None:
    """A row against the commune, the villages it has, and the rows above it."""
    on = item.valid_from
    if on is not None:
        if on > timezone.localdate() + FUTURE_LIMIT:
            problems.add("valid_from", _("This date is too far in the future."), "future")
        if (commune.valid_from and on < commune.valid_from) or (
            commune.valid_to and on > commune.valid_to
        ):
            problems.add(
                "valid_from",
                _("%(unit)s did not exist on that date.") % {"unit": commune.full_name},
                "outside",
            )
    folded = item.name.casefold()
    if item.name and folded in seen["names"]:
        problems.add(
            "name",
            _("%(commune)s already has a village named %(name)s.")
            % {"commune": commune.full_name, "name": item.name},
            "unique",
        )
    if item.code and item.code in seen["codes"]:
        problems.add("code", _("The code %(code)s is already used.") % {"code": item.code})
    seen["names"].add(folded)
    seen["codes"].add(item.code)


def villages_rows(*, commune: OrgUnit, source: IO[bytes], name: str) -> list[VillageRow]:
    """The rows of an uploaded template, checked; ``Invalid`` with every problem by row."""
    book = xlsx.workbook_read(source, name=name)
    current = commune.children.filter(level=OrgUnit.Level.VILLAGE).filter(
        Q(valid_to__isnull=True) | Q(valid_to=commune.valid_to)
    )
    seen: dict[str, set] = {
        "names": {n.casefold() for n in current.values_list("name", flat=True)},
        "codes": set(
            OrgUnit.objects.filter(
                code_scheme=OrgUnit.CodeScheme.LOCAL, level=OrgUnit.Level.VILLAGE
            ).values_list("code", flat=True)
        ),
    }
    found: list[VillageRow] = []
    problems: list[Problem] = []
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            xlsx.row_limit_check(number, name=name)
            if not any(_text(v) for v in values):
                continue
            row_problems = Problems(row=number)
            item = _row(number, values, row_problems)
            _check(commune, item, row_problems, seen)
            problems.extend(row_problems.items)
            found.append(item)
    finally:
        book.close()
    if not found and not problems:
        problems.append(Problem("name", _("The file lists no village.")))
    collected = Problems()
    collected.extend(problems)
    collected.raise_if_any()
    return found


@transaction.atomic
def villages_import(
    *,
    commune: OrgUnit,
    source: IO[bytes],
    name: str,
    actor: User,
    decision: LegalDocument | None = None,
) -> list[OrgUnit]:
    """Create every village of the uploaded template, or none."""
    require_permission(actor, ORGUNITS_MANAGE_VILLAGES, commune)
    rows = villages_rows(commune=commune, source=source, name=name)
    created = []
    for item in rows:
        assert item.valid_from is not None
        village = village_create(
            commune=commune,
            name=item.name,
            code=item.code,
            valid_from=item.valid_from,
            actor=actor,
        )
        if item.difficult:  # from the village's first day, or from the decision's
            since = max(item.valid_from, decision.issued_on if decision else item.valid_from)
            org_unit_attribute_set(
                unit=village,
                key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
                valid_from=since,
                decision=decision,
                actor=actor,
            )
        created.append(village)
    return created


def problem_lines(problems: list[Problem]) -> list[str]:
    """The problems of an upload as the user reads them: "Row 3, column “…”: …"."""
    return [row_message(p, columns()) for p in problems]
