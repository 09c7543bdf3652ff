"""What every records service checks before it writes: the actor's right (``EDIT``), the locks
that approved reports put on a unit's period, the record's version (``core.concurrency``, the one
version check, with who changed the record last), and the date, year and length limits of the
input. Every check returns or raises problems keyed by the input's field (``core.problems``); the
form or the spreadsheet row that shows them supplies the label.

A batch (``*_save_many``) checks its locks against one ``LockTable`` loaded for all its units, the
same rule the single-record services apply through ``require_unlocked``; an import calls it for
its preview too, so a locked row is reported before anything is saved.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_EDIT
from duan8.activities.models import DataLock
from duan8.core import audit
from duan8.core.compiled import Compiled
from duan8.core.concurrency import claim_version
from duan8.core.models import AuditEvent
from duan8.core.problems import WHOLE, Invalid, Problem
from duan8.orgunits.models import OrgUnit

EDIT = RECORDS_EDIT
BATCH = 1000  # rows per bulk write


def refuse(problems: list[Problem]) -> None:
    """End a check with every problem found, if any."""
    if problems:
        raise Invalid(problems)


def _prefixes(path: str) -> list[str]:
    return [path[:i] for i in range(10, len(path) + 1, 9)]


def data_lock_covering(unit: OrgUnit, day: datetime.date) -> DataLock | None:
    """The lock on ``unit`` (or a unit above it) whose period contains ``day``, if any."""
    return (
        DataLock.objects.filter(
            org_unit__path__in=_prefixes(unit.path), period_start__lte=day, period_end__gte=day
        )
        .select_related("org_unit")
        .first()
    )


def lock_message(lock: DataLock) -> str:
    return _(
        "The data of %(unit)s for %(start)s–%(end)s is locked (%(reason)s); "
        "ask the approver to unlock it."
    ) % {
        "unit": lock.org_unit.full_name,
        "start": lock.period_start.strftime("%d/%m/%Y"),
        "end": lock.period_end.strftime("%d/%m/%Y"),
        "reason": lock.reason,
    }


def lock_problem(lock: DataLock | None, field: str) -> list[Problem]:
    return [] if lock is None else [Problem(field, lock_message(lock), "locked")]


def require_unlocked(unit: OrgUnit, day: datetime.date, *, field: str = WHOLE) -> None:
    """Refuse (``Invalid`` on ``field``) a write to ``unit``'s data of ``day`` inside a lock."""
    problems = lock_problem(data_lock_covering(unit, day), field)
    if problems:
        raise Invalid(problems)


# The locks over the units of a write (on them and the units above), read by every write's
# checks: its SQL built once a process for each number of paths (core.compiled).
_LOCKS_ON_PATHS = Compiled(
    lambda paths: DataLock.objects.filter(org_unit__path__in=paths).select_related("org_unit"),
    prepared=True,
)


class LockTable:
    """The locks over some units (on them or on a unit above them), loaded in one query: the lock
    check of a batch, and of an import's preview."""

    def __init__(self, units: Iterable[OrgUnit], *, below: OrgUnit | None = None) -> None:
        """The locks on ``units`` and the units above them, and (``below``: an import's
        commune) on every unit under ``below``."""
        prefixes = sorted({prefix for unit in units for prefix in _prefixes(unit.path)})
        if below is None:
            self.locks = _LOCKS_ON_PATHS(prefixes)
            return
        where = Q(org_unit__path__in=prefixes) | Q(org_unit__path__startswith=below.path)
        self.locks = list(DataLock.objects.filter(where).select_related("org_unit"))

    def covering(self, unit: OrgUnit, day: datetime.date | None) -> DataLock | None:
        if day is None:
            return None
        return next(
            (
                lock
                for lock in self.locks
                if unit.path.startswith(lock.org_unit.path)
                and lock.period_start <= day <= lock.period_end
            ),
            None,
        )

    def problems(self, unit: OrgUnit, day: datetime.date | None, field: str) -> list[Problem]:
        return lock_problem(self.covering(unit, day), field)


def _conflict_message(model: type[models.Model], pk: int) -> str:
    """Who changed the record last and when, to tell the user whose save was refused."""
    last = (
        AuditEvent.objects.filter(target_type=model._meta.label_lower, target_id=str(pk))
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None:
        return _("This record was changed by someone else after you opened it; reload the page.")
    return _("This record was changed by %(user)s at %(time)s; reload the page.") % {
        "user": last.actor_name or "?",
        "time": timezone.localtime(last.created_at).strftime("%H:%M %d/%m/%Y"),
    }


def record_version_claim(record: models.Model, expected_version: int | None) -> int:
    """``core.concurrency.claim_version`` for a record, naming who changed it last on refusal."""
    return claim_version(
        record,
        expected_version,
        explain=lambda: _conflict_message(type(record), record.pk),
    )


@dataclass
class Upload:
    """A batch read from an uploaded file: recorded as one audit entry
    (``activities.<kind>.imported``, the file's name and counts) instead of one per record."""

    kind: str
    file_name: str
    rows: int
    unchanged: int
    org_unit: OrgUnit
    target: models.Model | None = None


def upload_record(*, actor: User, upload: Upload, created: int, updated: int) -> dict[str, int]:
    counts = {
        "rows": upload.rows,
        "created": created,
        "updated": updated,
        "unchanged": upload.unchanged,
    }
    audit.record(
        actor=actor,
        action=f"activities.{upload.kind}.imported",
        target=upload.target,
        org_unit=upload.org_unit,
        after={**counts, "file": upload.file_name[:120]},
    )
    return counts


def fields_set(record: models.Model, data: Any, names: Iterable[str]) -> None:
    """Copy ``names`` from the input to the record, text stripped."""
    for name in names:
        value = getattr(data, name)
        setattr(record, name, value.strip() if isinstance(value, str) else value)


Row = Any  # a record of the activities app (Event, CommunityGroup …)


def batch_write(
    model: type[models.Model],
    *,
    new: list[tuple[Row, Any]],
    changes: list[tuple[Row, Any, int | None]],
    names: list[str],
    changed_names: list[str] | None = None,
) -> None:
    """The write of a checked batch: every change's version claimed (``record_version_claim``),
    then the new rows (``names`` from their inputs) in bulk_create, the changed rows
    (``changed_names``, by default ``names``) in bulk_update."""
    for row, _data, expected_version in changes:
        record_version_claim(row, expected_version)
    for row, data in new:
        fields_set(row, data, names)
    model._default_manager.bulk_create([row for row, _data in new], batch_size=BATCH)
    changed_names = changed_names or names
    now = timezone.now()
    for row, data, _version in changes:
        fields_set(row, data, changed_names)
        row.updated_at = now
    model._default_manager.bulk_update(
        [row for row, _data, _version in changes], [*changed_names, "updated_at"], batch_size=BATCH
    )


def record_changed(record: models.Model, data: Any, names: Iterable[str]) -> bool:
    """True when the input differs from the recorded row in one of ``names`` (relations
    compared by id, no query; text as it will be written, stripped)."""
    for name in names:
        value = getattr(data, name)
        field = record._meta.get_field(name)
        if field.is_relation:
            if getattr(record, getattr(field, "attname", name)) != (
                value.pk if value is not None else None
            ):
                return True
        elif getattr(record, name) != (value.strip() if isinstance(value, str) else value):
            return True
    return False


def numbered(problems: Iterable[Problem], prefix: str) -> list[Problem]:
    """The problems of an item of a list, their fields under ``prefix`` ("members.3")."""
    return [Problem(f"{prefix}.{p.field}", p.message, p.code, p.row) for p in problems]


# Earliest and latest dates the records accept (the program's records start after 1945).
EARLIEST_DAY = datetime.date(1945, 1, 1)


EARLIEST_BIRTH_YEAR = 1900


NOTES_MAX = 2000


TEXT_MAX = 5000


def required(value: Any, field: str) -> list[Problem]:
    empty = value is None or (isinstance(value, str) and not value.strip())
    return [Problem(field, _("required."), "required")] if empty else []


def require_in_year(day: datetime.date | None, year: int, *, field: str) -> list[Problem]:
    if day is not None and day.year != year:
        message = _("%(date)s is outside the plan's year %(year)s.") % {
            "date": day.strftime("%d/%m/%Y"),
            "year": year,
        }
        return [Problem(field, message, "year")]
    return []


def not_in_future(day: datetime.date | None, *, field: str) -> list[Problem]:
    if day is not None and day > timezone.localdate():
        message = _("%(date)s is in the future; record what has been carried out.") % {
            "date": day.strftime("%d/%m/%Y")
        }
        return [Problem(field, message, "future")]
    return []


def not_before(
    day: datetime.date | None, start: datetime.date | None, message: str, *, field: str
) -> list[Problem]:
    """``day`` on or after ``start``, else ``message`` ("before the start date.")."""
    if day is not None and start is not None and day < start:
        return [Problem(field, message, "order")]
    return []


def day_in_range(
    day: datetime.date | None, *, field: str, future_checked: bool = False
) -> list[Problem]:
    """A date between 01/01/1945 and one year from today, else a problem. ``future_checked``:
    the caller refuses future dates already (``not_in_future``), so only the start is checked."""
    if day is None:
        return []
    latest = timezone.localdate() + datetime.timedelta(days=366)
    if day < EARLIEST_DAY or (day > latest and not future_checked):
        message = _("%(date)s is not a possible date (from %(earliest)s to %(latest)s).") % {
            "date": f"{day.day:02d}/{day.month:02d}/{day.year:04d}",
            "earliest": EARLIEST_DAY.strftime("%d/%m/%Y"),
            "latest": latest.strftime("%d/%m/%Y"),
        }
        return [Problem(field, message, "date")]
    return []


def birth_year_in_range(
    year: int | None, *, field: str, latest: int | None = None
) -> list[Problem]:
    latest = latest or timezone.localdate().year
    if year is not None and not (EARLIEST_BIRTH_YEAR <= year <= latest):
        message = _("%(year)s is not possible (from %(earliest)s to %(latest)s).") % {
            "year": year,
            "earliest": EARLIEST_BIRTH_YEAR,
            "latest": latest,
        }
        return [Problem(field, message, "year")]
    return []


def text_length(text: str, *, field: str, limit: int = NOTES_MAX) -> list[Problem]:
    if len(text or "") > limit:
        message = _("%(length)s characters; at most %(limit)s.") % {
            "length": len(text),
            "limit": limit,
        }
        return [Problem(field, message, "max_length")]
    return []


def choice_in(value: str, choices: Iterable[str], *, field: str) -> list[Problem]:
    return [] if value in choices else [Problem(field, _("unknown value."), "invalid_choice")]
