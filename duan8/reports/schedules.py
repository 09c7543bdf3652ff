"""Load the report schedules (data files ``data/schedules/*.json``).

Each file holds the rules of one period of the law: phase I under TT 01/2022/TT-UBDT while
districts existed (deadlines until 30/6/2025), the two-tier map from 1/7/2025. A schedule's
``valid_from``/``valid_to`` default to its file's. Loading replaces the schedules named in the
files (by code) and leaves the others alone; reports keep pointing at their schedule.
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import Role
from duan8.reports.models import ReportSchedule

SCHEDULE_DIR = Path(__file__).resolve().parent / "data" / "schedules"
FORMAT = "duan8.report_schedules/1"
# "issuer" (people_committee or women_union) and "signer_role" (a role code) say who signs, when
# the agency and signature lines do not (reports.selectors.report_signer_name).
DOCUMENT_KEYS = {
    "symbol",
    "parent",
    "agency",
    "summary",
    "recipients",
    "signature",
    "issuer",
    "signer_role",
}
ISSUERS = ("people_committee", "women_union")


def schedule_files() -> list[Path]:
    return sorted(SCHEDULE_DIR.glob("*.json"))


def _date(raw: Any, *, where: str, errors: list[str]) -> datetime.date | None:
    if raw in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        errors.append(
            _("%(where)s: “%(value)s” is not a date (YYYY-MM-DD).")
            % {
                "where": where,
                "value": raw,
            }
        )
        return None


def schedules_read(path: Path | str) -> list[dict[str, Any]]:
    """The schedules of one file as field values; every problem is reported at once."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValidationError(_("%(path)s is not a report schedules file.") % {"path": path.name})
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(data.get("schedules", []), start=1):
        where = _("%(file)s, schedule %(n)s (%(code)s)") % {
            "file": path.name,
            "n": index,
            "code": item.get("code", "?"),
        }
        problems: list[str] = []
        if not item.get("code") or not item.get("name"):
            problems.append(_("%(where)s: a code and a name are required.") % {"where": where})
        if item.get("kind") not in ReportSchedule.Kind.values:
            problems.append(
                _("%(where)s: unknown kind “%(value)s”.")
                % {"where": where, "value": item.get("kind")}
            )
        if item.get("channel") not in ReportSchedule.Channel.values:
            problems.append(
                _("%(where)s: unknown channel “%(value)s”.")
                % {"where": where, "value": item.get("channel")}
            )
        if item.get("period") not in ReportSchedule.PeriodKind.values:
            problems.append(
                _("%(where)s: unknown period “%(value)s”.")
                % {"where": where, "value": item.get("period")}
            )
        levels = (item.get("reporting_level"), item.get("recipient_level"))
        if not all(isinstance(v, int) and 1 <= v <= 4 for v in levels) or levels[1] > levels[0]:
            problems.append(
                _("%(where)s: the levels must be 1–4 and the recipient at or above the reporter.")
                % {"where": where}
            )
        due = item.get("due") or {}
        month, day = due.get("month"), due.get("day")
        if item.get("kind") == ReportSchedule.Kind.ANNUAL:
            try:
                datetime.date(2024, int(month), int(day))  # a leap year accepts 29/2
            except (TypeError, ValueError):
                problems.append(
                    _("%(where)s: a yearly report needs a valid due day and month.")
                    % {"where": where}
                )
        document = item.get("document") or {}
        unknown = set(document) - DOCUMENT_KEYS
        if unknown:
            problems.append(
                _("%(where)s: unknown document settings %(keys)s.")
                % {"where": where, "keys": ", ".join(sorted(unknown))}
            )
        if "issuer" in document and document["issuer"] not in ISSUERS:
            problems.append(
                _("%(where)s: the issuer “%(value)s” is not one of %(known)s.")
                % {"where": where, "value": document["issuer"], "known": ", ".join(ISSUERS)}
            )
        if "signer_role" in document and not (
            isinstance(document["signer_role"], str)
            and Role.objects.filter(code=document["signer_role"]).exists()
        ):
            problems.append(
                _("%(where)s: the signer's role “%(value)s” is not a role code.")
                % {"where": where, "value": document["signer_role"]}
            )
        valid_from = _date(
            item.get("valid_from", data.get("valid_from")), where=where, errors=problems
        )
        valid_to = _date(item.get("valid_to", data.get("valid_to")), where=where, errors=problems)
        if valid_from and valid_to and valid_to < valid_from:
            problems.append(_("%(where)s: valid_to is before valid_from.") % {"where": where})
        errors.extend(problems)
        if problems:
            continue
        rows.append(
            {
                "code": item["code"],
                "name": item["name"],
                "kind": item["kind"],
                "channel": item["channel"],
                "reporter": item.get("reporter", ""),
                "reporting_level": item["reporting_level"],
                "recipient_level": item["recipient_level"],
                "recipients": "\n".join(item.get("recipients") or []),
                "due_month": month,
                "due_day": day,
                "due_year_offset": int(due.get("year_offset") or 0),
                "period_kind": item["period"],
                "valid_from": valid_from,
                "valid_to": valid_to,
                "document": item.get("document") or {},
                "legal_basis": item.get("legal_basis", ""),
                "notes": "\n".join(data.get("notes") or []),
                "order": int(item.get("order") or 0),
            }
        )
    codes = [row["code"] for row in rows]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        errors.append(
            _("%(file)s: code %(code)s is used twice.") % {"file": path.name, "code": code}
        )
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def schedules_load(*, paths: list[Path] | None = None) -> int:
    """Create or update every schedule of the files (all shipped files by default)."""
    rows = [row for path in (paths or schedule_files()) for row in schedules_read(path)]
    for row in rows:
        ReportSchedule.objects.update_or_create(code=row.pop("code"), defaults=row)
    return len(rows)
