"""Members of a community group: who joins (one or many at once, or a batch from an import) and
who leaves, and when."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup, CommunityGroupMember, EthnicGroup, Sex
from duan8.activities.services.shared import (
    EDIT,
    LockTable,
    Upload,
    batch_write,
    birth_year_in_range,
    choice_in,
    day_in_range,
    fields_set,
    not_before,
    not_in_future,
    record_version_claim,
    refuse,
    required,
    upload_record,
)
from duan8.core import audit
from duan8.core.problems import Problem, problems_of
from duan8.orgunits.access import require_permission


@dataclass
class MemberInput:
    full_name: str
    sex: str
    ethnic_group: EthnicGroup | None
    joined_on: datetime.date
    birth_year: int | None = None
    role: str = CommunityGroupMember.Role.MEMBER
    left_on: datetime.date | None = None


_MEMBER_FIELDS = ["full_name", "sex", "ethnic_group", "birth_year", "role", "joined_on", "left_on"]


def member_check(data: MemberInput) -> list[Problem]:
    """Every problem with a member, keyed by the input's field; empty when it can be saved."""
    problems = required(data.full_name, "full_name")
    if data.sex not in Sex.values:
        problems.append(Problem("sex", _("must be Nam or Nữ."), "invalid_choice"))
    problems += required(data.ethnic_group, "ethnic_group")
    problems += birth_year_in_range(data.birth_year, field="birth_year", latest=data.joined_on.year)
    problems += choice_in(data.role, CommunityGroupMember.Role.values, field="role")
    problems += not_before(
        data.left_on, data.joined_on, _("before the date joined."), field="left_on"
    )
    problems += day_in_range(data.joined_on, field="joined_on", future_checked=True)
    problems += day_in_range(data.left_on, field="left_on")
    problems += not_in_future(data.joined_on, field="joined_on")
    return problems


def member_rows(group: CommunityGroup, members: list[MemberInput]) -> list[CommunityGroupMember]:
    rows = [CommunityGroupMember(group=group) for _member in members]
    for row, member in zip(rows, members, strict=True):
        fields_set(row, member, _MEMBER_FIELDS)
    return rows


@dataclass
class MemberNew:
    group: CommunityGroup
    data: MemberInput


@dataclass
class MemberChange:
    """A change to a recorded member made on ``expected_version``."""

    member: CommunityGroupMember
    data: MemberInput
    expected_version: int | None


def member_lock_problems(locks: LockTable, item: MemberNew | MemberChange) -> list[Problem]:
    """The lock a new member (the day joined) or a change (the day left, else joined) is in."""
    if isinstance(item, MemberNew):
        return locks.problems(item.group.org_unit, item.data.joined_on, "joined_on")
    day = item.data.left_on or item.data.joined_on
    return locks.problems(item.member.group.org_unit, day, "joined_on")


def _members_problems(actor: User, items: list[MemberNew | MemberChange]) -> list[Problem]:
    groups = {
        group.pk: group
        for group in (i.group if isinstance(i, MemberNew) else i.member.group for i in items)
    }
    units = {group.org_unit_id: group.org_unit for group in groups.values()}
    for unit in units.values():
        require_permission(actor, EDIT, unit)
    many = len(items) > 1
    problems: list[Problem] = []
    for row, item in enumerate(items, start=1):
        problems += problems_of(member_check(item.data), row=row if many else None)
    if problems:
        return problems
    locks = LockTable(units.values())
    for row, item in enumerate(items, start=1):
        problems += problems_of(member_lock_problems(locks, item), row=row if many else None)
    return problems


@transaction.atomic
def members_save_many(
    *,
    actor: User,
    new: Sequence[MemberNew] = (),
    changes: Sequence[MemberChange] = (),
    upload: Upload | None = None,
) -> list[CommunityGroupMember]:
    """Add members to groups and change recorded ones, all or none: rights, checks, locks and
    versions first, then bulk writes, then the audit: one entry per group joined, or one for an
    ``upload`` (changes come from uploads only)."""
    new, changes = list(new), list(changes)
    if changes and upload is None:
        raise ValueError("Changes to members are saved from an upload.")
    refuse(_members_problems(actor, [*new, *changes]))
    created = [CommunityGroupMember(group=item.group) for item in new]
    changed = [change.member for change in changes]
    batch_write(
        CommunityGroupMember,
        new=[(row, item.data) for row, item in zip(created, new, strict=True)],
        changes=[(c.member, c.data, c.expected_version) for c in changes],
        names=_MEMBER_FIELDS,
    )
    if upload is not None:
        upload_record(actor=actor, upload=upload, created=len(created), updated=len(changed))
        return [*created, *changed]
    by_group: dict[int, list[MemberNew]] = {}
    for item in new:
        by_group.setdefault(item.group.pk, []).append(item)
    for items in by_group.values():
        group = items[0].group
        audit.record(
            actor=actor,
            action="activities.group.members_added",
            target=group,
            org_unit=group.org_unit,
            after={"members": [i.data.full_name for i in items][:50], "count": len(items)},
        )
    return created


def members_add(
    *, actor: User, group: CommunityGroup, members: list[MemberInput]
) -> list[CommunityGroupMember]:
    """Members joining ``group``; a problem of the n-th member is on row n (none for one)."""
    return members_save_many(actor=actor, new=[MemberNew(group, m) for m in members])


@transaction.atomic
def member_leave(
    *,
    actor: User,
    member: CommunityGroupMember,
    on: datetime.date,
    expected_version: int | None = None,
) -> CommunityGroupMember:
    """The member leaves the group on ``on``; refused when the member has already left (or
    another session recorded the leave since the page was opened)."""
    group = member.group
    require_permission(actor, EDIT, group.org_unit)
    if member.left_on is not None:
        message = _("%(name)s already left the group on %(date)s.") % {
            "name": member.full_name,
            "date": member.left_on.strftime("%d/%m/%Y"),
        }
        refuse([Problem("left_on", message, "left")])
    problems = day_in_range(on, field="left_on", future_checked=True)
    problems += not_in_future(on, field="left_on")
    problems += not_before(on, member.joined_on, _("before the date joined."), field="left_on")
    refuse(problems)
    refuse(LockTable([group.org_unit]).problems(group.org_unit, on, "left_on"))
    before = {"member": member.full_name, "left_on": audit.plain(member.left_on)}
    record_version_claim(member, expected_version)
    member.left_on = on
    member.save(update_fields=["left_on", "updated_at"])
    audit.record(
        actor=actor,
        action="activities.group.member_left",
        target=group,
        org_unit=group.org_unit,
        before=before,
        after={"member": member.full_name, "left_on": on.isoformat()},
    )
    return member
