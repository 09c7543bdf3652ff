"""Submitting jobs and retrying them. The worker's side is ``runner.py``.

``job_submit`` checks the kind's permission function, then saves the job and queues it once the
transaction commits (a worker never looks for a row it cannot see yet). A second identical request
(same actor, kind and params: a double tap, a reload, a retry of the POST) gets the job already
queued, running or done instead of a second one: the key is held by a unique constraint on the
active jobs, so two requests at the same moment also end on one job.
"""

import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext

from duan8.accounts.models import User
from duan8.core.request_id import current_request_id
from duan8.jobs import files
from duan8.jobs.kinds import job_kind
from duan8.jobs.models import Job, stale_before

logger = logging.getLogger(__name__)

# a few quick tries to reach the broker, not Celery's default of about a second each time three
SEND_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}


def idempotency_key(*, actor: User | None, kind: str, params: dict[str, Any]) -> str:
    text = json.dumps(
        [actor.pk if actor is not None else None, kind, params],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def job_submit(*, actor: User | None, kind: str, params: dict[str, Any]) -> Job:
    """Queue a job of ``kind`` for ``actor`` (None: the system), or return the same one already
    queued, running or done. Raises what the kind's check raises (PermissionDenied, NotVisible,
    ValidationError) before anything is saved."""
    job_kind(kind).check(actor, params)
    params = json.loads(json.dumps(params, default=str))  # what the worker will read
    key = idempotency_key(actor=actor, kind=kind, params=params)
    with transaction.atomic():
        existing = Job.objects.filter(idempotency_key=key, status__in=Job.ACTIVE).first()
        if existing is not None and not _file_lost(existing):
            return existing
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    kind=kind,
                    params=params,
                    actor=actor,
                    idempotency_key=key,
                    language=get_language() or settings.LANGUAGE_CODE,
                    request_id=current_request_id.get() or "",
                )
        except IntegrityError:  # the same request, at the same moment, made it first
            return Job.objects.get(idempotency_key=key, status__in=Job.ACTIVE)
    job_dispatch(job)
    return job


def _file_lost(job: Job) -> bool:
    """A done job whose file was deleted (old files cleaned up): marked failed, made again."""
    if job.status != Job.Status.DONE or not job.result_path:
        return False
    if files.absolute(job.result_path).is_file():
        return False
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, error=gettext("The file was deleted; it is made again.")
    )
    return True


def job_retry(*, actor: User | None, job: Job) -> Job:
    """Run a failed job again, or one whose worker died (running, no heartbeat for
    ``JOB_STALE_MINUTES``). Safe to repeat: a job queued, running or done is left as it is; if the
    same request was made again meanwhile, that job is returned."""
    if actor is not None:
        job_kind(job.kind).check(actor, job.params)  # rights may have changed since
    with transaction.atomic():
        other = (
            Job.objects.filter(idempotency_key=job.idempotency_key, status__in=Job.ACTIVE)
            .exclude(pk=job.pk)
            .first()
        )
        if other is not None:
            return other
        requeued = (
            Job.objects.filter(pk=job.pk)
            .filter(
                Q(status=Job.Status.FAILED)
                | Q(status=Job.Status.RUNNING, heartbeat_at__lt=stale_before())
            )
            .update(
                status=Job.Status.QUEUED,
                progress=0,
                message="",
                error="",
                finished_at=None,
                updated_at=timezone.now(),
                request_id=current_request_id.get() or job.request_id,
            )
        )
    job.refresh_from_db()
    if requeued:
        job_dispatch(job)
    return job


def job_dispatch(job: Job) -> None:
    """Send the job to the queue once its row is committed; with ``JOBS_EAGER`` (tests), run the
    real Celery task right here instead (inside the test's transaction, which never commits)."""
    from duan8.jobs.tasks import run_job  # the Celery app is loaded only where jobs are sent

    job_id = str(job.pk)
    if settings.JOBS_EAGER:
        run_job.apply(args=[job_id], throw=False)
        job.refresh_from_db()
        return
    queue = settings.TASK_QUEUE_NAME
    transaction.on_commit(lambda: _send(run_job, job_id, queue))


def _send(task: Any, job_id: str, queue: str) -> None:
    """Hand the job to the broker; if it cannot be reached, the job fails at once with a reason
    (retry offered) instead of the request failing or the job waiting for ever."""
    try:
        task.apply_async(args=[job_id], queue=queue, retry_policy=SEND_RETRY)
    except Exception:
        logger.exception("job %s could not be queued (broker unreachable?)", job_id)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED,
            error=gettext(
                "The job could not be queued: the task queue does not answer. Try again in a few"
                " minutes; if it goes on, tell the administrator."
            ),
            finished_at=timezone.now(),
        )
