"""Excel pages: the commune's (or village's) page of templates, uploads and exports; the upload
form; the preview with every error; the confirmation; the downloads.

An upload is checked when it arrives and kept privately (``excel.pending``); the preview shows
what will be saved and every error by row and column; only the confirmation writes, from the
kept file, after checking it again. Views translate; the excel package checks and writes.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from duan8.accounts.http import AuthedRequest
from duan8.activities.excel.columns import Kind
from duan8.activities.excel.exports import ExportFile, progress_export, records_export
from duan8.activities.excel.importers import excel_import_check, excel_import_save
from duan8.activities.excel.kinds import BY_SLUG, PARTICIPANTS, PROGRESS_SLUG, UNIT_KINDS
from duan8.activities.excel.lists import lists_build
from duan8.activities.excel.pending import (
    Pending,
    pending_discard,
    pending_get,
    pending_hand_over,
    pending_job,
    pending_store,
)
from duan8.activities.excel.scope import (
    EDIT,
    Scope,
    excel_event_scope,
    excel_scope,
    may_edit,
    may_see_persons,
)
from duan8.activities.excel.workbook import file_name, workbook_write
from duan8.activities.forms.excel import ExcelUploadForm
from duan8.activities.jobs import KIND as SAVE_JOB
from duan8.activities.jobs import excel_save_params
from duan8.activities.models import Event
from duan8.core import xlsx
from duan8.jobs.services import job_submit
from duan8.orgunits.access import require_permission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 1000  # the page lists this many; the count says how many there are in all
EVENTS_WITH_LISTS = 50


def _int(raw: str | None) -> int | None:
    try:
        return int(raw or "")
    except ValueError:
        return None


def _kind(slug: str) -> Kind:
    kind = BY_SLUG.get(slug)
    if kind is None:
        raise Http404(_("No such list."))
    return kind


def _scope(request: AuthedRequest, pk: int) -> Scope:
    return excel_scope(
        actor=request.user,
        unit_id=pk,
        plan_id=_int(request.GET.get("plan") or request.POST.get("plan")),
        year=_int(request.GET.get("year")),
    )


def _plan_query(scope: Scope) -> str:
    return f"?{urlencode({'plan': scope.plan.pk})}" if scope.plan is not None else ""


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _target(scope: Scope, kind: Kind) -> str:
    if scope.event is not None:
        return f"event:{scope.event.pk}"
    return f"unit:{scope.unit.pk}:{kind.key}:{scope.plan.pk if scope.plan else ''}"


class _Urls:
    """The links of one upload's pages (unit kinds, or the list of one event)."""

    def __init__(self, scope: Scope, kind: Kind) -> None:
        query = _plan_query(scope)
        if scope.event is not None:
            pk = scope.event.pk
            self.template = reverse("activities:excel_participants_template", args=[pk])
            self.upload = reverse("activities:excel_participants_upload", args=[pk])
            self.preview = reverse("activities:excel_participants_preview", args=[pk])
            self.export = reverse("activities:excel_participants_export", args=[pk])
            self.back = reverse("activities:event_detail", args=[pk])
            return
        args = [scope.unit.pk, kind.slug]
        self.template = reverse("activities:excel_template", args=args) + query
        self.upload = reverse("activities:excel_upload", args=args) + query
        self.preview = reverse("activities:excel_preview", args=args) + query
        self.export = reverse("activities:excel_export", args=args) + query
        self.back = reverse("activities:excel_home", args=[scope.unit.pk]) + query


def _no_plan(request: AuthedRequest, scope: Scope, kind: Kind) -> HttpResponse:
    return render(
        request,
        "activities/excel_upload.html",
        {
            "scope": scope,
            "scope_label": scope.commune.full_name,
            "kind": kind,
            "urls": _Urls(scope, kind),
            "no_plan": True,
        },
    )


# --- the page of a commune or village ---------------------------------------------------------


@require_safe
def excel_home(request: AuthedRequest, pk: int) -> HttpResponse:
    scope = _scope(request, pk)
    events = []
    if scope.plan is not None:
        events = list(
            Event.objects.filter(
                plan=scope.plan,
                org_unit__path__startswith=scope.unit.path,
                kind__in=[Event.Kind.TRAINING, Event.Kind.NOMINATION, Event.Kind.DIALOGUE],
            )
            .select_related("org_unit")
            .order_by("-held_on", "-pk")[:EVENTS_WITH_LISTS]
        )
    return render(
        request,
        "activities/excel_home.html",
        {
            "scope": scope,
            "kinds": [
                {
                    "kind": kind,
                    "urls": _Urls(scope, kind),
                    "unavailable": kind.needs_plan and not scope.plan,
                }
                for kind in UNIT_KINDS
            ],
            "can_edit": may_edit(request.user, scope),
            "personal": may_see_persons(request.user, scope),
            "events": events,
            "progress_url": reverse("activities:excel_export", args=[scope.unit.pk, PROGRESS_SLUG])
            + _plan_query(scope),
        },
    )


# --- templates and exports ----------------------------------------------------------------


def _template_response(request: AuthedRequest, scope: Scope, kind: Kind) -> HttpResponse:
    require_permission(request.user, EDIT, scope.unit)
    lists = lists_build(scope, [c.choices for c in kind.columns])
    content = workbook_write(kind=kind, scope=scope, lists=lists, columns=kind.upload_columns)
    return _download(content, file_name(str(kind.title), scope, template=True))


def _export_response(export: ExportFile, title: str, scope: Scope) -> HttpResponse:
    return _download(export.content, file_name(title, scope, template=False))


@require_safe
def excel_template(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    scope, spec = _scope(request, pk), _kind(kind)
    if spec.needs_plan and scope.plan is None:
        return _no_plan(request, scope, spec)
    return _template_response(request, scope, spec)


@require_safe
def excel_export(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    scope = _scope(request, pk)
    if kind == PROGRESS_SLUG:
        if scope.plan is None:
            raise Http404(_("There is no plan yet."))
        return _export_response(
            progress_export(actor=request.user, scope=scope), _("progress"), scope
        )
    spec = _kind(kind)
    export = records_export(actor=request.user, scope=scope, kind=spec)
    return _export_response(export, str(spec.title), scope)


@require_safe
def excel_participants_template(request: AuthedRequest, pk: int) -> HttpResponse:
    scope = excel_event_scope(actor=request.user, event_id=pk)
    return _template_response(request, scope, PARTICIPANTS)


@require_safe
def excel_participants_export(request: AuthedRequest, pk: int) -> HttpResponse:
    scope = excel_event_scope(actor=request.user, event_id=pk)
    export = records_export(actor=request.user, scope=scope, kind=PARTICIPANTS)
    return _export_response(export, str(PARTICIPANTS.title), scope)


# --- upload, preview, confirmation ----------------------------------------------------------


def _check_and_keep(
    request: AuthedRequest, scope: Scope, kind: Kind, form: ExcelUploadForm
) -> bool:
    """Keep the file, check every row and keep the summary; False (with the form's error) when
    the file cannot be read as this template."""
    upload = form.cleaned_data["file"]
    pending = pending_store(
        request.session, upload=upload, target=_target(scope, kind), user_id=request.user.pk
    )
    try:
        importer, check = excel_import_check(
            actor=request.user, scope=scope, kind=kind, source=str(pending.path), name=pending.name
        )
    except ValidationError as exc:
        pending_discard(request.session)
        for message in exc.messages:
            form.add_error("file", message)
        return False
    pending.summary_save(importer.summary(check, personal=may_see_persons(request.user, scope)))
    return True


def _upload(request: AuthedRequest, scope: Scope, kind: Kind) -> HttpResponse:
    require_permission(request.user, EDIT, scope.unit)
    if kind.needs_plan and scope.plan is None:
        return _no_plan(request, scope, kind)
    urls = _Urls(scope, kind)
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and _check_and_keep(request, scope, kind, form):
        return redirect(urls.preview)
    waiting = pending_get(request.session, target=_target(scope, kind), user_id=request.user.pk)
    return render(
        request,
        "activities/excel_upload.html",
        {
            "scope": scope,
            "scope_label": scope.label_for(kind.plan_bound),
            "kind": kind,
            "urls": urls,
            "form": form,
            "waiting": waiting,
            "limits": xlsx.upload_limits(),
        },
    )


def _summary(pending: Pending, request: AuthedRequest, scope: Scope, kind: Kind) -> dict[str, Any]:
    summary = pending.summary()
    if summary is None:  # the summary was lost: check the kept file again
        importer, check = excel_import_check(
            actor=request.user, scope=scope, kind=kind, source=str(pending.path), name=pending.name
        )
        summary = importer.summary(check, personal=may_see_persons(request.user, scope))
        pending.summary_save(summary)
    return summary


def _preview_page(
    request: AuthedRequest, scope: Scope, kind: Kind, pending: Pending | None, status: int = 200
) -> HttpResponse:
    summary = _summary(pending, request, scope, kind) if pending is not None else None
    errors = summary["errors"] if summary else []
    return render(
        request,
        "activities/excel_preview.html",
        {
            "scope": scope,
            "scope_label": scope.label_for(kind.plan_bound),
            "kind": kind,
            "urls": _Urls(scope, kind),
            "pending": pending,
            "summary": summary,
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
            "in_job": summary is not None and _in_job(summary),
        },
        status=status,
    )


def _preview(request: AuthedRequest, scope: Scope, kind: Kind) -> HttpResponse:
    require_permission(request.user, EDIT, scope.unit)
    target = _target(scope, kind)
    pending = pending_get(request.session, target=target, user_id=request.user.pk)
    urls = _Urls(scope, kind)
    if request.method != "POST":
        return _preview_page(request, scope, kind, pending)
    if pending is None:
        job_id = pending_job(request.session, target=target, user_id=request.user.pk)
        if job_id is not None:  # a second tap on a confirmation already handed to a job
            return redirect("jobs:job_detail", job_id=job_id)
        messages.error(request, _("No uploaded file is waiting; upload it again."))
        return redirect(urls.upload)
    if request.POST.get("action") == "abandon":
        pending_discard(request.session)
        messages.info(request, _("The uploaded file was discarded; nothing was saved."))
        return redirect(urls.upload)
    summary = pending.summary()
    if summary is not None and _in_job(summary):
        return _save_as_job(request, scope, kind, pending)
    try:
        importer, check, counts = excel_import_save(
            actor=request.user, scope=scope, kind=kind, source=str(pending.path), name=pending.name
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        pending_discard(request.session)
        return redirect(urls.upload)
    if counts is None:  # records changed since the preview: show the new errors
        pending.summary_save(importer.summary(check, personal=may_see_persons(request.user, scope)))
        messages.error(request, _("Nothing was saved: the file no longer passes the checks."))
        return _preview_page(request, scope, kind, pending, status=200)
    pending_discard(request.session)
    messages.success(
        request,
        _(
            "Saved from “%(file)s”: %(created)s new, %(updated)s changed, %(unchanged)s already "
            "recorded."
        )
        % {"file": pending.name, **counts},
    )
    return redirect(urls.back)


def _in_job(summary: dict[str, Any]) -> bool:
    """Saved by the worker: more rows than a request should write."""
    return int(summary.get("rows") or 0) > settings.UPLOAD_ROWS_IN_REQUEST


def _save_as_job(
    request: AuthedRequest, scope: Scope, kind: Kind, pending: Pending
) -> HttpResponse:
    """A file of many rows: the worker checks it again and saves it (activities/jobs.py); the
    user follows the job's page, which ends with the rows saved or every problem."""
    params = excel_save_params(scope=scope, kind=kind, pending=pending)
    job = job_submit(actor=request.user, kind=SAVE_JOB, params=params)
    pending_hand_over(request.session, pending, str(job.pk))
    return redirect("jobs:job_detail", job_id=job.pk)


def excel_upload(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    return _upload(request, _scope(request, pk), _kind(kind))


def excel_preview(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    return _preview(request, _scope(request, pk), _kind(kind))


def excel_participants_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    return _upload(request, excel_event_scope(actor=request.user, event_id=pk), PARTICIPANTS)


def excel_participants_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    return _preview(request, excel_event_scope(actor=request.user, event_id=pk), PARTICIPANTS)
