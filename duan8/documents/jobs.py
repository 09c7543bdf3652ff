"""The plan's PDF as a job (issue 18): LibreOffice takes seconds, so it runs in a worker.

``params``: ``{"plan": id, "version": n}``; the version makes a new PDF after each edit while a
second tap on the same version leads to the first job (jobs.services.job_submit).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_VIEW
from duan8.documents.pdf import ConversionError
from duan8.documents.services import PDF, plan_export
from duan8.jobs.kinds import JobContext, JobKind, JobOutput
from duan8.orgunits.access import require_permission
from duan8.programs.models import Plan
from duan8.programs.selectors import plan_get


def plan_pdf_params(plan: Plan) -> dict[str, Any]:
    return {"plan": plan.pk, "version": plan.version}


def _plan(actor: User | None, params: dict[str, Any]) -> Plan:
    if actor is None:
        raise PermissionDenied
    plan = plan_get(actor=actor, plan_id=int(params["plan"]))
    require_permission(actor, PLANS_VIEW, plan.issuing_unit)
    return plan


def plan_pdf_check(actor: User | None, params: dict[str, Any]) -> None:
    _plan(actor, params)


def plan_pdf_run(ctx: JobContext) -> JobOutput:
    plan = _plan(ctx.actor, ctx.params)
    ctx.progress(10, _("Converting the plan to PDF (LibreOffice)…"))
    exported = plan_export(plan=plan, actor=ctx.actor, file_format=PDF)
    return JobOutput(exported.filename, exported.content_type, exported.content)


def plan_pdf_back(params: dict[str, Any]) -> str:
    return reverse("programs:plan_detail", kwargs={"pk": params["plan"]})


PLAN_PDF = JobKind(
    label=gettext_lazy("Plan as PDF"),
    check=plan_pdf_check,
    run=plan_pdf_run,
    back_url=plan_pdf_back,
    user_errors=(ConversionError,),
)
