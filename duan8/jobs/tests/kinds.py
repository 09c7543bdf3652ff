"""Kinds of job for the tests (named in ``kind_names.KINDS``; added to settings.JOB_KINDS by the
``test_kinds`` fixture, and in the worker subprocess by ``worker_settings``)."""

import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from duan8.core.models import AuditEvent
from duan8.jobs.kinds import JobContext, JobError, JobKind, JobOutput

ROW_ACTION = "tests.jobs.row"


def _check(actor, params):
    if actor is None or params.get("deny"):
        raise PermissionDenied


def _echo(ctx: JobContext) -> JobOutput:
    ctx.progress(50, "halfway")
    return JobOutput("echo.txt", "text/plain", str(ctx.params.get("text", "")).encode())


def _broken(ctx: JobContext) -> JobOutput:
    raise RuntimeError("secret detail /srv/duan8 password=hunter2")


def _refused(ctx: JobContext) -> JobOutput:
    raise JobError("Không đủ dữ liệu.")


def _slow_write(ctx: JobContext) -> JobOutput:
    """Writes ``rows`` audit rows in one transaction, slowly; drops a marker file when it has
    written some, so a test knows when to kill the worker."""
    marker = Path(ctx.params["marker_dir"])
    with transaction.atomic():
        for number in range(ctx.params["rows"]):
            AuditEvent.objects.create(action=ROW_ACTION, message=f"{ctx.job_id} {number}")
            if number == 1:
                (marker / f"writing-{time.monotonic_ns()}").write_text(ctx.job_id)
            time.sleep(ctx.params.get("sleep", 0.3))
    return JobOutput(message="written")


ECHO = JobKind(label="Echo", check=_check, run=_echo, back_url=lambda params: "/")
BROKEN = JobKind(label="Broken", check=_check, run=_broken)
REFUSED = JobKind(label="Refused", check=_check, run=_refused)
SLOW_WRITE = JobKind(label="Slow write", check=_check, run=_slow_write)
