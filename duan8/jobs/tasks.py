"""The Celery tasks: one runs any job (its kind says what to do), one submits a scheduled job."""

from typing import Any

from django.utils import timezone

from duan8.jobs.celery_app import app
from duan8.jobs.runner import job_run


@app.task(name="duan8.jobs.run_job", acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: str) -> str:
    return job_run(job_id)


@app.task(name="duan8.jobs.submit_scheduled")
def submit_scheduled(kind: str, params: dict[str, Any] | None = None) -> str:
    """Celery beat's entry: a system job (no actor) for today, once a day (the day is part of
    its params, so a second beat on the same day finds the first job)."""
    from duan8.jobs.services import job_submit

    today = timezone.localdate().isoformat()
    job = job_submit(actor=None, kind=kind, params={**(params or {}), "on": today})
    return str(job.pk)
