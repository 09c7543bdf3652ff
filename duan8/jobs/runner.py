"""The worker's side of a job: claim it, run its kind's function, keep its file, say how it ended.

The claim is one conditional UPDATE (``status='queued'``, or ``running`` with a dead worker's old
heartbeat): of two workers given the same message (a redelivery after a lost worker), one runs it.
The end is written only by the attempt that claimed it, so a late worker cannot overwrite a newer
attempt's result.
"""

import logging
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duan8.core.request_id import current_request_id
from duan8.jobs import files
from duan8.jobs.kinds import JobContext, JobError, JobOutput, job_kind_or_none
from duan8.jobs.models import Job, stale_before

logger = logging.getLogger(__name__)

MESSAGE_LENGTH = 200
ERROR_LENGTH = 1000


def job_claim(job_id: str) -> Job | None:
    """Take the job for this worker: None when it is not waiting (done, failed, or running in a
    live worker)."""
    now = timezone.now()
    claimed = (
        Job.objects.filter(pk=job_id)
        .filter(
            Q(status=Job.Status.QUEUED)
            | Q(status=Job.Status.RUNNING, heartbeat_at__lt=stale_before())
        )
        .update(
            status=Job.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            message="",
            error="",
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    if not claimed:
        return None
    return Job.objects.select_related("actor").get(pk=job_id)


def job_run(job_id: str) -> str:
    """Run the job if it is waiting; returns its status afterwards (for logs)."""
    try:
        uuid.UUID(str(job_id))
    except ValueError:
        logger.error("job %r: not a job id", job_id)
        return "invalid"
    job = job_claim(job_id)
    if job is None:
        status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
        logger.info("job %s not claimed (status %s)", job_id, status)
        return status or "missing"
    token = current_request_id.set(job.request_id or None)
    try:
        with translation.override(job.language or None):
            _run_claimed(job)
    finally:
        current_request_id.reset(token)
    return Job.objects.filter(pk=job_id).values_list("status", flat=True).get()


def _mine(job: Job) -> Any:
    """The job's row while this attempt owns it."""
    return Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)


def _progress(job: Job) -> Any:
    def progress(percent: int, message: str = "") -> None:
        _mine(job).update(
            progress=max(0, min(99, int(percent))),
            message=str(message)[:MESSAGE_LENGTH],
            heartbeat_at=timezone.now(),
        )

    return progress


def _run_claimed(job: Job) -> None:
    kind = job_kind_or_none(job.kind)
    if kind is None:
        logger.error("job %s: kind %r is not in settings.JOB_KINDS", job.pk, job.kind)
        _fail(job, _("This kind of work is no longer available."))
        return
    part = files.part_path(str(job.pk), job.attempts)
    context = JobContext(
        job_id=str(job.pk),
        actor=job.actor,
        params=job.params,
        output_path=part,
        progress=_progress(job),
    )
    try:
        output = kind.run(context) or JobOutput()
        done = _keep(job, output, part)
    except kind.user_errors as exc:
        _fail(job, str(exc))
    except JobError as exc:
        _fail(job, str(exc))
    except (PermissionDenied, Http404):
        _fail(job, _("You may no longer do this: your rights have changed since the request."))
    except ValidationError as exc:
        _fail(job, " ".join(str(message) for message in exc.messages))
    except Exception:
        logger.exception(
            "job %s (%s) failed, attempt %s, request %s",
            job.pk,
            job.kind,
            job.attempts,
            job.request_id or "-",
        )
        _fail(
            job,
            _(
                "The work could not be finished because of an error on the server. It was"
                " recorded (reference %(reference)s). Try again later or tell the administrator."
            )
            % {"reference": job.request_id or str(job.pk)[:8]},
        )
    else:
        _mine(job).update(**done)
    finally:
        part.unlink(missing_ok=True)


def _keep(job: Job, output: JobOutput, part: Any) -> dict[str, Any]:
    """Put the output file in place; the fields that mark the job done."""
    fields: dict[str, Any] = {
        "status": Job.Status.DONE,
        "progress": 100,
        "message": output.message[:MESSAGE_LENGTH],
        "finished_at": timezone.now(),
        "heartbeat_at": timezone.now(),
    }
    if output.has_file:
        if output.content is not None:
            part.write_bytes(output.content)
        fields |= {
            "result_path": files.result_move(part, str(job.pk)),
            "result_name": output.filename,
            "result_type": output.content_type or "application/octet-stream",
        }
    return fields


def _fail(job: Job, message: str) -> None:
    _mine(job).update(
        status=Job.Status.FAILED,
        error=message[:ERROR_LENGTH],
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
