"""Downloads of a plan as Word or PDF, and the page listing the document's problems.

The plan is found through ``programs.selectors.plan_get`` (404 outside the user's units); the
export service checks ``plans.view`` and records the export. The PDF (LibreOffice, seconds) is a
job (``documents/jobs.py``): its URL shows a button (GET) and submits the job (POST), then leads
to the job's page with its progress and, at the end, the file.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from duan8.accounts.http import AuthedRequest
from duan8.documents.checks import Level, plan_check
from duan8.documents.jobs import plan_pdf_params
from duan8.documents.pdf import ConversionError
from duan8.documents.services import DOCX, plan_export
from duan8.jobs.views import job_request
from duan8.programs.selectors import plan_get


def _download(request: AuthedRequest, pk: int, file_format: str) -> HttpResponse:
    plan = plan_get(actor=request.user, plan_id=pk)
    try:
        exported = plan_export(plan=plan, actor=request.user, file_format=file_format)
    except ConversionError as exc:
        messages.error(request, str(exc))
        return redirect("documents:plan_check", pk=plan.pk)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def plan_docx_download(request: AuthedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, DOCX)


@require_http_methods(["GET", "HEAD", "POST"])
def plan_pdf_download(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(actor=request.user, plan_id=pk)
    return job_request(
        request,
        kind="documents.plan_pdf",
        params=plan_pdf_params(plan),
        title=_("Plan %(reference)s as PDF") % {"reference": plan.reference},
        intro=_(
            "The PDF is made from the plan as it is now by LibreOffice, which takes a few"
            " seconds. You will see its progress, then a link to the file."
        ),
        back_url=reverse("programs:plan_detail", kwargs={"pk": plan.pk}),
        back_label=plan.reference,
    )


@require_safe
def plan_check_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(actor=request.user, plan_id=pk)
    problems = plan_check(plan)
    errors = [p for p in problems if p.level == Level.ERROR]
    return render(
        request,
        "documents/plan_check.html",
        {
            "plan": plan,
            "problems": problems,
            "error_count": len(errors),
            "warning_count": len(problems) - len(errors),
        },
    )
