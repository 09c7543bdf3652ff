"""Reading events: the list of a commune, village or plan, one event, its persons and files.

Everything passes the access rule (records.view): a village head sees only their village's events.
Names and ethnicity of participants are read only through ``event_participants``, which checks
``records.personal`` and writes every read to the audit trail; files are opened only through
``attachment_open``, which checks access and audits the download.
"""

import datetime
from typing import Any, cast

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_EDIT, RECORDS_PERSONAL, RECORDS_VIEW
from duan8.activities.models import (
    Attachment,
    Event,
    IndicatorRule,
    Participant,
    ParticipantCount,
    Sex,
)
from duan8.activities.services.events import (
    CountInput,
    EventInput,
    PersonInput,
    plan_activities,
    plan_activities_under,
)
from duan8.core import audit
from duan8.core.audit import NotVisible
from duan8.core.compiled import Compiled
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_visible_get, org_units_visible_to
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.selectors import plan_by_id

# --- units and plans -------------------------------------------------------------------------


def records_unit_get(*, actor: User, unit_id: int) -> OrgUnit:
    """A commune or village whose records the actor may see; 404 otherwise."""
    unit = org_unit_visible_get(actor, RECORDS_VIEW, unit_id)
    if unit is None or unit.level < OrgUnit.Level.COMMUNE:
        raise NotVisible(_("Administrative unit not found."))
    return unit


def commune_of(unit: OrgUnit) -> OrgUnit:
    if unit.level == OrgUnit.Level.VILLAGE and unit.parent is not None:
        return unit.parent
    return unit


# The entry form's reads (the most used page), their SQL built once a process (core.compiled).
_COMMUNE_PLANS = Compiled(
    lambda commune_id: (
        Plan.objects.filter(issuing_unit_id=commune_id)
        .select_related("project", "issuing_unit")
        .order_by("-year", "-number", "-pk")
    ),
    prepared=True,
)
_UNIT_PARENT_AND_VILLAGES = Compiled(
    lambda pk: OrgUnit.objects.filter(
        Q(pk=pk, level__gte=OrgUnit.Level.COMMUNE)
        | Q(parent_id=pk, level=OrgUnit.Level.VILLAGE)
        | Q(pk=Subquery(OrgUnit.objects.filter(pk=pk).values("parent_id")[:1]))
    ).order_by("path"),
    prepared=True,
)


def commune_plans(*, unit: OrgUnit) -> list[Plan]:
    """The plans of the unit's commune (the commune issues them; villages work under them)."""
    return _COMMUNE_PLANS(commune_of(unit).pk)


def default_plan(plans: list[Plan], today: datetime.date | None = None) -> Plan | None:
    """The plan of this year; else the latest past one (records are often typed late)."""
    year = (today or timezone.localdate()).year
    return next(
        (p for p in plans if p.year == year),
        next((p for p in plans if p.year < year), plans[-1] if plans else None),
    )


def records_plan_get(*, actor: User, plan_id: int) -> Plan:
    """A plan whose records the actor may see (records.view on its commune); 404 otherwise."""
    plan = plan_by_id(plan_id)  # then the access function, as plan_get
    if plan is None or not can(actor, RECORDS_VIEW, plan.issuing_unit):
        raise NotVisible(_("Plan not found."))
    return plan


# The entry form's and the event list's reads, built once a process (core.compiled).
_VILLAGES_OF = Compiled(
    lambda parent_id: OrgUnit.objects.filter(
        parent_id=parent_id, level=OrgUnit.Level.VILLAGE
    ).order_by("path"),
    prepared=True,
)
_EVENT_RULES = Compiled(
    lambda: (
        IndicatorRule.objects.filter(source=IndicatorRule.Source.EVENTS)
        .order_by("element__order", "order", "pk")
        .values_list("element__code", "filters")
    ),
    prepared=True,
)
_ACTIVITIES_WITH_HABIT: Compiled[ProgramElement] = Compiled(
    lambda prefix, user_id: plan_activities_under(prefix).annotate(last_kind=_last_kind(user_id))
)


def villages_of(unit: OrgUnit, year: int | None = None) -> list[OrgUnit]:
    """The villages of a commune (valid in ``year`` when given), in map order."""
    if unit.level != OrgUnit.Level.COMMUNE:
        return []
    return [v for v in _VILLAGES_OF(unit.pk) if year is None or v.is_valid_in(year)]


def records_unit_and_villages(*, actor: User, unit_id: int) -> tuple[OrgUnit, list[OrgUnit]]:
    """``records_unit_get`` (the parent included) and a commune's villages of every year, in map
    order, in one query (``recording_units`` picks a year's); the villages only with the unit.
    Read by the unit's id, then checked with the access function, as ``records_unit_get``."""
    rows = _UNIT_PARENT_AND_VILLAGES(unit_id) if type(unit_id) is int else []
    by_id = {u.pk: u for u in rows}
    unit = by_id.get(unit_id)  # only the first part of the query gives this row
    if unit is None or unit.level < OrgUnit.Level.COMMUNE or not can(actor, RECORDS_VIEW, unit):
        raise NotVisible(_("Administrative unit not found."))
    if unit.parent_id in by_id:
        unit.parent = by_id[unit.parent_id]
    villages = [u for u in by_id.values() if u.parent_id == unit_id]
    for village in villages:
        village.parent = unit
    return unit, villages if unit.level == OrgUnit.Level.COMMUNE else []


def recording_units(
    *, actor: User, unit: OrgUnit, year: int | None = None, villages: list[OrgUnit] | None = None
) -> list[OrgUnit]:
    """The unit and its villages where the actor may record events (records.edit); ``villages``
    of every year (``records_unit_and_villages``) spares reading them."""
    if villages is None:
        villages = villages_of(unit)
    candidates = [unit, *(v for v in villages if year is None or v.is_valid_in(year))]
    if can(actor, RECORDS_EDIT, unit):  # a right held in a unit holds in the units under it
        return candidates
    return [u for u in candidates[1:] if can(actor, RECORDS_EDIT, u)]


def activity_label(element: ProgramElement, limit: int | None = 70) -> str:
    """Short enough for a phone's drop-down: "1.2.2 Hỗ trợ Tổ truyền thông tổ chức…"
    (content 1, activity 2, line 2)."""
    title = " ".join(element.title.split())
    if limit is not None and len(title) > limit:
        title = title[: limit - 2].rstrip(" ,;:.") + "…"
    return f"{element.outline_number} {title}".strip()


def default_day(
    *, plan: Plan, last_recorded: datetime.date | None = None, today: datetime.date | None = None
) -> datetime.date | None:
    """The date the entry form proposes.

    Today, when today is in the plan's year: events are usually recorded the day they are held.
    For a past year (records typed in afterwards, as the 2023 demo plan): the date of the last
    event this user recorded under the plan, since a backlog is typed in order and the next
    event is close to the previous one; else the plan's last day (31/12), the latest date the
    plan accepts. For a year not begun: nothing, since a future date would be refused.
    """
    today = today or timezone.localdate()
    if plan.year == today.year:
        return today
    if plan.year > today.year:
        return None
    if last_recorded is not None and last_recorded.year == plan.year:
        return last_recorded
    return datetime.date(plan.year, 12, 31)


def activity_kinds(*, actor: User, activities: list[ProgramElement]) -> dict[int, str]:
    """The kind of event each activity obviously calls for, by activity id.

    The user's own habit first (the kind of their last event under the activity), then the
    indicator rules: the first kind named by a rule that counts the events of exactly this
    activity (rules are data, see ``data/indicator_rules.json``). Activities with neither get
    no default: the user chooses.
    """
    by_code = {a.code: a.pk for a in activities}
    kinds: dict[int, str] = {}
    for element_code, filters in _EVENT_RULES():
        named = [k for k in filters.get("kinds", []) if k in Event.Kind.values]
        if not named:
            continue
        for code in {element_code, *filters.get("activities", [])}:
            if code in by_code:
                kinds.setdefault(by_code[code], named[0])
    if actor.is_authenticated and by_code:
        if all(hasattr(a, "last_kind") for a in activities):  # plan_activities_with_habit
            own = [(a.pk, a.last_kind) for a in cast(list[Any], activities)]
        else:
            # One row per activity: the kind of the user's last event under it, found in the
            # database (reading every event the user ever recorded grew with their history).
            own = list(
                ProgramElement.objects.filter(pk__in=by_code.values())
                .order_by()
                .annotate(last_kind=_last_kind(actor.pk))
                .values_list("pk", "last_kind")
            )
        # None (no event there yet) left out here: a filter in the query runs the subquery twice
        kinds.update((pk, kind) for pk, kind in own if kind is not None)
    return kinds


def _last_kind(user_id: int) -> Subquery:
    """The kind of the user's last event under the activity (index ``event_last_by_user``)."""
    last = Event.objects.filter(recorded_by_id=user_id, activity_id=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    return Subquery(last.values("kind")[:1])


def plan_activities_with_habit(*, actor: User, plan: Plan) -> list[ProgramElement]:
    """``services.events.plan_activities``, each with the kind of the actor's last event under
    it (``last_kind``) read in the same query, which ``activity_kinds`` takes instead of its own."""
    if actor.is_authenticated:
        return _ACTIVITIES_WITH_HABIT(f"{plan.project.code}.", actor.pk)
    return plan_activities(plan)


# --- the list --------------------------------------------------------------------------------


def _sum_counts(**filters: object) -> Coalesce:
    cells = (
        ParticipantCount.objects.filter(event=OuterRef("pk"), **filters)
        .order_by()
        .values("event")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return Coalesce(Subquery(cells, output_field=IntegerField()), Value(0))


def _attachment_count() -> Coalesce:
    files = (
        Attachment.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(files, output_field=IntegerField()), Value(0))


def event_list(
    *,
    actor: User,
    unit: OrgUnit | None = None,
    plan: Plan | None = None,
    year: int | None = None,
    village: OrgUnit | None = None,
    kind: str = "",
    activity: ProgramElement | None = None,
    month: int | None = None,
) -> QuerySet[Event]:
    """Events the actor may see, newest first, each with its totals: one query per page. Under
    a unit the actor may see, all is visible (a right reaches the units below): no visible
    units' query then, so the events are read by their unit and day (index ``event_unit_day``)."""
    qs = Event.objects.all()
    if unit is None or not can(actor, RECORDS_VIEW, unit):
        qs = qs.filter(org_unit__in=org_units_visible_to(actor, RECORDS_VIEW))
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if year is not None:
        qs = qs.filter(held_on__year=year)
    if village is not None:
        qs = qs.filter(org_unit__path__startswith=village.path)
    if kind:
        qs = qs.filter(kind=kind)
    if activity is not None:
        qs = qs.filter(Q(activity=activity) | Q(activity__code__startswith=f"{activity.code}."))
    if month is not None:
        qs = qs.filter(held_on__month=month)
    return (
        qs.select_related("org_unit", "activity")
        .annotate(
            participants_total=_sum_counts(),
            women_total=_sum_counts(sex=Sex.FEMALE),
            attachment_count=_attachment_count(),
        )
        .order_by("-held_on", "-pk")
    )


# --- one event -------------------------------------------------------------------------------


def event_get(*, actor: User, event_id: int) -> Event:
    """An event the actor may see; 404 otherwise (its existence is not confirmed)."""
    event = (
        Event.objects.filter(pk=event_id, org_unit__in=org_units_visible_to(actor, RECORDS_VIEW))
        .select_related(
            "plan__issuing_unit",
            "plan__project",
            "activity",
            "org_unit__parent",
            "group",
            "recorded_by",
        )
        .first()
    )
    if event is None:
        raise NotVisible(_("Event not found."))
    return event


def event_participants(*, actor: User, event: Event) -> list[Participant] | None:
    """The named participants, for holders of records.personal; None for the others.

    Names, ethnicity and years of birth are personal data (NĐ 13/2023/NĐ-CP): each read of a
    non-empty list is written to the audit trail.
    """
    if not can(actor, RECORDS_PERSONAL, event.org_unit):
        return None
    people = list(event.participants.select_related("ethnic_group").order_by("pk"))
    if people:
        audit.record(
            actor=actor,
            action="activities.personal.viewed",
            target=event,
            org_unit=event.org_unit,
            message=_("List of %(count)s participants") % {"count": len(people)},
        )
    return people


def event_input_from(event: Event) -> EventInput:
    """The event as the services take it, for an update that changes only a part."""
    return EventInput(
        plan=event.plan,
        activity=event.activity,
        kind=event.kind,
        title=event.title,
        held_on=event.held_on,
        org_unit=event.org_unit,
        ended_on=event.ended_on,
        place=event.place,
        organiser=event.organiser,
        group=event.group,
        cost=event.cost,
        notes=event.notes,
        counts=[CountInput(c.sex, c.minority, c.age_group, c.count) for c in event.counts.all()],
        participants=[
            PersonInput(
                full_name=p.full_name,
                sex=p.sex,
                ethnic_group=p.ethnic_group,
                birth_year=p.birth_year,
                position=p.position,
                workplace=p.workplace,
            )
            for p in event.participants.select_related("ethnic_group").order_by("pk")
        ],
    )


def event_attachments(event: Event) -> list[Attachment]:
    return list(event.attachments.select_related("uploaded_by").order_by("created_at", "pk"))


# --- files -----------------------------------------------------------------------------------


def attachment_get(*, actor: User, attachment_id: int) -> Attachment:
    """A file of an event or a group the actor may see; 404 otherwise."""
    visible = org_units_visible_to(actor, RECORDS_VIEW)
    attachment = (
        Attachment.objects.filter(pk=attachment_id)
        .filter(Q(event__org_unit__in=visible) | Q(group__org_unit__in=visible))
        .select_related("event__org_unit", "group__org_unit")
        .first()
    )
    if attachment is None:
        raise NotVisible(_("File not found."))
    return attachment


def attachment_owner_unit(attachment: Attachment) -> OrgUnit:
    owner = attachment.event if attachment.event_id else attachment.group
    assert owner is not None  # the attachment_has_owner constraint
    return owner.org_unit


def attachment_open(*, actor: User, attachment_id: int) -> Attachment:
    """The file for download, after checking access; the download is audited."""
    attachment = attachment_get(actor=actor, attachment_id=attachment_id)
    audit.record(
        actor=actor,
        action="activities.attachment.exported",
        target=attachment,
        org_unit=attachment_owner_unit(attachment),
        after={"name": attachment.original_name, "size": attachment.size},
    )
    return attachment
