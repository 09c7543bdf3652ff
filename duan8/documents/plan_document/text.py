"""The Kế hoạch of a plan as text (``plan_text``): what the document prints, before any formatting.

``plan_text`` lays the plan out as the document will print it, every paragraph with where it sits,
so the checks (``documents.checks``) read exactly what is printed. Section II (the specific
targets) is written from the plan's targets and allocation table, the same rows the appendices
print, so body and tables cannot disagree. The appendix cells are those of the plan page
(``programs.views.appendix_rows`` and ``allocation_rows``).

Wording, headings, agency-name rules, default recipients and signature lines come from the document
template ``plan.commune`` (data); the layout measures too.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from duan8.documents.docx_builder import Layout, TableCell
from duan8.documents.models import DocumentTemplate
from duan8.documents.selectors import document_template_get
from duan8.documents.vietnamese import (
    CITED_KINDS,
    date_numeric,
    place_date_line,
    reference,
    strip_end,
    upper,
)
from duan8.programs.models import AllocationRow, Plan, ProgramElement, Target, format_count
from duan8.programs.selectors import allocation_table, plan_appendix

TEMPLATE_KEY = "plan.commune"


class TemplateTextError(ValidationError):
    """A template text names a field the document does not have."""


def fill(template: DocumentTemplate, key: str, **values: Any) -> str:
    """The template's text ``key`` with its {fields} filled in."""
    text = (template.texts or {}).get(key)
    if not isinstance(text, str):
        raise TemplateTextError(
            _("The document template “%(template)s” has no text “%(key)s”.")
            % {"template": template.key, "key": key}
        )
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise TemplateTextError(
            _(
                "The text “%(key)s” of the document template “%(template)s” is malformed or uses an"
                " unknown field: %(error)s."
            )
            % {"key": key, "template": template.key, "error": exc}
        ) from exc


@dataclass
class Para:
    """A printed paragraph and where it sits: the section it belongs to and its line there."""

    text: str
    section: str
    line: int
    heading: bool = False
    key: str = ""  # where it is, as the checks key their problems: "summary", "body.12", ...


@dataclass
class AppendixText:
    label: str
    title: str
    attached_line: str
    widths_mm: list[float]
    header: list[list[TableCell]]
    body: list[list[TableCell]]
    landscape: bool = False


@dataclass
class PlanText:
    """The whole document as printed, before any Word formatting."""

    layout: Layout
    national_name: str
    motto: str
    parent_line: str
    agency_lines: list[str]
    number: int | None
    symbol: str
    issued_on: Any
    number_line: str
    place_date_line: str
    document_type_name: str
    summary: str
    legal_bases: list[Para] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)
    recipients_heading: str = ""
    recipients: list[str] = field(default_factory=list)
    recipients_from_template: bool = False
    signature_lines: list[str] = field(default_factory=list)
    signature_from_template: bool = False
    signer_name: str = ""
    issuing_body: str = ""
    appendices: list[AppendixText] = field(default_factory=list)
    core_title: str = ""

    def paragraphs(self) -> list[Para]:
        """Every paragraph of running text (summary, căn cứ, sections, closing), in order."""
        summary = Para(self.summary, _("Summary (trích yếu)"), 1, key="summary")
        return [summary, *self.legal_bases, *self.body]


def agency_lines(template: DocumentTemplate, issuing_body: str) -> list[str]:
    """ "Ủy ban nhân dân xã Ba Trang" → ["ỦY BAN NHÂN DÂN", "XÃ BA TRANG"] (template rules)."""
    for rule in (template.agency or {}).get("names", []):
        match = re.match(rule["pattern"], issuing_body, flags=re.IGNORECASE)
        if match:
            return [upper(line.format(**match.groupdict())) for line in rule["lines"]]
    return [upper(issuing_body)]


def signature_lines(template: DocumentTemplate, plan: Plan) -> tuple[list[str], bool]:
    """The authority and title lines; the template's default when the plan gives neither."""
    given = [
        line.strip()
        for text in (plan.signer_authority, plan.signer_title)
        for line in text.splitlines()
        if line.strip()
    ]
    if given:
        return given, False
    return list((template.signature or {}).get("default", [])), True


def _targets_section(template: DocumentTemplate, plan: Plan, lines: list, table: Any) -> list[str]:
    """Section II, written from the targets (first appendix) and the year's allocation totals."""
    scopes = {
        Target.Scope.COMMUNE: fill(template, "target_scope_commune"),
        Target.Scope.VILLAGE: fill(template, "target_scope_village"),
    }
    items: list[str] = []
    for line in lines:
        values = []
        for scope, target in (
            (Target.Scope.COMMUNE, line.commune),
            (Target.Scope.VILLAGE, line.village),
        ):
            if target is None or target.kind != Target.Kind.NUMBER:
                continue
            unit = f" {line.element.unit}" if line.element.unit else ""
            values.append(
                fill(
                    template,
                    "target_value",
                    scope=scopes[scope],
                    value=format_count(target.value),
                    unit=unit,
                )
            )
        if values:
            items.append(
                fill(
                    template,
                    "target_item",
                    n=len(items) + 1,
                    title=strip_end(line.element.title),
                    values="; ".join(values),
                )
            )
    totals = [row for row in table.rows if row.kind == AllocationRow.Kind.TOTAL]
    for row in totals:
        values = [
            f"{strip_end(column.heading)}: {format_count(value)}"
            for column, value in table.row_cells(row)
            if value
        ]
        if values:
            items.append(
                fill(
                    template,
                    "allocation_item",
                    n=len(items) + 1,
                    year=plan.year,
                    values="; ".join(values),
                )
            )
    if not items:
        return [fill(template, "targets_none")]
    if items[-1].endswith(";"):
        items[-1] = items[-1][:-1] + "."
    return [*items, fill(template, "targets_footer")]


def _appendix_activities(
    template: DocumentTemplate, plan: Plan, layout: Layout, lines: list
) -> list[list[TableCell]]:
    from duan8.programs.views import appendix_rows  # the plan page's own cells

    body: list[list[TableCell]] = []
    for row in appendix_rows(lines):
        element = row.line.element
        if element.kind == ProgramElement.Kind.CONTENT and not row.has_targets:
            body.append([TableCell(row.heading, colspan=4, bold=True)])
            continue
        strong = element.kind in (ProgramElement.Kind.CONTENT, ProgramElement.Kind.ACTIVITY)
        cells = [
            TableCell(element.number, align="center", bold=strong),
            TableCell(element.title, bold=strong),
        ]
        if row.spanning_note:
            cells.append(TableCell(row.spanning_note, colspan=2, align="center", italic=True))
        else:
            for target in (row.line.commune, row.line.village):
                cells.append(TableCell(target.display if target else "", align="center"))
        body.append(cells)
    return body


def _appendix_allocation(table: Any) -> list[list[TableCell]]:
    from duan8.programs.views import allocation_rows  # the plan page's own cells

    body = []
    for view in allocation_rows(table):
        strong = view.row.kind != AllocationRow.Kind.VILLAGE
        body.append(
            [
                TableCell(view.row.number, align="center", bold=strong),
                TableCell(view.row.label, bold=strong),
                TableCell(view.difficult_villages, align="center", bold=strong),
                *(TableCell(cell.display, align="center", bold=strong) for cell in view.cells),
            ]
        )
    return body


def _widths(layout: Layout, key: str, default: list[float]) -> list[float]:
    return list(layout.tables.get(key, default))


def plan_text(plan: Plan, *, template: DocumentTemplate | None = None) -> PlanText:
    """The plan laid out as the Kế hoạch prints it."""
    template = template or document_template_get(key=TEMPLATE_KEY)
    layout = Layout.from_data(template.layout)
    pad = layout.number_pad_below
    ref = reference(plan.number, plan.symbol, pad_below=pad)
    agency = template.agency or {}
    lines = plan_appendix(plan=plan)
    table = allocation_table(plan=plan)
    recipients = plan.lines("recipients")
    text = PlanText(
        layout=layout,
        national_name=fill(template, "national_name"),
        motto=fill(template, "motto"),
        parent_line=upper(plan.parent_body)
        if agency.get("parent_line") and plan.parent_body
        else "",
        agency_lines=agency_lines(template, plan.issuing_body),
        number=plan.number,
        symbol=plan.symbol,
        issued_on=plan.issued_on,
        number_line=fill(template, "number_line", reference=ref),
        place_date_line=place_date_line(plan.place, plan.issued_on, year=plan.year),
        document_type_name=fill(template, "document_type_name"),
        summary=plan.title,
        issuing_body=plan.issuing_body,
        recipients_heading=fill(template, "recipients_heading"),
        recipients=recipients or template.recipient_lines(),
        recipients_from_template=not recipients,
        signer_name=plan.signer_name,
        core_title=f"{fill(template, 'document_type_name')} {ref}",
    )
    text.signature_lines, text.signature_from_template = signature_lines(template, plan)

    bases = list(plan.legal_bases.select_related("document"))
    for index, basis in enumerate(bases, start=1):
        document = basis.document
        last = index == len(bases) and not plan.proposal
        sentence = fill(
            template,
            "legal_basis",
            kind=CITED_KINDS.get(document.kind, CITED_KINDS["khac"]),
            reference=document.reference,
            date=date_numeric(document.issued_on),
            issuer=document.issuer,
            title=f" {document.title}" if document.title else "",
        )
        text.legal_bases.append(
            Para(
                f"{strip_end(sentence)}{'.' if last else ';'}",
                _("Legal bases"),
                index,
                key=f"legal_bases.{index}",
            )
        )

    body = text.body

    def add(paragraph: str, section: str, line: int, *, heading: bool = False) -> None:
        body.append(Para(paragraph, section, line, heading=heading, key=f"body.{len(body) + 1}"))

    def section(heading_key: str, paragraphs: list[str], **values: Any) -> None:
        heading = fill(template, heading_key, **values)
        add(heading, heading, 0, heading=True)
        for n, paragraph in enumerate(paragraphs, start=1):
            add(paragraph, heading, n)

    if plan.proposal:
        add(plan.proposal, _("Legal bases"), len(bases) + 1)
    section("section_purposes_requirements", [])
    section("section_purposes", plan.lines("purposes"))
    section("section_requirements", plan.lines("requirements"))
    section("section_specific_targets", _targets_section(template, plan, lines, table))
    section("section_focuses", [], year=plan.year)
    for n, focus in enumerate(plan.focuses.select_related("content"), start=1):
        section(
            "focus_heading",
            focus.body.splitlines(),
            n=n,
            number=focus.content.number,
            title=strip_end(focus.content.title),
        )
    section("section_budget", [plan.budget_text] if plan.budget_text else [])
    section("section_organisation", [])
    for n, item in enumerate(plan.responsibilities.all(), start=1):
        section("responsibility_heading", item.body.splitlines(), n=n, agency=item.agency)
    if plan.closing:
        add(plan.closing, _("Closing paragraph"), 1)

    attached = fill(
        template,
        "attached_line",
        reference=ref,
        date=date_numeric(plan.issued_on),
        date_long=place_date_line("", plan.issued_on, year=plan.year),
        issuer=plan.issuing_body,
        year=plan.year,
    )
    if lines:
        text.appendices.append(
            AppendixText(
                label=fill(template, "appendix_1_label"),
                title=fill(template, "appendix_1_title", year=plan.year),
                attached_line=attached,
                widths_mm=_widths(layout, "appendix_1_widths_mm", [22, 83, 30, 30]),
                header=[
                    [
                        TableCell(
                            fill(template, "appendix_1_number"),
                            rowspan=2,
                            bold=True,
                            align="center",
                        ),
                        TableCell(
                            fill(template, "appendix_1_activity"),
                            rowspan=2,
                            bold=True,
                            align="center",
                        ),
                        TableCell(
                            fill(template, "appendix_1_targets", year=plan.year),
                            colspan=2,
                            bold=True,
                            align="center",
                        ),
                    ],
                    [
                        TableCell(fill(template, "appendix_1_commune"), bold=True, align="center"),
                        TableCell(fill(template, "appendix_1_village"), bold=True, align="center"),
                    ],
                ],
                body=_appendix_activities(template, plan, layout, lines),
            )
        )
    if table.columns:
        fixed = _widths(layout, "appendix_2_widths_mm", [12, 40, 20])[:3]
        usable = 297 - layout.landscape_margins_mm["left"] - layout.landscape_margins_mm["right"]
        each = max((usable - sum(fixed)) / len(table.columns), 10)
        text.appendices.append(
            AppendixText(
                label=fill(template, "appendix_2_label"),
                title=fill(template, "appendix_2_title", year=plan.year),
                attached_line=attached,
                widths_mm=[*fixed, *([each] * len(table.columns))],
                header=[
                    [
                        TableCell(
                            fill(template, "appendix_2_number"),
                            rowspan=3,
                            bold=True,
                            align="center",
                        ),
                        TableCell(
                            fill(template, "appendix_2_unit"), rowspan=3, bold=True, align="center"
                        ),
                        TableCell(
                            fill(template, "appendix_2_difficult_villages"),
                            rowspan=3,
                            bold=True,
                            align="center",
                        ),
                        TableCell(
                            fill(template, "appendix_2_contents"),
                            colspan=len(table.columns),
                            bold=True,
                            align="center",
                        ),
                    ],
                    [
                        TableCell(group, colspan=span, bold=True, align="center")
                        for group, span in table.column_groups()
                    ],
                    [TableCell(c.heading, bold=True, align="center") for c in table.columns],
                ],
                body=_appendix_allocation(table),
                landscape=True,
            )
        )
    _appendices_of_other_apps(plan, text)
    return text


def _appendices_of_other_apps(plan: Plan, text: PlanText) -> None:
    """Appendices of apps above documents (the budget estimate, finance), the way the plan page
    takes their panels: each path in ``settings.PLAN_DOCUMENT_APPENDICES`` is a function
    (plan, number=) returning an ``AppendixText`` or None, ``number`` being its place."""
    for path in getattr(settings, "PLAN_DOCUMENT_APPENDICES", []):
        appendix = import_string(path)(plan, number=len(text.appendices) + 1)
        if appendix is not None:
            text.appendices.append(appendix)
