"""Read a plan file into a preview, and create the draft plan when the user confirms.

``plan_import_read`` writes nothing: it is the preview of the web page and the dry run of the
command. ``plan_import_save`` is the only write, with the right checked and the event audited.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core import audit
from duan8.documents.importing.building import DEFAULT_PROJECT, PlanImport, plan_import_build
from duan8.documents.importing.reader import plan_document_parse
from duan8.documents.importing.source import source_read
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan
from duan8.programs.plan_access import require_plan_write
from duan8.programs.plan_data import PlanApprovedError, plan_load


class PlanExistsError(ValidationError):
    """A draft with the same number exists; it is replaced only when the user says so."""


def plan_import_read(
    *,
    content: bytes,
    filename: str,
    issuing_unit: OrgUnit,
    year: int | None = None,
    project_code: str = DEFAULT_PROJECT,
) -> PlanImport:
    """The plan in the file as it would be created, and every problem; nothing is written.

    Raises ``ImportFileError`` when the file is not a Word or text file, or passes one of the
    limits of ``source`` (an upload bomb). A plan without appendix tables is read without targets.
    """
    parsed = plan_document_parse(source_read(content=content, filename=filename))
    return plan_import_build(
        parsed=parsed,
        issuing_unit=issuing_unit,
        filename=filename,
        year=year,
        project_code=project_code,
    )


def plan_import_existing(*, issuing_unit: OrgUnit, data: dict[str, Any]) -> Plan | None:
    """The plan an import would replace: same unit, year, number and symbol."""
    same: dict[str, Any] = {key: data.get(key) for key in ("year", "number", "symbol")}
    return Plan.objects.filter(issuing_unit=issuing_unit, **same).first()


@transaction.atomic
def plan_import_save(
    *,
    actor: User | None,
    issuing_unit: OrgUnit,
    result: PlanImport,
    replace: bool = False,
) -> Plan:
    """Create the draft plan of an import the user confirmed.

    ``actor`` is None only for the command line, which runs with the database's own rights; every
    other caller passes the user, who needs ``plans.edit`` on the unit. An approved plan is never
    replaced; a draft with the same number only when ``replace`` is given.
    """
    if actor is not None:
        require_plan_write(actor, issuing_unit)
    if result.unit_id != issuing_unit.pk:
        raise ValidationError(_("This import was read for another unit; upload the file again."))
    if result.errors:
        raise ValidationError(
            [_("The file has problems to correct first:")] + [str(p) for p in result.errors]
        )
    existing = plan_import_existing(issuing_unit=issuing_unit, data=result.data)
    if existing is not None and not existing.is_editable:
        raise PlanApprovedError(
            _("Plan %(reference)s of %(year)s is approved; an import cannot replace it.")
            % {"reference": existing.reference, "year": existing.year}
        )
    if existing is not None and not replace:
        raise PlanExistsError(
            _(
                "A draft plan %(reference)s of %(year)s already exists for %(unit)s; confirm that"
                " the import replaces it."
            )
            % {
                "reference": existing.reference,
                "year": existing.year,
                "unit": issuing_unit.full_name,
            }
        )
    plan = plan_load(data=result.data, issuing_unit=issuing_unit)
    if existing is not None:  # copies opened before the import are now out of date
        Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1)
        plan.refresh_from_db(fields=["version"])
    counts = result.counts
    audit.record(
        actor=actor,
        actor_name="" if actor is not None else "plan_import (command line)",
        action="documents.plan.imported",
        target=plan,
        org_unit=issuing_unit,
        before={"replaced": existing.pk} if existing is not None else None,
        after={
            "file": result.filename,
            "year": plan.year,
            "number": plan.number,
            "symbol": plan.symbol,
            "targets": counts["targets"],
            "allocation_rows": counts["rows"],
            "allocation_cells": counts["cells"],
            "warnings": len(result.warnings),
        },
        version=plan.version,
    )
    return plan
