"""Events (sessions, meetings, broadcasts …) and who took part: counts by sex, minority and age
group, or a named list from which the counts are derived; the check that finds a second save of
the same event; the activities of a plan an event may be recorded against.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import (
    AgeGroup,
    CommunityGroup,
    EthnicGroup,
    Event,
    Participant,
    ParticipantCount,
    Sex,
    age_group_for,
)
from duan8.activities.services.shared import (
    EDIT,
    claim_version,
    not_in_future,
    require_in_year,
    require_unlocked,
    text_length,
)
from duan8.core import audit
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement


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


def plan_activities(plan: Plan) -> list[ProgramElement]:
    """Activities and indicators of the plan's project, in the order of the plan."""
    return list(
        ProgramElement.objects.filter(
            code__startswith=f"{plan.project.code}.",
            kind__in=[ProgramElement.Kind.ACTIVITY, ProgramElement.Kind.INDICATOR],
        ).order_by("order", "code")
    )


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
    errors += require_in_year(data.held_on, plan.year, label=_("Date held"))
    errors += require_in_year(data.ended_on, plan.year, label=_("End date"))
    errors += not_in_future(data.held_on, label=_("Date held"))
    if data.ended_on and data.ended_on < data.held_on:
        errors.append(_("End date: before the start date."))
    if data.cost < 0:
        errors.append(_("Cost: cannot be negative."))
    errors += text_length(data.notes, label=_("Notes"))
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
    claim_version(Event, event.pk, expected_version)
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
