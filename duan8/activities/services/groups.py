"""Community groups (teams, clubs, trusted addresses, livelihood groups): founding one with its
first members, changing it, and the statuses it goes through; a batch of them (an import) in one
transaction.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup, CommunityGroupMember, CommunityGroupStatus
from duan8.activities.services.members import MemberInput, member_check, member_rows
from duan8.activities.services.shared import (
    BATCH,
    EDIT,
    LockTable,
    Upload,
    batch_write,
    choice_in,
    day_in_range,
    not_before,
    not_in_future,
    numbered,
    record_changed,
    refuse,
    required,
    text_length,
    upload_record,
)
from duan8.core import audit
from duan8.core.problems import WHOLE, Problem, problems_of
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan


@dataclass
class GroupInput:
    kind: str
    name: str
    org_unit: OrgUnit
    founded_on: datetime.date
    plan: Plan | None = None
    school: str = ""
    women_leadership: str = ""
    channel: str = ""
    channel_address: str = ""
    equipment: str = ""
    notes: str = ""


def community_group_check(data: GroupInput) -> list[Problem]:
    """Every problem with a group, keyed by the input's field; empty when it can be saved."""
    problems: list[Problem] = []
    if data.kind not in CommunityGroup.Kind.values:
        message = _("“%(value)s” is not a kind of group.") % {"value": data.kind}
        problems.append(Problem("kind", message, "invalid_choice"))
    problems += required(data.name, "name")
    if data.org_unit.level < OrgUnit.Level.COMMUNE:
        message = _("a group belongs to a commune or a village.")
        problems.append(Problem("org_unit", message, "level"))
    if data.plan is not None and not data.org_unit.path.startswith(data.plan.issuing_unit.path):
        message = _("%(unit)s is not in %(root)s.") % {
            "unit": data.org_unit.full_name,
            "root": data.plan.issuing_unit.full_name,
        }
        problems.append(Problem("org_unit", message, "outside"))
    problems += day_in_range(data.founded_on, field="founded_on", future_checked=True)
    problems += not_in_future(data.founded_on, field="founded_on")
    problems += text_length(data.notes, field="notes")
    problems += text_length(data.equipment, field="equipment")
    if data.women_leadership:
        problems += choice_in(data.women_leadership, ("lead", "co_lead"), field="women_leadership")
    problems += choice_in(data.channel, CommunityGroup.Channel.values, field="channel")
    return problems


_GROUP_FIELDS = [
    "kind",
    "name",
    "org_unit",
    "founded_on",
    "plan",
    "school",
    "women_leadership",
    "channel",
    "channel_address",
    "equipment",
    "notes",
]

# A status from a day: ("maintained", 01/06/2024).
StatusFrom = tuple[str, datetime.date]


@dataclass
class GroupNew:
    """A group to found, with its first members and, if already past it, a later status."""

    data: GroupInput
    members: list[MemberInput] = field(default_factory=list)
    status: StatusFrom | None = None


@dataclass
class GroupChange:
    """A change to a recorded group made on ``expected_version``, and a new status, if any."""

    group: CommunityGroup
    data: GroupInput
    expected_version: int | None
    status: StatusFrom | None = None


def community_group_lock_problems(locks: LockTable, item: GroupNew | GroupChange) -> list[Problem]:
    """The locks a new group (its founding day) or a change (today, the day a change to a
    group is dated; the day of its new status) falls into."""
    unit = item.data.org_unit
    problems: list[Problem] = []
    if isinstance(item, GroupNew):
        problems += locks.problems(unit, item.data.founded_on, "founded_on")
    elif record_changed(item.group, item.data, _GROUP_FIELDS) or item.status is None:
        problems += locks.problems(unit, timezone.localdate(), WHOLE)
    if item.status is not None:
        problems += locks.problems(unit, item.status[1], "status_on")
    return problems


def _status_check(status: StatusFrom | None, founded_on: datetime.date) -> list[Problem]:
    if status is None:
        return []
    problems = choice_in(status[0], CommunityGroupStatus.Status.values, field="status")
    problems += not_before(
        status[1], founded_on, _("before the day the group was founded"), field="status_on"
    )
    problems += not_in_future(status[1], field="status_on")
    return problems


def _item_problems(item: GroupNew | GroupChange) -> list[Problem]:
    problems = community_group_check(item.data)
    problems += _status_check(item.status, item.data.founded_on)
    if isinstance(item, GroupNew):
        for number, member in enumerate(item.members, start=1):
            problems += numbered(member_check(member), f"members.{number}")
    return problems


def _groups_problems(actor: User, items: list[GroupNew | GroupChange]) -> list[Problem]:
    units = {item.data.org_unit.pk: item.data.org_unit for item in items}
    units.update(
        {i.group.org_unit_id: i.group.org_unit for i in items if isinstance(i, GroupChange)}
    )
    for unit in units.values():
        require_permission(actor, EDIT, unit)
    many = len(items) > 1
    problems: list[Problem] = []
    for row, item in enumerate(items, start=1):
        problems += problems_of(_item_problems(item), row=row if many else None)
    if problems:
        return problems
    locks = LockTable(units.values())
    for row, item in enumerate(items, start=1):
        found = community_group_lock_problems(locks, item)
        problems += problems_of(found, row=row if many else None)
    return problems


def _statuses(pairs: list[tuple[CommunityGroup, StatusFrom | None]]) -> list[CommunityGroupStatus]:
    return [
        CommunityGroupStatus(group=group, status=status[0], on=status[1])
        for group, status in pairs
        if status is not None
    ]


@transaction.atomic
def community_groups_save_many(
    *,
    actor: User,
    new: Sequence[GroupNew] = (),
    changes: Sequence[GroupChange] = (),
    upload: Upload | None = None,
) -> list[CommunityGroup]:
    """Found groups and change recorded ones, all or none: rights, checks, locks and versions
    first, then bulk writes, then the audit (one entry per group, or one for an ``upload``)."""
    new, changes = list(new), list(changes)
    refuse(_groups_problems(actor, [*new, *changes]))
    before = {} if upload else {c.group.pk: audit.snapshot(c.group, _GROUP_FIELDS) for c in changes}
    created = [CommunityGroup() for _item in new]
    changed = [change.group for change in changes]
    batch_write(
        CommunityGroup,
        new=[(group, item.data) for group, item in zip(created, new, strict=True)],
        changes=[(c.group, c.data, c.expected_version) for c in changes],
        names=_GROUP_FIELDS,
    )
    founded = [
        (g, (CommunityGroupStatus.Status.FOUNDED, i.data.founded_on))
        for g, i in zip(created, new, strict=True)
    ]
    later = [(g, i.status) for g, i in zip(created, new, strict=True)]
    later += [(c.group, c.status) for c in changes]
    CommunityGroupStatus.objects.bulk_create(_statuses([*founded, *later]), batch_size=BATCH)
    CommunityGroupMember.objects.bulk_create(
        (row for g, i in zip(created, new, strict=True) for row in member_rows(g, i.members)),
        batch_size=BATCH,
    )
    if upload is not None:
        upload_record(actor=actor, upload=upload, created=len(created), updated=len(changed))
        return [*created, *changed]
    for group, item in zip(created, new, strict=True):
        audit.record(
            actor=actor,
            action="activities.group.created",
            target=group,
            org_unit=group.org_unit,
            after={**audit.snapshot(group, _GROUP_FIELDS), "members": len(item.members)},
            version=group.version,
        )
    for group in changed:
        audit.record(
            actor=actor,
            action="activities.group.updated",
            target=group,
            org_unit=group.org_unit,
            before=before[group.pk],
            after=audit.snapshot(group, _GROUP_FIELDS),
            version=group.version,
        )
    return [*created, *changed]


def community_group_create(
    *, actor: User, data: GroupInput, members: list[MemberInput] | None = None
) -> CommunityGroup:
    return community_groups_save_many(actor=actor, new=[GroupNew(data, members or [])])[0]


def community_group_update(
    *, actor: User, group: CommunityGroup, data: GroupInput, expected_version: int | None = None
) -> CommunityGroup:
    return community_groups_save_many(
        actor=actor, changes=[GroupChange(group, data, expected_version)]
    )[0]


@transaction.atomic
def community_group_status_set(
    *, actor: User, group: CommunityGroup, status: str, on: datetime.date, note: str = ""
) -> CommunityGroupStatus:
    require_permission(actor, EDIT, group.org_unit)
    problems = choice_in(status, CommunityGroupStatus.Status.values, field="status")
    problems += not_before(on, group.founded_on, _("before the group was founded."), field="on")
    problems += not_in_future(on, field="on")
    problems += text_length(note, field="note", limit=255)
    refuse(problems)
    refuse(LockTable([group.org_unit]).problems(group.org_unit, on, "on"))
    row = CommunityGroupStatus.objects.create(group=group, status=status, on=on, note=note.strip())
    audit.record(
        actor=actor,
        action="activities.group.status_set",
        target=group,
        org_unit=group.org_unit,
        after={"status": status, "on": on.isoformat(), "note": note},
    )
    return row
