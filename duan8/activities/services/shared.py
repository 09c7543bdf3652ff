"""What every records service checks before it writes: the actor's right (``EDIT``), the locks
that approved reports put on a unit's period, the record's version (one check, raising
``programs.services.EditConflict``, for every record saved over a version), and the date, year
and length limits of the input.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.activities.models import DataLock
from duan8.core.models import AuditEvent
from duan8.orgunits.models import OrgUnit
from duan8.programs.services import EditConflict

EDIT = "records.edit"


def data_lock_covering(unit: OrgUnit, day: datetime.date) -> DataLock | None:
    """The lock on ``unit`` (or a unit above it) whose period contains ``day``, if any."""
    prefixes = [unit.path[:i] for i in range(10, len(unit.path) + 1, 9)]
    return (
        DataLock.objects.filter(
            org_unit__path__in=prefixes, period_start__lte=day, period_end__gte=day
        )
        .select_related("org_unit")
        .first()
    )


def require_unlocked(unit: OrgUnit, day: datetime.date) -> None:
    lock = data_lock_covering(unit, day)
    if lock is not None:
        raise ValidationError(
            _(
                "The data of %(unit)s for %(start)s–%(end)s is locked (%(reason)s); "
                "ask the approver to unlock it."
            )
            % {
                "unit": lock.org_unit.full_name,
                "start": lock.period_start.strftime("%d/%m/%Y"),
                "end": lock.period_end.strftime("%d/%m/%Y"),
                "reason": lock.reason,
            }
        )


def _conflict_message(model: type, pk: int) -> str:
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


def claim_version(model: type, pk: int, expected_version: int | None) -> int:
    """Raise the record's version, refusing if it is no longer ``expected_version``.

    The same path as plans (``programs.services._claim_version``): the conditional UPDATE is
    atomic, so of two saves made on the same copy the second matches no row and is refused.
    A save that does not say which version it was made on (``None``) is refused too.
    """
    if expected_version is None:
        raise EditConflict(
            _("This form does not say which version of the record it changes; reload the page.")
        )
    rows = model.objects.filter(pk=pk, version=expected_version)
    if not rows.update(version=F("version") + 1, updated_at=timezone.now()):
        raise EditConflict(_conflict_message(model, pk))
    return model.objects.values_list("version", flat=True).get(pk=pk)


# Earliest and latest dates the records accept (the program's records start after 1945).
EARLIEST_DAY = datetime.date(1945, 1, 1)


EARLIEST_BIRTH_YEAR = 1900


NOTES_MAX = 2000


TEXT_MAX = 5000


def require_in_year(day: datetime.date | None, year: int, *, label: str) -> list[str]:
    if day is not None and day.year != year:
        return [
            _("%(field)s: %(date)s is outside the plan's year %(year)s.")
            % {"field": label, "date": day.strftime("%d/%m/%Y"), "year": year}
        ]
    return []


def not_in_future(day: datetime.date | None, *, label: str) -> list[str]:
    if day is not None and day > timezone.localdate():
        return [
            _("%(field)s: %(date)s is in the future; record what has been carried out.")
            % {"field": label, "date": day.strftime("%d/%m/%Y")}
        ]
    return []


def day_in_range(
    day: datetime.date | None, *, label: str, future_checked: bool = False
) -> list[str]:
    """A date between 01/01/1945 and one year from today, else a message. ``future_checked``:
    the caller refuses future dates already (``not_in_future``), so only the start is checked."""
    if day is None:
        return []
    latest = timezone.localdate() + datetime.timedelta(days=366)
    if day < EARLIEST_DAY or (day > latest and not future_checked):
        return [
            _("%(field)s: %(date)s is not a possible date (from %(earliest)s to %(latest)s).")
            % {
                "field": label,
                "date": f"{day.day:02d}/{day.month:02d}/{day.year:04d}",
                "earliest": EARLIEST_DAY.strftime("%d/%m/%Y"),
                "latest": latest.strftime("%d/%m/%Y"),
            }
        ]
    return []


def birth_year_in_range(year: int | None, *, label: str, latest: int | None = None) -> list[str]:
    latest = latest or timezone.localdate().year
    if year is not None and not (EARLIEST_BIRTH_YEAR <= year <= latest):
        return [
            _("%(field)s: %(year)s is not possible (from %(earliest)s to %(latest)s).")
            % {"field": label, "year": year, "earliest": EARLIEST_BIRTH_YEAR, "latest": latest}
        ]
    return []


def text_length(text: str, *, label: str, limit: int = NOTES_MAX) -> list[str]:
    if len(text or "") > limit:
        return [
            _("%(field)s: %(length)s characters; at most %(limit)s.")
            % {"field": label, "length": len(text), "limit": limit}
        ]
    return []
