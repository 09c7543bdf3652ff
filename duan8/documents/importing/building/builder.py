"""The plan's header, bodies, legal bases, focus contents and signature from a parsed plan, and
the whole "duan8.plan/1" dict checked by the plan loader's own reader (``plan_import_build``)."""

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duan8.core.problems import WHOLE
from duan8.core.schemas import FileInvalid
from duan8.documents.importing.building.allocation import AllocationBuild
from duan8.documents.importing.building.names import ISSUERS_BY_SYMBOL, agency_name, unit_body_name
from duan8.documents.importing.building.result import PlanImport, listed, rows_flat
from duan8.documents.importing.building.targets import TargetsMatch
from duan8.documents.importing.problems import Problems, Where
from duan8.documents.importing.reader import Citation, ParsedPlan
from duan8.documents.importing.wording import key, plain
from duan8.orgunits.models import OrgUnit
from duan8.programs import plan_data
from duan8.programs.models import ProgramElement

DEFAULT_PROJECT = "1719.GD1.DA8"
# Units that issue plans: communes, and provinces and districts (their plans have no allocation
# to villages of their own, and usually no appendix of targets).
PLAN_LEVELS = (OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT, OrgUnit.Level.COMMUNE)
MAX_LEGAL_BASES = 100  # documents cited (a plan cites a handful; the check of more is slow)


def plan_import_build(
    *,
    parsed: ParsedPlan,
    issuing_unit: OrgUnit,
    filename: str,
    year: int | None = None,
    project_code: str = DEFAULT_PROJECT,
) -> PlanImport:
    builder = _Builder(parsed, issuing_unit, year, project_code)
    data = builder.build()
    return PlanImport(
        filename=filename,
        kind=parsed.kind,
        unit_id=issuing_unit.pk,
        data=data,
        problems=listed(builder.problems),
    )


class _Builder:
    def __init__(
        self, parsed: ParsedPlan, unit: OrgUnit, year: int | None, project_code: str
    ) -> None:
        self.parsed = parsed
        self.unit = unit
        self.year = year
        self.problems = Problems(parsed.problems)
        self.project = ProgramElement.objects.filter(
            code=project_code, kind=ProgramElement.Kind.PROJECT
        ).first()
        self.elements: list[ProgramElement] = (
            list(ProgramElement.objects.filter(code__startswith=f"{project_code}."))
            if self.project
            else []
        )
        self.parent_body = ""
        self.column_kept: list[bool] = []

    def build(self) -> dict[str, Any]:
        parsed = self.parsed
        if self.unit.level not in PLAN_LEVELS:
            self.problems.error(
                Where(),
                _("Plans are imported for a province, a district or a commune; %(unit)s is not.")
                % {"unit": self.unit.full_name},
            )
        project = self.project
        if project is None:
            self.problems.error(
                Where(),
                _("The program structure (%(code)s) is not loaded; run “load_program” first.")
                % {"code": DEFAULT_PROJECT},
            )
            return {}
        data: dict[str, Any] = {"format": plan_data.FORMAT, "project": project.code}
        data["source"] = _("Imported from %(kind)s") % {"kind": parsed.kind}
        self.header(data)
        data["legal_bases"] = self.legal_bases()
        data["budget_source"] = self.budget_source(data["legal_bases"])
        data["proposal"] = parsed.proposal
        data["purposes"] = parsed.purposes
        data["requirements"] = parsed.requirements
        data["specific_targets"] = parsed.specific_targets
        data["focuses"] = self.focuses()
        data["budget_text"] = "\n".join(parsed.budget_lines)
        data["responsibilities"] = [
            {"agency": agency, "body": body} for agency, body in parsed.responsibilities if body
        ]
        data["closing"] = parsed.closing
        data["recipients"] = parsed.recipients
        data["signer_authority"] = parsed.signer_authority
        data["signer_title"] = parsed.signer_title
        data["signer_name"] = parsed.signer_name
        if parsed.signer_title and not parsed.signer_authority:
            self.problems.warning(
                Where(),
                _(
                    "The signature has no authority line (“TM. ỦY BAN NHÂN DÂN”); add it to the"
                    " plan before issuing it."
                ),
                parsed.signer_title,
            )
        data["targets"] = TargetsMatch(
            problems=self.problems, project=project, elements=self.elements
        ).targets(parsed.targets)
        if parsed.allocation is not None:
            data["allocation"] = AllocationBuild(
                problems=self.problems, unit=self.unit, project=project, elements=self.elements
            ).allocation(parsed.allocation, data.get("issued_on"))
        self.check(data)
        return data

    def header(self, data: dict[str, Any]) -> None:
        parsed = self.parsed
        number, symbol, issued_on = parsed.number, parsed.symbol, parsed.issued_on
        for reference in parsed.appendix_references:
            if number is None and reference.number is not None:
                number = reference.number
                self.problems.warning(
                    parsed.number_where or reference.where,
                    _(
                        "The number is left blank in the header; %(number)s is taken from the"
                        " appendix (“Kèm theo Kế hoạch số …”)."
                    )
                    % {"number": number},
                )
            elif reference.number is not None and reference.number != number:
                self.problems.warning(
                    reference.where,
                    _("The appendix gives the number %(other)s, the header %(number)s.")
                    % {"other": reference.number, "number": number},
                )
            if issued_on is None and reference.issued_on is not None:
                issued_on = reference.issued_on
                self.problems.warning(
                    parsed.date_where or reference.where,
                    _(
                        "The date is incomplete in the header; %(date)s is taken from the"
                        " appendix (“Kèm theo Kế hoạch số … ngày …”)."
                    )
                    % {"date": issued_on.strftime("%d/%m/%Y")},
                )
            elif reference.issued_on is not None and reference.issued_on != issued_on:
                self.problems.warning(
                    reference.where,
                    _("The appendix gives the date %(other)s, the header %(date)s.")
                    % {
                        "other": reference.issued_on.strftime("%d/%m/%Y"),
                        "date": issued_on.strftime("%d/%m/%Y") if issued_on else "—",
                    },
                )
            symbol = symbol or reference.symbol
        if not symbol:
            symbol = "KH-UBND"
            self.problems.warning(
                Where(), _("No “Số: …/KH-UBND” line was found; the symbol KH-UBND is used.")
            )
        if number is None:
            self.problems.warning(
                parsed.number_where or Where(),
                _("The plan has no number yet; give it one before issuing it."),
            )
        if issued_on is None:
            self.problems.warning(
                parsed.date_where or Where(),
                _("The plan has no complete date yet; give it one before issuing it."),
            )
        data.update(
            number=number,
            symbol=symbol,
            issued_on=issued_on.isoformat() if issued_on else None,
            year=self.plan_year(issued_on),
            place=parsed.place,
            title=parsed.title,
        )
        if not parsed.title:
            self.problems.error(
                Where(), _("The summary line (trích yếu) under “KẾ HOẠCH” was not found.")
            )
        self.bodies(data)

    def plan_year(self, issued_on: datetime.date | None) -> int | None:
        found: list[tuple[int, str]] = []
        title_years = re.findall(r"năm\s+(\d{4})\b", self.parsed.title, flags=re.IGNORECASE)
        if title_years:
            found.append((int(title_years[-1]), _("the summary line")))
        found.extend(self.parsed.years)
        if issued_on is not None:
            found.append((issued_on.year, _("the date")))
        if self.year is not None:
            if found and found[0][0] != self.year:
                self.problems.warning(
                    Where(),
                    _(
                        "The document says %(found)s (%(where)s); the year %(year)s is used as"
                        " asked."
                    )
                    % {"found": found[0][0], "where": found[0][1], "year": self.year},
                )
            return self.year
        if not found:
            self.problems.error(
                Where(), _("The year of the plan was not found in the file; give it.")
            )
            return None
        return found[0][0]

    def bodies(self, data: dict[str, Any]) -> None:
        """Issuing body and the body above it: from the agency block, else from the unit."""
        agencies = [(agency_name(text), where) for text, where in self.parsed.agencies]
        issuing = agencies[-1][0] if agencies else ""
        parent = agencies[-2][0] if len(agencies) > 1 else ""
        expected = unit_body_name(self.unit)
        if not issuing:
            signed = [
                agency_name(ref.issuer) for ref in self.parsed.appendix_references if ref.issuer
            ]
            issuing = signed[0] if signed else expected
            self.problems.warning(
                Where(),
                _("The agency name is missing above the number; “%(body)s” is used.")
                % {"body": issuing},
            )
        names = [(issuing, agencies[-1][1] if agencies else Where())]
        names += [
            (agency_name(ref.issuer), ref.where)
            for ref in self.parsed.appendix_references
            if ref.issuer
        ]
        for name, where in names:
            if plain(self.unit.name) not in plain(name):
                self.problems.error(
                    where,
                    _("The plan is issued by “%(body)s”, not by %(unit)s. Choose the right unit.")
                    % {"body": name, "unit": self.unit.full_name},
                )
        if plain(issuing) == plain(expected):
            issuing = expected
        parent_unit = self.unit.parent
        if (
            not parent
            and parent_unit is not None
            and OrgUnit.Level.NATIONAL < parent_unit.level < OrgUnit.Level.COMMUNE
        ):  # a province's plan names no body above it: the country has no people's committee
            parent = unit_body_name(parent_unit)
        self.parent_body = parent
        data["issuing_body"] = issuing
        data["parent_body"] = parent

    def issuer(self, citation: Citation) -> str:
        issuer = agency_name(citation.issuer) if citation.issuer else ""
        bodies = [self.parent_body, unit_body_name(self.unit)]
        if issuer:
            bare = plain(issuer).split()[-1] in ("huyen", "xa", "tinh", "quan", "phuong")
            for body in bodies:  # "Ủy ban nhân dân huyện" → "Ủy ban nhân dân huyện Ba Tơ"
                if bare and body and plain(body).startswith(plain(issuer) + " "):
                    return body
            return issuer
        suffix = re.sub(r"\d+$", "", citation.symbol.split("-")[-1])  # QH14 → QH
        return ISSUERS_BY_SYMBOL.get(suffix, "")

    def legal_bases(self) -> list[dict[str, Any]]:
        if len(self.parsed.legal_bases) > MAX_LEGAL_BASES:
            self.problems.error(
                Where(),
                _("The plan cites more than %(limit)s documents; a plan cites far fewer.")
                % {"limit": MAX_LEGAL_BASES},
            )
            return []
        found: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for citation in self.parsed.legal_bases:
            issuer = self.issuer(citation)
            if not issuer:
                self.problems.warning(
                    citation.where,
                    _("The issuer of this document is not written; it is not imported."),
                    citation.text,
                )
                continue
            document = {
                "kind": citation.kind,
                "number": citation.number,
                "symbol": citation.symbol,
                "issued_on": citation.issued_on.isoformat(),
                "issuer": issuer,
                "title": citation.title,
            }
            if (citation.number, citation.symbol) in seen:
                self.problems.warning(
                    citation.where, _("This document is cited twice; once is kept."), citation.text
                )
                continue
            seen.add((citation.number, citation.symbol))
            found.append(document)
        return found

    def budget_source(self, bases: list[dict[str, Any]]) -> dict[str, Any] | None:
        text = " ".join(self.parsed.budget_lines)
        for number, symbol in re.findall(r"(\d[\d/]*)\s*/\s*([A-ZĐ][\wĐđ]*-[\wĐđ-]+)", text):
            for document in bases:
                if (document["number"], document["symbol"]) == (number, symbol):
                    return {k: v for k, v in document.items() if k != "title"}
        return None

    def focuses(self) -> list[dict[str, Any]]:
        contents = {
            key(e.number): e for e in self.elements if e.kind == ProgramElement.Kind.CONTENT
        }
        found = []
        for number, heading, body, where in self.parsed.focuses:
            content = contents.get(key(f"Nội dung {number}"))
            if content is None or not body:
                self.problems.warning(
                    where,
                    _("This focus content is not imported: the program has no “Nội dung %(n)s”.")
                    % {"n": number}
                    if content is None
                    else _("This focus content has no text; it is not imported."),
                    heading,
                )
                continue
            found.append({"content": content.code, "heading": heading, "body": body})
        return found

    def check(self, data: dict[str, Any]) -> None:
        """Drop the private places and run the loader's reader: what it refuses is listed."""
        for row in rows_flat((data.get("allocation") or {}).get("rows") or []):
            row.pop("_where", None)
            row.pop("_cells", None)
            if not row["children"]:
                row.pop("children")
        if self.problems.errors:
            return  # the loader would repeat them less clearly
        try:
            plan_data.plan_data_check(data=data, issuing_unit=self.unit)
        except FileInvalid as exc:
            for problem in exc.problems:  # keyed by the item of the plan, named after it
                hint = exc.hints.get(problem.field)
                item = "" if problem.field == WHOLE else problem.field
                self.problems.error(
                    Where(item=problem.field),
                    problem.message,
                    f"{item} ({hint})" if item and hint else item,
                )
        except ValidationError as exc:
            for message in exc.messages:
                self.problems.error(Where(item=WHOLE), message)
