"""Checks a document must pass before it is issued (NĐ 30/2020/NĐ-CP, and the seed's defects).

The checks read the plan as it will print (``plan_document.plan_text``), so the place named in a
problem is where a reader finds it in the document. Each problem is an error (issuing is refused)
or a warning (shown, not blocking):

- number and date present, and the same in the header and in each appendix's "Kèm theo" line;
- citations well formed (type word and symbol agree, real date, the year in the number matches
  the date) and found in the register of legal documents; a citation that differs from a
  registered document only in its symbol or date ("TT-UBND" for "TT-UBDT") is an error;
- the legal bases are not dated after the plan;
- canonical program names ("đồng bằng dân tộc thiểu số" for "đồng bào"), truncated or misspelt
  names of the units above ("huyện Ba Tr"), phrases of another level ("Ủy ban nhân dân các xã"),
  short names that do not match the number ("Kế hoạch 194 … (viết tắt là Kế hoạch 82)");
- the signature block of a collective body (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH, or KT. CHỦ TỊCH /
  PHÓ CHỦ TỊCH);
- the recipients (nơi nhận) end with "- Lưu: VT, …." ;
- the allocation table adds up.

Each problem is keyed by where it is in the document (``problem.DocumentProblem``, a
``core.problems.Problem``). One module per part of the document: ``header`` (number, date,
"Kèm theo" lines), ``citations`` (cited documents, legal bases), ``names`` (canonical, unit and
level names), ``closing`` (signature, recipients).
"""

from django.utils.translation import gettext as _

from duan8.documents.checks.citations import check_citations, check_legal_bases
from duan8.documents.checks.closing import check_recipients, check_signature
from duan8.documents.checks.header import check_number_and_date
from duan8.documents.checks.names import check_canonical_names, check_unit_names, check_wrong_level
from duan8.documents.checks.problem import DocumentProblem, Level, error
from duan8.documents.plan_document import TEMPLATE_KEY, PlanText, plan_text
from duan8.documents.selectors import document_template_get
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_ancestors
from duan8.programs.models import Plan
from duan8.programs.selectors import allocation_table

__all__ = ["DocumentProblem", "Level", "plan_check", "plan_check_errors"]


def plan_check(plan: Plan, *, text: PlanText | None = None) -> list[DocumentProblem]:
    """Every problem of the plan's document, in the order a reader meets them."""
    template = document_template_get(key=TEMPLATE_KEY)
    text = text or plan_text(plan, template=template)
    settings = template.checks or {}
    paragraphs = text.paragraphs()
    units = [*org_unit_ancestors(plan.issuing_unit), plan.issuing_unit]
    units += list(OrgUnit.objects.filter(parent=plan.issuing_unit))
    problems = check_number_and_date(text, template, plan.year)
    problems += check_legal_bases(plan)
    problems += check_citations(paragraphs)
    problems += check_canonical_names(paragraphs, settings.get("canonical_names", []))
    problems += check_unit_names(paragraphs, units)
    problems += check_wrong_level(
        paragraphs, settings.get("wrong_level_phrases", []), plan.issuing_unit
    )
    problems += check_recipients(text, template)
    problems += check_signature(text, template)
    label = (template.texts or {}).get("appendix_2_label") or _("Allocation table")
    for problem in allocation_table(plan=plan).problems:
        column = problem.column.pk if problem.column is not None else "difficult_villages"
        field = f"allocation.{problem.row.pk}.{column}"
        problems.append(error(field, label, problem.message, code="sum"))
    return problems


def plan_check_errors(plan: Plan) -> list[DocumentProblem]:
    return [problem for problem in plan_check(plan) if problem.is_error]
