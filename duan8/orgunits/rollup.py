"""Where records count on the map of a date (issue 6, the as-of roll-up), read by the values
engine, the money's roll-up and the national pages.

``org_unit_rollup_map`` places every unit whose records may count toward a unit on the map of a
date; ``org_unit_rollup`` is the same map, kept in memory while the map does not change
(``org_unit_map_state``, one read): Việt Nam's map is every unit and every succession, so the
national figures are one set-based computation each time, and a commune's pages do not read
its map again for each figure.
"""

import datetime
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from duan8.core.compiled import prepared_cursor
from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
from duan8.orgunits.selectors import org_unit_children_as_of, org_unit_require_valid_on


@dataclass
class RollupMap:
    """Which records count toward ``unit`` on the map of ``on``, and under which child.

    ``prefixes``: paths that hold every unit whose records may count (the unit's subtree and the
    subtrees of its predecessors, transitively); a query filters records by them, then
    ``target_of`` says, per record unit, the id of the child (or of ``unit`` itself) the records
    count toward, or None when they count elsewhere.
    """

    unit: OrgUnit
    on: datetime.date
    children: list[OrgUnit]
    prefixes: list[str]
    targets: dict[int, int] = field(default_factory=dict)
    # Records may be grouped by the first ``bucket`` characters of their unit's path: below that
    # depth every unit counts where its parent counts. ``path_targets`` places such a group.
    bucket: int = 0
    path_targets: dict[str, int] = field(default_factory=dict)
    paths: dict[int, str] = field(default_factory=dict)  # of the units counted, by id

    @property
    def unit_ids(self) -> set[int]:
        """The units whose records count toward ``unit`` as of ``on``."""
        return set(self.targets)

    def target_of(self, unit_id: int) -> int | None:
        return self.targets.get(unit_id)


def _prefixes_add(prefixes: list[str], path: str) -> bool:
    if any(path.startswith(p) for p in prefixes):
        return False
    prefixes[:] = [p for p in prefixes if not p.startswith(path)] + [path]
    return True


def _under_any(field_name: str, prefixes: list[str]) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(**{f"{field_name}__startswith": prefix})
    return condition


Edge = tuple[int, int, datetime.date, bool, str, str]  # predecessor, successor: ids and paths
EDGE_FIELDS: tuple[str, ...] = ("predecessor_id", "successor_id", "effective_on", "is_primary")
EDGE_FIELDS += ("predecessor__path", "successor__path")


def _rollup_prefixes(
    unit: OrgUnit,
    on: datetime.date,
    records_until: datetime.date | None,
    touching: Callable[[list[str]], set[Edge]] | None = None,
) -> tuple[list[str], set[Edge]]:
    """The unit's path and those of the units that became (part of) it by ``on`` or that it
    became part of after ``on`` (up to ``records_until``), transitively; and every succession
    touching them (which ``_Placer`` reads): one query per step."""
    prefixes = [unit.path]
    frontier = [unit.path]
    edges: set[Edge] = set()
    while frontier:
        found = (touching or _successions_touching)(frontier)
        edges |= found
        steps = frontier
        frontier = []
        for _p, _s, effective_on, _primary, predecessor_path, successor_path in sorted(found):
            if effective_on <= on and _covered(steps, successor_path):
                path = predecessor_path  # became (part of) the unit: its records count
            elif (
                effective_on > on
                and (records_until is None or effective_on <= records_until)
                and _covered(steps, predecessor_path)
            ):
                path = successor_path  # formed later from the unit: its records count
            else:
                continue
            if _prefixes_add(prefixes, path):
                frontier.append(path)
    return prefixes, edges


def _successions_touching(frontier: list[str]) -> set[Edge]:
    """One query, two halves: the successions into units under the frontier, and those out of
    them. Each half starts from the units' paths (their pattern index); one OR across both
    joins read every succession of the country and all their units (a commune's map: 5.7 ms ->
    2.8 ms on a province of 3,300 successions, more on the country's 11,000)."""
    into = OrgUnitSuccession.objects.filter(_under_any("successor__path", frontier))
    out_of = OrgUnitSuccession.objects.filter(_under_any("predecessor__path", frontier))
    return set(
        into.order_by()
        .values_list(*EDGE_FIELDS)
        .union(out_of.order_by().values_list(*EDGE_FIELDS), all=True)
    )


def _covered(prefixes: list[str], path: str) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


UnitRow = tuple[str, int | None, int]  # path, parent id, state on the date (0 to 3)
LATER = 3  # formed after the last day of the records counted: holds none of them


def _rollup_units(
    prefixes: list[str], on: datetime.date, records_until: datetime.date | None = None
) -> dict[int, UnitRow]:
    """Each unit under the prefixes with its state on ``on``: 0 existed, 1 not yet formed (3:
    nor by ``records_until``), 2 ended. Read on a plain cursor: a province's subtrees are
    thousands of rows, and the model layer would double the time."""
    last = max(on, records_until) if records_until else None
    later = [When(valid_from__gt=last, then=Value(LATER))] if last else []
    state = Case(
        *later,
        When(valid_from__gt=on, then=Value(1)),
        When(valid_to__lt=on, then=Value(2)),
        default=Value(0),
        output_field=IntegerField(),
    )
    units = (
        OrgUnit.objects.filter(_under_any("path", prefixes))
        .annotate(state=state)
        .values_list("pk", "path", "parent_id", "state")
    )
    sql, params = units.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: (path, parent_id, now) for pk, path, parent_id, now in cursor.fetchall()}


def _shared(paths: list[str]) -> str:
    """The deepest path all ``paths`` lie under."""
    parts = [p.strip("/").split("/") for p in paths]
    common = []
    for segments in zip(*parts, strict=False):
        if len(set(segments)) > 1:
            break
        common.append(segments[0])
    return "/" + "".join(f"{s}/" for s in common) if common else "/"


class _Placer:
    """Places each unit on the map of ``on`` (see ``org_unit_rollup_map``)."""

    def __init__(
        self, unit: OrgUnit, on: datetime.date, edges: set[Edge], rows: dict[int, UnitRow]
    ) -> None:
        self.rows = rows
        self.forward: dict[int, list[tuple[bool, str, int]]] = {}
        self.backward: dict[int, list[int]] = {}
        for predecessor_id, successor_id, effective_on, is_primary, _path, successor_path in sorted(
            edges
        ):
            if effective_on <= on:
                self.forward.setdefault(predecessor_id, []).append(
                    (not is_primary, successor_path, successor_id)
                )
            else:
                self.backward.setdefault(successor_id, []).append(predecessor_id)
        self.positions: dict[int, str | None] = {unit.pk: unit.path}

    def position(self, pk: int) -> str | None:
        """The path, on the map of ``on``, of the unit the records of ``pk`` count toward."""
        if pk not in self.positions:
            self.positions[pk] = None  # guards against a cycle in bad data
            self.positions[pk] = self._place(pk)
        return self.positions[pk]

    def _place(self, pk: int) -> str | None:
        row = self.rows.get(pk)
        if row is None:
            return None
        path, parent_id, now = row
        parent_known = parent_id is not None and parent_id in self.rows
        if pk in self.forward:  # ended: with its main successor
            return self.position(min(self.forward[pk])[2])
        if now == 0:  # existed: where it is, unless the unit above it was moved
            if not parent_known:
                return path
            assert parent_id is not None
            above = self.position(parent_id)
            return path if above == self.rows[parent_id][0] else above
        if now in (1, LATER) and pk in self.backward:  # not yet formed: where predecessors share
            placed = [self.position(p) for p in self.backward[pk]]
            return None if None in placed else _shared([p for p in placed if p])
        return self.position(parent_id) if parent_known and parent_id is not None else None


def org_unit_rollup_map(
    unit: OrgUnit, *, on: datetime.date, records_until: datetime.date | None = None
) -> RollupMap:
    """Where the records of every unit that ever became (part of) ``unit`` count, as of ``on``.

    Each unit is placed on the map of ``on``:

    - a unit that had ended by then and has a successor goes with its main successor (xã Ba Trang
      → xã Đặng Thùy Trâm from 1/7/2025, so its 2023 figures count there in a 2026 view);
    - a unit that existed then stays where it is, unless the unit above it was moved: then it
      goes with that unit (a village of xã Ba Trang counts under xã Đặng Thùy Trâm);
    - a unit that did not exist yet goes to the place all its predecessors share on that map
      (xã Đặng Thùy Trâm's 2026 figures count under huyện Ba Tơ in a 2023 view, but under
      neither xã Ba Trang nor xã Ba Khâm: a merged unit's figures are not split back);
    - any other unit that had ended goes with the unit above it.

    ``records_until``: the last day of the records to be counted. Units formed after it hold
    none of them, so their subtrees are left out (a 2023 view of 2023 does not read the map of
    2025).

    Queries: the unit's children, one per step back in the map's history (two for the 2025
    reform: successions in, then none further; they hold every succession the placing reads),
    the units under the prefixes.
    """
    org_unit_require_valid_on(unit, on)
    children = org_unit_children_as_of(unit, on)
    prefixes, edges = _rollup_prefixes(unit, on, records_until)
    rows = _rollup_units(prefixes, on, records_until)
    placer = _Placer(unit, on, edges, rows)
    child_ids = {child.path: child.pk for child in children}
    depth = len(unit.path) + 9
    targets: dict[int, int] = {}
    for pk, (_path, _parent, now) in rows.items():
        if now == LATER:
            continue  # none of its records are counted (only Việt Nam's map reaches it)
        placed = placer.position(pk)
        if placed is not None and placed.startswith(unit.path):
            targets[pk] = child_ids.get(placed[:depth], unit.pk)
    # The deepest unit that does not count where its parent counts sets the grouping depth.
    bucket = max(
        (
            len(path)
            for pk, (path, parent_id, _now) in rows.items()
            if parent_id not in rows or targets.get(pk) != targets.get(parent_id)
        ),
        default=0,
    )
    paths = {pk: rows[pk][0] for pk in targets}
    return RollupMap(
        unit=unit,
        on=on,
        children=children,
        prefixes=prefixes,
        targets=targets,
        bucket=bucket,
        path_targets={path: targets[pk] for pk, path in paths.items()},
        paths=paths,
    )


def org_unit_map_state() -> int | None:
    """What the map looks like now, in one indexed read: a token the database changes on every
    write to the units or their successions, whoever writes (migration ``0003_map_state``).
    A map kept under the old token is never read again. None when there is no token (a
    database emptied by hand): then nothing may be kept.

    Read it before the map it keys: a map read after a change committed in between is then
    kept under the old token, which nobody reads any more, never the other way round."""
    with prepared_cursor(connection) as cursor:  # read by every page that shows a value
        cursor.execute("SELECT token FROM orgunits_map_state WHERE id = 1")
        row = cursor.fetchone()
    return None if row is None else row[0]


class _Kept:
    """Maps kept in memory, by their key (which holds the map's state), the least recently
    read dropped first once they hold more than ``units`` units together (a commune's map holds
    tens, a province's thousands: a count of maps would let a reviewer's tour of the provinces
    fill a worker's memory). Việt Nam's maps are kept apart, ``maps`` of them at most."""

    def __init__(self, *, units: int, maps: int) -> None:
        self.units_max = units
        self.maps_max = maps
        self.units = 0
        self.maps: dict[tuple, RollupMap] = {}
        self.lock = threading.Lock()  # a worker's threads share them

    def get(self, key: tuple) -> RollupMap | None:
        with self.lock:
            found = self.maps.pop(key, None)
            if found is not None:
                self.maps[key] = found  # now the most recently read
            return found

    def put(self, key: tuple, rollup: RollupMap) -> None:
        with self.lock:
            if key in self.maps:
                return  # another thread read it meanwhile
            while self.maps and (
                len(self.maps) >= self.maps_max or self.units + _size(rollup) > self.units_max
            ):
                self.units -= _size(self.maps.pop(next(iter(self.maps))))
            self.maps[key] = rollup
            self.units += _size(rollup)

    def clear(self) -> None:
        with self.lock:
            self.maps.clear()
            self.units = 0


def _size(rollup: RollupMap) -> int:
    return len(rollup.targets) + 1


# about 350 bytes a unit (tracemalloc: Quảng Ngãi's map of 4,080 units, 1.4 MB): some 35 MB in
# a worker, the maps of about 2,000 communes or of two dozen provinces
_KEPT = _Kept(units=100_000, maps=4096)
_KEPT_NATIONAL = _Kept(units=10**9, maps=8)


def org_unit_rollup(
    unit: OrgUnit, *, on: datetime.date, records_until: datetime.date | None = None
) -> RollupMap:
    """``org_unit_rollup_map``, kept in this process while the map does not change (one read
    to check, ``org_unit_map_state``, instead of reading the units and successions again:
    the plan, progress and dashboard pages read a commune's map two to four times). Always
    current: a change to the map is seen on the next call, in every process. Callers must not
    change the map they are given."""
    state = org_unit_map_state()
    if state is None:
        return org_unit_rollup_map(unit, on=on, records_until=records_until)
    kept = _KEPT_NATIONAL if unit.level == OrgUnit.Level.NATIONAL else _KEPT
    key = (unit.pk, unit.path, on, records_until, state)
    found = kept.get(key)
    if found is None:
        found = org_unit_rollup_map(unit, on=on, records_until=records_until)
        kept.put(key, found)
    return found


_CHANGES: dict[int, tuple[datetime.date, ...]] = {}  # by the state of the map


def org_unit_map_changes() -> tuple[datetime.date, ...]:
    """The days the map changes on (sorted): a succession takes effect, a unit begins, the day
    after a unit ends. A handful of days in the whole country: read in two queries, then kept
    while the map does not change (``org_unit_map_state``, one read)."""
    state = org_unit_map_state()
    if state is not None and state in _CHANGES:
        return _CHANGES[state]
    days = set(
        OrgUnitSuccession.objects.order_by().values_list("effective_on", flat=True).distinct()
    )
    dated = OrgUnit.objects.filter(Q(valid_from__isnull=False) | Q(valid_to__isnull=False))
    for start, end in dated.order_by().values_list("valid_from", "valid_to").distinct():
        if start is not None:
            days.add(start)
        if end is not None:
            days.add(end + datetime.timedelta(days=1))
    found = tuple(sorted(days))
    if state is not None:
        _CHANGES.clear()
        _CHANGES[state] = found
    return found


def org_unit_rollup_forget() -> None:
    """Drop the maps kept in this process (they are read again on their next use). Nothing
    needs this to stay right; the tests that count a page's queries start from it."""
    _KEPT.clear()
    _KEPT_NATIONAL.clear()
    _CHANGES.clear()


def org_unit_rollup_national(
    *, on: datetime.date, records_until: datetime.date | None = None
) -> tuple[list[OrgUnit], dict[str, int]]:
    """The provinces of ``on`` and, by path, the province each unit's records count toward:
    Việt Nam's map (``org_unit_rollup``, kept while the map does not change)."""
    root = OrgUnit.objects.filter(level=OrgUnit.Level.NATIONAL).order_by("pk").first()
    if root is None:
        return [], {}
    rollup = org_unit_rollup(root, on=on, records_until=records_until)
    provinces = sorted(rollup.children, key=lambda unit: unit.path)
    return provinces, {
        path: target for path, target in rollup.path_targets.items() if target != root.pk
    }
