"""The units that became (part of) a unit: read rights reach them, and pages name them.

Figures of a merged unit for the years before its merger are its predecessors' (the as-of
roll-up of the reports app counts them there): xã Đặng Thùy Trâm's 2023 figures are those of
xã Ba Trang and xã Ba Khâm. So

- ``predecessor_paths``: the access function lets a read right held in a unit reach the units
  that became part of it (a reviewer of the new tỉnh Quảng Ngãi reads xã Ba Trang's 2023 plan);
- ``predecessors_in_year``: the pages of a unit name, for a year, the predecessors whose
  figures count in it, with links to their own pages.

Only the map's history (``OrgUnitSuccession``) is read here: no app above ``orgunits``.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith

from duan8.core.compiled import Compiled
from duan8.orgunits.models import OrgUnit, OrgUnitSuccession


def _covered(prefixes: list[str], path: str) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


def predecessors_under(paths: Iterable[str]) -> QuerySet[OrgUnitSuccession]:
    """The successions into a unit under one of ``paths``: one step back in the map's history
    (the 2025 reform), which is how far a read right reaches."""
    condition = Q()
    for prefix in paths:
        condition |= Q(successor__path__startswith=prefix)
    return OrgUnitSuccession.objects.filter(condition)


def predecessor_paths(paths: Iterable[str]) -> list[str]:
    """Paths of the units that became (part of) a unit under one of ``paths``, other than those
    already under ``paths``, in one query."""
    known = list(paths)
    found: list[str] = []
    for path in sorted(set(predecessors_under(known).values_list("predecessor__path", flat=True))):
        if not _covered(known, path):
            known.append(path)
            found.append(path)
    return found


def under_predecessors(paths: Iterable[str]) -> Exists:
    """A condition on ``OrgUnit``: the unit is under a unit that became (part of) a unit under
    one of ``paths``. The same units as ``predecessor_paths``, inside the query that lists
    them (no query of its own)."""
    return Exists(
        predecessors_under(paths).filter(StartsWith(OuterRef("path"), F("predecessor__path")))
    )


@dataclass(frozen=True)
class Predecessor:
    """A unit whose figures count in ``successor`` for the years before ``effective_on``."""

    unit: OrgUnit
    successor_id: int
    effective_on: datetime.date

    @property
    def last_day(self) -> datetime.date:
        return self.unit.valid_to or self.effective_on - datetime.timedelta(days=1)


# The two reads of ``predecessors_in_year``, built once a process (core.compiled): a unit's
# dashboard makes them for the year and again for its series.
_INCOMING = Compiled(
    lambda ids, after, by: (
        OrgUnitSuccession.objects.filter(
            successor_id__in=ids, effective_on__gt=after, effective_on__lte=by
        )
        .select_related("predecessor")
        .order_by("predecessor__path")
    ),
    prepared=True,
)
_OUT_OF = Compiled(
    lambda ids, by: (
        OrgUnitSuccession.objects.filter(predecessor_id__in=ids, effective_on__lte=by)
        .order_by()
        .values_list("predecessor_id", "is_primary", "successor__path", "successor_id")
    ),
    prepared=True,
)


def predecessors_in_year(
    units: Iterable[OrgUnit], year: int | None = None, *, on: datetime.date | None = None
) -> dict[int, list[Predecessor]]:
    """For each unit (by id), the units that became (part of) it by ``on`` (any date when None)
    and still existed in ``year`` (any year when None), whose figures therefore count in it:
    those whose main successor it is, as in the roll-up (a unit split in two counts in its
    primary successor). A predecessor inside another one is left out (its figures are in those
    of the other). Two queries at most; units without any are left out."""
    ids = [unit.pk for unit in units]
    if not ids:
        return {}
    after = datetime.date(year, 1, 1) if year is not None else datetime.date.min
    by = on if on is not None else datetime.date.max
    edges = _INCOMING(ids, after, by)
    if not edges:
        return {}
    # Every edge out of those predecessors (up to ``on``) decides their main successor.
    main_of: dict[int, tuple[bool, str, int]] = {}
    for predecessor_id, is_primary, path, successor_id in _OUT_OF(
        sorted({edge.predecessor_id for edge in edges}), by
    ):
        key = (not is_primary, path, successor_id)
        if predecessor_id not in main_of or key < main_of[predecessor_id]:
            main_of[predecessor_id] = key
    result: dict[int, list[Predecessor]] = {}
    for edge in edges:
        if main_of[edge.predecessor_id][2] != edge.successor_id:
            continue
        found = result.setdefault(edge.successor_id, [])
        path = edge.predecessor.path
        if any(path.startswith(other.unit.path) for other in found):
            continue  # under another predecessor (huyện Ba Tơ under the old tỉnh Quảng Ngãi)
        found.append(Predecessor(edge.predecessor, edge.successor_id, edge.effective_on))
    for found in result.values():
        found.sort(key=lambda p: (p.unit.name, p.unit.pk))
    return result


def org_unit_predecessors(
    unit: OrgUnit, year: int | None = None, *, on: datetime.date | None = None
) -> list[Predecessor]:
    """``predecessors_in_year`` for one unit."""
    return predecessors_in_year([unit], year, on=on).get(unit.pk, [])
