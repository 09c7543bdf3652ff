"""What an import gives: the plan as "duan8.plan/1" data and its problems (``PlanImport``), kept
in the session between the preview and the confirm step, and the listing of too many problems."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from duan8.documents.importing.problems import ImportProblem, Problems, Where

MAX_LISTED = 300  # problems listed; a file with more has its first ones to correct


@dataclass
class PlanImport:
    """What a file gives: the plan as "duan8.plan/1" data (None if unreadable) and its problems."""

    filename: str
    kind: str
    unit_id: int
    data: dict[str, Any]
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportProblem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [problem for problem in self.problems if not problem.is_error]

    @property
    def counts(self) -> dict[str, int]:
        allocation = self.data.get("allocation") or {}
        rows = rows_flat(allocation.get("rows") or [])
        columns = len(allocation.get("columns") or [])
        return {
            "legal_bases": len(self.data.get("legal_bases") or []),
            "targets": sum(
                1
                for item in self.data.get("targets") or []
                for s in ("commune", "village")
                if s in item
            ),
            "columns": columns,
            "rows": len(rows),
            "cells": len(rows) * columns,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "kind": self.kind,
            "unit_id": self.unit_id,
            "data": self.data,
            "problems": [problem.as_dict() for problem in self.problems],
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "PlanImport":
        return cls(
            filename=raw["filename"],
            kind=raw["kind"],
            unit_id=raw["unit_id"],
            data=raw["data"],
            problems=[ImportProblem.from_dict(problem) for problem in raw["problems"]],
        )


def rows_flat(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat = []
    for row in rows:
        flat.append(row)
        flat.extend(rows_flat(row.get("children") or []))
    return flat


def listed(problems: Problems) -> list[ImportProblem]:
    """The problems, the first ``MAX_LISTED`` of them when there are more (they wait in the
    session and are shown in one table); a left-out error still keeps the plan from being made."""
    if len(problems) <= MAX_LISTED:
        return list(problems)
    kept, left = Problems(problems[:MAX_LISTED]), problems[MAX_LISTED:]
    errors = sum(problem.is_error for problem in left)
    message = _(
        "%(count)s more problems (%(errors)s of them errors) are not listed; correct those above"
        " and read the file again."
    ) % {"count": len(left), "errors": errors}
    (kept.error if errors else kept.warning)(Where(), message)
    return list(kept)
