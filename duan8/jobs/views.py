"""Job pages: one job (progress, then its file or why it failed, with a retry), its status as JSON
for the page's script, its file, and the user's recent jobs. A job is its actor's (and a
superuser's) only: anyone else gets 404, on every URL.

``job_request`` is for the apps whose page starts a job (the plan's PDF): a GET shows a button, a
POST submits the job and leads to its page.
"""

from typing import Any

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from duan8.accounts.http import AuthedRequest
from duan8.jobs import files
from duan8.jobs.kinds import job_kind, job_kind_or_none
from duan8.jobs.models import Job
from duan8.jobs.selectors import job_get, job_list
from duan8.jobs.services import job_retry, job_submit


def job_request(
    request: AuthedRequest,
    *,
    kind: str,
    params: dict[str, Any],
    title: str,
    intro: str,
    back_url: str,
    back_label: str,
) -> HttpResponse:
    """GET: the page with the button; POST: submit (or find the same job) and go to its page."""
    if request.method == "POST":
        job = job_submit(actor=request.user, kind=kind, params=params)
        return redirect("jobs:job_detail", job_id=job.pk)
    job_kind(kind).check(request.user, params)
    return render(
        request,
        "jobs/job_request.html",
        {"title": title, "intro": intro, "back_url": back_url, "back_label": back_label},
    )


def _label(name: str) -> Any:
    kind = job_kind_or_none(name)
    return kind.label if kind is not None else name


def _context(job: Job) -> dict[str, Any]:
    kind = job_kind_or_none(job.kind)
    return {
        "job": job,
        "label": _label(job.kind),
        "back_url": kind.back_url(job.params) if kind is not None and kind.back_url else "",
    }


@require_safe
def job_detail(request: AuthedRequest, job_id: str) -> HttpResponse:
    job = job_get(actor=request.user, job_id=job_id)
    return render(request, "jobs/job_detail.html", _context(job))


@require_safe
def job_status(request: AuthedRequest, job_id: str) -> JsonResponse:
    job = job_get(actor=request.user, job_id=job_id)
    done_with_file = job.status == Job.Status.DONE and bool(job.result_path)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "message": job.message,
            "finished": job.is_finished,
            "stale": job.is_stale,
            "error": job.error,
            "download_url": (
                reverse("jobs:job_download", kwargs={"job_id": job.pk}) if done_with_file else None
            ),
        }
    )


@require_safe
def job_download(request: AuthedRequest, job_id: str) -> FileResponse:
    job = job_get(actor=request.user, job_id=job_id)
    if job.status != Job.Status.DONE or not job.result_path:
        raise Http404
    kind = job_kind_or_none(job.kind)
    if kind is None:
        raise Http404
    kind.check(request.user, job.params)  # the right to what it holds, still
    path = files.absolute(job.result_path)
    if not path.is_file():
        raise Http404
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def job_retry_view(request: AuthedRequest, job_id: str) -> HttpResponse:
    job = job_get(actor=request.user, job_id=job_id)
    job = job_retry(actor=request.user, job=job)
    return redirect("jobs:job_detail", job_id=job.pk)


@require_safe
def job_list_view(request: AuthedRequest) -> HttpResponse:
    jobs = list(job_list(actor=request.user))
    labels = {job.kind: _label(job.kind) for job in jobs}
    return render(
        request,
        "jobs/job_list.html",
        {"rows": [(job, labels[job.kind]) for job in jobs]},
    )
