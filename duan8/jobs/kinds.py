"""The kinds of job, and how an app declares one.

A kind lives in the app that does the work (``duan8/documents/jobs.py``: ``PLAN_PDF``) as a
``JobKind``, and is named in ``settings.JOB_KINDS`` (kind name -> dotted path), like
``PLAN_APPROVAL_CHECKS``: the jobs app finds it with ``import_string`` and never imports a higher
app. To add one:

    # duan8/reports/exports/jobs.py
    ADX_EXPORT = JobKind(
        label=gettext_lazy("ADX export"),
        check=adx_check,      # (actor, params) -> None; raises PermissionDenied / NotVisible /
                              # ValidationError before anything is queued
        run=adx_run,          # (JobContext) -> JobOutput | None, in the worker
        back_url=adx_back,    # optional: (params) -> URL of the page the job came from
        user_errors=(),       # exception types whose message the user may read
    )
    # duan8/settings.py, JOB_KINDS:  "reports.adx_export": "duan8.reports.exports.jobs.ADX_EXPORT"

and submit it with ``duan8.jobs.services.job_submit(actor=..., kind="reports.adx_export",
params={...})``. ``params`` is plain JSON and says everything the job needs, including the version
of what it reads (a plan's ``version``): the same actor, kind and params lead to the same job.

The ``run`` function:

- calls ``ctx.progress(percent, message)`` now and then (also the worker's heartbeat; outside its
  own transaction, or the update is not seen before the end);
- writes its database changes in one ``transaction.atomic()``, so a killed worker leaves nothing
  half-saved and the job can run again;
- returns ``JobOutput(filename, content_type, content)`` for a file to download, or writes a big
  file itself to ``ctx.output_path`` and returns ``JobOutput(filename, content_type)`` (streamed
  exports); or returns None (nothing to download; ``message`` is shown);
- checks the actor's rights again (through the services it calls): they may have changed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from duan8.accounts.models import User


class JobError(Exception):
    """A failure whose message is for the user (translated)."""


@dataclass
class JobContext:
    job_id: str
    actor: User | None
    params: dict[str, Any]
    output_path: Path
    progress: Callable[[int, str], None]


@dataclass(frozen=True)
class JobOutput:
    filename: str = ""
    content_type: str = ""
    content: bytes | None = None  # None: the function wrote ctx.output_path itself (or no file)
    message: str = ""  # shown on the job's page when done

    @property
    def has_file(self) -> bool:
        return bool(self.filename)


@dataclass(frozen=True)
class JobKind:
    label: str | Promise
    check: Callable[[User | None, dict[str, Any]], None]
    run: Callable[[JobContext], JobOutput | None]
    back_url: Callable[[dict[str, Any]], str] | None = None
    user_errors: tuple[type[BaseException], ...] = field(default=())


def job_kind(name: str) -> JobKind:
    """The kind named ``name`` in ``settings.JOB_KINDS``; ImproperlyConfigured if unknown."""
    path = settings.JOB_KINDS.get(name)
    if path is None:
        raise ImproperlyConfigured(f"Unknown job kind {name!r}: add it to settings.JOB_KINDS.")
    kind = import_string(path)
    if not isinstance(kind, JobKind):
        raise ImproperlyConfigured(f"settings.JOB_KINDS[{name!r}] is not a JobKind.")
    return kind


def job_kind_or_none(name: str) -> JobKind | None:
    """The kind, or None when it is no longer configured (a job of a removed kind)."""
    try:
        return job_kind(name)
    except (ImproperlyConfigured, ImportError):
        return None
