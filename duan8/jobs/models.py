"""A job: long work (a PDF, an export, the reminders) run by a Celery worker off the request."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duan8.core.models import BaseModel


class Job(BaseModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", pgettext_lazy("job status", "Done")
        FAILED = "failed", _("Failed")

    # the states a second identical request is led to instead of starting another job
    ACTIVE = (Status.QUEUED, Status.RUNNING, Status.DONE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=100)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # None: started by the system (Celery beat, a command); only superusers see it
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.CharField(_("step"), max_length=200, blank=True)
    error = models.CharField(_("reason of the failure"), max_length=1000, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # sha256 of (actor, kind, params): a double tap or a retry finds the job already made
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    language = models.CharField(_("language"), max_length=10, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    # the result file: a path under MEDIA_ROOT (never served directly), its name and type
    result_path = models.CharField(_("result file"), max_length=255, blank=True)
    result_name = models.CharField(_("file name"), max_length=255, blank=True)
    result_type = models.CharField(_("file type"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["actor", "-created_at"], name="jobs_actor_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(status__in=["queued", "running", "done"]),
                name="jobs_one_active_job_per_key",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="jobs_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stale(self) -> bool:
        """Running, but its worker gave no sign of life for JOB_STALE_MINUTES: it died."""
        if self.status != self.Status.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return last < stale_before()

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stale


def stale_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.JOB_STALE_MINUTES)
