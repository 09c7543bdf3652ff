"""Load the report schedules (data files ``data/schedules/*.json``).

Each file holds the rules of one period of the law: phase I under TT 01/2022/TT-UBDT while
districts existed (deadlines until 30/6/2025), the two-tier map from 1/7/2025. A schedule's
``valid_from``/``valid_to`` default to its file's. Loading replaces the schedules named in the
files (by code) and leaves the others alone; reports keep pointing at their schedule.
"""

import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import Field, ValidationInfo, field_validator, model_validator

from duan8.accounts.models import Role
from duan8.core.problems import Problem
from duan8.core.schemas import Day, FileSchema, Name, Text, fail, load, read_json
from duan8.reports.models import ReportSchedule

SCHEDULE_DIR = Path(__file__).resolve().parent / "data" / "schedules"
FORMAT: Literal["duan8.report_schedules/1"] = "duan8.report_schedules/1"
ISSUERS = ("people_committee", "women_union")
Level = Annotated[int, Field(ge=1, le=4)]


def schedule_files() -> list[Path]:
    return sorted(SCHEDULE_DIR.glob("*.json"))


class Due(FileSchema):
    month: Annotated[int, Field(ge=1, le=12)] | None = None
    day: Annotated[int, Field(ge=1, le=31)] | None = None
    year_offset: Annotated[int, Field(ge=0)] | None = None


class DocumentSettings(FileSchema):
    """How the report's document is headed and signed; stored as written. "issuer" and
    "signer_role" (a role code) say who signs, when the agency and signature lines do not
    (reports.selectors.report_signer_name)."""

    symbol: str = ""
    parent: str = ""
    agency: list[str] = []
    summary: str = ""
    recipients: list[str] = []
    signature: list[str] = []
    issuer: Literal["people_committee", "women_union"] | None = None
    signer_role: str | None = None

    @field_validator("signer_role")
    @classmethod
    def _a_role(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value not in (info.context or {}).get("roles", ()):
            raise ValueError(_("“%(value)s” is not a role code.") % {"value": value})
        return value


class Schedule(FileSchema):
    code: Name
    name: Name
    kind: Annotated[ReportSchedule.Kind, Field(strict=False)]
    channel: Annotated[ReportSchedule.Channel, Field(strict=False)]
    reporter: Text = ""
    reporting_level: Level
    recipient_level: Level
    recipients: list[Text] = []
    due: Due | None = None
    period: Annotated[ReportSchedule.PeriodKind, Field(strict=False)]
    valid_from: Day | None = None
    valid_to: Day | None = None
    document: DocumentSettings | None = None
    legal_basis: Text = ""
    order: Annotated[int, Field(ge=0)] | None = None

    @field_validator("recipient_level")
    @classmethod
    def _at_or_above(cls, level: int, info: ValidationInfo) -> int:
        reporting = info.data.get("reporting_level")
        if reporting is not None and level > reporting:
            raise ValueError(_("the recipient must be at or above the reporter."))
        return level

    @model_validator(mode="after")
    def _a_yearly_report_has_a_due_day(self) -> "Schedule":
        due = self.due or Due()
        if self.kind == ReportSchedule.Kind.ANNUAL:
            try:
                datetime.date(2024, due.month or 0, due.day or 0)  # a leap year accepts 29/2
            except ValueError as exc:
                raise ValueError(_("a yearly report needs a valid due day and month.")) from exc
        return self

    def values(self, file: "ScheduleFile") -> dict[str, Any]:
        """The schedule's fields as stored; the validity defaults to the file's."""
        due = self.due or Due()
        given = self.model_fields_set
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind.value,
            "channel": self.channel.value,
            "reporter": self.reporter,
            "reporting_level": self.reporting_level,
            "recipient_level": self.recipient_level,
            "recipients": "\n".join(self.recipients),
            "due_month": due.month,
            "due_day": due.day,
            "due_year_offset": due.year_offset or 0,
            "period_kind": self.period.value,
            "valid_from": self.valid_from if "valid_from" in given else file.valid_from,
            "valid_to": self.valid_to if "valid_to" in given else file.valid_to,
            "document": self.document.model_dump(exclude_unset=True) if self.document else {},
            "legal_basis": self.legal_basis,
            "notes": "\n".join(file.notes),
            "order": self.order or 0,
        }


class ScheduleFile(FileSchema):
    """One period of the law's schedules; a schedule's validity defaults to the file's."""

    format: Literal["duan8.report_schedules/1"]
    name: Text = ""
    valid_from: Day | None = None
    valid_to: Day | None = None
    notes: list[Text] = []
    schedules: list[Schedule] = []


def _problems(file: ScheduleFile, rows: list[dict[str, Any]]) -> list[Problem]:
    """Periods that end before they start, codes used twice."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:
            message = _("valid_to is before valid_from.")
            problems.append(Problem(f"schedules.{index}.valid_to", message, "period"))
        if row["code"] in seen:
            message = _("the code %(code)s is used twice") % {"code": row["code"]}
            problems.append(Problem(f"schedules.{index}.code", message, "unique"))
        seen.add(row["code"])
    return problems


def schedules_read(path: Path | str) -> list[dict[str, Any]]:
    """The schedules of one file as field values; every problem is reported at once
    (``FileInvalid``: "<file>: schedules.3.kind (code): …")."""
    path = Path(path)
    data = read_json(path)
    roles = set(Role.objects.values_list("code", flat=True))
    file = load(ScheduleFile, data, source=path.name, context={"roles": roles})
    rows = [schedule.values(file) for schedule in file.schedules]
    problems = _problems(file, rows)
    if problems:
        raise fail(problems, source=path.name, data=data)
    return rows


@transaction.atomic
def schedules_load(*, paths: list[Path] | None = None) -> int:
    """Create or update every schedule of the files (all shipped files by default)."""
    rows = [row for path in (paths or schedule_files()) for row in schedules_read(path)]
    for row in rows:
        ReportSchedule.objects.update_or_create(code=row.pop("code"), defaults=row)
    return len(rows)
