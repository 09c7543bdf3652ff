"""Events (sessions, meetings, broadcasts …) and who took part: counts by sex, minority and age
group, or a named list from which the counts are derived; the check that finds a second save of
the same event; the activities of a plan an event may be recorded against.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.entry_rules import EVENT_RULES, event_refs, event_values
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
    BATCH,
    EDIT,
    LockTable,
    Upload,
    batch_write,
    refuse,
    require_unlocked,
    upload_record,
)
from duan8.core import audit
from duan8.core.compiled import Compiled
from duan8.core.problems import Problem, problems_of
from duan8.core.rules_engine import check
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


def plan_activities_under(prefix: str) -> QuerySet[ProgramElement]:
    """Activities and indicators whose code starts with ``prefix``, in the order of the plan."""
    return ProgramElement.objects.filter(
        code__startswith=prefix,
        kind__in=[ProgramElement.Kind.ACTIVITY, ProgramElement.Kind.INDICATOR],
    ).order_by("order", "code")


def plan_activities_query(plan: Plan) -> QuerySet[ProgramElement]:
    """Activities and indicators of the plan's project, in the order of the plan."""
    return plan_activities_under(f"{plan.project.code}.")


_PLAN_ACTIVITIES = Compiled(plan_activities_under)  # built once a process (core.compiled)


def plan_activities(plan: Plan) -> list[ProgramElement]:
    """Activities and indicators of the plan's project, in the order of the plan."""
    return _PLAN_ACTIVITIES(f"{plan.project.code}.")


def _event_objects_check(data: EventInput) -> list[Problem]:
    """What the rules cannot see: the activity, the unit and the group against the plan."""
    plan = data.plan
    problems: list[Problem] = []
    if not data.activity.code.startswith(f"{plan.project.code}.") or data.activity.kind not in (
        ProgramElement.Kind.ACTIVITY,
        ProgramElement.Kind.INDICATOR,
    ):
        message = _("%(code)s is not an activity of the plan.") % {"code": data.activity.code}
        problems.append(Problem("activity", message, "invalid_choice"))
    if not data.org_unit.path.startswith(plan.issuing_unit.path):
        message = _("%(unit)s is not in %(root)s.") % {
            "unit": data.org_unit.full_name,
            "root": plan.issuing_unit.full_name,
        }
        problems.append(Problem("org_unit", message, "outside"))
    if data.group is not None and not data.group.org_unit.path.startswith(plan.issuing_unit.path):
        message = _("the group belongs to another commune.")
        problems.append(Problem("group", message, "outside"))
    return problems


# The order the problems are listed in: the form's, then each person's fields together.
_FIELD_ORDER = [
    "kind",
    "title",
    "activity",
    "org_unit",
    "dates",
    "cost",
    "notes",
    "group",
    "counts",
    "participants",
]


def _in_form_order(problem: Problem) -> tuple[int, int]:
    head = "dates" if problem.head in ("held_on", "ended_on") else problem.head
    rank = _FIELD_ORDER.index(head) if head in _FIELD_ORDER else len(_FIELD_ORDER)
    parts = problem.field.split(".")
    person = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 1 << 30
    return rank, person


def _counts_given(data: EventInput) -> Counter[CountKey]:
    """The counts given, without those the rules refuse (a negative number, an unknown cell)."""
    given: Counter[CountKey] = Counter()
    for item in data.counts:
        if item.count >= 0 and item.sex in Sex.values and item.age_group in AgeGroup.values:
            given[(item.sex, item.minority, item.age_group)] += item.count
    return given


def event_check(data: EventInput) -> list[Problem]:
    """Every problem with an event, keyed by the input's field (``participants.3.sex``: the sex
    of the third person listed; ``counts``: the numbers); empty when it can be saved.

    The checks on the input alone are ``entry_rules.EVENT_RULES`` (the offline page runs the
    same); the plan's objects and the counts derived from the list are checked here."""
    problems = check(EVENT_RULES, event_values(data), refs=event_refs())
    problems = sorted(problems + _event_objects_check(data), key=_in_form_order)
    given = _counts_given(data)
    if data.participants and given and not problems:
        listed = counts_from_people(data.participants, data.held_on)
        if +given != +listed:
            message = _(
                "the counts (%(counts)s people) contradict the list of %(listed)s people; "
                "give one or make them agree."
            ) % {"counts": _counts_total(given), "listed": _counts_total(listed)}
            problems.append(Problem("participants", message, "contradiction"))
    return problems


# Events of the same unit, day, plan and activity: every new event is checked against them
# (built once a process: core.compiled).
_SAME_SESSION = Compiled(
    lambda plan_id, unit_id, day, activity_id: Event.objects.filter(
        plan_id=plan_id, org_unit_id=unit_id, held_on=day, activity_id=activity_id
    )
)


def event_duplicate_of(data: EventInput) -> Event | None:
    """An event already recorded that looks like this one: same unit, date, plan activity and
    participant counts (a second save of the same session, often by another person)."""
    candidates = _SAME_SESSION(data.plan.pk, data.org_unit.pk, data.held_on, data.activity.pk)
    if not candidates:
        return None
    prefetch_related_objects(candidates, "counts")
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


def _counts_cells(data: EventInput) -> Counter[CountKey]:
    if data.participants:
        return counts_from_people(data.participants, data.held_on)
    cells: Counter[CountKey] = Counter()
    for item in data.counts:
        cells[(item.sex, item.minority, item.age_group)] += item.count
    return cells


def _people_write(pairs: list[tuple[Event, EventInput]], replaced: list[Event]) -> None:
    """The participants and the counts of each event, replacing those the ``replaced`` events
    had (an event just created has none: no delete for it)."""
    if replaced:
        Participant.objects.filter(event__in=replaced).delete()
        ParticipantCount.objects.filter(event__in=replaced).delete()
    Participant.objects.bulk_create(
        (
            Participant(
                event=event,
                full_name=p.full_name.strip(),
                sex=p.sex,
                ethnic_group=p.ethnic_group,
                birth_year=p.birth_year,
                position=p.position.strip(),
                workplace=p.workplace.strip(),
            )
            for event, data in pairs
            for p in data.participants
        ),
        batch_size=BATCH,
    )
    ParticipantCount.objects.bulk_create(
        (
            ParticipantCount(event=event, sex=sex, minority=minority, age_group=age, count=n)
            for event, data in pairs
            for (sex, minority, age), n in sorted(_counts_cells(data).items())
            if n
        ),
        batch_size=BATCH,
    )


def _event_snapshot(event: Event, data: EventInput | None = None) -> dict:
    """The audit trail's copy of an event; ``data``: the input it was just created from, whose
    counts are those written (``_people_write``), so they are not read back."""
    snap = audit.snapshot(event, [name for name in _EVENT_FIELDS if name != "notes"])
    if data is None:
        snap["participants"] = sum(c.count for c in event.counts.all())
    else:
        snap["participants"] = sum(n for n in _counts_cells(data).values() if n)
    return snap


@dataclass
class EventChange:
    """A change to a recorded event in a batch, made on ``expected_version``. ``keep_list``: the
    event has a list of persons the change leaves as it is, with the counts taken from it (an
    import changes an event's other fields, the check having found the numbers agree)."""

    event: Event
    data: EventInput
    expected_version: int | None
    keep_list: bool = False


def _events_problems(
    actor: User, new: list[EventInput], changes: list[EventChange]
) -> list[Problem]:
    """The rights, the checks and then the locks of a batch, each problem on its row."""
    units = {data.org_unit.pk: data.org_unit for data in new}
    for change in changes:
        units.update({change.event.org_unit_id: change.event.org_unit})
        units.update({change.data.org_unit.pk: change.data.org_unit})
    for unit in units.values():
        require_permission(actor, EDIT, unit)
    many = len(new) + len(changes) > 1
    inputs = [*new, *(change.data for change in changes)]
    problems: list[Problem] = []
    for row, data in enumerate(inputs, start=1):
        problems += problems_of(event_check(data), row=row if many else None)
    if problems:
        return problems
    locks = LockTable(units.values())
    items: list[EventInput | EventChange] = [*new, *changes]
    for row, item in enumerate(items, start=1):
        problems += problems_of(event_lock_problems(locks, item), row=row if many else None)
    return problems


def event_lock_problems(locks: LockTable, item: EventInput | EventChange) -> list[Problem]:
    """The lock over the day an event was held, as recorded and as changed."""
    if isinstance(item, EventInput):
        return locks.problems(item.org_unit, item.held_on, "held_on")
    event, data = item.event, item.data
    return locks.problems(event.org_unit, event.held_on, "held_on") or locks.problems(
        data.org_unit, data.held_on, "held_on"
    )


def events_save_many(
    *,
    actor: User,
    new: Sequence[EventInput] = (),
    changes: Sequence[EventChange] = (),
    upload: Upload | None = None,
) -> list[Event]:
    """Record events and change recorded ones, all or none, in one transaction: the actor's
    right on every unit, every check, the locks and the versions first, then bulk writes, then
    the audit (one entry per event, or one for an ``upload``). The new events come first in the
    returned list.

    Inside a caller's transaction (a form's one-time key, the API's Idempotency-Key) the checks
    refuse before anything is written, so the caller can still answer with them; only a change
    can be refused while it is written (its version claimed), so new events alone get no
    savepoint of their own: two statements fewer for each event recorded."""
    new, changes = list(new), list(changes)
    if not transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            refuse(_events_problems(actor, new, changes))
            return _events_write(actor, new, changes, upload)
    refuse(_events_problems(actor, new, changes))
    with transaction.atomic(savepoint=bool(changes)):
        return _events_write(actor, new, changes, upload)


def _events_write(
    actor: User, new: list[EventInput], changes: list[EventChange], upload: Upload | None
) -> list[Event]:
    before = {} if upload else {c.event.pk: _event_snapshot(c.event) for c in changes}
    recorder = actor if actor.is_authenticated else None
    created = [Event(recorded_by=recorder) for _data in new]
    changed = [change.event for change in changes]
    batch_write(
        Event,
        new=list(zip(created, new, strict=True)),
        changes=[(c.event, c.data, c.expected_version) for c in changes],
        names=_EVENT_FIELDS,
    )
    relisted = [(c.event, c.data) for c in changes if not c.keep_list]
    _people_write(
        [*zip(created, new, strict=True), *relisted], replaced=[event for event, _d in relisted]
    )
    if upload is not None:
        upload_record(actor=actor, upload=upload, created=len(created), updated=len(changed))
        return [*created, *changed]
    for event, data in zip(created, new, strict=True):
        audit.record(
            actor=actor,
            action="activities.event.created",
            target=event,
            org_unit=event.org_unit,
            after=_event_snapshot(event, data),
            version=event.version,
        )
    for event in changed:
        audit.record(
            actor=actor,
            action="activities.event.updated",
            target=event,
            org_unit=event.org_unit,
            before=before[event.pk],
            after=_event_snapshot(event),
            version=event.version,
        )
    return [*created, *changed]


def event_create(*, actor: User, data: EventInput) -> Event:
    return events_save_many(actor=actor, new=[data])[0]


def event_update(
    *, actor: User, event: Event, data: EventInput, expected_version: int | None = None
) -> Event:
    return events_save_many(actor=actor, changes=[EventChange(event, data, expected_version)])[0]


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
