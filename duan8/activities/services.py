"""Writes to what is carried out. Every function checks the actor's right, the plan's year and
the locks that approved reports put on a unit's period, validates everything, then writes.

Imports (Excel) call the ``*_check`` functions for every row first, then the writers inside one
transaction, so a file is saved whole or not at all.
"""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import (
    AgeGroup,
    Attachment,
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    DataLock,
    Difficulty,
    EthnicGroup,
    Event,
    Participant,
    ParticipantCount,
    Sex,
    WomanCadre,
    age_group_for,
)
from duan8.core import audit
from duan8.core.models import AuditEvent
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.services import EditConflict

EDIT = "records.edit"


# --- shared checks ---------------------------------------------------------------------------


def data_lock_covering(unit: OrgUnit, day: datetime.date) -> DataLock | None:
    """The lock on ``unit`` (or a unit above it) whose period contains ``day``, if any."""
    prefixes = [unit.path[:i] for i in range(10, len(unit.path) + 1, 9)]
    return (
        DataLock.objects.filter(
            org_unit__path__in=prefixes, period_start__lte=day, period_end__gte=day
        )
        .select_related("org_unit")
        .first()
    )


def require_unlocked(unit: OrgUnit, day: datetime.date) -> None:
    lock = data_lock_covering(unit, day)
    if lock is not None:
        raise ValidationError(
            _(
                "The data of %(unit)s for %(start)s–%(end)s is locked (%(reason)s); "
                "ask the approver to unlock it."
            )
            % {
                "unit": lock.org_unit.full_name,
                "start": lock.period_start.strftime("%d/%m/%Y"),
                "end": lock.period_end.strftime("%d/%m/%Y"),
                "reason": lock.reason,
            }
        )


def _require_in_year(day: datetime.date | None, year: int, *, label: str) -> list[str]:
    if day is not None and day.year != year:
        return [
            _("%(field)s: %(date)s is outside the plan's year %(year)s.")
            % {"field": label, "date": day.strftime("%d/%m/%Y"), "year": year}
        ]
    return []


def _not_in_future(day: datetime.date | None, *, label: str) -> list[str]:
    if day is not None and day > timezone.localdate():
        return [
            _("%(field)s: %(date)s is in the future; record what has been carried out.")
            % {"field": label, "date": day.strftime("%d/%m/%Y")}
        ]
    return []


def plan_activities(plan: Plan) -> list[ProgramElement]:
    """Activities and indicators of the plan's project, in the order of the plan."""
    return list(
        ProgramElement.objects.filter(
            code__startswith=f"{plan.project.code}.",
            kind__in=[ProgramElement.Kind.ACTIVITY, ProgramElement.Kind.INDICATOR],
        ).order_by("order", "code")
    )


def _conflict_message(model: type, pk: int) -> str:
    """Who changed the record last and when, to tell the user whose save was refused."""
    last = (
        AuditEvent.objects.filter(target_type=model._meta.label_lower, target_id=str(pk))
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None:
        return _("This record was changed by someone else after you opened it; reload the page.")
    return _("This record was changed by %(user)s at %(time)s; reload the page.") % {
        "user": last.actor_name or "?",
        "time": timezone.localtime(last.created_at).strftime("%H:%M %d/%m/%Y"),
    }


def _claim(model: type, pk: int, expected_version: int | None) -> int:
    """Raise the record's version, refusing if it is no longer ``expected_version``.

    The same path as plans (``programs.services._claim_version``): the conditional UPDATE is
    atomic, so of two saves made on the same copy the second matches no row and is refused.
    A save that does not say which version it was made on (``None``) is refused too.
    """
    if expected_version is None:
        raise EditConflict(
            _("This form does not say which version of the record it changes; reload the page.")
        )
    rows = model.objects.filter(pk=pk, version=expected_version)
    if not rows.update(version=F("version") + 1, updated_at=timezone.now()):
        raise EditConflict(_conflict_message(model, pk))
    return model.objects.values_list("version", flat=True).get(pk=pk)


# Earliest and latest dates the records accept (the program's records start after 1945).
EARLIEST_DAY = datetime.date(1945, 1, 1)
EARLIEST_BIRTH_YEAR = 1900
NOTES_MAX = 2000
TEXT_MAX = 5000


def _day_in_range(
    day: datetime.date | None, *, label: str, future_checked: bool = False
) -> list[str]:
    """A date between 01/01/1945 and one year from today, else a message. ``future_checked``:
    the caller refuses future dates already (``_not_in_future``), so only the start is checked."""
    if day is None:
        return []
    latest = timezone.localdate() + datetime.timedelta(days=366)
    if day < EARLIEST_DAY or (day > latest and not future_checked):
        return [
            _("%(field)s: %(date)s is not a possible date (from %(earliest)s to %(latest)s).")
            % {
                "field": label,
                "date": f"{day.day:02d}/{day.month:02d}/{day.year:04d}",
                "earliest": EARLIEST_DAY.strftime("%d/%m/%Y"),
                "latest": latest.strftime("%d/%m/%Y"),
            }
        ]
    return []


def _birth_year_in_range(year: int | None, *, label: str, latest: int | None = None) -> list[str]:
    latest = latest or timezone.localdate().year
    if year is not None and not (EARLIEST_BIRTH_YEAR <= year <= latest):
        return [
            _("%(field)s: %(year)s is not possible (from %(earliest)s to %(latest)s).")
            % {"field": label, "year": year, "earliest": EARLIEST_BIRTH_YEAR, "latest": latest}
        ]
    return []


def _text_length(text: str, *, label: str, limit: int = NOTES_MAX) -> list[str]:
    if len(text or "") > limit:
        return [
            _("%(field)s: %(length)s characters; at most %(limit)s.")
            % {"field": label, "length": len(text), "limit": limit}
        ]
    return []


# --- events ----------------------------------------------------------------------------------


@dataclass
class CountInput:
    sex: str
    minority: bool
    age_group: str
    count: int


@dataclass
class PersonInput:
    full_name: str
    sex: str
    ethnic_group: EthnicGroup | None
    birth_year: int | None = None
    position: str = ""
    workplace: str = ""


@dataclass
class EventInput:
    plan: Plan
    activity: ProgramElement
    kind: str
    title: str
    held_on: datetime.date
    org_unit: OrgUnit
    ended_on: datetime.date | None = None
    place: str = ""
    organiser: str = ""
    group: CommunityGroup | None = None
    cost: Decimal = Decimal(0)
    notes: str = ""
    counts: list[CountInput] = field(default_factory=list)
    participants: list[PersonInput] = field(default_factory=list)


CountKey = tuple[str, bool, str]


def counts_from_people(people: list[PersonInput], on: datetime.date) -> Counter[CountKey]:
    cells: Counter[CountKey] = Counter()
    for person in people:
        minority = bool(person.ethnic_group and person.ethnic_group.is_minority)
        cells[(person.sex, minority, age_group_for(person.birth_year, on) or AgeGroup.ADULT)] += 1
    return cells


def _counts_total(counts: Counter[CountKey]) -> int:
    return sum(counts.values())


def event_check(data: EventInput) -> list[str]:
    """Every problem with an event, as messages naming the field; empty when it can be saved."""
    errors: list[str] = []
    plan = data.plan
    if data.kind not in Event.Kind.values:
        errors.append(_("Kind: “%(value)s” is not a kind of event.") % {"value": data.kind})
    if not data.title.strip():
        errors.append(_("Title: required."))
    if not data.activity.code.startswith(f"{plan.project.code}.") or data.activity.kind not in (
        ProgramElement.Kind.ACTIVITY,
        ProgramElement.Kind.INDICATOR,
    ):
        errors.append(
            _("Activity: %(code)s is not an activity of the plan.") % {"code": data.activity.code}
        )
    if not data.org_unit.path.startswith(plan.issuing_unit.path):
        errors.append(
            _("Place: %(unit)s is not in %(root)s.")
            % {"unit": data.org_unit.full_name, "root": plan.issuing_unit.full_name}
        )
    errors += _require_in_year(data.held_on, plan.year, label=_("Date held"))
    errors += _require_in_year(data.ended_on, plan.year, label=_("End date"))
    errors += _not_in_future(data.held_on, label=_("Date held"))
    if data.ended_on and data.ended_on < data.held_on:
        errors.append(_("End date: before the start date."))
    if data.cost < 0:
        errors.append(_("Cost: cannot be negative."))
    errors += _text_length(data.notes, label=_("Notes"))
    if data.group is not None and not data.group.org_unit.path.startswith(plan.issuing_unit.path):
        errors.append(_("Group: the group belongs to another commune."))
    given: Counter[CountKey] = Counter()
    for item in data.counts:
        if item.count < 0:
            errors.append(_("Participants: a number cannot be negative."))
            continue
        if item.sex not in Sex.values or item.age_group not in AgeGroup.values:
            errors.append(_("Participants: unknown sex or age group."))
            continue
        given[(item.sex, item.minority, item.age_group)] += item.count
    for index, person in enumerate(data.participants, start=1):
        where = _("Participant %(number)s (%(name)s)") % {
            "number": index,
            "name": person.full_name or "?",
        }
        if not person.full_name.strip():
            errors.append(_("%(where)s: the name is required.") % {"where": where})
        if person.sex not in Sex.values:
            errors.append(_("%(where)s: sex must be Nam or Nữ.") % {"where": where})
        if person.ethnic_group is None:
            errors.append(_("%(where)s: the ethnicity is required.") % {"where": where})
        if person.birth_year is not None and not (1900 <= person.birth_year <= data.held_on.year):
            errors.append(
                _("%(where)s: year of birth %(year)s is not possible.")
                % {"where": where, "year": person.birth_year}
            )
    if data.participants and given and not errors:
        listed = counts_from_people(data.participants, data.held_on)
        if +given != +listed:
            errors.append(
                _(
                    "Participants: the counts (%(counts)s people) contradict the list of "
                    "%(listed)s people; give one or make them agree."
                )
                % {"counts": _counts_total(given), "listed": _counts_total(listed)}
            )
    if not data.participants and not _counts_total(given) and data.kind != Event.Kind.BROADCAST:
        errors.append(_("Participants: give the number of participants or their list."))
    return errors


def event_duplicate_of(data: EventInput) -> Event | None:
    """An event already recorded that looks like this one: same unit, date, plan activity and
    participant counts (a second save of the same session, often by another person)."""
    candidates = list(
        Event.objects.filter(
            plan=data.plan, org_unit=data.org_unit, held_on=data.held_on, activity=data.activity
        ).prefetch_related("counts")
    )
    if not candidates:
        return None
    if data.participants:
        wanted = +counts_from_people(data.participants, data.held_on)
    else:
        wanted = Counter()
        for item in data.counts:
            wanted[(item.sex, item.minority, item.age_group)] += item.count
        wanted = +wanted
    for event in candidates:
        recorded = +Counter({(c.sex, c.minority, c.age_group): c.count for c in event.counts.all()})
        if recorded == wanted:
            return event
    return None


# The fields an EventInput sets on an Event; the audit trail keeps all of them but the notes.
_EVENT_FIELDS = [
    "plan",
    "activity",
    "kind",
    "title",
    "held_on",
    "ended_on",
    "org_unit",
    "place",
    "organiser",
    "group",
    "cost",
    "notes",
]


def _event_write(event: Event, data: EventInput) -> None:
    for name in _EVENT_FIELDS:
        value = getattr(data, name)
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    event.save()
    event.counts.all().delete()
    event.participants.all().delete()
    if data.participants:
        cells = counts_from_people(data.participants, data.held_on)
        Participant.objects.bulk_create(
            Participant(
                event=event,
                full_name=p.full_name.strip(),
                sex=p.sex,
                ethnic_group=p.ethnic_group,
                birth_year=p.birth_year,
                position=p.position.strip(),
                workplace=p.workplace.strip(),
            )
            for p in data.participants
        )
    else:
        cells = Counter()
        for item in data.counts:
            cells[(item.sex, item.minority, item.age_group)] += item.count
    ParticipantCount.objects.bulk_create(
        ParticipantCount(event=event, sex=sex, minority=minority, age_group=age, count=n)
        for (sex, minority, age), n in sorted(cells.items())
        if n
    )


def _event_snapshot(event: Event) -> dict:
    snap = audit.snapshot(event, [name for name in _EVENT_FIELDS if name != "notes"])
    snap["participants"] = sum(c.count for c in event.counts.all())
    return snap


@transaction.atomic
def event_create(*, actor: User, data: EventInput, audit_event: bool = True) -> Event:
    require_permission(actor, EDIT, data.org_unit)
    errors = event_check(data)
    if errors:
        raise ValidationError(errors)
    require_unlocked(data.org_unit, data.held_on)
    event = Event(recorded_by=actor if actor.is_authenticated else None)
    _event_write(event, data)
    if audit_event:
        audit.record(
            actor=actor,
            action="activities.event.created",
            target=event,
            org_unit=event.org_unit,
            after=_event_snapshot(event),
            version=event.version,
        )
    return event


@transaction.atomic
def event_update(
    *, actor: User, event: Event, data: EventInput, expected_version: int | None = None
) -> Event:
    require_permission(actor, EDIT, event.org_unit)
    require_permission(actor, EDIT, data.org_unit)
    errors = event_check(data)
    if errors:
        raise ValidationError(errors)
    require_unlocked(event.org_unit, event.held_on)
    require_unlocked(data.org_unit, data.held_on)
    before = _event_snapshot(event)
    _claim(Event, event.pk, expected_version)
    event.refresh_from_db(fields=["version"])
    _event_write(event, data)
    audit.record(
        actor=actor,
        action="activities.event.updated",
        target=event,
        org_unit=event.org_unit,
        before=before,
        after=_event_snapshot(event),
        version=event.version,
    )
    return event


@transaction.atomic
def event_delete(*, actor: User, event: Event) -> None:
    require_permission(actor, EDIT, event.org_unit)
    require_unlocked(event.org_unit, event.held_on)
    before = _event_snapshot(event)
    audit.record(
        actor=actor,
        action="activities.event.deleted",
        target=event,
        org_unit=event.org_unit,
        before=before,
    )
    for attachment in event.attachments.all():
        attachment.file.delete(save=False)
    event.delete()


# --- community groups ------------------------------------------------------------------------


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


@dataclass
class MemberInput:
    full_name: str
    sex: str
    ethnic_group: EthnicGroup | None
    joined_on: datetime.date
    birth_year: int | None = None
    role: str = CommunityGroupMember.Role.MEMBER
    left_on: datetime.date | None = None


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
    errors += _day_in_range(data.founded_on, label=_("Date founded"), future_checked=True)
    errors += _not_in_future(data.founded_on, label=_("Date founded"))
    errors += _text_length(data.notes, label=_("Notes"))
    errors += _text_length(data.equipment, label=_("Equipment received"))
    if data.women_leadership and data.women_leadership not in ("lead", "co_lead"):
        errors.append(_("Women's leadership: unknown value."))
    if data.channel not in CommunityGroup.Channel.values:
        errors.append(_("Digital channel: unknown value."))
    return errors


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
        prefix + e for e in _day_in_range(data.joined_on, label=_("Joined on"), future_checked=True)
    ]
    errors += [prefix + e for e in _day_in_range(data.left_on, label=_("Left on"))]
    errors += [prefix + e for e in _not_in_future(data.joined_on, label=_("Joined on"))]
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
        CommunityGroupMember.objects.bulk_create(_member_rows(group, members))
    audit.record(
        actor=actor,
        action="activities.group.created",
        target=group,
        org_unit=group.org_unit,
        after={**audit.snapshot(group, _GROUP_FIELDS), "members": len(members or [])},
        version=group.version,
    )
    return group


def _member_rows(group: CommunityGroup, members: list[MemberInput]) -> list[CommunityGroupMember]:
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
    _claim(CommunityGroup, group.pk, expected_version)
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
    errors += _not_in_future(on, label=_("Status date"))
    errors += _text_length(note, label=_("Note"), limit=255)
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
    rows = CommunityGroupMember.objects.bulk_create(_member_rows(group, members))
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
    errors = _day_in_range(on, label=_("Left on"), future_checked=True)
    errors += _not_in_future(on, label=_("Left on"))
    if on < member.joined_on:
        errors.append(_("Left on: before the date joined."))
    if errors:
        raise ValidationError(errors)
    require_unlocked(group.org_unit, on)
    before = {"member": member.full_name, "left_on": audit.plain(member.left_on)}
    member.version = _claim(CommunityGroupMember, member.pk, expected_version)
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


# --- women cadres ----------------------------------------------------------------------------


@dataclass
class CadreInput:
    org_unit: OrgUnit
    full_name: str
    ethnic_group: EthnicGroup | None
    position: str
    status: str
    since: datetime.date
    until: datetime.date | None = None
    birth_year: int | None = None
    plan: Plan | None = None
    notes: str = ""


_CADRE_FIELDS = [
    "org_unit",
    "full_name",
    "ethnic_group",
    "position",
    "status",
    "since",
    "until",
    "birth_year",
    "plan",
    "notes",
]


def woman_cadre_check(data: CadreInput) -> list[str]:
    errors: list[str] = []
    if not data.full_name.strip():
        errors.append(_("Full name: required."))
    if data.ethnic_group is None:
        errors.append(_("Ethnicity: required."))
    elif not data.ethnic_group.is_minority:
        errors.append(
            _(
                "Ethnicity: %(name)s is not an ethnic minority; this list is of ethnic-minority "
                "women."
            )
            % {"name": data.ethnic_group.name}
        )
    if not data.position.strip():
        errors.append(_("Position: required."))
    if data.status not in WomanCadre.Status.values:
        errors.append(_("Status: unknown value."))
    if data.until is not None and data.until < data.since:
        errors.append(_("Until: before the start date."))
    errors += _day_in_range(data.since, label=_("From"))
    errors += _day_in_range(data.until, label=_("Until"))
    errors += _birth_year_in_range(data.birth_year, label=_("Year of birth"))
    errors += _text_length(data.notes, label=_("Notes"))
    return errors


@transaction.atomic
def woman_cadre_save(
    *,
    actor: User,
    data: CadreInput,
    cadre: WomanCadre | None = None,
    expected_version: int | None = None,
) -> WomanCadre:
    """Record a cadre, or change one (``cadre``) as of ``expected_version``, the version the
    form was loaded with: a change over someone else's, or without a version, is refused."""
    require_permission(actor, EDIT, data.org_unit)
    if cadre is not None:
        require_permission(actor, EDIT, cadre.org_unit)
    errors = woman_cadre_check(data)
    if errors:
        raise ValidationError(errors)
    require_unlocked(data.org_unit, data.since)
    before = None
    if cadre is not None:
        require_unlocked(cadre.org_unit, cadre.since)
        before = audit.snapshot(cadre, _CADRE_FIELDS)
        cadre.version = _claim(WomanCadre, cadre.pk, expected_version)
    cadre = cadre or WomanCadre()
    for name in _CADRE_FIELDS:
        value = getattr(data, name)
        setattr(cadre, name, value.strip() if isinstance(value, str) else value)
    cadre.save()
    audit.record(
        actor=actor,
        action="activities.cadre.updated" if before else "activities.cadre.created",
        target=cadre,
        org_unit=cadre.org_unit,
        before=before,
        after=audit.snapshot(cadre, _CADRE_FIELDS),
        version=cadre.version,
    )
    return cadre


# --- difficulties ----------------------------------------------------------------------------


def difficulty_check(
    *,
    org_unit: OrgUnit,
    raised_by: str,
    raised_on: datetime.date,
    description: str,
    plan: Plan | None = None,
) -> list[str]:
    """Every problem with a difficulty to raise; empty when it can be saved (Excel imports)."""
    errors: list[str] = []
    if not description.strip():
        errors.append(_("Difficulty: describe it."))
    errors += _text_length(description, label=_("Difficulty"), limit=TEXT_MAX)
    if not raised_by.strip():
        errors.append(_("Raised by: required."))
    errors += _day_in_range(raised_on, label=_("Raised on"), future_checked=True)
    errors += _not_in_future(raised_on, label=_("Raised on"))
    if plan is not None:
        errors += _require_in_year(raised_on, plan.year, label=_("Raised on"))
        if not org_unit.path.startswith(plan.issuing_unit.path):
            errors.append(_("Raised in: the unit is not in the plan's commune."))
    return errors


@transaction.atomic
def difficulty_raise(
    *,
    actor: User,
    org_unit: OrgUnit,
    raised_by: str,
    raised_on: datetime.date,
    description: str,
    plan: Plan | None = None,
    activity: ProgramElement | None = None,
) -> Difficulty:
    require_permission(actor, EDIT, org_unit)
    errors = difficulty_check(
        org_unit=org_unit,
        raised_by=raised_by,
        raised_on=raised_on,
        description=description,
        plan=plan,
    )
    if errors:
        raise ValidationError(errors)
    require_unlocked(org_unit, raised_on)
    difficulty = Difficulty.objects.create(
        org_unit=org_unit,
        raised_by=raised_by.strip(),
        raised_on=raised_on,
        description=description.strip(),
        plan=plan,
        activity=activity,
    )
    audit.record(
        actor=actor,
        action="activities.difficulty.raised",
        target=difficulty,
        org_unit=org_unit,
        after=audit.snapshot(difficulty, ["raised_by", "raised_on", "description", "status"]),
        version=difficulty.version,
    )
    return difficulty


def _commune_of(unit: OrgUnit) -> OrgUnit:
    return unit.parent if unit.level == OrgUnit.Level.VILLAGE and unit.parent else unit


@transaction.atomic
def difficulty_escalate(
    *,
    actor: User,
    difficulty: Difficulty,
    on: datetime.date,
    to: str = "",
    expected_version: int | None = None,
) -> Difficulty:
    """The commune Women's Union passes a difficulty beyond its authority to the commune PC."""
    commune = _commune_of(difficulty.org_unit)
    require_permission(actor, "plans.edit", commune)
    if difficulty.status not in (Difficulty.Status.OPEN,):
        raise ValidationError(_("Only an open difficulty can be escalated."))
    errors = _day_in_range(on, label=_("Escalated on"), future_checked=True)
    errors += _not_in_future(on, label=_("Escalated on"))
    if on < difficulty.raised_on:
        errors.append(_("Escalated on: before the day it was raised."))
    errors += _text_length(to, label=_("Escalated to"), limit=255)
    if errors:
        raise ValidationError(errors)
    require_unlocked(difficulty.org_unit, difficulty.raised_on)
    before = audit.snapshot(difficulty, ["status", "escalated_on", "escalated_to"])
    difficulty.version = _claim(Difficulty, difficulty.pk, expected_version)
    difficulty.status = Difficulty.Status.ESCALATED
    difficulty.escalated_on = on
    # "Ủy ban nhân dân xã Ba Trang": the unit's kind in lower case inside a name.
    in_name = f"{commune.kind.lower()} {commune.name}".strip()
    difficulty.escalated_to = to.strip() or _("People's Committee of %(commune)s") % {
        "commune": in_name
    }
    difficulty.save(update_fields=["status", "escalated_on", "escalated_to", "updated_at"])
    audit.record(
        actor=actor,
        action="activities.difficulty.escalated",
        target=difficulty,
        org_unit=difficulty.org_unit,
        before=before,
        after=audit.snapshot(difficulty, ["status", "escalated_on", "escalated_to"]),
        version=difficulty.version,
    )
    return difficulty


@transaction.atomic
def difficulty_answer(
    *,
    actor: User,
    difficulty: Difficulty,
    answer: str,
    answered_by: str,
    on: datetime.date,
    resolved: bool = False,
    expected_version: int | None = None,
) -> Difficulty:
    """Answered by the commune WU (open ones) or the commune PC (escalated ones)."""
    commune = _commune_of(difficulty.org_unit)
    permission = (
        "reports.review" if difficulty.status == Difficulty.Status.ESCALATED else "plans.edit"
    )
    require_permission(actor, permission, commune)
    errors: list[str] = []
    if difficulty.status == Difficulty.Status.RESOLVED:
        errors.append(_("This difficulty is already resolved."))
    if not answer.strip():
        errors.append(_("Answer: required."))
    errors += _text_length(answer, label=_("Answer"), limit=TEXT_MAX)
    if not answered_by.strip():
        errors.append(_("Answered by: required."))
    errors += _text_length(answered_by, label=_("Answered by"), limit=255)
    errors += _day_in_range(on, label=_("Answered on"), future_checked=True)
    errors += _not_in_future(on, label=_("Answered on"))
    if on < difficulty.raised_on:
        errors.append(_("Answered on: before the day it was raised."))
    if errors:
        raise ValidationError(errors)
    require_unlocked(difficulty.org_unit, difficulty.raised_on)
    before = audit.snapshot(difficulty, ["status", "answer", "answered_by", "answered_on"])
    difficulty.version = _claim(Difficulty, difficulty.pk, expected_version)
    difficulty.answer = answer.strip()
    difficulty.answered_by = answered_by.strip()
    difficulty.answered_on = on
    difficulty.status = Difficulty.Status.RESOLVED if resolved else Difficulty.Status.ANSWERED
    difficulty.save(update_fields=["answer", "answered_by", "answered_on", "status", "updated_at"])
    audit.record(
        actor=actor,
        action="activities.difficulty.answered",
        target=difficulty,
        org_unit=difficulty.org_unit,
        before=before,
        after=audit.snapshot(difficulty, ["status", "answer", "answered_by", "answered_on"]),
        version=difficulty.version,
    )
    return difficulty


# --- attachments -----------------------------------------------------------------------------

# Accepted files, recognised by their first bytes (never by the name alone).
_SIGNATURES: list[tuple[bytes, int, str, str, set[str]]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg", Attachment.Kind.PHOTO, {".jpg", ".jpeg"}),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", Attachment.Kind.PHOTO, {".png"}),
    (b"%PDF-", 0, "application/pdf", Attachment.Kind.DOCUMENT, {".pdf"}),
    (b"ftyp", 4, "video/mp4", Attachment.Kind.VIDEO, {".mp4", ".m4v", ".mov", ".3gp"}),
    (
        b"PK\x03\x04",
        0,
        "application/vnd.openxmlformats-officedocument",
        Attachment.Kind.DOCUMENT,
        {".docx", ".xlsx", ".pptx"},
    ),
]
_OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def attachment_type(head: bytes, name: str) -> tuple[str, str] | None:
    """(content type, default kind) when the file's bytes and its name agree; else None."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for magic, offset, content_type, kind, suffixes in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic and suffix in suffixes:
            return _OFFICE_TYPES.get(suffix, content_type), kind
    return None


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    upload: UploadedFile,
    kind: str = "",
    event: Event | None = None,
    group: CommunityGroup | None = None,
) -> Attachment:
    owner_unit = event.org_unit if event is not None else group.org_unit if group else None
    if owner_unit is None:
        raise ValidationError(_("An attachment belongs to an event or a group."))
    require_permission(actor, EDIT, owner_unit)
    name = upload.name or "file"
    head = upload.read(16)
    upload.seek(0)
    detected = attachment_type(head, name)
    if detected is None:
        raise ValidationError(
            _(
                "File “%(name)s”: this type of file is not accepted. Accepted: photos (JPG, PNG), "
                "video (MP4), PDF, Word, Excel, PowerPoint."
            )
            % {"name": name}
        )
    content_type, default_kind = detected
    limit = (
        settings.ATTACHMENT_MAX_VIDEO_BYTES
        if content_type.startswith("video/")
        else settings.ATTACHMENT_MAX_BYTES
    )
    if upload.size > limit:
        raise ValidationError(
            _("File “%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": _size_text(upload.size), "limit": _size_text(limit)}
        )
    if kind and kind not in Attachment.Kind.values:
        raise ValidationError(_("Kind: unknown value."))
    if event is not None:
        require_unlocked(event.org_unit, event.held_on)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        event=event,
        group=group,
        kind=kind or default_kind,
        original_name=name[:255],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save(f"{digest.hexdigest()[:16]}{_suffix(name)}", upload, save=False)
    attachment.save()
    audit.record(
        actor=actor,
        action="activities.attachment.added",
        target=attachment,
        org_unit=owner_unit,
        after={"name": name, "size": upload.size, "type": content_type},
    )
    return attachment


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    unit = attachment.event.org_unit if attachment.event else attachment.group.org_unit
    require_permission(actor, EDIT, unit)
    if attachment.event is not None:
        require_unlocked(unit, attachment.event.held_on)
    audit.record(
        actor=actor,
        action="activities.attachment.deleted",
        target=attachment,
        org_unit=unit,
        before={"name": attachment.original_name, "size": attachment.size},
    )
    attachment.file.delete(save=False)
    attachment.delete()


# --- locks (used by report approval) ---------------------------------------------------------


@transaction.atomic
def data_lock(
    *,
    actor: User,
    org_unit: OrgUnit,
    period_start: datetime.date,
    period_end: datetime.date,
    reason: str,
    source: str = "",
) -> DataLock:
    require_permission(actor, "reports.review", org_unit)
    lock = DataLock.objects.create(
        org_unit=org_unit,
        period_start=period_start,
        period_end=period_end,
        reason=reason,
        source=source,
        locked_by=actor,
    )
    audit.record(
        actor=actor,
        action="activities.data.locked",
        target=lock,
        org_unit=org_unit,
        after=audit.snapshot(lock, ["period_start", "period_end", "reason", "source"]),
    )
    return lock


@transaction.atomic
def data_unlock(*, actor: User, lock: DataLock, reason: str) -> None:
    require_permission(actor, "reports.review", lock.org_unit)
    if not reason.strip():
        raise ValidationError(_("Reason: say why the data is unlocked."))
    audit.record(
        actor=actor,
        action="activities.data.unlocked",
        target=lock,
        org_unit=lock.org_unit,
        before=audit.snapshot(lock, ["period_start", "period_end", "reason", "source"]),
        message=reason.strip(),
    )
    lock.delete()


UNLOCK_REQUEST_MAX = 1000


def unlock_requests(lock: DataLock) -> list[AuditEvent]:
    """The requests to unlock ``lock`` made so far, newest first."""
    return list(
        AuditEvent.objects.filter(
            action="activities.data.unlock_requested",
            target_type=DataLock._meta.label_lower,
            target_id=str(lock.pk),
        ).order_by("-created_at", "-id")
    )


@transaction.atomic
def data_unlock_request(
    *, actor: User, unit: OrgUnit, day: datetime.date, reason: str, what: str = ""
) -> AuditEvent:
    """Ask the approver who locked ``unit``'s data on ``day`` to unlock it, to correct ``what``.

    Open to those who record in the unit. The request is kept in the audit trail (shown on the
    locked records' banner) and e-mailed to the approver when they have an address.
    """
    require_permission(actor, EDIT, unit)
    lock = data_lock_covering(unit, day)
    if lock is None:
        raise ValidationError(_("The data of this day is not locked; nothing to unlock."))
    reason = reason.strip()
    errors = [] if reason else [_("Reason: say what must be corrected.")]
    errors += _text_length(reason, label=_("Reason"), limit=UNLOCK_REQUEST_MAX)
    if errors:
        raise ValidationError(errors)
    request = audit.record(
        actor=actor,
        action="activities.data.unlock_requested",
        target=lock,
        org_unit=unit,
        after={
            "record": what.strip()[:255],
            "period_start": lock.period_start.isoformat(),
            "period_end": lock.period_end.isoformat(),
        },
        message=reason,
    )
    approver = lock.locked_by
    if approver is not None and approver.is_active and approver.email:
        subject = _("[Project 8] %(user)s asks you to unlock the data of %(unit)s") % {
            "user": actor.full_name or actor.get_username(),
            "unit": lock.org_unit.full_name,
        }
        body = _(
            "%(user)s asks you to unlock the data of %(unit)s for %(start)s–%(end)s (%(lock)s) "
            "to correct: %(what)s\n\nReason: %(reason)s\n\nUnlock it from the approved "
            "report's page if the correction is justified."
        ) % {
            "user": actor.full_name or actor.get_username(),
            "unit": lock.org_unit.full_name,
            "start": lock.period_start.strftime("%d/%m/%Y"),
            "end": lock.period_end.strftime("%d/%m/%Y"),
            "lock": lock.reason,
            "what": what.strip()[:255] or "—",
            "reason": reason,
        }
        transaction.on_commit(
            lambda: send_mail(subject, body, None, [approver.email], fail_silently=True)
        )
    return request


def locks_for(units: list[OrgUnit]) -> list[DataLock]:
    condition = Q()
    for unit in units:
        condition |= Q(org_unit=unit)
    return list(DataLock.objects.filter(condition)) if units else []
