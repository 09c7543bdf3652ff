"""Jobs of the reports app (issue 18): a report's PDF, Word and Excel files, and the reminders'
e-mails.

``REPORT_PDF``, ``REPORT_DOCX``, ``REPORT_XLSX``: ``{"report": id, "version": n}``, for those
who may read the report, plus ``"minute"`` while the report prints today's records (a draft or a
returned report: a new request a minute later makes a new file, a double tap leads to the first
job). Which files are made in the request and which by a job: ``report_file_as_job``.
``REMINDERS``: ``{"days": 7, "on": "YYYY-MM-DD"}``, a system job (no actor: Celery beat or
``duan8 send_reminders``; a superuser may start it too). It e-mails every user the reports they
must act on; a user already reminded that day (an audit event ``reports.reminders.sent`` naming
the day) is skipped, so a job run again after a dead worker does not send twice.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from duan8.accounts.models import User
from duan8.core import audit
from duan8.core.models import AuditEvent
from duan8.documents.pdf import ConversionError
from duan8.jobs.kinds import JobContext, JobKind, JobOutput
from duan8.orgunits.models import OrgUnit
from duan8.reports.models import Report
from duan8.reports.report_files import DOCX, PDF, XLSX, report_export
from duan8.reports.selectors import report_get, report_reminders
from duan8.reports.selectors.reminders import other_reminders

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

COMMAND_LINE = "command line"
SENT = "reports.reminders.sent"


# --- a report's PDF -----------------------------------------------------------------------------


def _report_params(report: Report) -> dict[str, Any]:
    return {"report": report.pk, "version": report.version}


def _report(actor: User | None, params: dict[str, Any]) -> Report:
    if actor is None:
        raise PermissionDenied
    return report_get(actor=actor, report_id=int(params["report"]))


def _report_check(actor: User | None, params: dict[str, Any]) -> None:
    _report(actor, params)


def _file_run(file_format: str, step: "StrOrPromise") -> Any:
    """The job's run: the report's file in ``file_format``, its progress saying ``step``."""

    def run(ctx: JobContext) -> JobOutput:
        report = _report(ctx.actor, ctx.params)
        assert ctx.actor is not None  # noqa: S101 - _report refused the system
        ctx.progress(10, str(step))
        exported = report_export(actor=ctx.actor, report=report, file_format=file_format)
        return JobOutput(exported.filename, exported.content_type, exported.content)

    return run


def _back(params: dict[str, Any]) -> str:
    return reverse("reports:report_detail", kwargs={"pk": params["report"]})


REPORT_PDF = JobKind(
    label=gettext_lazy("Report as PDF"),
    check=_report_check,
    run=_file_run(PDF, gettext_lazy("Converting the report to PDF (LibreOffice)…")),
    back_url=_back,
    user_errors=(ConversionError,),
)


# --- a report's Word and Excel files ------------------------------------------------------------

# Measured (bench/README.md, "A report's Word and Excel files"): a commune's .xlsx is tenths of a
# second and stays in the request; the figures of a district, a province or the country take
# seconds to add up, and every .docx draws two charts (matplotlib, 1-3 s under load), so those
# are made by a job.
JOB_KIND = {DOCX: "reports.report_docx", XLSX: "reports.report_xlsx"}


def report_file_as_job(report: Report, file_format: str) -> bool:
    """True when the report's file is made by a job rather than in the request."""
    return file_format == DOCX or report.org_unit.level < OrgUnit.Level.COMMUNE


def report_file_params(report: Report) -> dict[str, Any]:
    params = _report_params(report)
    if report.status not in (Report.Status.SUBMITTED, Report.Status.APPROVED):
        params["minute"] = timezone.now().strftime("%Y-%m-%dT%H:%M")  # today's records
    return params


WRITING = gettext_lazy("Adding up the report's figures and writing the file…")
REPORT_DOCX = JobKind(
    label=gettext_lazy("Report as Word"),
    check=_report_check,
    run=_file_run(DOCX, WRITING),
    back_url=_back,
)
REPORT_XLSX = JobKind(
    label=gettext_lazy("Report as Excel"),
    check=_report_check,
    run=_file_run(XLSX, WRITING),
    back_url=_back,
)


# --- reminders ----------------------------------------------------------------------------------


def reminder_users() -> Any:
    return (
        User.objects.filter(is_active=True, memberships__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def reminder_mail(user: User, *, today: datetime.date, days: int) -> tuple[str, str] | None:
    """(subject, body) of the user's reminder, or None when they have nothing to act on."""
    items = report_reminders(actor=user, today=today, days=days)
    others = other_reminders(actor=user, today=today)  # settings.REMINDER_SOURCES
    if not items and not others:
        return None
    if items:
        subject = ngettext(
            "[Project 8] %(count)s report to act on",
            "[Project 8] %(count)s reports to act on",
            len(items),
        ) % {"count": len(items)}
    else:
        subject = ngettext(
            "[Project 8] %(count)s matter to follow up",
            "[Project 8] %(count)s matters to follow up",
            len(others),
        ) % {"count": len(others)}
    body = render_to_string(
        "reports/report_reminder_email.txt",
        {
            "user": user,
            "items": items,
            "others": others,
            "today": today,
            "site_url": settings.SITE_URL.rstrip("/"),
        },
    )
    return subject, body


def reminders_send(
    *, today: datetime.date, days: int, progress: Any = None, job_id: str = ""
) -> int:
    """E-mail each user their reminders once for ``today``; returns how many were sent."""
    users = list(reminder_users())
    done = set(
        AuditEvent.objects.filter(
            action=SENT, target_type="accounts.user", after__on=today.isoformat()
        ).values_list("target_id", flat=True)
    )
    sent = 0
    for number, user in enumerate(users, start=1):
        if progress is not None:
            progress(int(100 * number / (len(users) + 1)), user.get_username())
        if str(user.pk) in done:
            continue
        mail = reminder_mail(user, today=today, days=days)
        if mail is None:
            continue
        with transaction.atomic():
            send_mail(mail[0], mail[1], None, [user.email])
            audit.record(
                actor=None,
                actor_name=COMMAND_LINE,
                action=SENT,
                target=user,
                after={"days": days, "on": today.isoformat(), "job": job_id, "subject": mail[0]},
            )
        sent += 1
    return sent


def reminders_check(actor: User | None, params: dict[str, Any]) -> None:
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied


def reminders_run(ctx: JobContext) -> JobOutput:
    on = ctx.params.get("on")
    today = datetime.date.fromisoformat(on) if on else timezone.localdate()
    sent = reminders_send(
        today=today, days=int(ctx.params.get("days", 7)), progress=ctx.progress, job_id=ctx.job_id
    )
    message = ngettext("%(count)s e-mail sent.", "%(count)s e-mails sent.", sent) % {"count": sent}
    return JobOutput(message=message)


REMINDERS = JobKind(
    label=gettext_lazy("Reminder e-mails"),
    check=reminders_check,
    run=reminders_run,
)
