"""Reading jobs: a job is its actor's (and a superuser's) only."""

import uuid

from django.db.models import QuerySet

from duan8.accounts.models import User
from duan8.core.audit import NotVisible
from duan8.jobs.models import Job

RECENT = 30


def job_visible(*, actor: User, job: Job) -> bool:
    return actor.is_superuser or (job.actor_id is not None and job.actor_id == actor.pk)


def job_get(*, actor: User, job_id: uuid.UUID | str) -> Job:
    """The job, for its actor or a superuser; 404 (``NotVisible``) for everyone else."""
    job = Job.objects.filter(pk=job_id).select_related("actor").first()
    if job is None or not job_visible(actor=actor, job=job):
        raise NotVisible
    return job


def job_list(*, actor: User, limit: int = RECENT) -> QuerySet[Job]:
    """The actor's own recent jobs, newest first."""
    return Job.objects.filter(actor=actor).order_by("-created_at")[:limit]
