import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_VIEW
from duan8.orgunits.access import READ_THROUGH_HISTORY, held_paths
from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
from duan8.orgunits.predecessors import under_predecessors


def org_units_visible_to(actor: User, permission: str = PLANS_VIEW) -> QuerySet[OrgUnit]:
    """Units the actor may see: where a role of theirs grants ``permission``, and all below."""
    if actor.is_authenticated and actor.is_active and actor.is_superuser:
        return OrgUnit.objects.all()
    paths = held_paths(actor, permission)
    if not paths:
        return OrgUnit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    if permission in READ_THROUGH_HISTORY:  # and the units that became part of them
        condition |= Q(under_predecessors(paths))
    return OrgUnit.objects.filter(condition)


def org_unit_resolve(*, code: str, on: datetime.date, level: int | None = None) -> OrgUnit:
    """The unit that carried ``code`` on ``on``.

    Codes are reused across schemes (21520 was xã Ba Trang until 30/6/2025 and is xã Đặng Thùy Trâm
    from 1/7/2025), so a code alone never identifies a unit: the date decides.
    """
    qs = OrgUnit.objects.filter(code=code).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )
    if level is not None:
        qs = qs.filter(level=level)
    units = list(qs.order_by("level")[:2])
    if not units:
        raise OrgUnit.DoesNotExist(
            _("No administrative unit has code %(code)s on %(date)s.")
            % {"code": code, "date": on.strftime("%d/%m/%Y")}
        )
    if len(units) > 1 and level is None and units[0].level == units[1].level:
        raise OrgUnit.MultipleObjectsReturned(
            _("Code %(code)s is ambiguous on %(date)s; give the level.")
            % {"code": code, "date": on.strftime("%d/%m/%Y")}
        )
    return units[0]


def org_unit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """From the top (province) down to the unit's parent, in one query."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    by_id = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def org_unit_display_name(unit: OrgUnit, ancestors: list[OrgUnit]) -> str:
    """Type and name, then the units above: "Xã Ba Trang, Huyện Ba Tơ, Tỉnh Quảng Ngãi"."""
    return ", ".join(u.full_name for u in [unit, *reversed(ancestors)])


class LineageUnit(TypedDict):
    unit: OrgUnit
    ancestors: list[OrgUnit]
    display_name: str


class LineageStep(LineageUnit):
    kind: str
    kind_label: str
    effective_on: datetime.date
    legal_act: str
    is_primary: bool
    # For a successor: the other units merged into it. For a predecessor: the other units it
    # was split into.
    others: list[LineageUnit]


class Lineage(LineageUnit):
    predecessors: list[LineageStep]
    successors: list[LineageStep]


def org_unit_lineage(unit: OrgUnit) -> Lineage:
    """Where a unit came from and what it became, each unit named in full, in three queries.

    For xã Ba Trang: successor xã Đặng Thùy Trâm (merged 1/7/2025, with xã Ba Khâm as ``others``).
    For xã Đặng Thùy Trâm: predecessors xã Ba Khâm and xã Ba Trang.
    """
    edges = list(
        OrgUnitSuccession.objects.filter(Q(predecessor=unit) | Q(successor=unit))
        .select_related("predecessor", "successor")
        .order_by("effective_on", "pk")
    )
    incoming = [e for e in edges if e.successor_id == unit.pk]
    outgoing = [e for e in edges if e.predecessor_id == unit.pk]
    # Edges that share an end with the unit's own: co-predecessors of its successors, and the
    # other successors of its predecessors.
    related = list(
        OrgUnitSuccession.objects.filter(
            Q(successor_id__in=[e.successor_id for e in outgoing])
            | Q(predecessor_id__in=[e.predecessor_id for e in incoming])
        )
        .exclude(pk__in=[e.pk for e in edges])
        .select_related("predecessor", "successor")
        .order_by("pk")
    )
    units = [unit, *(e.predecessor for e in edges), *(e.successor for e in edges)]
    units += [u for e in related for u in (e.predecessor, e.successor)]
    ids = {int(part) for u in units for part in u.path.strip("/").split("/") if part}
    by_id = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)} if ids else {}

    def described(other: OrgUnit) -> LineageUnit:
        parts = [int(part) for part in other.path.strip("/").split("/") if part][:-1]
        ancestors = [by_id[i] for i in parts if i in by_id]
        return LineageUnit(
            unit=other, ancestors=ancestors, display_name=org_unit_display_name(other, ancestors)
        )

    def step(edge: OrgUnitSuccession, other: OrgUnit, others: list[OrgUnit]) -> LineageStep:
        base = described(other)
        return LineageStep(
            unit=other,
            ancestors=base["ancestors"],
            display_name=base["display_name"],
            kind=edge.kind,
            kind_label=str(edge.get_kind_display()),
            effective_on=edge.effective_on,
            legal_act=edge.legal_act,
            is_primary=edge.is_primary,
            others=[described(o) for o in sorted(others, key=lambda o: o.path)],
        )

    predecessors = [
        step(
            e, e.predecessor, [r.successor for r in related if r.predecessor_id == e.predecessor_id]
        )
        for e in incoming
    ]
    successors = [
        step(e, e.successor, [r.predecessor for r in related if r.successor_id == e.successor_id])
        for e in outgoing
    ]
    base = described(unit)
    return Lineage(
        unit=unit,
        ancestors=base["ancestors"],
        display_name=base["display_name"],
        predecessors=sorted(predecessors, key=lambda s: s["unit"].path),
        successors=sorted(successors, key=lambda s: (not s["is_primary"], s["unit"].path)),
    )


# --- The map as it stood on a date, and where records count (issue 6, roll-up) -----------------


def org_unit_require_valid_on(unit: OrgUnit, on: datetime.date) -> None:
    """A ValidationError naming what the unit was or became, when it did not exist on ``on``."""
    if unit.is_valid_on(on):
        return
    date = on.strftime("%d/%m/%Y")
    if unit.valid_to is not None and on > unit.valid_to:
        edges = list(
            OrgUnitSuccession.objects.filter(predecessor=unit)
            .select_related("successor")
            .order_by("-is_primary", "successor__path")
        )
        if edges:
            raise ValidationError(
                _(
                    "%(unit)s no longer existed on %(date)s: it became part of %(successors)s "
                    "on %(effective)s. Choose that unit, or an earlier “as of” date."
                )
                % {
                    "unit": unit.full_name,
                    "date": date,
                    "successors": ", ".join(e.successor.full_name for e in edges),
                    "effective": edges[0].effective_on.strftime("%d/%m/%Y"),
                }
            )
        raise ValidationError(
            _("%(unit)s no longer existed on %(date)s (it ended on %(end)s).")
            % {"unit": unit.full_name, "date": date, "end": unit.valid_to.strftime("%d/%m/%Y")}
        )
    assert unit.valid_from is not None
    raise ValidationError(
        _(
            "%(unit)s did not exist yet on %(date)s: it was formed on %(start)s. Choose the units "
            "it was formed from, or a later “as of” date."
        )
        % {"unit": unit.full_name, "date": date, "start": unit.valid_from.strftime("%d/%m/%Y")}
    )


def org_unit_children_as_of(unit: OrgUnit, on: datetime.date) -> list[OrgUnit]:
    """The units directly under ``unit`` on the map of ``on``: the districts of a province in
    2023, its communes from 1/7/2025; a commune's villages."""
    children = OrgUnit.objects.filter(parent=unit).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )
    return list(children.order_by("code", "name"))


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
    return set(
        OrgUnitSuccession.objects.filter(
            _under_any("successor__path", frontier) | _under_any("predecessor__path", frontier)
        ).values_list(*EDGE_FIELDS)
    )


def _covered(prefixes: list[str], path: str) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


UnitRow = tuple[str, int | None, int]  # path, parent id, state on the date (0, 1 or 2)


def _rollup_units(prefixes: list[str], on: datetime.date) -> dict[int, UnitRow]:
    """Each unit under the prefixes with its state on ``on``: 0 existed, 1 not yet formed, 2
    ended. Read on a plain cursor: a province's subtrees are thousands of rows, and the model
    layer would double the time."""
    state = Case(
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
        if now == 1 and pk in self.backward:  # not yet formed: where its predecessors share
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
    rows = _rollup_units(prefixes, on)
    placer = _Placer(unit, on, edges, rows)
    child_ids = {child.path: child.pk for child in children}
    depth = len(unit.path) + 9
    targets: dict[int, int] = {}
    for pk in rows:
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


def org_unit_rollup_national(
    *, on: datetime.date, records_until: datetime.date | None = None
) -> tuple[list[OrgUnit], dict[str, int]]:
    """The provinces of ``on`` and, by path, the province each unit's records count toward:
    the maps of ``org_unit_rollup_map`` for every province merged (the same placing, province
    by province), read in three queries whatever the number of provinces: the provinces, every
    succession, every unit."""
    provinces = [
        unit
        for unit in OrgUnit.objects.filter(parent__isnull=True, level=OrgUnit.Level.PROVINCE)
        if unit.is_valid_on(on)
    ]
    edges_under: dict[str, list[Edge]] = {}
    for edge in OrgUnitSuccession.objects.values_list(*EDGE_FIELDS):
        for path in {edge[4], edge[5]}:
            edges_under.setdefault(_top_segment(path), []).append(edge)
    rows_under: dict[str, dict[int, UnitRow]] = {}
    for pk, row in _rollup_units(["/"], on).items():
        rows_under.setdefault(_top_segment(row[0]), {})[pk] = row
    path_targets: dict[str, int] = {}
    for province in provinces:
        prefixes, edges = _rollup_prefixes(
            province, on, records_until, lambda steps: _edges_touching(edges_under, steps)
        )
        rows = {
            pk: row
            for segment in {_top_segment(prefix) for prefix in prefixes}
            for pk, row in rows_under.get(segment, {}).items()
            if _covered(prefixes, row[0])
        }
        placer = _Placer(province, on, edges, rows)
        for pk, (path, _parent, _now) in rows.items():
            placed = placer.position(pk)
            if placed is not None and placed.startswith(province.path):
                path_targets[path] = province.pk
    return provinces, path_targets


def _top_segment(path: str) -> str:
    return path[: path.find("/", 1) + 1]


def _edges_touching(edges_under: dict[str, list[Edge]], steps: list[str]) -> set[Edge]:
    return {
        edge
        for segment in {_top_segment(step) for step in steps}
        for edge in edges_under.get(segment, [])
        if _covered(steps, edge[4]) or _covered(steps, edge[5])
    }
