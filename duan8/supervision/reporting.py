"""Supervision in the reports to the level above (issue 15, point 4): the counts of the
period's supervision sessions, findings and recommendations of the reporting unit and the units
below it, added to a report's figures through ``settings.REPORT_FIGURES_EXTENSIONS`` (frozen with
them at submission). Counts only: no names, no texts."""

from __future__ import annotations

from collections import Counter
from typing import Any

from duan8.accounts.permissions import RECORDS_VIEW
from duan8.orgunits.access import can
from duan8.supervision.models import Finding, Recommendation, Session


def _may_read(actor: Any, unit: Any) -> bool:
    if not getattr(actor, "is_authenticated", False):  # the command line's SystemActor
        return actor.__class__.__name__ == "SystemActor"
    return can(actor, RECORDS_VIEW, unit)


def report_supervision_figures(*, actor: Any, report: Any) -> dict[str, Any]:
    """Sessions held in the report's period, their findings, and their recommendations by state
    at the period's end (three queries)."""
    unit = report.org_unit
    if not _may_read(actor, unit):
        return {}
    start, end = report.period_start, report.period_end
    sessions = list(
        Session.objects.filter(
            org_unit__path__startswith=unit.path, starts_on__gte=start, starts_on__lte=end
        ).values_list("pk", flat=True)
    )
    findings = Finding.objects.filter(session__in=sessions).count() if sessions else 0
    recommendations = list(
        Recommendation.objects.filter(session__in=sessions).only("status", "due_on")
        if sessions
        else []
    )
    states = Counter(r.status for r in recommendations)
    return {
        "supervision": {
            "sessions": len(sessions),
            "findings": findings,
            "recommendations": len(recommendations),
            "answered": states[Recommendation.Status.ANSWERED]
            + states[Recommendation.Status.ACCEPTED],
            "overdue": sum(1 for r in recommendations if r.is_overdue(end)),
        }
    }
