"""Jobs of the activities app (issue 18, point 3): an Excel upload of many rows saved by the worker.

``EXCEL_SAVE``: ``{"unit": id | None, "event": id | None, "kind": slug, "plan": id | None,
"upload": token, "name": file name}``. The upload was checked when it arrived (the preview); an
upload of more than ``settings.UPLOAD_ROWS_IN_REQUEST`` rows is then confirmed as this job instead
of in the request. The job keeps the rule of every upload: the kept file is checked again, every
row, then written in one transaction (``excel_import_save``), or nothing is written and the job
fails naming each row, column and reason.

Saved once: the same confirmation (a double tap, a reload) finds the same job (``job_submit``), and
the save claims a one-time key for the upload (``core.idempotency.IdempotencyKey``, the user and
``excel-<token>``) in the same transaction as the rows: a job run again after its worker died once
the rows were committed finds the key and saves nothing more; a worker killed before the commit
leaves neither rows nor key. The rights are checked again in the worker (the scope's visibility,
the right to edit records, each row's unit).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from duan8.accounts.models import User
from duan8.activities.excel.columns import Kind
from duan8.activities.excel.importers import excel_import_save
from duan8.activities.excel.kinds import BY_SLUG, PARTICIPANTS
from duan8.activities.excel.pending import Pending, pending_files_remove, pending_path
from duan8.activities.excel.scope import EDIT, Scope, excel_event_scope, excel_scope
from duan8.core.idempotency import IdempotencyKey
from duan8.jobs.kinds import JobContext, JobError, JobKind, JobOutput
from duan8.orgunits.access import require_permission

KIND = "activities.excel_save"
ERRORS_IN_MESSAGE = 20  # the job's reason holds at most 1,000 characters


def excel_save_params(*, scope: Scope, kind: Kind, pending: Pending) -> dict[str, Any]:
    return {
        "unit": None if scope.event is not None else scope.unit.pk,
        "event": scope.event.pk if scope.event is not None else None,
        "kind": kind.slug,
        "plan": scope.plan.pk if scope.plan is not None else None,
        "upload": pending.token,
        "name": pending.name,
    }


def _scope_and_kind(actor: User | None, params: dict[str, Any]) -> tuple[User, Scope, Kind]:
    if actor is None:
        raise PermissionDenied
    if params.get("event"):
        scope, kind = excel_event_scope(actor=actor, event_id=int(params["event"])), PARTICIPANTS
    else:
        plan = params.get("plan")
        scope = excel_scope(
            actor=actor, unit_id=int(params["unit"]), plan_id=int(plan) if plan else None
        )
        found = BY_SLUG.get(str(params.get("kind")))
        if found is None:
            raise JobError(_("No such list."))
        kind = found
    require_permission(actor, EDIT, scope.unit)
    return actor, scope, kind


def excel_save_check(actor: User | None, params: dict[str, Any]) -> None:
    _scope_and_kind(actor, params)


def _marker(token: str) -> str:
    return f"excel-{token}"[:64]


def _back_url(params: dict[str, Any]) -> str:
    if params.get("event"):
        return reverse("activities:event_detail", args=[params["event"]])
    url = reverse("activities:excel_home", args=[params["unit"]])
    return f"{url}?plan={params['plan']}" if params.get("plan") else url


def excel_save_run(ctx: JobContext) -> JobOutput:
    actor, scope, kind = _scope_and_kind(ctx.actor, ctx.params)
    token, name = str(ctx.params["upload"]), str(ctx.params["name"])
    marker = _marker(token)
    if IdempotencyKey.objects.filter(user=actor, key=marker).exists():
        pending_files_remove(token)
        return JobOutput(message=_("This file was already saved; nothing more was saved."))
    source = pending_path(token)
    if source is None:
        raise JobError(_("The uploaded file is no longer kept; upload it again."))
    ctx.progress(10, _("Checking every row again, then saving them…"))
    with transaction.atomic():
        # Taken first: a second run at the same moment waits here, then fails on the key.
        _key, created = IdempotencyKey.objects.get_or_create(
            user=actor, key=marker, defaults={"url": _back_url(ctx.params)[:500]}
        )
        if not created:
            return JobOutput(message=_("This file was already saved; nothing more was saved."))
        importer, check, counts = excel_import_save(
            actor=actor, scope=scope, kind=kind, source=str(source), name=name
        )
        if counts is None:
            transaction.set_rollback(True)
    if counts is None:
        problems = check.messages
        shown = " ".join(problems[:ERRORS_IN_MESSAGE])
        more = len(problems) - ERRORS_IN_MESSAGE
        if more > 0:
            shown += " " + ngettext(
                "… and %(count)s more problem.", "… and %(count)s more problems.", more
            ) % {"count": more}
        raise JobError(_("Nothing was saved: %(problems)s") % {"problems": shown})
    pending_files_remove(token)
    return JobOutput(
        message=_(
            "Saved from “%(file)s”: %(created)s new, %(updated)s changed, %(unchanged)s already "
            "recorded."
        )
        % {"file": name[:60], **counts}
    )


EXCEL_SAVE = JobKind(
    label=gettext_lazy("Saving an Excel upload"),
    check=excel_save_check,
    run=excel_save_run,
    back_url=_back_url,
)
