"""Exports of official documents. The right to read the plan is checked here and every export is
audited, so the web page and the command line agree."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_VIEW
from duan8.core import audit
from duan8.documents.pdf import docx_to_pdf
from duan8.documents.plan_document import plan_docx
from duan8.documents.vietnamese import ascii_slug
from duan8.orgunits.access import require_permission
from duan8.programs.models import Plan

DOCX = "docx"
PDF = "pdf"
CONTENT_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    PDF: "application/pdf",
}
COMMAND_LINE = "command line"


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content_type: str
    content: bytes


def plan_filename(plan: Plan, file_format: str) -> str:
    """ "ke-hoach-87-kh-ubnd-2023-ba-trang.docx"."""
    number = f"{plan.number}-" if plan.number is not None else ""
    unit = ascii_slug(plan.issuing_unit.name)
    return f"ke-hoach-{number}{ascii_slug(plan.symbol)}-{plan.year}-{unit}.{file_format}"


def plan_export(*, plan: Plan, actor: User | None, file_format: str) -> ExportedFile:
    """The plan as an issued document (.docx, or PDF made from it by LibreOffice).

    ``actor`` None is the command line (an operator with access to the server); a user needs
    ``plans.view`` on the plan's issuing unit. Raises ``pdf.ConversionError`` when LibreOffice
    is missing or fails; nothing is audited then.
    """
    if file_format not in CONTENT_TYPES:
        raise ValidationError(
            _("Unknown format “%(format)s”; use docx or pdf.") % {"format": file_format}
        )
    if actor is not None:
        require_permission(actor, PLANS_VIEW, plan.issuing_unit)
    content = plan_docx(plan)
    if file_format == PDF:
        content = docx_to_pdf(content)
    audit.record(
        actor=actor,
        actor_name="" if actor is not None else COMMAND_LINE,
        action="documents.plan.exported",
        target=plan,
        org_unit=plan.issuing_unit,
        after={"format": file_format, "bytes": len(content), "version": plan.version},
    )
    return ExportedFile(plan_filename(plan, file_format), CONTENT_TYPES[file_format], content)
