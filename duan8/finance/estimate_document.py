"""The plan's budget appendix (Phụ lục … Dự toán kinh phí) in the Kế hoạch .docx: one row per
estimate line, grouped by activity, the totals by source. Registered in
``settings.PLAN_DOCUMENT_APPENDICES`` and read by the documents builder, so documents need not
import finance."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from duan8.documents.docx_builder.builder import TableCell
from duan8.documents.plan_document.text import AppendixText
from duan8.finance.money import money
from duan8.finance.selectors_budget import estimate_view
from duan8.programs.models import Plan

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def plan_budget_appendix(plan: Plan, *, number: int) -> AppendixText | None:
    """The appendix, or None when the plan has no estimate line. Printed in Vietnamese whatever
    the page's language, as the rest of the document."""
    with translation.override("vi"):
        return _appendix(plan, number)


def _appendix(plan: Plan, number: int) -> AppendixText | None:
    view = estimate_view(plan)
    if not view.lines:
        return None
    label = ROMAN[number - 1] if 0 < number <= len(ROMAN) else str(number)
    header = [
        [
            TableCell(h, bold=True, align="center")
            for h in (
                _("No."),
                _("Activity and content"),
                _("Source"),
                _("Quantity"),
                _("Unit amount (đồng)"),
                _("Amount (đồng)"),
            )
        ]
    ]
    body: list[list[TableCell]] = []
    for line in view.lines:
        where = f" ({line.village.name})" if line.village else ""
        unit = f" {line.norm.unit}" if line.norm else ""
        body.append(
            [
                TableCell(str(line.order), align="center"),
                TableCell(f"{line.activity.outline_number} — {line.description}{where}"),
                TableCell(line.get_source_display()),
                TableCell(f"{line.quantity}{unit}", align="right"),
                TableCell(money(line.unit_amount), align="right"),
                TableCell(money(line.amount), align="right"),
            ]
        )
    for balance in view.balances:
        if balance.estimated:
            body.append(
                [
                    TableCell(
                        _("Total %(source)s") % {"source": balance.label}, colspan=5, bold=True
                    ),
                    TableCell(money(balance.estimated), bold=True, align="right"),
                ]
            )
    body.append(
        [
            TableCell(_("Total"), colspan=5, bold=True),
            TableCell(money(view.total), bold=True, align="right"),
        ]
    )
    status = view.status_label
    return AppendixText(
        label=_("Appendix %(number)s") % {"number": label},
        title=_("BUDGET ESTIMATE OF THE PLAN FOR %(year)s") % {"year": plan.year},
        attached_line=_("(Attached to plan %(reference)s — %(status)s)")
        % {"reference": plan.reference, "status": status},
        widths_mm=[12, 110, 35, 30, 35, 40],
        header=header,
        body=body,
        landscape=True,
    )
