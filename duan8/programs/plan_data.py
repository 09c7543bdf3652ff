"""Load a whole plan from JSON: the demo data, and what the Word importer will produce.

Format ``duan8.plan/1`` — one object. Texts are normalised to NFC. "Lines" are lists of strings,
one item or paragraph each, kept as printed: a bullet keeps its leading "- ", a line without it is
a paragraph.

- ``format``: "duan8.plan/1". ``source``, ``notes``: where the data comes from and every departure
  from it; for readers, not stored.
- ``project``: code of the project element ("1719.GD1.DA8"); ``year``.
- Header: ``number`` (whole number or null), ``symbol``, ``issued_on`` ("YYYY-MM-DD" or null),
  ``place``, ``issuing_body``, ``parent_body``, ``title`` (the trích yếu).
- ``legal_bases``: documents, in the order of the căn cứ lines; ``proposal``.
- ``purposes``, ``requirements``: lines. ``specific_targets``: section II as lines (not stored:
  the model has no field for it yet).
- ``focuses``: ``[{"content": code, "heading": as printed (not stored), "body": lines}]``.
- ``budget_text``; ``budget_source``: a document.
- ``responsibilities``: ``[{"agency": ..., "body": lines}]``; ``closing``; ``recipients``: lines;
  ``signer_authority``, ``signer_title``, ``signer_name``.
- ``cited_documents``: other documents the text cites: registered, not linked to the plan.
- ``targets`` (first appendix): ``[{"element": code, "commune": cell, "village": cell}]``. A cell
  is ``{"kind": "number", "value": "01"}``, ``{"kind": "text", "text": ...}``, ``{"kind": "none"}``
  (printed "-") or ``{"kind": "suspended", "text": reason}``; a missing cell is an empty one.
- ``allocation`` (second appendix): ``{"difficult_villages_heading": as printed (not stored),
  "columns": [{"element": code, "group": "Nội dung 1", "heading": ...}], "rows": [row]}``; a row
  is ``{"kind": "total" | "agency" | "village", "number": "II", "label": ..., "village": name
  (village rows only), "difficult_villages": "03" or null, "values": [one per column, as printed],
  "children": [row]}``.
- A document is ``{"kind": LegalDocument.Kind value, "number", "symbol", "issued_on", "issuer",
  "title"}``. The register matches it on (number, symbol, issued_on, issuer) and creates it on
  first mention, so a document cited twice, or by two plans, is one row.

Everything is checked before anything is written; the errors name the item. A plan is matched on
(issuing unit, year, number, symbol): loading again replaces its contents, unless it is approved.
"""

import datetime
import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import (
    AllocationCell,
    AllocationColumn,
    AllocationRow,
    Plan,
    PlanFocus,
    PlanLegalBasis,
    PlanResponsibility,
    ProgramElement,
    Target,
)
from duan8.programs.services import parse_count

FORMAT = "duan8.plan/1"
DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo"
BA_TRANG_2023 = DEMO_DIR / "ke_hoach_87_2023_ba_trang.json"

HEADER_TEXTS = ("place", "issuing_body", "parent_body", "title", "proposal", "budget_text")
HEADER_TEXTS += ("closing", "signer_authority", "signer_title", "signer_name")
HEADER_LINES = ("purposes", "requirements", "recipients")
REQUIRED_TEXTS = ("issuing_body", "title")
PLAN_KEYS = {"format", "source", "notes", "project", "year", "number", "symbol", "issued_on"}
PLAN_KEYS |= {"legal_bases", "specific_targets", "focuses", "budget_source", "responsibilities"}
PLAN_KEYS |= {"cited_documents", "targets", "allocation", *HEADER_TEXTS, *HEADER_LINES}
DOCUMENT_KEYS = {"kind", "number", "symbol", "issued_on", "issuer", "title"}
ROW_KEYS = {"kind", "number", "label", "village", "difficult_villages", "values", "children"}
MAX_VALUE = Decimal(10) ** 12  # Target.value / AllocationCell.value: 14 digits, 2 decimals


class PlanApprovedError(ValidationError):
    """The plan to replace is approved: its contents are no longer changed by a load."""


def plan_data_read(path: Path | str) -> dict[str, Any]:
    """The JSON of a plan file, e.g. ``plan_data_read(BA_TRANG_2023)``."""
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def legal_document_register(
    *, kind: str, number: str, symbol: str, issued_on: datetime.date, issuer: str, title: str = ""
) -> LegalDocument:
    """The register's row for a document, created on its first mention (never typed twice)."""
    key = {"number": number, "symbol": symbol, "issued_on": issued_on, "issuer": issuer}
    document, created = LegalDocument.objects.get_or_create(
        **key, defaults={"kind": kind, "title": title}
    )
    if not created and title and not document.title:
        document.title = title
        document.save(update_fields=["title", "updated_at"])
    return document


@dataclass(frozen=True)
class _Document:
    kind: str
    number: str
    symbol: str
    issued_on: datetime.date
    issuer: str
    title: str

    @property
    def key(self) -> tuple[str, str, datetime.date, str]:
        return (self.number, self.symbol, self.issued_on, self.issuer)


@dataclass
class _Row:
    kind: str
    number: str
    label: str
    village: OrgUnit | None
    difficult_villages: int | None
    values: list[Decimal]
    children: list["_Row"] = field(default_factory=list)


@dataclass
class _PlanSpec:
    project: ProgramElement
    year: int
    number: int | None
    symbol: str
    issued_on: datetime.date | None
    texts: dict[str, str]
    legal_bases: list[_Document]
    budget_source: _Document | None
    cited_documents: list[_Document]
    focuses: list[tuple[ProgramElement, str]]
    responsibilities: list[tuple[str, str]]
    targets: list[Target]
    columns: list[tuple[ProgramElement, str, str]]
    rows: list[_Row]


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _keys(keys: set[str]) -> str:
    return ", ".join(sorted(keys))


class _Reader:
    """Reads the JSON into a ``_PlanSpec``, collecting every error instead of stopping at one."""

    def __init__(self, *, issuing_unit: OrgUnit, villages: dict[str, OrgUnit] | None) -> None:
        self.issuing_unit = issuing_unit
        self.given_villages = villages
        self.errors: list[str] = []
        self.elements: dict[str, ProgramElement] = {}
        self.used_villages: set[int] = set()

    def error(self, where: str, problem: str) -> None:
        self.errors.append(_("%(item)s: %(problem)s") % {"item": where, "problem": problem})

    # -- shapes and values -------------------------------------------------------------------

    def obj(self, raw: Any, where: str, allowed: set[str]) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.error(where, _("expected an object."))
            return None
        if set(raw) - allowed:
            self.error(where, _("unknown keys %(keys)s.") % {"keys": _keys(set(raw) - allowed)})
        return raw

    def objects(self, raw: Any, key: str, allowed: set[str]) -> list[tuple[str, dict[str, Any]]]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.error(key, _("expected a list."))
            return []
        found = []
        for index, item in enumerate(raw, start=1):
            checked = self.obj(item, f"{key}[{index}]", allowed)
            if checked is not None:
                found.append((f"{key}[{index}]", checked))
        return found

    def text(
        self,
        obj: dict[str, Any],
        key: str,
        where: str,
        *,
        required: bool = False,
        model: type[models.Model] | None = None,
    ) -> str:
        raw = obj.get(key)
        if raw is not None and not isinstance(raw, str):
            self.error(where, _("“%(field)s” must be text.") % {"field": key})
            return ""
        value = _nfc(raw or "")
        max_length = model._meta.get_field(key).max_length if model else None  # type: ignore[union-attr]
        if required and not value:
            self.error(where, _("“%(field)s” is missing.") % {"field": key})
        elif max_length is not None and len(value) > max_length:
            self.error(
                where,
                _("“%(field)s” is longer than %(max)s characters.")
                % {"field": key, "max": max_length},
            )
        return value

    def lines(self, obj: dict[str, Any], key: str, where: str, *, required: bool = False) -> str:
        raw = obj.get(key) or []
        if not isinstance(raw, list) or not all(isinstance(line, str) for line in raw):
            self.error(where, _("“%(field)s” must be a list of lines.") % {"field": key})
            return ""
        lines = [_nfc(line) for line in raw]
        if any("\n" in line or not line for line in lines):
            self.error(
                where, _("“%(field)s”: a line is empty or holds a line break.") % {"field": key}
            )
        if required and not lines:
            self.error(where, _("“%(field)s” is missing.") % {"field": key})
        return "\n".join(lines)

    def day(self, obj: dict[str, Any], key: str, where: str, *, required: bool) -> Any:
        raw = obj.get(key)
        if raw is None and not required:
            return None
        try:
            return datetime.date.fromisoformat(raw)
        except (TypeError, ValueError):
            self.error(
                where,
                _("“%(field)s” must be a date written YYYY-MM-DD, not “%(value)s”.")
                % {"field": key, "value": raw},
            )
            return None

    def whole(self, obj: dict[str, Any], key: str, where: str, *, required: bool) -> int | None:
        raw = obj.get(key)
        if raw is None and not required:
            return None
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
            return raw
        self.error(
            where,
            _("“%(field)s” must be a whole number, not “%(value)s”.")
            % {"field": key, "value": raw},
        )
        return None

    def count(self, raw: Any, where: str) -> Decimal:
        """A printed count ("01", "0", 3): a non-negative number with at most two decimals."""
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.error(where, _("“%(value)s” is not a number.") % {"value": raw})
            return Decimal(0)
        try:
            value = parse_count(str(raw), field=where)
        except ValidationError as exc:
            self.errors.extend(exc.messages)
            return Decimal(0)
        if value >= MAX_VALUE or value != value.quantize(Decimal("0.01")):
            self.error(where, _("“%(value)s” is too large or too precise.") % {"value": raw})
            return Decimal(0)
        return value

    # -- references --------------------------------------------------------------------------

    def document(self, raw: Any, where: str) -> _Document | None:
        errors_before = len(self.errors)
        item = self.obj(raw, where, DOCUMENT_KEYS)
        if item is None:
            return None
        kind = self.text(item, "kind", where, required=True)
        if kind and kind not in LegalDocument.Kind.values:
            self.error(
                where,
                _("unknown document kind “%(kind)s” (expected one of %(kinds)s).")
                % {"kind": kind, "kinds": ", ".join(LegalDocument.Kind.values)},
            )
        document = _Document(
            kind=kind,
            number=self.text(item, "number", where, required=True, model=LegalDocument),
            symbol=self.text(item, "symbol", where, required=True, model=LegalDocument),
            issued_on=self.day(item, "issued_on", where, required=True),
            issuer=self.text(item, "issuer", where, required=True, model=LegalDocument),
            title=self.text(item, "title", where),
        )
        return document if len(self.errors) == errors_before else None

    def documents(self, raw: Any, key: str) -> list[_Document]:
        if raw is not None and not isinstance(raw, list):
            self.error(key, _("expected a list."))
            return []
        found: list[_Document] = []
        for index, item in enumerate(raw or [], start=1):
            document = self.document(item, f"{key}[{index}]")
            if document is not None and any(other.key == document.key for other in found):
                self.error(
                    f"{key}[{index}]",
                    _("%(number)s/%(symbol)s is listed twice.")
                    % {"number": document.number, "symbol": document.symbol},
                )
            elif document is not None:
                found.append(document)
        return found

    def element(self, code: Any, where: str, *kinds: str) -> ProgramElement | None:
        element = self.elements.get(_nfc(code)) if isinstance(code, str) else None
        if element is None:
            self.error(where, _("unknown element “%(code)s” in this project.") % {"code": code})
        elif element.kind not in kinds:
            self.error(
                where,
                _("%(code)s is of kind “%(kind)s”; expected %(kinds)s.")
                % {"code": element.code, "kind": element.kind, "kinds": ", ".join(kinds)},
            )
            return None
        return element

    def village_index(self, on: datetime.date | None) -> dict[str, list[OrgUnit]]:
        if self.given_villages is not None:
            units = list(self.given_villages.items())
        else:
            candidates = OrgUnit.objects.filter(
                parent=self.issuing_unit, level=OrgUnit.Level.VILLAGE
            )
            units = [(v.name, v) for v in candidates if on is None or v.is_valid_on(on)]
        index: dict[str, list[OrgUnit]] = {}
        for name, unit in units:
            index.setdefault(_nfc(name).casefold(), []).append(unit)
        return index

    def village(self, name: Any, where: str, index: dict[str, list[OrgUnit]]) -> OrgUnit | None:
        unit_name = self.issuing_unit.full_name
        matches = index.get(_nfc(name).casefold(), []) if isinstance(name, str) else []
        if len(matches) != 1:
            problem = (
                _("more than one village is named “%(name)s” in %(unit)s.")
                if matches
                else _("unknown village “%(name)s” in %(unit)s.")
            )
            self.error(where, problem % {"name": name, "unit": unit_name})
            return None
        village = matches[0]
        if village.parent_id != self.issuing_unit.pk or village.level != OrgUnit.Level.VILLAGE:
            self.error(
                where,
                _("“%(name)s” is not a village of %(unit)s.") % {"name": name, "unit": unit_name},
            )
            return None
        if village.pk in self.used_villages:
            self.error(where, _("the village “%(name)s” has two rows.") % {"name": name})
            return None
        self.used_villages.add(village.pk)
        return village

    # -- the plan ----------------------------------------------------------------------------

    def read(self, data: Any) -> _PlanSpec:
        where = _("Plan")
        if self.obj(data, where, PLAN_KEYS) is None:
            raise ValidationError(self.errors)
        if data.get("format") != FORMAT:
            self.error(
                where,
                _("unknown format “%(format)s”; expected “%(expected)s”.")
                % {"format": data.get("format"), "expected": FORMAT},
            )
        code = self.text(data, "project", where, required=True)
        project = ProgramElement.objects.filter(code=code, kind=ProgramElement.Kind.PROJECT).first()
        if project is None:
            self.error(
                where,
                _("unknown project “%(code)s”; load the program structure first.") % {"code": code},
            )
            raise ValidationError(self.errors)
        self.elements = {
            e.code: e for e in ProgramElement.objects.filter(code__startswith=f"{project.code}.")
        }
        texts = {
            name: self.text(data, name, where, required=name in REQUIRED_TEXTS, model=Plan)
            for name in HEADER_TEXTS
        }
        texts.update({name: self.lines(data, name, where) for name in HEADER_LINES})
        self.lines(data, "specific_targets", where)
        issued_on = self.day(data, "issued_on", where, required=False)
        spec = _PlanSpec(
            project=project,
            year=self.whole(data, "year", where, required=True) or 0,
            number=self.whole(data, "number", where, required=False),
            symbol=self.text(data, "symbol", where, required=True, model=Plan),
            issued_on=issued_on,
            texts=texts,
            legal_bases=self.documents(data.get("legal_bases"), "legal_bases"),
            budget_source=(
                self.document(data["budget_source"], "budget_source")
                if data.get("budget_source") is not None
                else None
            ),
            cited_documents=self.documents(data.get("cited_documents"), "cited_documents"),
            focuses=[],
            responsibilities=[],
            targets=self.targets(data.get("targets")),
            columns=[],
            rows=[],
        )
        for item_where, item in self.objects(
            data.get("focuses"), "focuses", {"content", "heading", "body"}
        ):
            content = self.element(item.get("content"), item_where, ProgramElement.Kind.CONTENT)
            self.text(item, "heading", item_where)
            body = self.lines(item, "body", item_where, required=True)
            if content is not None:
                spec.focuses.append((content, body))
        for item_where, item in self.objects(
            data.get("responsibilities"), "responsibilities", {"agency", "body"}
        ):
            agency = self.text(item, "agency", item_where, required=True, model=PlanResponsibility)
            spec.responsibilities.append(
                (agency, self.lines(item, "body", item_where, required=True))
            )
        self.allocation(data.get("allocation"), spec)
        if self.errors:
            raise ValidationError(self.errors)
        return spec

    def targets(self, raw: Any) -> list[Target]:
        found: list[Target] = []
        seen: set[tuple[str, str]] = set()
        kinds = (ProgramElement.Kind.ACTIVITY, ProgramElement.Kind.INDICATOR)
        for where, item in self.objects(raw, "targets", {"element", *Target.Scope.values}):
            element = self.element(item.get("element"), where, *kinds)
            for scope in Target.Scope.values:
                if element is None or item.get(scope) is None:
                    continue
                label = f"{where} {element.code} ({Target.Scope(scope).label})"
                if (element.code, scope) in seen:
                    self.error(label, _("this cell is given twice."))
                    continue
                seen.add((element.code, scope))
                target = self.target(item[scope], label)
                if target is not None:
                    target.element, target.scope = element, scope
                    found.append(target)
        return found

    def target(self, raw: Any, where: str) -> Target | None:
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if kind not in Target.Kind.values:
            self.error(
                where,
                _("unknown target kind “%(kind)s” (expected one of %(kinds)s).")
                % {"kind": kind, "kinds": ", ".join(Target.Kind.values)},
            )
            return None
        extra = {Target.Kind.NUMBER: {"value"}, Target.Kind.NONE: set()}.get(kind, {"text"})
        cell = self.obj(raw, where, {"kind", *extra})
        if cell is None:
            return None
        target = Target(kind=kind)
        if kind == Target.Kind.NUMBER:
            if cell.get("value") in (None, ""):
                self.error(where, _("a number is required."))
                return None
            target.value = self.count(cell["value"], where)
        elif kind != Target.Kind.NONE:
            target.text = self.text(cell, "text", where, required=True)
        return target

    def allocation(self, raw: Any, spec: _PlanSpec) -> None:
        if raw is None:
            return
        table = self.obj(raw, "allocation", {"difficult_villages_heading", "columns", "rows"})
        if table is None:
            return
        self.text(table, "difficult_villages_heading", "allocation")
        kinds = (ProgramElement.Kind.ACTIVITY, ProgramElement.Kind.INDICATOR)
        for where, item in self.objects(
            table.get("columns"), "allocation.columns", {"element", "group", "heading"}
        ):
            element = self.element(item.get("element"), where, *kinds)
            group = self.text(item, "group", where, model=AllocationColumn)
            heading = self.text(item, "heading", where, required=True)
            if element is not None:
                spec.columns.append((element, group, heading))
        index = self.village_index(spec.issued_on)
        spec.rows = self.rows(table.get("rows"), "allocation.rows", len(spec.columns), index)

    def rows(self, raw: Any, key: str, columns: int, index: dict[str, list[OrgUnit]]) -> list[_Row]:
        found = []
        for item_where, item in self.objects(raw, key, ROW_KEYS):
            label = self.text(item, "label", item_where, required=True, model=AllocationRow)
            where = _("Allocation row “%(row)s”") % {"row": label or item_where}
            kind = item.get("kind")
            if kind not in AllocationRow.Kind.values:
                self.error(
                    where,
                    _("unknown row kind “%(kind)s” (expected one of %(kinds)s).")
                    % {"kind": kind, "kinds": ", ".join(AllocationRow.Kind.values)},
                )
            village = None
            if kind == AllocationRow.Kind.VILLAGE:
                village = self.village(item.get("village"), where, index)
            elif item.get("village") is not None:
                self.error(where, _("only a village row names a village."))
            difficult = None
            if item.get("difficult_villages") not in (None, ""):
                column = _("Number of especially difficult villages")
                number = self.count(item["difficult_villages"], f"{where}, {column}")
                if number != number.to_integral_value():
                    self.error(where, _("the number of villages must be a whole number."))
                difficult = int(number)
            values = item.get("values")
            if not isinstance(values, list) or len(values) != columns:
                self.error(
                    where,
                    _("“values” must list one value per column (%(count)s).") % {"count": columns},
                )
                values = []
            found.append(
                _Row(
                    kind=kind if isinstance(kind, str) else "",
                    number=self.text(item, "number", where, model=AllocationRow),
                    label=label,
                    village=village,
                    difficult_villages=difficult,
                    values=[
                        self.count(value, f"{where}, {_('column')} {position}")
                        for position, value in enumerate(values, start=1)
                    ],
                    children=self.rows(
                        item.get("children"), f"{item_where}.children", columns, index
                    ),
                )
            )
        return found


@transaction.atomic
def plan_load(
    *, data: dict[str, Any], issuing_unit: OrgUnit, villages: dict[str, OrgUnit] | None = None
) -> Plan:
    """Create or replace a plan with everything in it; nothing is written if any item is wrong.

    ``villages`` maps the names used in the allocation table to units; by default the villages
    of ``issuing_unit`` valid on the date of issue, by name. This is a loader (demo data, import):
    it checks data, not rights; a caller acting for a user checks ``plans.edit`` first.
    """
    spec = _Reader(issuing_unit=issuing_unit, villages=villages).read(data)

    plan = Plan.objects.filter(
        issuing_unit=issuing_unit, year=spec.year, number=spec.number, symbol=spec.symbol
    ).first()
    if plan is not None:
        if not plan.is_editable:
            raise PlanApprovedError(
                _("Plan %(reference)s of %(year)s is approved; it cannot be replaced.")
                % {"reference": plan.reference, "year": plan.year}
            )
        _plan_contents_delete(plan)
    else:
        plan = Plan(issuing_unit=issuing_unit, year=spec.year, number=spec.number)
    plan.symbol = spec.symbol
    plan.project = spec.project
    plan.issued_on = spec.issued_on
    for name, value in spec.texts.items():
        setattr(plan, name, value)

    register: dict[tuple[str, str, datetime.date, str], LegalDocument] = {}

    def registered(document: _Document) -> LegalDocument:
        if document.key not in register:
            register[document.key] = legal_document_register(
                kind=document.kind,
                number=document.number,
                symbol=document.symbol,
                issued_on=document.issued_on,
                issuer=document.issuer,
                title=document.title,
            )
        return register[document.key]

    bases = [registered(document) for document in spec.legal_bases]
    for document in spec.cited_documents:
        registered(document)
    plan.budget_source = registered(spec.budget_source) if spec.budget_source else None
    plan.full_clean()
    plan.save()

    PlanLegalBasis.objects.bulk_create(
        PlanLegalBasis(plan=plan, document=document, order=order)
        for order, document in enumerate(bases, start=1)
    )
    PlanFocus.objects.bulk_create(
        PlanFocus(plan=plan, content=content, body=body, order=order)
        for order, (content, body) in enumerate(spec.focuses, start=1)
    )
    PlanResponsibility.objects.bulk_create(
        PlanResponsibility(plan=plan, agency=agency, body=body, order=order)
        for order, (agency, body) in enumerate(spec.responsibilities, start=1)
    )
    for target in spec.targets:
        target.plan = plan
    Target.objects.bulk_create(spec.targets)

    columns = AllocationColumn.objects.bulk_create(
        AllocationColumn(plan=plan, element=element, group=group, heading=heading, order=order)
        for order, (element, group, heading) in enumerate(spec.columns, start=1)
    )
    cells: list[AllocationCell] = []
    order = 0

    def rows_create(rows: list[_Row], parent: AllocationRow | None) -> None:
        nonlocal order
        for row in rows:
            order += 1
            saved = AllocationRow.objects.create(
                plan=plan,
                parent=parent,
                kind=row.kind,
                number=row.number,
                label=row.label,
                village=row.village,
                difficult_villages=row.difficult_villages,
                order=order,
            )
            cells.extend(
                AllocationCell(row=saved, column=column, value=value)
                for column, value in zip(columns, row.values, strict=True)
            )
            rows_create(row.children, saved)

    rows_create(spec.rows, None)
    AllocationCell.objects.bulk_create(cells)
    return plan


def _plan_contents_delete(plan: Plan) -> None:
    """Everything a load replaces; the plan row itself (id, status, links to it) stays."""
    AllocationCell.objects.filter(row__plan=plan).delete()
    AllocationRow.objects.filter(plan=plan).delete()
    AllocationColumn.objects.filter(plan=plan).delete()
    Target.objects.filter(plan=plan).delete()
    PlanLegalBasis.objects.filter(plan=plan).delete()
    PlanFocus.objects.filter(plan=plan).delete()
    PlanResponsibility.objects.filter(plan=plan).delete()
