"""Reads of reports: one report, who signs it, its actions, a unit's reports and who writes
or reviews them."""

import datetime
import unicodedata
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.utils import timezone

from duan8.accounts.models import Membership, User
from duan8.activities.models import Event
from duan8.core.audit import NotVisible
from duan8.core.compiled import Compiled
from duan8.orgunits.access import active_memberships, can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_ancestors
from duan8.reports.models import Report, ReportSchedule, ReportStep
from duan8.reports.selectors.deadlines import (
    EDIT,
    REVIEW,
    VIEW,
    Deadline,
    deadlines_for_year,
)

# --- one report ---------------------------------------------------------------------------------


def report_get(*, actor: User, report_id: int) -> Report:
    """The report, if the actor may see the records of its unit (reviewers above may); else 404."""
    report = (
        Report.objects.select_related(
            "schedule", "org_unit", "recipient_unit", "submitted_by", "reviewed_by", "lock"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can(actor, VIEW, report.org_unit):
        raise NotVisible
    return report


def report_steps(report: Report) -> list[ReportStep]:
    return list(report.steps.select_related("actor").order_by("created_at", "pk"))


def report_latest_return(steps: list[ReportStep]) -> ReportStep | None:
    """The last comment that sent the report back (returned, or unlocked and reopened), while it
    is still the last word: a report submitted again after it no longer shows it on top."""
    sent_back = (ReportStep.Action.RETURNED, ReportStep.Action.UNLOCKED)
    reopened = (ReportStep.Action.SUBMITTED, ReportStep.Action.RESUBMITTED)
    for step in reversed(steps):
        if step.action in reopened:
            return None
        if step.action in sent_back and step.comment:
            return step
    return None


# --- who signs a report -------------------------------------------------------------------------

PEOPLE_COMMITTEE = "people_committee"
WOMEN_UNION = "women_union"
# The role whose holder signs for each issuing body of a commune ("TM. ỦY BAN NHÂN DÂN / CHỦ
# TỊCH": the People's Committee's chairman; "TM. BAN CHẤP HÀNH / CHỦ TỊCH": the chairwoman of the
# commune's Women's Union, the commune's Women's Union officer). A schedule may name another one
# in its document settings ("signer_role").
SIGNER_ROLES = {PEOPLE_COMMITTEE: "commune_leader", WOMEN_UNION: "commune_wu_officer"}


def report_issuer(schedule: ReportSchedule) -> str:
    """Which body issues the schedule's reports, as its document settings say: their "issuer"
    key, else the agency and signature lines ("Ủy ban nhân dân" / "TM. ỦY BAN NHÂN DÂN" or
    "Hội LHPN" / "TM. BAN CHẤP HÀNH"); "" when they say neither."""
    document = schedule.document or {}
    if document.get("issuer") in SIGNER_ROLES:
        return str(document["issuer"])
    lines = []
    for key in ("agency", "signature"):
        raw = document.get(key) or []
        lines += [raw] if isinstance(raw, str) else [str(item) for item in raw]
    text = " ".join(unicodedata.normalize("NFC", line).upper() for line in lines)
    if "ỦY BAN NHÂN DÂN" in text or "UỶ BAN NHÂN DÂN" in text or "UBND" in text:
        return PEOPLE_COMMITTEE
    if any(word in text for word in ("HỘI LHPN", "HỘI LIÊN HIỆP PHỤ NỮ", "BAN CHẤP HÀNH")):
        return WOMEN_UNION
    return ""


def report_signer_name(report: Report) -> str:
    """The name printed under the signature: the one person holding the issuing body's signing
    role in the reporting unit on the report's date (an active account). "" when nobody or
    several hold it (a chairman and his deputies share the commune leaders' role): the title is
    printed and the name is written by hand. Never simply the person who submitted it."""
    document = report.schedule.document or {}
    role = document.get("signer_role") or SIGNER_ROLES.get(report_issuer(report.schedule))
    if not role:
        return ""
    day = report.document_date
    holders = {
        m.user
        for m in Membership.objects.filter(
            org_unit=report.org_unit, role__code=role, user__is_active=True
        ).select_related("user")
        if m.is_active_on(day)
    }
    if len(holders) != 1:
        return ""
    return holders.pop().full_name.strip()


def report_can(actor: User, report: Report) -> dict[str, bool]:
    """Which actions the page offers (the services check again)."""
    editor = can(actor, EDIT, report.org_unit)
    reviewer = can(actor, REVIEW, report.recipient_unit)
    status = report.status
    return {
        "edit": editor and report.is_editable,
        "submit": editor and report.is_editable,
        "review": reviewer and status == Report.Status.SUBMITTED,
        "unlock": reviewer and status == Report.Status.APPROVED,
    }


# --- a unit's reports ---------------------------------------------------------------------------


def report_year_default(unit: OrgUnit, years: list[int]) -> int:
    """The year the report and completeness pages of ``unit`` open on: the latest of ``years``
    with data in or under the unit (a report whose period ends in it, or an event held in it),
    else the latest of ``years`` (this year, or the unit's last one). An empty 2026 no longer
    hides the 2023 a commune actually worked and reported on."""
    first, last = min(years), max(years)
    found = [
        Report.objects.filter(
            org_unit__path__startswith=unit.path,
            period_end__year__gte=first,
            period_end__year__lte=last,
        ).aggregate(day=Max("period_end"))["day"],
        Event.objects.filter(
            org_unit__path__startswith=unit.path,
            held_on__year__gte=first,
            held_on__year__lte=last,
        ).aggregate(day=Max("held_on"))["day"],
    ]
    with_data = {day.year for day in found if day is not None} & set(years)
    return max(with_data) if with_data else last


@dataclass
class DeadlineRow:
    deadline: Deadline
    report: Report | None
    recipient: OrgUnit | None

    @property
    def is_overdue(self) -> bool:
        return (self.report is None or not self.report.is_submitted) and (
            self.deadline.due_on < timezone.localdate()
        )


# A unit's reports due between two days (built once a process: core.compiled).
_REPORTS_DUE = Compiled(
    lambda unit_id, first, last: Report.objects.filter(
        org_unit_id=unit_id, due_on__gte=first, due_on__lte=last
    ).select_related("schedule", "recipient_unit"),
    prepared=True,
)


def unit_report_rows(*, actor: User, unit: OrgUnit, year: int) -> list[DeadlineRow]:
    """The deadlines of ``unit`` for the figures of ``year`` with the reports started, plus the
    reports requested from it. Queries: the unit's ancestors, the schedules, its reports."""
    if not can(actor, VIEW, unit):
        raise NotVisible
    ancestors = org_unit_ancestors(unit)
    above = {a.level: a for a in ancestors}
    above[unit.level] = unit
    deadlines = [
        d for d in deadlines_for_year(year, level=unit.level) if unit.is_valid_on(d.due_on)
    ]
    reports = {
        (r.schedule_id, r.due_on): r
        for r in _REPORTS_DUE(unit.pk, datetime.date(year, 1, 1), datetime.date(year + 1, 12, 31))
    }
    rows = [
        DeadlineRow(d, reports.pop(d.key, None), above.get(d.schedule.recipient_level))
        for d in deadlines
    ]
    for report in reports.values():
        if report.schedule.is_on_request and report.period_end.year == year:
            deadline = Deadline(
                report.schedule, report.due_on, report.period_start, report.period_end
            )
            rows.append(DeadlineRow(deadline, report, report.recipient_unit))
    return sorted(rows, key=lambda r: (r.deadline.due_on, r.deadline.schedule.order))


def reporting_units_of(actor: User) -> list[OrgUnit]:
    """The communes whose reports the actor writes (a role with ``plans.edit`` in the commune)."""
    units = {
        m.org_unit.pk: m.org_unit
        for m in active_memberships(actor)
        if EDIT in m.role.permissions and m.org_unit.level == OrgUnit.Level.COMMUNE
    }
    return sorted(units.values(), key=lambda u: u.path)


def review_units_of(actor: User) -> list[OrgUnit]:
    """The units where the actor reviews reports (a role with ``reports.review``)."""
    units = {
        m.org_unit.pk: m.org_unit for m in active_memberships(actor) if REVIEW in m.role.permissions
    }
    return sorted(units.values(), key=lambda u: u.path)


def reports_for_review(*, actor: User) -> QuerySet[Report]:
    """Submitted reports addressed to a unit where the actor reviews (not those of the levels
    below, which their own reviewers handle)."""
    units = review_units_of(actor)
    if not units:
        return Report.objects.none()
    return (
        Report.objects.filter(recipient_unit__in=units, status=Report.Status.SUBMITTED)
        .select_related("schedule", "org_unit")
        .order_by("due_on", "org_unit__path")
    )
