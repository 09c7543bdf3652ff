"""The Kế hoạch of a plan, as text (``plan_text``) and as a Word document (``plan_docx``).

- ``text``: the plan laid out as printed, every paragraph with where it sits (what the checks
  read), and ``fill``, a template's text with its fields filled in (used by the reports too);
- ``render``: that text as .docx bytes.
"""

from duan8.documents.plan_document.render import plan_text_render
from duan8.documents.plan_document.text import (
    TEMPLATE_KEY,
    AppendixText,
    Para,
    PlanText,
    TemplateTextError,
    fill,
    plan_text,
)
from duan8.programs.models import Plan

__all__ = [
    "TEMPLATE_KEY",
    "AppendixText",
    "Para",
    "PlanText",
    "TemplateTextError",
    "fill",
    "plan_docx",
    "plan_text",
    "plan_text_render",
]


def plan_docx(plan: Plan) -> bytes:
    """The Kế hoạch of ``plan`` as .docx bytes (stable entry point, also used by the importer)."""
    return plan_text_render(plan_text(plan))
