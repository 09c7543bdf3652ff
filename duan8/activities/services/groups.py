"""Community groups (teams, clubs, trusted addresses, livelihood groups): founding one with its
first members, changing it, and the statuses it goes through.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup, CommunityGroupMember, CommunityGroupStatus
from duan8.activities.services.members import MemberInput, member_check, member_rows
from duan8.activities.services.shared import (
    EDIT,
    claim_version,
    day_in_range,
    not_in_future,
    require_unlocked,
    text_length,
)
from duan8.core import audit
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


def community_group_check(data: GroupInput) -> list[str]:
    errors: list[str] = []
    if data.kind not in CommunityGroup.Kind.values:
        errors.append(_("Kind: “%(value)s” is not a kind of group.") % {"value": data.kind})
    if not data.name.strip():
        errors.append(_("Name: required."))
    if data.org_unit.level < OrgUnit.Level.COMMUNE:
        errors.append(_("Village or commune: a group belongs to a commune or a village."))
    if data.plan is not None and not data.org_unit.path.startswith(data.plan.issuing_unit.path):
        errors.append(
            _("Village or commune: %(unit)s is not in %(root)s.")
            % {"unit": data.org_unit.full_name, "root": data.plan.issuing_unit.full_name}
        )
    errors += day_in_range(data.founded_on, label=_("Date founded"), future_checked=True)
    errors += not_in_future(data.founded_on, label=_("Date founded"))
    errors += text_length(data.notes, label=_("Notes"))
    errors += text_length(data.equipment, label=_("Equipment received"))
    if data.women_leadership and data.women_leadership not in ("lead", "co_lead"):
        errors.append(_("Women's leadership: unknown value."))
    if data.channel not in CommunityGroup.Channel.values:
        errors.append(_("Digital channel: unknown value."))
    return errors


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


@transaction.atomic
def community_group_create(
    *, actor: User, data: GroupInput, members: list[MemberInput] | None = None
) -> CommunityGroup:
    require_permission(actor, EDIT, data.org_unit)
    errors = community_group_check(data)
    for index, member in enumerate(members or [], start=1):
        errors += member_check(member, where=_("Member %(number)s") % {"number": index})
    if errors:
        raise ValidationError(errors)
    require_unlocked(data.org_unit, data.founded_on)
    group = CommunityGroup()
    for name in _GROUP_FIELDS:
        value = getattr(data, name)
        setattr(group, name, value.strip() if isinstance(value, str) else value)
    group.save()
    CommunityGroupStatus.objects.create(
        group=group, status=CommunityGroupStatus.Status.FOUNDED, on=data.founded_on
    )
    if members:
        CommunityGroupMember.objects.bulk_create(member_rows(group, members))
    audit.record(
        actor=actor,
        action="activities.group.created",
        target=group,
        org_unit=group.org_unit,
        after={**audit.snapshot(group, _GROUP_FIELDS), "members": len(members or [])},
        version=group.version,
    )
    return group


@transaction.atomic
def community_group_update(
    *, actor: User, group: CommunityGroup, data: GroupInput, expected_version: int | None = None
) -> CommunityGroup:
    require_permission(actor, EDIT, group.org_unit)
    require_permission(actor, EDIT, data.org_unit)
    errors = community_group_check(data)
    if errors:
        raise ValidationError(errors)
    require_unlocked(data.org_unit, timezone.localdate())
    before = audit.snapshot(group, _GROUP_FIELDS)
    claim_version(CommunityGroup, group.pk, expected_version)
    group.refresh_from_db(fields=["version"])
    for name in _GROUP_FIELDS:
        value = getattr(data, name)
        setattr(group, name, value.strip() if isinstance(value, str) else value)
    group.save()
    after = audit.snapshot(group, _GROUP_FIELDS)
    audit.record(
        actor=actor,
        action="activities.group.updated",
        target=group,
        org_unit=group.org_unit,
        before=before,
        after=after,
        version=group.version,
    )
    return group


@transaction.atomic
def community_group_status_set(
    *, actor: User, group: CommunityGroup, status: str, on: datetime.date, note: str = ""
) -> CommunityGroupStatus:
    require_permission(actor, EDIT, group.org_unit)
    errors: list[str] = []
    if status not in CommunityGroupStatus.Status.values:
        errors.append(_("Status: unknown value."))
    if on < group.founded_on:
        errors.append(_("Status date: before the group was founded."))
    errors += not_in_future(on, label=_("Status date"))
    errors += text_length(note, label=_("Note"), limit=255)
    if errors:
        raise ValidationError(errors)
    require_unlocked(group.org_unit, on)
    row = CommunityGroupStatus.objects.create(group=group, status=status, on=on, note=note.strip())
    audit.record(
        actor=actor,
        action="activities.group.status_set",
        target=group,
        org_unit=group.org_unit,
        after={"status": status, "on": on.isoformat(), "note": note},
    )
    return row
