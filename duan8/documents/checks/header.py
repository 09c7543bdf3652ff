"""Checks of the document's header: number, symbol, place and date, and the appendices' "Kèm
theo" lines, which must repeat the header's number and date."""

import datetime
import re

from django.utils.translation import gettext as _

from duan8.documents.checks.problem import DocumentProblem, error, warning
from duan8.documents.models import DocumentTemplate
from duan8.documents.plan_document import AppendixText, PlanText
from duan8.documents.vietnamese import date_numeric

ATTACHED = re.compile(
    r"số\s+(?P<number>\d+)/(?P<symbol>[^\s,;)]+)\s+ngày\s+(?P<day>\d{1,2})"
    r"(?:/|\s+tháng\s+)(?P<month>\d{1,2})(?:/|\s+năm\s+)(?P<year>\d{4})",
    re.IGNORECASE,
)


def check_number_and_date(
    text: PlanText, template: DocumentTemplate, year: int
) -> list[DocumentProblem]:
    problems = []
    dated = _("Header, place and date")
    if text.number is None:
        problems.append(
            error(
                "number",
                _("Header, number (Số)"),
                _("The document has no number: the header would print “%(line)s”.")
                % {"line": text.number_line.replace("\u00a0", " ")},
                code="missing",
            )
        )
    if text.issued_on is None:
        problems.append(
            error("issued_on", dated, _("The document has no date of issue."), code="missing")
        )
    elif text.issued_on.year not in (year - 1, year):
        problems.append(
            warning(
                "issued_on",
                dated,
                _("The document is dated %(date)s but is the plan for %(year)s.")
                % {"date": date_numeric(text.issued_on), "year": year},
                code="year",
            )
        )
    if not text.place_date_line or text.place_date_line.startswith("ngày"):
        problems.append(
            warning("place", dated, _("The place name before the date is missing."), code="missing")
        )
    prefix = f"{template.document_type}-"
    if template.document_type and not text.symbol.startswith(prefix):
        problems.append(
            error(
                "symbol",
                _("Header"),
                _(
                    "The symbol “%(symbol)s” does not begin with “%(prefix)s”, the abbreviation of"
                    " this type of document."
                )
                % {"symbol": text.symbol, "prefix": prefix},
                code="type",
            )
        )
    if text.number is not None and text.issued_on is not None:
        for index, appendix in enumerate(text.appendices, start=1):
            problems += _check_attached(text, appendix, index)
    return problems


def _check_attached(text: PlanText, appendix: AppendixText, index: int) -> list[DocumentProblem]:
    """The appendix's "Kèm theo" line gives the header's number and date."""
    field = f"appendices.{index}.attached_line"
    where = _("%(appendix)s, “Attached to” line") % {"appendix": appendix.label}
    match = ATTACHED.search(appendix.attached_line)
    if match is None:
        return [
            error(
                field,
                where,
                _("The line does not give the number and date of the document: “%(line)s”.")
                % {"line": appendix.attached_line},
                code="unreadable",
            )
        ]
    try:
        day = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        day = None
    if (int(match["number"]), match["symbol"], day) == (text.number, text.symbol, text.issued_on):
        return []
    return [
        error(
            field,
            where,
            _(
                "The number and date (%(found)s) differ from the header's"
                " (%(number)s/%(symbol)s, %(date)s)."
            )
            % {
                "found": match.group(0),
                "number": text.number,
                "symbol": text.symbol,
                "date": date_numeric(text.issued_on),
            },
            code="mismatch",
        )
    ]
