"""A plan file checked against the database: its project and elements, its villages, the
documents and target cells it gives twice. The result, a ``PlanSpec``, is what ``writing`` saves.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from duan8.core.problems import Problems
from duan8.core.schemas import fail, load, nfc
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import AllocationRow, ProgramElement, Target
from duan8.programs.plan_data.schema import Document, PlanFile, Row

ROW_ELEMENTS = (ProgramElement.Kind.ACTIVITY, ProgramElement.Kind.INDICATOR)


@dataclass
class SpecRow:
    kind: str
    number: str
    label: str
    village: OrgUnit | None
    difficult_villages: int | None
    values: list[Decimal]
    children: list["SpecRow"] = field(default_factory=list)


@dataclass
class PlanSpec:
    project: ProgramElement
    year: int
    number: int | None
    symbol: str
    issued_on: datetime.date | None
    texts: dict[str, str]
    legal_bases: list[Document]
    budget_source: Document | None
    cited_documents: list[Document]
    focuses: list[tuple[ProgramElement, str]] = field(default_factory=list)
    responsibilities: list[tuple[str, str]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    columns: list[tuple[ProgramElement, str, str]] = field(default_factory=list)
    rows: list[SpecRow] = field(default_factory=list)


def plan_data_check(
    *,
    data: Any,
    issuing_unit: OrgUnit,
    villages: dict[str, OrgUnit] | None = None,
    source: str | None = None,
) -> PlanSpec:
    """The plan in ``data`` checked against its schema and the database; ``FileInvalid`` names
    every problem (the place in the file, the item, the reason) and nothing is written."""
    source = source or _("Plan")
    plan = load(PlanFile, data, source=source)
    project = ProgramElement.objects.filter(
        code=plan.project, kind=ProgramElement.Kind.PROJECT
    ).first()
    problems = Problems()
    if project is None:
        problems.add(
            "project",
            _("unknown project “%(code)s”; load the program structure first.")
            % {"code": plan.project},
            code="unknown",
        )
        raise fail(problems.items, source=source, data=data)
    spec = _Resolver(problems, project, issuing_unit, villages).spec(plan)
    if problems:
        raise fail(problems.items, source=source, data=data)
    return spec


class _Resolver:
    """Turns the codes and names of a valid file into rows of the database, noting problems."""

    def __init__(
        self,
        problems: Problems,
        project: ProgramElement,
        issuing_unit: OrgUnit,
        villages: dict[str, OrgUnit] | None,
    ) -> None:
        self.problems = problems
        self.project = project
        self.issuing_unit = issuing_unit
        self.given_villages = villages
        self.elements = {
            e.code: e for e in ProgramElement.objects.filter(code__startswith=f"{project.code}.")
        }
        self.village_names: dict[str, list[OrgUnit]] = {}
        self.used_villages: set[int] = set()

    def spec(self, plan: PlanFile) -> PlanSpec:
        spec = PlanSpec(
            project=self.project,
            year=plan.year,
            number=plan.number,
            symbol=plan.symbol,
            issued_on=plan.issued_on,
            texts=plan.texts(),
            legal_bases=self.documents(plan.legal_bases, "legal_bases"),
            budget_source=plan.budget_source,
            cited_documents=self.documents(plan.cited_documents, "cited_documents"),
        )
        for index, focus in enumerate(plan.focuses, start=1):
            content = self.element(focus.content, f"focuses.{index}.content", "content")
            if content is not None:
                spec.focuses.append((content, "\n".join(focus.body)))
        spec.responsibilities = [(r.agency, "\n".join(r.body)) for r in plan.responsibilities]
        spec.targets = self.targets(plan)
        if plan.allocation is not None:
            for index, column in enumerate(plan.allocation.columns, start=1):
                element = self.element(
                    column.element, f"allocation.columns.{index}.element", *ROW_ELEMENTS
                )
                if element is not None:
                    spec.columns.append((element, column.group, column.heading))
            self.village_names = self.village_index(plan.issued_on)
            spec.rows = self.rows(plan.allocation.rows, "allocation.rows", len(spec.columns))
        return spec

    def documents(self, documents: list[Document], key: str) -> list[Document]:
        found: list[Document] = []
        for index, document in enumerate(documents, start=1):
            if any(other.key == document.key for other in found):
                self.problems.add(
                    f"{key}.{index}",
                    _("%(number)s/%(symbol)s is listed twice.")
                    % {"number": document.number, "symbol": document.symbol},
                    code="unique",
                )
            else:
                found.append(document)
        return found

    def element(self, code: str, where: str, *kinds: str) -> ProgramElement | None:
        element = self.elements.get(code)
        if element is None:
            self.problems.add(
                where,
                _("unknown element “%(code)s” in this project.") % {"code": code},
                code="unknown",
            )
            return None
        if element.kind not in kinds:
            self.problems.add(
                where,
                _("%(code)s is of kind “%(kind)s”; expected %(kinds)s.")
                % {"code": element.code, "kind": element.kind, "kinds": ", ".join(kinds)},
                code="kind",
            )
            return None
        return element

    def targets(self, plan: PlanFile) -> list[Target]:
        found: list[Target] = []
        seen: set[tuple[str, str]] = set()
        for index, item in enumerate(plan.targets, start=1):
            element = self.element(item.element, f"targets.{index}.element", *ROW_ELEMENTS)
            for scope in Target.Scope.values:
                cell = getattr(item, scope)
                if element is None or cell is None:
                    continue
                if (element.code, scope) in seen:
                    self.problems.add(
                        f"targets.{index}.{scope}", _("this cell is given twice."), code="unique"
                    )
                    continue
                seen.add((element.code, scope))
                found.append(
                    Target(
                        element=element,
                        scope=scope,
                        kind=cell.kind.value,
                        value=cell.value if cell.kind == Target.Kind.NUMBER else None,
                        text=cell.text,
                    )
                )
        return found

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
            index.setdefault(nfc(name).casefold(), []).append(unit)
        return index

    def village(self, name: str, where: str) -> OrgUnit | None:
        unit_name = self.issuing_unit.full_name
        matches = self.village_names.get(name.casefold(), [])
        problem = ""
        if len(matches) != 1:
            problem = (
                _("more than one village is named “%(name)s” in %(unit)s.")
                if matches
                else _("unknown village “%(name)s” in %(unit)s.")
            )
        elif (
            matches[0].parent_id != self.issuing_unit.pk
            or matches[0].level != OrgUnit.Level.VILLAGE
        ):
            problem = _("“%(name)s” is not a village of %(unit)s.")
        elif matches[0].pk in self.used_villages:
            problem = _("the village “%(name)s” has two rows.")
        if problem:
            self.problems.add(where, problem % {"name": name, "unit": unit_name}, code="village")
            return None
        self.used_villages.add(matches[0].pk)
        return matches[0]

    def rows(self, rows: list[Row], key: str, columns: int) -> list[SpecRow]:
        found = []
        for index, row in enumerate(rows, start=1):
            where = f"{key}.{index}"
            if len(row.values) != columns:
                self.problems.add(
                    f"{where}.values",
                    _("“values” must list one value per column (%(count)s).") % {"count": columns},
                    code="columns",
                )
            village = None
            if row.kind == AllocationRow.Kind.VILLAGE and row.village:
                village = self.village(row.village, f"{where}.village")
            difficult = row.difficult_villages
            found.append(
                SpecRow(
                    kind=row.kind.value,
                    number=row.number,
                    label=row.label,
                    village=village,
                    difficult_villages=None if difficult is None else int(difficult),
                    values=row.values,
                    children=self.rows(row.children, f"{where}.children", columns),
                )
            )
        return found
