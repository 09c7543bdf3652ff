"""Reading community groups, women cadres and difficulties as the actor may see them.

Lists filter through ``org_units_visible_to(actor, "records.view")``. Names, ethnicity and years
of birth of persons go only to holders of ``records.personal`` on the record's unit, and every
such read is written to the audit trail (NĐ 13/2023/NĐ-CP). The audit of a read sits here, in
the one function that hands the persons out, so no page can show them without the record.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_EDIT, RECORDS_PERSONAL, RECORDS_VIEW
from duan8.activities.models import (
    Attachment,
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    Event,
    Sex,
    WomanCadre,
)
from duan8.core import audit
from duan8.core.audit import NotVisible
from duan8.core.compiled import Compiled
from duan8.core.models import AuditEvent
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to

VIEW = RECORDS_VIEW
EDIT = RECORDS_EDIT
PERSONAL = RECORDS_PERSONAL
PERSONAL_VIEWED = "activities.personal.viewed"
EVENTS_SHOWN = 50


# --- units -----------------------------------------------------------------------------------


def records_unit_get(*, actor: User, unit_id: int) -> OrgUnit:
    """A commune or village whose records the actor may see; 404 otherwise."""
    unit = (
        org_units_visible_to(actor, VIEW)
        .filter(pk=unit_id, level__gte=OrgUnit.Level.COMMUNE)
        .select_related("parent")
        .first()
    )
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    return unit


def units_editable_under(*, actor: User, unit: OrgUnit) -> list[OrgUnit]:
    """The unit and the units below it where the actor may record (for a form's choices)."""
    units = OrgUnit.objects.filter(path__startswith=unit.path).order_by("path")
    return [u for u in units if can(actor, EDIT, u)]


def commune_of(unit: OrgUnit) -> OrgUnit:
    return unit.parent if unit.level == OrgUnit.Level.VILLAGE and unit.parent else unit


def _visible_under(actor: User, unit: OrgUnit) -> Q:
    return Q(org_unit__in=org_units_visible_to(actor, VIEW), org_unit__path__startswith=unit.path)


# --- community groups ------------------------------------------------------------------------


def men_percent(men: int, total: int) -> int | None:
    """The share of men as a whole percent, rounded half up; None for a group without members."""
    if not total:
        return None
    return (200 * men + total) // (2 * total)


def _member_on(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": day})
    )


def _status_on(day: datetime.date, column: str) -> Subquery:
    return Subquery(
        CommunityGroupStatus.objects.filter(group=OuterRef("pk"), on__lte=day)
        .order_by("-on", "-id")
        .values(column)[:1]
    )


def community_group_status_on(group: CommunityGroup, day: datetime.date) -> str | None:
    """The group's status on ``day``: the latest status set on or before it (None before any)."""
    row = group.statuses.filter(on__lte=day).order_by("-on", "-id").first()
    return row.status if row is not None else None


_KIND_ORDER = Case(
    *[When(kind=kind, then=i) for i, kind in enumerate(CommunityGroup.Kind.values)],
    output_field=IntegerField(),
)


def community_group_list(
    *, actor: User, unit: OrgUnit, on: datetime.date, kind: str | None = None
) -> QuerySet[CommunityGroup]:
    """Groups of the unit and the units below it founded by ``on``, by kind, in one query,
    each with ``status_now``/``status_since`` (its status on ``on``), ``members_now`` and
    ``men_now`` (members on ``on``)."""
    qs = CommunityGroup.objects.filter(_visible_under(actor, unit), founded_on__lte=on)
    if kind:
        qs = qs.filter(kind=kind)
    current = _member_on(on, "members__")
    return (
        qs.select_related("org_unit")
        .annotate(
            status_now=_status_on(on, "status"),
            status_since=_status_on(on, "on"),
            members_now=Count("members", filter=current),
            men_now=Count("members", filter=current & Q(members__sex=Sex.MALE)),
            kind_order=_KIND_ORDER,
        )
        .order_by("kind_order", "org_unit__path", "name", "pk")
    )


@dataclass
class GroupRow:
    group: CommunityGroup
    status: str
    status_label: str
    status_since: datetime.date | None
    members: int
    men: int
    men_percent: int | None
    equipment: list[str]


def _status_label(status: str | None) -> str:
    return str(CommunityGroupStatus.Status(status).label) if status else ""


def group_rows(groups: list[CommunityGroup]) -> list[GroupRow]:
    """Rows of ``community_group_list`` as shown: labels, share of men, equipment lines."""
    return [_group_row(g) for g in groups]


def _group_row(g: Any) -> GroupRow:
    """``g``: a group annotated by ``community_group_list`` (status_now, members_now …)."""
    return GroupRow(
        group=g,
        status=g.status_now or "",
        status_label=_status_label(g.status_now),
        status_since=g.status_since,
        members=g.members_now,
        men=g.men_now,
        men_percent=men_percent(g.men_now, g.members_now),
        equipment=equipment_lines(g.equipment),
    )


def equipment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def community_group_get(*, actor: User, group_id: int) -> CommunityGroup:
    group = (
        CommunityGroup.objects.filter(org_unit__in=org_units_visible_to(actor, VIEW), pk=group_id)
        .select_related("org_unit__parent", "plan")
        .first()
    )
    if group is None:
        raise NotVisible(_("Group not found."))
    return group


@dataclass
class CountCell:
    minority: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.minority + self.other


@dataclass
class MemberCounts:
    """Members on a day by sex × ethnic minority, and the number who have left."""

    women: CountCell = field(default_factory=CountCell)
    men: CountCell = field(default_factory=CountCell)
    former: int = 0

    @property
    def total(self) -> CountCell:
        return CountCell(self.women.minority + self.men.minority, self.women.other + self.men.other)

    @property
    def men_percent(self) -> int | None:
        return men_percent(self.men.total, self.total.total)


@dataclass
class MemberRow:
    member: CommunityGroupMember
    is_current: bool


@dataclass
class GroupMembers:
    counts: MemberCounts
    people: list[MemberRow]  # empty unless the actor may see persons
    personal: bool


_ROLE_ORDER = Case(
    *[When(role=role, then=i) for i, role in enumerate(CommunityGroupMember.Role.values)],
    output_field=IntegerField(),
)


def group_members(*, actor: User, group: CommunityGroup, on: datetime.date) -> GroupMembers:
    """Counts for everyone who may see the group; names, ethnicity and years of birth only for
    holders of ``records.personal`` on its unit, and each such read is audited."""
    members = list(
        group.members.select_related("ethnic_group")
        .annotate(role_order=_ROLE_ORDER)
        .order_by("joined_on", "role_order", "full_name", "id")
    )
    counts = MemberCounts()
    rows = []
    for member in members:
        current = member.is_member_on(on)
        rows.append(MemberRow(member=member, is_current=current))
        if not current:
            if member.joined_on <= on:
                counts.former += 1
            continue
        cell = counts.men if member.sex == Sex.MALE else counts.women
        if member.ethnic_group is not None and member.ethnic_group.is_minority:
            cell.minority += 1
        else:
            cell.other += 1
    personal = can(actor, PERSONAL, group.org_unit)
    if personal and members:
        audit.record(
            actor=actor,
            action=PERSONAL_VIEWED,
            target=group,
            org_unit=group.org_unit,
            after={"list": "members", "count": len(members)},
        )
    return GroupMembers(counts=counts, people=rows if personal else [], personal=personal)


def group_statuses(group: CommunityGroup) -> list[CommunityGroupStatus]:
    return list(group.statuses.order_by("on", "id"))


def group_events(*, actor: User, group: CommunityGroup) -> QuerySet[Event]:
    """Events held by the group, in units the actor may see, newest first, with participants."""
    return (
        Event.objects.filter(group=group, org_unit__in=org_units_visible_to(actor, VIEW))
        .select_related("org_unit")
        .annotate(participants_total=Sum("counts__count"))
        .order_by("-held_on", "-id")[:EVENTS_SHOWN]
    )


def group_attachments(group: CommunityGroup) -> list[Attachment]:
    return list(group.attachments.order_by("-created_at", "-id"))


def community_member_get(*, actor: User, member_id: int) -> CommunityGroupMember:
    member = (
        CommunityGroupMember.objects.filter(
            group__org_unit__in=org_units_visible_to(actor, VIEW), pk=member_id
        )
        .select_related("group__org_unit")
        .first()
    )
    if member is None:
        raise NotVisible(_("Member not found."))
    return member


# --- women cadres ----------------------------------------------------------------------------


def woman_cadre_list(
    *, actor: User, unit: OrgUnit, year: int | None = None
) -> QuerySet[WomanCadre]:
    """Cadres of the unit and below; with ``year``, those in their status during that year."""
    qs = WomanCadre.objects.filter(_visible_under(actor, unit))
    if year is not None:
        qs = qs.filter(since__lte=datetime.date(year, 12, 31)).filter(
            Q(until__isnull=True) | Q(until__gte=datetime.date(year, 1, 1))
        )
    return qs.select_related("org_unit", "ethnic_group").order_by(
        "org_unit__path", "full_name", "id"
    )


@dataclass
class CadreCountRow:
    unit_name: str
    by_status: list[int]
    labels: list[str]

    @property
    def cells(self) -> list[tuple[str, int]]:
        return list(zip(self.labels, self.by_status, strict=True))

    @property
    def total(self) -> int:
        return sum(self.by_status)


@dataclass
class CadreCounts:
    statuses: list[tuple[str, str]]
    rows: list[CadreCountRow]

    @property
    def total(self) -> CadreCountRow:
        return CadreCountRow(
            unit_name=_("Total"),
            by_status=[sum(r.by_status[i] for r in self.rows) for i in range(len(self.statuses))],
            labels=[label for _value, label in self.statuses],
        )


def woman_cadre_counts(cadres: QuerySet[WomanCadre]) -> CadreCounts:
    """Cadres per unit and status, in one query (counts only: shown to everyone who may see)."""
    statuses = [(value, str(label)) for value, label in WomanCadre.Status.choices]
    labels = [label for _value, label in statuses]
    index = {value: i for i, (value, _label) in enumerate(statuses)}
    rows: dict[str, CadreCountRow] = {}
    grouped = (
        cadres.order_by()
        .values("org_unit__path", "org_unit__kind", "org_unit__name", "status")
        .annotate(n=Count("id"))
        .order_by("org_unit__path")
    )
    for item in grouped:
        row = rows.setdefault(
            item["org_unit__path"],
            CadreCountRow(
                unit_name=f"{item['org_unit__kind']} {item['org_unit__name']}".strip(),
                by_status=[0] * len(statuses),
                labels=labels,
            ),
        )
        if item["status"] in index:
            row.by_status[index[item["status"]]] += item["n"]
    return CadreCounts(statuses=statuses, rows=list(rows.values()))


def woman_cadres_personal(
    *, actor: User, unit: OrgUnit, cadres: list[WomanCadre]
) -> list[WomanCadre]:
    """The cadres with their names for a holder of ``records.personal`` (audited); else none."""
    if not can(actor, PERSONAL, unit):
        return []
    if cadres:
        audit.record(
            actor=actor,
            action=PERSONAL_VIEWED,
            target=unit,
            org_unit=unit,
            after={"list": "women_cadres", "count": len(cadres)},
        )
    return cadres


def woman_cadre_get(*, actor: User, cadre_id: int) -> WomanCadre:
    cadre = (
        WomanCadre.objects.filter(org_unit__in=org_units_visible_to(actor, VIEW), pk=cadre_id)
        .select_related("org_unit", "ethnic_group")
        .first()
    )
    if cadre is None:
        raise NotVisible(_("Cadre not found."))
    return cadre


# --- difficulties ----------------------------------------------------------------------------


def difficulty_list(
    *, actor: User, unit: OrgUnit, status: str | None = None
) -> QuerySet[Difficulty]:
    qs = Difficulty.objects.filter(_visible_under(actor, unit))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("org_unit").order_by("-raised_on", "-id")


def difficulty_get(*, actor: User, difficulty_id: int) -> Difficulty:
    difficulty = (
        Difficulty.objects.filter(org_unit__in=org_units_visible_to(actor, VIEW), pk=difficulty_id)
        .select_related("org_unit__parent", "plan", "activity")
        .first()
    )
    if difficulty is None:
        raise NotVisible(_("Difficulty not found."))
    return difficulty


def difficulty_history(difficulty: Difficulty) -> list[AuditEvent]:
    """What happened to the difficulty, oldest first, from the audit trail."""
    return list(
        AuditEvent.objects.filter(
            target_type=Difficulty._meta.label_lower, target_id=str(difficulty.pk)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


# Built once a process (core.compiled): every entry form reads it.
_GROUPS_UNDER = Compiled(
    lambda path: (
        CommunityGroup.objects.filter(org_unit__path__startswith=path)
        .select_related("org_unit")
        .order_by("org_unit__path", "name")
    )
)


def community_groups_for(*, unit: OrgUnit) -> list[CommunityGroup]:
    """Groups of the unit and the units below it (a commune's form offers all its villages')."""
    return _GROUPS_UNDER(unit.path)
