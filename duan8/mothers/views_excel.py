"""The health station's proposal list in Excel (issue 13, point 6): the template download, the
upload (checked when it arrives and kept privately, ``activities.excel.pending``), the preview
with every error by row and column, and the confirmation that proposes every row or none.
Views translate; ``mothers.excel`` reads and checks, the registry's service writes.

The pages are for holders of ``mothers.propose`` in the commune (the health station); a village
health worker proposes from the phone form of her village.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import MOTHERS_PROPOSE
from duan8.activities.excel.pending import (
    Pending,
    pending_discard,
    pending_get,
    pending_store,
)
from duan8.activities.forms.excel import ExcelUploadForm
from duan8.core import xlsx
from duan8.core.idempotency import create_once, new_key
from duan8.mothers.excel import KIND, preview, proposals_check, proposals_save
from duan8.mothers.excel_template import proposals_template
from duan8.mothers.visibility import require_in_commune
from duan8.orgunits.models import OrgUnit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 1000


def _commune(request: AuthedRequest, pk: int) -> OrgUnit:
    commune = get_object_or_404(OrgUnit, pk=pk, level=OrgUnit.Level.COMMUNE)
    require_in_commune(request.user, MOTHERS_PROPOSE, commune)
    return commune


def _target(commune: OrgUnit) -> str:
    return f"mothers:proposals:{commune.pk}"


def _urls(commune: OrgUnit) -> dict[str, str]:
    return {
        name: reverse(f"mothers:proposal_{name}", args=[commune.pk])
        for name in ("template", "upload", "preview")
    } | {"back": reverse("mothers:case_list", args=[commune.pk])}


def proposal_template_view(request: AuthedRequest, pk: int) -> HttpResponse:
    commune = _commune(request, pk)
    content = proposals_template(actor=request.user, commune=commune)
    name = slugify(f"mau de nghi me an toan {commune.name}".replace("đ", "d").replace("Đ", "D"))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name.replace("-", "_")}.xlsx"'
    return response


def proposal_upload_view(request: AuthedRequest, pk: int) -> HttpResponse:
    commune = _commune(request, pk)
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        pending = pending_store(
            request.session,
            upload=form.cleaned_data["file"],
            target=_target(commune),
            user_id=request.user.pk,
        )
        try:
            check = proposals_check(
                actor=request.user, commune=commune, source=str(pending.path), name=pending.name
            )
        except ValidationError as exc:
            pending_discard(request.session)
            for message in exc.messages:
                form.add_error("file", message)
        else:
            pending.summary_save(preview(check))
            return redirect("mothers:proposal_preview", commune.pk)
    waiting = pending_get(request.session, target=_target(commune), user_id=request.user.pk)
    return render(
        request,
        "mothers/proposals_excel_upload.html",
        {
            "commune": commune,
            "kind": KIND,
            "urls": _urls(commune),
            "form": form,
            "waiting": waiting,
            "limits": xlsx.upload_limits(),
        },
    )


def _preview_page(
    request: AuthedRequest, commune: OrgUnit, pending: Pending | None
) -> HttpResponse:
    summary: dict[str, Any] | None = None
    if pending is not None:
        summary = pending.summary()
        if summary is None:  # lost: check the kept file again
            summary = preview(
                proposals_check(
                    actor=request.user,
                    commune=commune,
                    source=str(pending.path),
                    name=pending.name,
                )
            )
            pending.summary_save(summary)
    errors = summary["errors"] if summary else []
    return render(
        request,
        "mothers/proposals_excel_preview.html",
        {
            "commune": commune,
            "kind": KIND,
            "urls": _urls(commune),
            "pending": pending,
            "summary": summary,
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
            "once": new_key(),  # the confirmation's one-time key: a double tap saves once
        },
    )


def proposal_preview_view(request: AuthedRequest, pk: int) -> HttpResponse:
    commune = _commune(request, pk)
    pending = pending_get(request.session, target=_target(commune), user_id=request.user.pk)
    if request.method != "POST":
        return _preview_page(request, commune, pending)
    if pending is not None and request.POST.get("action") == "abandon":
        pending_discard(request.session)
        messages.info(request, _("The uploaded file was discarded; nothing was saved."))
        return redirect("mothers:proposal_upload", commune.pk)

    def save() -> HttpResponse | None:
        if pending is None:
            messages.error(request, _("No uploaded file is waiting; upload it again."))
            return None
        try:
            check, cases = proposals_save(
                actor=request.user, commune=commune, source=str(pending.path), name=pending.name
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            pending_discard(request.session)
            return None
        if cases is None:  # the records changed since the preview: show the new errors
            pending.summary_save(preview(check))
            messages.error(request, _("Nothing was saved: the file no longer passes the checks."))
            return _preview_page(request, commune, pending)
        pending_discard(request.session)
        messages.success(
            request,
            _("Proposed from “%(file)s”: %(count)s mothers.")
            % {"file": pending.name, "count": len(cases)},
        )
        return redirect("mothers:case_list", commune.pk)

    # a second confirmation of the same page (a double tap, a retry) goes to the first result
    return create_once(request, save) or redirect("mothers:proposal_upload", commune.pk)
