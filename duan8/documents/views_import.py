"""Import a plan: upload a file, review what was read, confirm to create the draft plan.

The parsed plan waits in the user's session between the preview and the confirmation (no plan row
is written before); it is keyed by a random token, so two imports in two tabs do not mix.
Rights: ``plans.edit`` on the unit (a commune, province or district); a unit the user may not
see is answered with 404.
"""

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.core.audit import NotVisible
from duan8.documents.forms_import import PlanImportConfirmForm, PlanImportForm
from duan8.documents.importing import (
    ImportFileError,
    PlanImport,
    plan_import_existing,
    plan_import_read,
    plan_import_save,
)
from duan8.documents.importing.building import PLAN_LEVELS
from duan8.documents.importing.source import import_limits
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import ProgramElement
from duan8.programs.plan_access import require_plan_write

SESSION_KEY = "documents.plan_imports"
KEPT = 3  # imports waiting in one session; older ones are dropped


def _commune(request: AuthedRequest, pk: int) -> OrgUnit:
    """The unit (a commune, or a province or district for their own plans), if the user may see
    it (else 404) and edit its plans (else 403)."""
    unit = (
        org_units_visible_to(request.user)
        .filter(pk=pk, level__in=PLAN_LEVELS)
        .select_related("parent")
        .first()
    )
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    require_plan_write(request.user, unit)
    return unit


def _store(request: AuthedRequest, result: PlanImport) -> str:
    token = secrets.token_hex(8)
    waiting = dict(request.session.get(SESSION_KEY, {}))
    waiting[token] = result.as_dict()
    request.session[SESSION_KEY] = dict(list(waiting.items())[-KEPT:])
    return token


def _stored(request: AuthedRequest, unit: OrgUnit, token: str) -> PlanImport | None:
    raw = request.session.get(SESSION_KEY, {}).get(token)
    if raw is None or raw.get("unit_id") != unit.pk:
        return None
    return PlanImport.from_dict(raw)


def _forget(request: AuthedRequest, token: str) -> None:
    waiting = dict(request.session.get(SESSION_KEY, {}))
    waiting.pop(token, None)
    request.session[SESSION_KEY] = waiting


def _form_page(
    request: AuthedRequest, unit: OrgUnit, form: PlanImportForm, *, expired: bool = False
) -> HttpResponse:
    return render(
        request,
        "documents/import_form.html",
        {
            "unit": unit,
            "form": form,
            "expired": expired,
            "limits": import_limits(),
        },
    )


def plan_import(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _commune(request, pk)
    if request.method != "POST":
        return _form_page(request, unit, PlanImportForm())
    form = PlanImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = plan_import_read(
                content=form.content,
                filename=upload.name,
                issuing_unit=unit,
                year=form.cleaned_data["year"],
            )
        except ImportFileError as exc:
            form.add_error("file", exc.messages)
        else:
            token = _store(request, result)
            return redirect("documents:plan_import_preview", pk=unit.pk, token=token)
    return _form_page(request, unit, form)


def plan_import_preview(request: AuthedRequest, pk: int, token: str) -> HttpResponse:
    unit = _commune(request, pk)
    result = _stored(request, unit, token)
    if result is None:
        return _form_page(request, unit, PlanImportForm(), expired=True)
    return _preview_page(request, unit, result, token, PlanImportConfirmForm())


@require_POST
def plan_import_confirm(request: AuthedRequest, pk: int, token: str) -> HttpResponse:
    unit = _commune(request, pk)
    result = _stored(request, unit, token)
    if result is None:
        messages.error(request, _("This import is no longer available; upload the file again."))
        return redirect("documents:plan_import", pk=unit.pk)
    form = PlanImportConfirmForm(request.POST)
    replace = form.is_valid() and form.cleaned_data["replace"]
    try:
        plan = plan_import_save(
            actor=request.user, issuing_unit=unit, result=result, replace=replace
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _preview_page(request, unit, result, token, form, status=400)
    _forget(request, token)
    messages.success(
        request,
        _("The draft plan %(reference)s was created from “%(file)s”. Check it before approving it.")
        % {"reference": plan.reference, "file": result.filename},
    )
    return redirect("programs:plan_detail", pk=plan.pk)


# -- the preview ------------------------------------------------------------------------------


@dataclass
class PreviewTarget:
    element: ProgramElement
    depth: int
    commune: dict[str, Any] | None
    village: dict[str, Any] | None

    @property
    def cells(self) -> list[dict[str, Any]]:
        return [self.commune or {}, self.village or {}]


@dataclass
class PreviewRow:
    row: dict[str, Any]
    depth: int


def _preview_rows(rows: list[dict[str, Any]], depth: int = 0) -> list[PreviewRow]:
    found = []
    for row in rows:
        found.append(PreviewRow(row, depth))
        found.extend(_preview_rows(row.get("children") or [], depth + 1))
    return found


def _preview_page(
    request: AuthedRequest,
    unit: OrgUnit,
    result: PlanImport,
    token: str,
    form: PlanImportConfirmForm,
    status: int = 200,
) -> HttpResponse:
    data = result.data
    project = data.get("project", "")
    elements = (
        list(
            ProgramElement.objects.filter(code__startswith=f"{project}.").order_by("order", "code")
        )
        if project
        else []
    )
    by_code = {e.code: e for e in elements}
    cells = {item["element"]: item for item in data.get("targets") or []}
    base = project.count(".") + 1
    targets = [
        PreviewTarget(
            element=e,
            depth=e.code.count(".") - base,
            commune=cells.get(e.code, {}).get("commune"),
            village=cells.get(e.code, {}).get("village"),
        )
        for e in elements
    ]
    allocation = data.get("allocation") or {}
    columns = [
        {**column, "element_obj": by_code.get(column["element"])}
        for column in allocation.get("columns") or []
    ]
    existing = plan_import_existing(issuing_unit=unit, data=data) if data else None
    kinds = dict(LegalDocument.Kind.choices)
    legal_bases = [
        {
            **document,
            "kind_label": str(kinds.get(document["kind"], document["kind"])).split(" (")[0],
            "reference": f"{document['number']}/{document['symbol']}",
            "date": datetime.date.fromisoformat(document["issued_on"]),
        }
        for document in data.get("legal_bases") or []
    ]
    issued_on = data.get("issued_on")
    return render(
        request,
        "documents/import_preview.html",
        {
            "unit": unit,
            "result": result,
            "data": data,
            "token": token,
            "form": form,
            "counts": result.counts,
            "legal_bases": legal_bases,
            "issued_on": datetime.date.fromisoformat(issued_on) if issued_on else None,
            "targets": targets,
            "columns": columns,
            "rows": _preview_rows(allocation.get("rows") or []),
            "existing": existing,
            "can_confirm": not result.errors
            and bool(data)
            and (existing is None or existing.is_editable),
        },
        status=status,
    )
