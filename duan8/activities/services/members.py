"""Members of a community group: who joins (one or many at once) and who leaves, and when."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup, CommunityGroupMember, EthnicGroup, Sex
from duan8.activities.services.shared import (
    EDIT,
    claim_version,
    day_in_range,
    not_in_future,
    require_unlocked,
)
from duan8.core import audit
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


def member_check(data: MemberInput, *, where: str = "") -> list[str]:
    prefix = f"{where}: " if where else ""
    errors: list[str] = []
    if not data.full_name.strip():
        errors.append(prefix + _("Full name: required."))
    if data.sex not in Sex.values:
        errors.append(prefix + _("Sex: must be Nam or Nữ."))
    if data.ethnic_group is None:
        errors.append(prefix + _("Ethnicity: required."))
    if data.birth_year is not None and not (1900 <= data.birth_year <= data.joined_on.year):
        errors.append(
            prefix + _("Year of birth: %(year)s is not possible.") % {"year": data.birth_year}
        )
    if data.role not in CommunityGroupMember.Role.values:
        errors.append(prefix + _("Role: unknown value."))
    if data.left_on is not None and data.left_on < data.joined_on:
        errors.append(prefix + _("Left on: before the date joined."))
    errors += [
        prefix + e for e in day_in_range(data.joined_on, label=_("Joined on"), future_checked=True)
    ]
    errors += [prefix + e for e in day_in_range(data.left_on, label=_("Left on"))]
    errors += [prefix + e for e in not_in_future(data.joined_on, label=_("Joined on"))]
    return errors


def member_rows(group: CommunityGroup, members: list[MemberInput]) -> list[CommunityGroupMember]:
    return [
        CommunityGroupMember(
            group=group,
            full_name=m.full_name.strip(),
            sex=m.sex,
            ethnic_group=m.ethnic_group,
            birth_year=m.birth_year,
            role=m.role,
            joined_on=m.joined_on,
            left_on=m.left_on,
        )
        for m in members
    ]


@transaction.atomic
def members_add(
    *, actor: User, group: CommunityGroup, members: list[MemberInput], audit_each: bool = False
) -> list[CommunityGroupMember]:
    require_permission(actor, EDIT, group.org_unit)
    errors: list[str] = []
    for index, member in enumerate(members, start=1):
        where = _("Member %(number)s") % {"number": index} if len(members) > 1 else ""
        errors += member_check(member, where=where)
    if errors:
        raise ValidationError(errors)
    for member in members:
        require_unlocked(group.org_unit, member.joined_on)
    rows = CommunityGroupMember.objects.bulk_create(member_rows(group, members))
    audit.record(
        actor=actor,
        action="activities.group.members_added",
        target=group,
        org_unit=group.org_unit,
        after={"members": [m.full_name for m in members][:50], "count": len(members)},
    )
    return rows


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
        raise ValidationError(
            _("Left on: %(name)s already left the group on %(date)s.")
            % {"name": member.full_name, "date": member.left_on.strftime("%d/%m/%Y")}
        )
    errors = day_in_range(on, label=_("Left on"), future_checked=True)
    errors += not_in_future(on, label=_("Left on"))
    if on < member.joined_on:
        errors.append(_("Left on: before the date joined."))
    if errors:
        raise ValidationError(errors)
    require_unlocked(group.org_unit, on)
    before = {"member": member.full_name, "left_on": audit.plain(member.left_on)}
    member.version = claim_version(CommunityGroupMember, member.pk, expected_version)
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
