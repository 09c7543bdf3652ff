import datetime
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_VIEW
from duan8.core.compiled import Compiled
from duan8.orgunits.access import READ_THROUGH_HISTORY, can, held_paths
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


# A unit by its id with its parent, the SQL built once a process (core.compiled).
_UNIT_BY_ID = Compiled(
    lambda pk: OrgUnit.objects.filter(pk=pk).select_related("parent").order_by()[:1],
    prepared=True,
)


def org_unit_visible_get(actor: User, permission: str, pk: object) -> OrgUnit | None:
    """The unit ``pk`` (with its parent) if the actor may see it with ``permission``, else None:
    read by its id, then checked with the access function (``can``: the rule of
    ``org_units_visible_to``), which costs a page a tenth of the visible units' query."""
    unit = _UNIT_BY_ID.first(pk) if type(pk) is int else None
    return unit if unit is not None and can(actor, permission, unit) else None


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


_UNITS_NOT_NATIONAL = Compiled(
    lambda ids: OrgUnit.objects.filter(pk__in=ids).exclude(level=OrgUnit.Level.NATIONAL),
    prepared=True,
)


def org_unit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """From the top (province) down to the unit's parent, in one query. Việt Nam, above every
    province, is left out: no unit's name needs it."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    by_id = {u.pk: u for u in _UNITS_NOT_NATIONAL(ids)}
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
    above = OrgUnit.objects.filter(pk__in=ids).exclude(level=OrgUnit.Level.NATIONAL)
    by_id = {u.pk: u for u in above} if ids else {}

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
