"""Save a checked plan: create it, or replace the contents of the one with the same reference."""

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.core.schemas import read_json
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import (
    AllocationCell,
    AllocationColumn,
    AllocationRow,
    Plan,
    PlanFocus,
    PlanLegalBasis,
    PlanResponsibility,
    Target,
)
from duan8.programs.plan_data.reading import SpecRow, plan_data_check
from duan8.programs.plan_data.schema import Document


class PlanApprovedError(ValidationError):
    """The plan to replace is approved: its contents are no longer changed by a load."""


def plan_data_read(path: Path | str) -> dict[str, Any]:
    """The JSON of a plan file, e.g. ``plan_data_read(BA_TRANG_2023)``; ``FileInvalid`` when
    it cannot be read or is not JSON (its content is checked by ``plan_load``)."""
    data: dict[str, Any] = read_json(Path(path))
    return data


def legal_document_register(
    *, kind: str, number: str, symbol: str, issued_on: datetime.date, issuer: str, title: str = ""
) -> LegalDocument:
    """The register's row for a document, created on its first mention (never typed twice)."""
    key = {"number": number, "symbol": symbol, "issued_on": issued_on, "issuer": issuer}
    document, created = LegalDocument.objects.get_or_create(
        **key, defaults={"kind": kind, "title": title}
    )
    if not created and title and not document.title:
        document.title = title
        document.save(update_fields=["title", "updated_at"])
    return document


@transaction.atomic
def plan_load(
    *,
    data: dict[str, Any],
    issuing_unit: OrgUnit,
    villages: dict[str, OrgUnit] | None = None,
    source: str | None = None,
) -> Plan:
    """Create or replace a plan with everything in it; nothing is written if any item is wrong.

    ``villages`` maps the names used in the allocation table to units; by default the villages
    of ``issuing_unit`` valid on the date of issue, by name. This is a loader (demo data, import):
    it checks data, not rights; a caller acting for a user checks ``plans.edit`` first.
    ``source`` names the file in the problems (``FileInvalid``).
    """
    spec = plan_data_check(data=data, issuing_unit=issuing_unit, villages=villages, source=source)

    plan = Plan.objects.filter(
        issuing_unit=issuing_unit, year=spec.year, number=spec.number, symbol=spec.symbol
    ).first()
    if plan is not None:
        if not plan.is_editable:
            raise PlanApprovedError(
                _("Plan %(reference)s of %(year)s is approved; it cannot be replaced.")
                % {"reference": plan.reference, "year": plan.year}
            )
        _plan_contents_delete(plan)
    else:
        plan = Plan(issuing_unit=issuing_unit, year=spec.year, number=spec.number)
    plan.symbol = spec.symbol
    plan.project = spec.project
    plan.issued_on = spec.issued_on
    for name, value in spec.texts.items():
        setattr(plan, name, value)

    register: dict[tuple[str, str, datetime.date, str], LegalDocument] = {}

    def registered(document: Document) -> LegalDocument:
        if document.key not in register:
            register[document.key] = legal_document_register(
                kind=document.kind.value,
                number=document.number,
                symbol=document.symbol,
                issued_on=document.issued_on,
                issuer=document.issuer,
                title=document.title,
            )
        return register[document.key]

    bases = [registered(document) for document in spec.legal_bases]
    for document in spec.cited_documents:
        registered(document)
    plan.budget_source = registered(spec.budget_source) if spec.budget_source else None
    plan.full_clean()
    plan.save()

    PlanLegalBasis.objects.bulk_create(
        PlanLegalBasis(plan=plan, document=document, order=order)
        for order, document in enumerate(bases, start=1)
    )
    PlanFocus.objects.bulk_create(
        PlanFocus(plan=plan, content=content, body=body, order=order)
        for order, (content, body) in enumerate(spec.focuses, start=1)
    )
    PlanResponsibility.objects.bulk_create(
        PlanResponsibility(plan=plan, agency=agency, body=body, order=order)
        for order, (agency, body) in enumerate(spec.responsibilities, start=1)
    )
    for target in spec.targets:
        target.plan = plan
    Target.objects.bulk_create(spec.targets)

    columns = AllocationColumn.objects.bulk_create(
        AllocationColumn(plan=plan, element=element, group=group, heading=heading, order=order)
        for order, (element, group, heading) in enumerate(spec.columns, start=1)
    )
    cells: list[AllocationCell] = []
    order = 0

    def rows_create(rows: list[SpecRow], parent: AllocationRow | None) -> None:
        nonlocal order
        for row in rows:
            order += 1
            saved = AllocationRow.objects.create(
                plan=plan,
                parent=parent,
                kind=row.kind,
                number=row.number,
                label=row.label,
                village=row.village,
                difficult_villages=row.difficult_villages,
                order=order,
            )
            cells.extend(
                AllocationCell(row=saved, column=column, value=value)
                for column, value in zip(columns, row.values, strict=True)
            )
            rows_create(row.children, saved)

    rows_create(spec.rows, None)
    AllocationCell.objects.bulk_create(cells)
    return plan


def _plan_contents_delete(plan: Plan) -> None:
    """Everything a load replaces; the plan row itself (id, status, links to it) stays."""
    AllocationCell.objects.filter(row__plan=plan).delete()
    AllocationRow.objects.filter(plan=plan).delete()
    AllocationColumn.objects.filter(plan=plan).delete()
    Target.objects.filter(plan=plan).delete()
    PlanLegalBasis.objects.filter(plan=plan).delete()
    PlanFocus.objects.filter(plan=plan).delete()
    PlanResponsibility.objects.filter(plan=plan).delete()
