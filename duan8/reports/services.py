"""Writes to reports: open one for a deadline, write its narrative parts, submit, return with
comments, approve (which locks the unit's records for the period), unlock; request reports on
demand (ad hoc, mid-term, final).

Who may do what:

- the commune's Women's Union officer (``plans.edit`` on the reporting unit) opens, writes and
  submits;
- a reviewer (``reports.review``) on the unit the report goes to — the unit above the reporting
  unit at the schedule's level, as the map stood on the due date (huyện Ba Tơ for xã Ba Trang in
  2023, the new tỉnh Quảng Ngãi for xã Đặng Thùy Trâm from 1/7/2025; the commune itself for the
  People's Committee's authentication) — returns, approves and unlocks.

Every change claims the report's version (``core.concurrency``: lost updates and writes naming
no version are refused), writes a history step and an audit event. Problems are keyed by the
input's field (``core.problems``): ``results``, ``comment``, ``due_on``…
"""

import datetime
import unicodedata

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.services.locks import data_lock, data_unlock
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import WHOLE, Invalid, Problem, Problems
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.reports.figures import figures_compute, figures_differ, figures_missing
from duan8.reports.models import Report, ReportSchedule, ReportStep
from duan8.reports.selectors import EDIT, REVIEW, deadline_find, recipient_unit_for

SNAPSHOT_FIELDS = [
    "status",
    "results",
    "difficulties",
    "proposals",
    "period_start",
    "period_end",
    "due_on",
    "number",
]


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# The longest narrative part a report takes (a few pages; issue 10, point 9).
NARRATIVE_MAX = 20_000


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _claim(report: Report, expected_version: int | None) -> None:
    """Raise the report's version (``core.concurrency``); a conflict says who changed it."""
    claim_version(report, expected_version, explain=lambda: _changed_by(report))


def _changed_by(report: Report) -> str:
    last = report.steps.select_related("actor").order_by("-created_at", "-pk").first()
    who = (last.actor_name or str(last.actor)) if last else "?"
    return _(
        "Someone else (%(user)s) changed this report after you opened it. Nothing of yours "
        "was saved; reload the page and try again."
    ) % {"user": who}


def _refusal(message: str, field: str = WHOLE, code: str = "invalid") -> Invalid:
    """One problem, on ``field`` (by default the report as a whole: its message names what it is
    about)."""
    return Invalid([Problem(field, message, code)])


def _step(report: Report, actor: User, action: str, comment: str = "") -> ReportStep:
    return ReportStep.objects.create(
        report=report,
        action=action,
        actor=actor if actor.is_authenticated else None,
        actor_name=actor.get_username() if actor.is_authenticated else "",
        comment=comment,
        status=report.status,
    )


def _audit(
    actor: User, action: str, report: Report, before: dict | None = None, message: str = ""
) -> None:
    audit.record(
        actor=actor,
        action=f"reports.report.{action}",
        target=report,
        org_unit=report.org_unit,
        before=before,
        after=audit.snapshot(report, SNAPSHOT_FIELDS),
        message=message,
        version=report.version,
    )


def _require_status(report: Report, *allowed: str) -> None:
    if report.status not in allowed:
        raise _refusal(
            _("This report is “%(status)s”; that cannot be done now.")
            % {"status": report.get_status_display()}
        )


# --- opening a report ---------------------------------------------------------------------------


@transaction.atomic
def report_open(
    *, actor: User, schedule: ReportSchedule, unit: OrgUnit, due_on: datetime.date
) -> Report:
    """The report of ``unit`` for the deadline of ``schedule`` on ``due_on``: the one already
    started, or a new draft."""
    require_permission(actor, EDIT, unit)
    existing = Report.objects.filter(schedule=schedule, org_unit=unit, due_on=due_on).first()
    if existing is not None:
        return existing
    if schedule.is_on_request:
        raise _refusal(
            _("“%(schedule)s” is written when the level above requests it.")
            % {"schedule": schedule.name},
            "schedule",
        )
    if unit.level != schedule.reporting_level:
        raise _refusal(
            _("“%(schedule)s” is not written by %(unit)s.")
            % {"schedule": schedule.name, "unit": unit.full_name},
            "schedule",
        )
    deadline = deadline_find(schedule, due_on)
    if deadline is None:
        raise _refusal(
            _("“%(schedule)s” has no deadline on %(date)s.")
            % {"schedule": schedule.name, "date": _date(due_on)},
            "due_on",
        )
    if not unit.is_valid_on(due_on):
        raise _refusal(
            _("%(unit)s did not exist on %(date)s, the due date of this report.")
            % {"unit": unit.full_name, "date": _date(due_on)},
            "due_on",
        )
    recipient = recipient_unit_for(unit, schedule.recipient_level)
    if recipient is None:
        raise _refusal(
            _("%(unit)s has no unit above it at the level this report goes to.")
            % {"unit": unit.full_name}
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                schedule=schedule,
                org_unit=unit,
                recipient_unit=recipient,
                period_start=deadline.period_start,
                period_end=deadline.period_end,
                due_on=due_on,
            )
    except IntegrityError:  # opened at the same moment by someone else
        return Report.objects.get(schedule=schedule, org_unit=unit, due_on=due_on)
    _step(report, actor, ReportStep.Action.CREATED)
    _audit(actor, "created", report)
    return report


@transaction.atomic
def report_request(
    *,
    actor: User,
    schedule: ReportSchedule,
    area: OrgUnit,
    due_on: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date,
    note: str,
) -> list[Report]:
    """Ask every commune under ``area`` (as the map stands on ``due_on``) for a report on request
    (ad hoc, mid-term or final review); the reports come back to ``area``. Communes already asked
    for the same report on the same day are skipped."""
    require_permission(actor, REVIEW, area)
    problems = Problems()
    if not schedule.is_on_request:
        problems.add(
            "schedule",
            _("“%(schedule)s” has fixed deadlines; it is not requested.")
            % {"schedule": schedule.name},
        )
    elif not schedule.applies_on(due_on):
        problems.add(
            "schedule",
            _("“%(schedule)s” does not apply on %(date)s; choose the rule in force then.")
            % {"schedule": schedule.name, "date": _date(due_on)},
        )
    if due_on < timezone.localdate():
        problems.add("due_on", _("%(date)s is in the past.") % {"date": _date(due_on)})
    if period_end < period_start:
        problems.add("period_end", _("The end of the period is before its start."))
    if period_end > due_on:
        problems.add("period_end", _("The period must end by the due date."))
    note = _text(note)
    if not note:
        problems.add("note", _("Say what the report must cover."), "required")
    if area.level >= schedule.reporting_level:
        problems.add(
            WHOLE, _("%(unit)s has no communes under it to ask.") % {"unit": area.full_name}
        )
    problems.raise_if_any()
    units = [
        u
        for u in OrgUnit.objects.filter(
            path__startswith=area.path, level=schedule.reporting_level
        ).order_by("path")
        if u.is_valid_on(due_on)
    ]
    asked = set(
        Report.objects.filter(schedule=schedule, due_on=due_on, org_unit__in=units).values_list(
            "org_unit_id", flat=True
        )
    )
    created = []
    for unit in units:
        if unit.pk in asked:
            continue
        report = Report.objects.create(
            schedule=schedule,
            org_unit=unit,
            recipient_unit=area,
            period_start=period_start,
            period_end=period_end,
            due_on=due_on,
            request_note=note,
            requested_by=actor,
        )
        _step(report, actor, ReportStep.Action.REQUESTED, note)
        _audit(actor, "requested", report)
        created.append(report)
    return created


# --- writing and submitting ---------------------------------------------------------------------


@transaction.atomic
def report_save(
    *,
    actor: User,
    report: Report,
    results: str,
    difficulties: str,
    proposals: str,
    expected_version: int | None,
) -> Report:
    require_permission(actor, EDIT, report.org_unit)
    _require_status(report, Report.Status.DRAFT, Report.Status.RETURNED)
    problems = Problems()
    parts = {"results": results, "difficulties": difficulties, "proposals": proposals}
    for name, text in parts.items():
        if len(text or "") > NARRATIVE_MAX:
            problems.add(
                name,
                _("%(length)s characters; at most %(limit)s.")
                % {"length": len(text), "limit": NARRATIVE_MAX},
                "max_length",
            )
    problems.raise_if_any()
    before = audit.snapshot(report, SNAPSHOT_FIELDS)
    _claim(report, expected_version)
    report.results, report.difficulties, report.proposals = (
        _text(results),
        _text(difficulties),
        _text(proposals),
    )
    report.save(update_fields=["results", "difficulties", "proposals", "updated_at"])
    _step(report, actor, ReportStep.Action.SAVED)
    _audit(actor, "updated", report, before)
    return report


def report_missing_parts(report: Report) -> list[Problem]:
    """What a report still lacks before it can be submitted (narrative parts only), by part."""
    parts = {
        "results": report.results,
        "difficulties": report.difficulties,
        "proposals": report.proposals,
    }
    return [
        Problem(name, _("This part is empty; write it before submitting."), "required")
        for name, text in parts.items()
        if not text.strip()
    ]


@transaction.atomic
def report_submit(*, actor: User, report: Report, expected_version: int | None) -> Report:
    """Fill the figures from the records, keep them with the report, and send it up.

    Refused, naming what is missing, when a narrative part is empty (on that part) or the records
    give no result for the period (on ``figures``)."""
    require_permission(actor, EDIT, report.org_unit)
    _require_status(report, Report.Status.DRAFT, Report.Status.RETURNED)
    problems = Problems()
    problems.extend(report_missing_parts(report))
    figures = figures_compute(actor=actor, report=report)
    if figures_missing(figures):
        problems.add(
            "figures",
            _(
                "The records of %(unit)s give no result for %(start)s–%(end)s; record the "
                "activities carried out before submitting."
            )
            % {
                "unit": report.org_unit.full_name,
                "start": _date(report.period_start),
                "end": _date(report.period_end),
            },
            "required",
        )
    problems.raise_if_any()
    before = audit.snapshot(report, SNAPSHOT_FIELDS)
    _claim(report, expected_version)
    again = report.first_submitted_at is not None
    now = timezone.now()
    report.figures = figures
    report.status = Report.Status.SUBMITTED
    report.submitted_at, report.submitted_by = now, actor
    report.first_submitted_at = report.first_submitted_at or now
    report.save(
        update_fields=[
            "figures",
            "status",
            "submitted_at",
            "submitted_by",
            "first_submitted_at",
            "updated_at",
        ]
    )
    _step(report, actor, ReportStep.Action.RESUBMITTED if again else ReportStep.Action.SUBMITTED)
    _audit(actor, "resubmitted" if again else "submitted", report, before)
    return report


# --- review -------------------------------------------------------------------------------------


@transaction.atomic
def report_return(
    *, actor: User, report: Report, comment: str, expected_version: int | None
) -> Report:
    require_permission(actor, REVIEW, report.recipient_unit)
    _require_status(report, Report.Status.SUBMITTED)
    comment = _text(comment)
    if not comment:
        raise _refusal(_("Say what must be corrected."), "comment", "required")
    before = audit.snapshot(report, SNAPSHOT_FIELDS)
    _claim(report, expected_version)
    report.status = Report.Status.RETURNED
    report.reviewed_at, report.reviewed_by = timezone.now(), actor
    report.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    _step(report, actor, ReportStep.Action.RETURNED, comment)
    _audit(actor, "returned", report, before, comment)
    return report


@transaction.atomic
def report_approve(
    *, actor: User, report: Report, expected_version: int | None, comment: str = ""
) -> Report:
    """Approve the figures as submitted and lock the unit's records for the period.

    Refused when the records changed after submission: what is locked must be what was
    approved."""
    require_permission(actor, REVIEW, report.recipient_unit)
    _require_status(report, Report.Status.SUBMITTED)
    if figures_differ(figures_compute(actor=actor, report=report), report.figures):
        raise _refusal(
            _(
                "The records of %(unit)s changed after the report was submitted, so its figures "
                "are no longer those of the records. Return it so that it is submitted again."
            )
            % {"unit": report.org_unit.full_name}
        )
    before = audit.snapshot(report, SNAPSHOT_FIELDS)
    _claim(report, expected_version)
    lock = data_lock(
        actor=actor,
        org_unit=report.org_unit,
        period_start=report.period_start,
        period_end=report.period_end,
        reason=_("report “%(name)s” approved") % {"name": report.schedule.name},
        source=f"reports.report:{report.pk}",
    )
    report.status = Report.Status.APPROVED
    report.reviewed_at, report.reviewed_by, report.lock = timezone.now(), actor, lock
    report.save(update_fields=["status", "reviewed_at", "reviewed_by", "lock", "updated_at"])
    _number_assign(report)
    _step(report, actor, ReportStep.Action.APPROVED, _text(comment))
    _audit(actor, "approved", report, before, _text(comment))
    return report


NUMBER_ATTEMPTS = 5


def _number_assign(report: Report) -> None:
    """Give an approved report its document number ("12/BC-UBND") unless it has one (a report
    approved again after an unlock keeps its number).

    Numbers run from 1 in each year of the report's date, per issuing body: the reporting unit
    and the schedule's symbol (the People's Committee's "BC-UBND" and the Women's Union's
    "BC-HPN" keep separate books). Two approvals at the same moment cannot share a number: the
    unique constraint refuses the second, which takes the next one."""
    if report.number is not None:
        return
    symbol, year = report.schedule.document_symbol, report.document_date.year
    for attempt in range(NUMBER_ATTEMPTS):
        taken = Report.objects.filter(
            org_unit=report.org_unit, number_symbol=symbol, number_year=year
        ).aggregate(last=Max("number"))["last"]
        report.number, report.number_year, report.number_symbol = (taken or 0) + 1, year, symbol
        try:
            with transaction.atomic():
                report.save(update_fields=["number", "number_year", "number_symbol"])
        except IntegrityError:
            report.number = None
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
        else:
            return


@transaction.atomic
def report_unlock(
    *, actor: User, report: Report, reason: str, expected_version: int | None
) -> Report:
    """Unlock the records of an approved report so they can be corrected; the report goes back
    to the commune (returned) with the reason, to be submitted and approved again."""
    require_permission(actor, REVIEW, report.recipient_unit)
    _require_status(report, Report.Status.APPROVED)
    reason = _text(reason)
    if not reason:
        raise _refusal(_("Say why the data is unlocked."), "reason", "required")
    before = audit.snapshot(report, SNAPSHOT_FIELDS)
    _claim(report, expected_version)
    if report.lock is not None:
        data_unlock(actor=actor, lock=report.lock, reason=reason)
    report.status, report.lock = Report.Status.RETURNED, None
    report.reviewed_at, report.reviewed_by = timezone.now(), actor
    report.save(update_fields=["status", "lock", "reviewed_at", "reviewed_by", "updated_at"])
    _step(report, actor, ReportStep.Action.UNLOCKED, reason)
    _audit(actor, "unlocked", report, before, reason)
    return report
