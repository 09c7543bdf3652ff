"""Demo data: xã Ba Trang's 2023 reports to the level above (``data/ba_trang_2023_reports.json``).

Each report is opened, written, submitted, returned or approved through ``reports.services``
by the demo user the file names, so it is checked, permission-checked and audited like work done
in the pages; approval locks the unit's records for the period, as it would. The demo then dates
the report's history (its steps, submission and review times) to the days of 2023–2024 the file
gives, so that completeness shows on time / late / not reported and the Word file carries the
day it was sent; the audit log keeps the real time of the run. A report found again (schedule,
unit, due date) is left as it is, whatever a user did to it since: a second run creates nothing.
Never load this into a production database.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import DataLock
from duan8.core.schemas import load_file
from duan8.demo.schemas import ReportRow, ReportsFile
from duan8.orgunits.models import OrgUnit
from duan8.reports.models import Report, ReportSchedule, ReportStep
from duan8.reports.services import (
    report_approve,
    report_open,
    report_return,
    report_save,
    report_submit,
)

DEMO_REPORTS_FILE = Path(__file__).resolve().parent / "data" / "ba_trang_2023_reports.json"


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@dataclass
class DemoReport:
    """One report of the file: the report, and whether this run created it."""

    report: Report
    created: bool

    def lines(self) -> list[str]:
        report = self.report
        names = {
            "name": report.schedule.name,
            "unit": report.org_unit.full_name,
            "due": _day(report.due_on),
            "status": report.get_status_display(),
        }
        if not self.created:
            return [
                _("Report “%(name)s” of %(unit)s, due %(due)s: already there (%(status)s), kept.")
                % names
            ]
        lines = [_("Report “%(name)s” of %(unit)s, due %(due)s: created.") % names]
        steps = report.steps.select_related("actor").order_by("created_at", "pk")
        for step in steps:
            if step.action in (ReportStep.Action.CREATED, ReportStep.Action.SAVED):
                continue
            lines.append(
                "  "
                + _("%(date)s, %(user)s: %(action)s.")
                % {
                    "date": _day(step.created_at),
                    "user": step.actor_name,
                    "action": step.get_action_display(),
                }
            )
        if report.lock is not None:
            lines.append(
                "  "
                + _("Data lock created: the records of %(unit)s for %(start)s–%(end)s.")
                % {
                    "unit": report.lock.org_unit.full_name,
                    "start": _day(report.lock.period_start),
                    "end": _day(report.lock.period_end),
                }
            )
        return lines


class _Loader:
    def __init__(self, *, unit: OrgUnit, actors: dict[str, User]) -> None:
        self.unit = unit
        self.actors = actors
        self.now = timezone.now()

    def actor(self, key: str) -> User:
        if key not in self.actors:
            raise ValidationError(_("Demo data: no user given for “%(key)s”.") % {"key": key})
        return self.actors[key]

    def moment(self, naive: datetime.datetime, *, where: str) -> datetime.datetime:
        moment = timezone.make_aware(naive)
        if moment > self.now:
            raise ValidationError(
                _("Demo data, %(where)s: %(value)s is in the future.")
                % {"where": where, "value": naive.isoformat(timespec="minutes")}
            )
        return moment

    def schedule(self, code: str) -> ReportSchedule:
        schedule = ReportSchedule.objects.filter(code=code).first()
        if schedule is None:
            raise ValidationError(
                _("Demo data: no report schedule has code %(code)s.") % {"code": code}
            )
        return schedule

    def report_load(self, row: ReportRow) -> DemoReport:
        schedule = self.schedule(row.schedule)
        due_on = row.due_on
        where = f"{schedule.code} {due_on.isoformat()}"
        existing = Report.objects.filter(schedule=schedule, org_unit=self.unit, due_on=due_on)
        report = existing.select_related("schedule", "org_unit", "lock__org_unit").first()
        if report is not None:
            return DemoReport(report, created=False)

        opened_at = self.moment(row.opened.at, where=where)
        times = [opened_at, opened_at]  # the steps "started" and "edited"
        for step in row.steps:
            times.append(self.moment(step.at, where=where))
        if times != sorted(times):
            raise ValidationError(
                _("Demo data, %(where)s: the steps are not in the order of their times.")
                % {"where": where}
            )

        writer = self.actor(row.opened.by)
        report = report_open(actor=writer, schedule=schedule, unit=self.unit, due_on=due_on)
        report = report_save(
            actor=writer,
            report=report,
            results=row.results,
            difficulties=row.difficulties,
            proposals=row.proposals,
            expected_version=report.version,
        )
        for step in row.steps:
            actor = self.actor(step.by)
            version = report.version
            if step.action == "submit":
                report = report_submit(actor=actor, report=report, expected_version=version)
            elif step.action == "return":
                report = report_return(
                    actor=actor, report=report, comment=step.comment, expected_version=version
                )
            else:
                report = report_approve(
                    actor=actor,
                    report=report,
                    comment=step.comment,
                    expected_version=version,
                )
        _date_history(report, times)
        report = Report.objects.select_related("schedule", "org_unit", "lock__org_unit").get(
            pk=report.pk
        )
        return DemoReport(report, created=True)


def _date_history(report: Report, times: list[datetime.datetime]) -> None:
    """Move the report's history to ``times`` (one per step, in order): the days the demo tells.

    Only the timestamps change; who did what, the figures and the audit log stay as the services
    wrote them."""
    steps = list(report.steps.order_by("created_at", "pk"))
    if len(steps) != len(times):  # not a report this run wrote from the start: leave it
        return
    submitted = [
        moment
        for step, moment in zip(steps, times, strict=True)
        if step.action in (ReportStep.Action.SUBMITTED, ReportStep.Action.RESUBMITTED)
    ]
    reviewed = [
        moment
        for step, moment in zip(steps, times, strict=True)
        if step.action in (ReportStep.Action.RETURNED, ReportStep.Action.APPROVED)
    ]
    for step, moment in zip(steps, times, strict=True):
        ReportStep.objects.filter(pk=step.pk).update(created_at=moment, updated_at=moment)
    changes: dict[str, Any] = {"created_at": times[0], "updated_at": times[-1]}
    if submitted:
        changes.update(first_submitted_at=submitted[0], submitted_at=submitted[-1])
        if report.figures is not None:
            figures = dict(report.figures)
            figures["computed_at"] = timezone.localtime(submitted[-1]).isoformat(timespec="seconds")
            changes["figures"] = figures
    if reviewed:
        changes["reviewed_at"] = reviewed[-1]
    Report.objects.filter(pk=report.pk).update(**changes)
    if report.lock_id is not None and reviewed:
        DataLock.objects.filter(pk=report.lock_id).update(
            created_at=reviewed[-1], updated_at=reviewed[-1]
        )


@transaction.atomic
def demo_reports_load(
    *, unit: OrgUnit, actors: dict[str, User], path: Path | str = DEMO_REPORTS_FILE
) -> list[DemoReport]:
    """Write the demo reports of ``unit`` (xã Ba Trang); all of them or, on any error, none.

    ``actors`` maps the role keys of the file (``commune_wu_officer``, ``district_reviewer``) to
    the users who act. Raises ValidationError or PermissionDenied as the services do.
    """
    data = load_file(ReportsFile, Path(path))
    loader = _Loader(unit=unit, actors=actors)
    return [loader.report_load(row) for row in data.reports]
