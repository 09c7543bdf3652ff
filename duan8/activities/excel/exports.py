"""Each list as .xlsx, with the template's columns so it can be edited and uploaded again.

Names, ethnicity and years of birth are written only for holders of ``records.personal``;
everyone else gets the same file without those columns. Every export is audited
(``activities.<kind>.exported``; ``activities.personal.exported`` as well when it names persons).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from duan8.accounts.models import User
from duan8.activities.excel.columns import CHOICE, COUNT_CELLS, Kind, count_key
from duan8.activities.excel.kinds import (
    CADRES,
    DIFFICULTIES,
    EVENTS,
    GROUPS,
    MEMBERS,
    PARTICIPANTS,
)
from duan8.activities.excel.lists import lists_build
from duan8.activities.excel.scope import Scope, may_see_persons
from duan8.activities.excel.workbook import BOLD, HEADER_FILL, WRAP, sheet_name, workbook_write
from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    Difficulty,
    Event,
    Participant,
    WomanCadre,
)
from duan8.activities.selectors.progress import plan_progress
from duan8.core import audit, xlsx


def _whole(value: Decimal | None) -> int | None:
    return int(value) if value is not None else None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _events(scope: Scope) -> list[dict[str, Any]]:
    if scope.plan is None:
        return []
    events = (
        Event.objects.filter(plan=scope.plan, org_unit__path__startswith=scope.unit.path)
        .select_related("activity", "org_unit", "group")
        .prefetch_related("counts")
        .order_by("held_on", "pk")
    )
    rows = []
    for event in events:
        cells = {(c.sex, c.minority, c.age_group): c.count for c in event.counts.all()}
        row: dict[str, Any] = {
            "activity": event.activity,
            "kind": event.kind,
            "title": event.title,
            "held_on": event.held_on,
            "ended_on": event.ended_on,
            "unit": event.org_unit,
            "place": event.place,
            "organiser": event.organiser,
            "group": event.group,
            "cost": _whole(event.cost),
            "total": sum(cells.values()),
            "notes": event.notes,
        }
        for sex, minority, age, _header in COUNT_CELLS:
            row[count_key(sex, minority, age)] = cells.get((sex, minority, age), 0)
        rows.append(row)
    return rows


def _participants(scope: Scope) -> list[dict[str, Any]]:
    people = Participant.objects.filter(event=scope.event).select_related("ethnic_group")
    return [
        {
            "full_name": p.full_name,
            "sex": p.sex,
            "ethnic_group": p.ethnic_group,
            "birth_year": p.birth_year,
            "position": p.position,
            "workplace": p.workplace,
        }
        for p in people.order_by("pk")
    ]


def _groups(scope: Scope) -> list[dict[str, Any]]:
    today = timezone.localdate()
    current = Q(members__joined_on__lte=today) & (
        Q(members__left_on__isnull=True) | Q(members__left_on__gte=today)
    )
    groups = (
        CommunityGroup.objects.filter(org_unit__path__startswith=scope.unit.path)
        .select_related("org_unit")
        .prefetch_related("statuses")
        .annotate(
            members_now=Count("members", filter=current),
            men_now=Count("members", filter=current & Q(members__sex="M")),
        )
        .order_by("org_unit__path", "kind", "name", "pk")
    )
    rows = []
    for group in groups:
        history = list(group.statuses.all())
        latest = history[-1] if history else None
        rows.append(
            {
                "kind": group.kind,
                "name": group.name,
                "unit": group.org_unit,
                "school": group.school,
                "founded_on": group.founded_on,
                "women_leadership": group.women_leadership,
                "channel": group.channel,
                "channel_address": group.channel_address,
                "equipment": "; ".join(group.equipment.splitlines()),
                "status": latest.status if latest else None,
                "status_on": latest.on if latest else None,
                "notes": group.notes,
                "members_now": group.members_now,
                "men_now": group.men_now,
            }
        )
    return rows


def _members(scope: Scope) -> list[dict[str, Any]]:
    members = (
        CommunityGroupMember.objects.filter(group__org_unit__path__startswith=scope.unit.path)
        .select_related("group__org_unit", "ethnic_group")
        .order_by(
            "group__org_unit__path", "group__name", "group_id", "joined_on", "full_name", "pk"
        )
    )
    return [
        {
            "group": m.group,
            "full_name": m.full_name,
            "sex": m.sex,
            "ethnic_group": m.ethnic_group,
            "birth_year": m.birth_year,
            "role": m.role,
            "joined_on": m.joined_on,
            "left_on": m.left_on,
        }
        for m in members
    ]


def _cadres(scope: Scope) -> list[dict[str, Any]]:
    cadres = (
        WomanCadre.objects.filter(org_unit__path__startswith=scope.unit.path)
        .select_related("org_unit", "ethnic_group")
        .order_by("org_unit__path", "full_name", "since", "pk")
    )
    return [
        {
            "unit": c.org_unit,
            "full_name": c.full_name,
            "ethnic_group": c.ethnic_group,
            "birth_year": c.birth_year,
            "position": c.position,
            "status": c.status,
            "since": c.since,
            "until": c.until,
            "notes": c.notes,
        }
        for c in cadres
    ]


def _difficulties(scope: Scope) -> list[dict[str, Any]]:
    rows = Difficulty.objects.filter(org_unit__path__startswith=scope.unit.path)
    if scope.plan is not None:
        rows = rows.filter(
            Q(plan=scope.plan) | Q(plan__isnull=True, raised_on__year=scope.plan.year)
        )
    return [
        {
            "unit": d.org_unit,
            "raised_by": d.raised_by,
            "raised_on": d.raised_on,
            "description": d.description,
            "activity": d.activity,
            "status": d.status,
            "escalated_on": d.escalated_on,
            "escalated_to": d.escalated_to,
            "answer": d.answer,
            "answered_by": d.answered_by,
            "answered_on": d.answered_on,
        }
        for d in rows.select_related("org_unit", "activity").order_by("raised_on", "pk")
    ]


ROWS = {
    EVENTS.key: _events,
    PARTICIPANTS.key: _participants,
    GROUPS.key: _groups,
    MEMBERS.key: _members,
    CADRES.key: _cadres,
    DIFFICULTIES.key: _difficulties,
}


@dataclass
class ExportFile:
    content: bytes
    rows: int
    personal: bool


def _audit(
    actor: User, scope: Scope, kind_key: str, rows: int, personal: bool, plan_bound: bool
) -> None:
    after: dict[str, Any] = {"rows": rows, "personal": personal}
    if plan_bound and scope.plan is not None:
        after["plan"] = scope.plan.reference
    target = scope.target(plan_bound)
    audit.record(
        actor=actor,
        action=f"activities.{kind_key}.exported",
        target=target,
        org_unit=scope.unit,
        after=after,
    )
    if personal:
        audit.record(
            actor=actor,
            action="activities.personal.exported",
            target=target,
            org_unit=scope.unit,
            after={**after, "list": kind_key},
        )


def records_export(*, actor: User, scope: Scope, kind: Kind) -> ExportFile:
    """The list of ``kind`` in the scope as .xlsx. The scope was resolved for the actor (its unit
    is one they may see), so everything under it may be listed."""
    personal = may_see_persons(actor, scope)
    columns = [c for c in kind.columns if personal or not c.personal]
    names_persons = personal and any(c.personal for c in kind.columns)
    lists = lists_build(scope, [c.choices for c in kind.columns if c.type == CHOICE])
    rows = ROWS[kind.key](scope)
    content = workbook_write(kind=kind, scope=scope, lists=lists, rows=rows, columns=columns)
    _audit(actor, scope, kind.key, len(rows), names_persons, kind.plan_bound)
    return ExportFile(content, len(rows), names_persons)


# --- progress of a plan by village ---------------------------------------------------------


def _target(line: Any) -> Any:
    """The commune's target: a number when there is one, else its text ("-", an instruction)."""
    if line.target_value is not None:
        return _number(line.target_value)
    return line.target_display or None


def progress_export(*, actor: User, scope: Scope) -> ExportFile:
    """The plan's lines with target, actual and percent for the commune and each village (only
    the scope's village for a village head)."""
    assert scope.plan is not None
    village = scope.unit if scope.is_village else None  # a village head reads the village's
    progress = plan_progress(actor=actor, plan=scope.plan, village=village)
    villages = [v for v in progress.villages if scope.covers(v)]
    workbook = xlsx.workbook_new(title=_("Progress"))
    sheet = cast(Worksheet, workbook.active)  # a new workbook has its first sheet
    sheet.title = sheet_name(_("Progress"))
    xlsx.row_append(sheet, [_("Progress of plan %(plan)s") % {"plan": scope.plan.reference}])
    sheet["A1"].font = BOLD
    xlsx.row_append(sheet, [scope.label])
    headers = [
        _("No."),
        _("Content, activity or indicator"),
        _("Unit of measure"),
        _("Commune target"),
        _("Done"),
        _("Percent"),
    ]
    for village in villages:
        headers += [
            _("%(village)s: target") % {"village": village.name},
            _("%(village)s: done") % {"village": village.name},
        ]
    xlsx.row_append(sheet, headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
    widths = [10, 60, 10, 14, 10, 10] + [12] * (2 * len(villages))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3).coordinate
    count = 0
    for line in progress.lines:
        element = line.element
        by_village = {v.unit.pk: v for v in line.villages}
        row = [
            element.outline_number,
            element.title,
            element.unit,
            _target(line),
            line.actual if line.measured else None,
            line.percent if line.measured else None,
        ]
        for village in villages:
            progress_cell = by_village.get(village.pk)
            row += [
                _number(progress_cell.target) if progress_cell else None,
                progress_cell.actual if progress_cell and line.measured else None,
            ]
        xlsx.row_append(sheet, row)
        sheet.cell(row=sheet.max_row, column=2).alignment = WRAP
        count += 1
    content = xlsx.workbook_bytes(workbook)
    _audit(actor, scope, "progress", count, False, True)
    return ExportFile(content, count, False)
