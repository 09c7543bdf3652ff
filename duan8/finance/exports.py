"""A unit's disbursement or settlement as a file (.xlsx or .docx): the one entry point of the
pages and of ``duan8 finance_report``. Every file produced is audited
(``finance.report.exported``); a reader who may not see the unit gets 404 (NotVisible)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core import audit
from duan8.documents.vietnamese import ascii_slug
from duan8.finance.disbursement import default_as_of, disbursement_compute, disbursement_of
from duan8.finance.documents import (
    Table,
    disbursement_table,
    settlement_table,
    table_docx,
    table_xlsx,
)
from duan8.finance.models import Settlement
from duan8.finance.services.settlement import settlement_readable
from duan8.orgunits.models import OrgUnit

DISBURSEMENT, SETTLEMENT = "disbursement", "settlement"
KINDS = (DISBURSEMENT, SETTLEMENT)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
COMMAND_LINE = "finance_report (command line)"
SLUGS = {DISBURSEMENT: "giai-ngan", SETTLEMENT: "quyet-toan"}


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content_type: str
    content: bytes


def _table(
    actor: User | None, unit: OrgUnit, year: int, kind: str, as_of: datetime.date | None
) -> Table:
    if kind == DISBURSEMENT:
        if actor is None:
            data = disbursement_compute(unit=unit, year=year, as_of=as_of or default_as_of(unit))
        else:
            data = disbursement_of(actor=actor, unit=unit, year=year, as_of=as_of)
        return disbursement_table(data)
    if actor is not None:
        settlement_readable(actor, unit)
    settlement = Settlement.objects.filter(holder=unit, year=year).first()
    if settlement is None:
        raise ValidationError(
            _("%(unit)s has no settlement for %(year)s: the accountant drafts it first.")
            % {"unit": unit.full_name, "year": year}
        )
    return settlement_table(settlement)


def finance_report_export(
    *,
    actor: User | None,
    unit: OrgUnit,
    year: int,
    kind: str,
    file_format: str,
    as_of: datetime.date | None = None,
) -> ExportedFile:
    """The file; ``actor`` None: the command line (no access check, recorded as such)."""
    if kind not in KINDS:
        raise ValidationError(
            _("Unknown report “%(kind)s”; use disbursement or settlement.") % {"kind": kind}
        )
    if file_format not in CONTENT_TYPES:
        raise ValidationError(
            _("Unknown format “%(format)s”; use xlsx or docx.") % {"format": file_format}
        )
    table = _table(actor, unit, year, kind, as_of)
    content = table_xlsx(table) if file_format == "xlsx" else table_docx(table)
    audit.record(
        actor=actor,
        actor_name="" if actor is not None else COMMAND_LINE,
        action="finance.report.exported",
        org_unit=unit,
        after={"kind": kind, "year": year, "format": file_format, "bytes": len(content)},
    )
    filename = f"{SLUGS[kind]}-{ascii_slug(unit.name)}-{year}.{file_format}"
    return ExportedFile(filename, CONTENT_TYPES[file_format], content)
