"""The import of events with their participant counts, and of one event's list of participants
or nominees."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from duan8.activities.excel.columns import COUNT_CELLS, count_key
from duan8.activities.excel.importing import (
    CREATE,
    SAME,
    UPDATE,
    ImportCheck,
    Importer,
    Item,
    RowReader,
)
from duan8.activities.excel.kinds import EVENTS, PARTICIPANTS
from duan8.activities.excel.lists import key
from duan8.activities.models import Event
from duan8.activities.services.events import (
    CountInput,
    EventChange,
    EventInput,
    PersonInput,
    counts_from_people,
    event_check,
    event_lock_problems,
    events_save_many,
)
from duan8.activities.services.shared import Upload, record_changed
from duan8.core.problems import WHOLE, Problem
from duan8.programs.models import Plan

# --- events with participant counts ---------------------------------------------------------


class EventImporter(Importer):
    kind = EVENTS
    FIELDS = ("kind", "ended_on", "place", "organiser", "group", "cost", "notes")
    FIELD_COLUMNS = {"org_unit": "unit", "counts": "total", "participants": "total"}

    def prepare(self) -> None:
        if self.scope.plan is None:
            raise ValidationError(
                _("%(unit)s has no plan yet; events are recorded under a plan.")
                % {"unit": self.scope.commune.full_name}
            )
        self.plan: Plan = self.scope.plan
        events = (
            Event.objects.filter(
                plan=self.scope.plan, org_unit__path__startswith=self.scope.commune.path
            )
            .select_related("org_unit")
            .annotate(listed=Count("participants"))
            .prefetch_related("counts")
        )
        self.existing = {(e.org_unit_id, e.held_on, key(e.title), e.activity_id): e for e in events}

    def row(self, r: RowReader) -> Item | None:
        activity, kind, title = r.get("activity"), r.get("kind"), r.get("title")
        held_on, ended_on, unit = r.get("held_on"), r.get("ended_on"), r.get("unit")
        place, organiser, group = r.get("place"), r.get("organiser"), r.get("group")
        cost, notes, total = r.get("cost"), r.get("notes"), r.get("total")
        cells = {
            (sex, minority, age): r.get(count_key(sex, minority, age)) or 0
            for sex, minority, age, _header in COUNT_CELLS
        }
        if r.failed or not self.unit_allowed(r, "unit", unit):
            return None
        given = sum(cells.values())
        if total is not None and total != given:
            r.error(
                "total",
                _("the total %(total)s is not the sum of the numbers, %(sum)s")
                % {"total": total, "sum": given},
            )
        data = EventInput(
            plan=self.plan,
            activity=activity,
            kind=kind,
            title=title,
            held_on=held_on,
            org_unit=unit,
            ended_on=ended_on,
            place=place,
            organiser=organiser,
            group=group,
            cost=cost or Decimal(0),
            notes=notes,
            counts=[CountInput(s, m, a, n) for (s, m, a), n in cells.items() if n],
        )
        r.problems(event_check(data))
        if r.failed:
            return None
        identity = (unit.pk, held_on, key(title), activity.pk)
        self.once(r, "title", identity, _("same activity, title, date and place"))
        existing = self.existing.get(identity)
        r.problems(event_lock_problems(self.locks, data))
        action = CREATE
        if existing is not None:
            # The row names the recorded event: it keeps its title as recorded.
            data.title = existing.title
            recorded = {(c.sex, c.minority, c.age_group): c.count for c in existing.counts.all()}
            wanted = {cell: n for cell, n in cells.items() if n}
            if existing.listed and recorded != wanted:
                r.error(
                    "total",
                    _(
                        "the numbers (%(given)s people) contradict the list of %(listed)s people "
                        "recorded for this event; change the list instead"
                    )
                    % {"given": given, "listed": existing.listed},
                )
            action = (
                UPDATE
                if record_changed(existing, data, self.FIELDS) or recorded != wanted
                else SAME
            )
        return Item(r.raw.number, action, r.values, data, existing)

    def write(self, items: list[Item], upload: Upload) -> None:
        events_save_many(
            actor=self.actor,
            new=[i.data for i in items if i.action == CREATE],
            changes=[
                EventChange(i.existing, i.data, i.existing.version, keep_list=i.existing.listed > 0)
                for i in items
                if i.action == UPDATE
            ],
            upload=upload,
        )


# --- the participants or nominees of one event ---------------------------------------------


class ParticipantImporter(Importer):
    kind = PARTICIPANTS

    @property
    def event(self) -> Event:
        event = self.scope.event
        if event is None:  # excel_event_scope always names one
            raise ValueError("A list of participants is uploaded for one event.")
        return event

    def prepare(self) -> None:
        event = self.event
        self.listed = event.participants.count()
        self.recorded = list(event.counts.all())

    def row(self, r: RowReader) -> Item | None:
        name, sex, group = r.get("full_name"), r.get("sex"), r.get("ethnic_group")
        birth_year, position, workplace = r.get("birth_year"), r.get("position"), r.get("workplace")
        if r.failed:
            return None
        held_on = self.event.held_on
        if birth_year is not None and birth_year > held_on.year:
            r.error(
                "birth_year",
                _("%(year)s is after the event (%(date)s)")
                % {"year": birth_year, "date": held_on.strftime("%d/%m/%Y")},
            )
        self.once(r, "full_name", (key(name), birth_year), _("same name and year of birth"))
        person = PersonInput(name, sex, group, birth_year, position, workplace)
        return Item(r.raw.number, CREATE, r.values, person)

    def event_input(self, people: list[PersonInput], *, with_counts: bool) -> EventInput:
        event = self.event
        counts = (
            [CountInput(c.sex, c.minority, c.age_group, c.count) for c in self.recorded]
            if with_counts
            else []
        )
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
            counts=counts,
            participants=people,
        )

    def finish(self, items: list[Item]) -> None:
        # Numbers typed before a list exists must agree with the list; a list replaces a list.
        data = self.event_input([i.data for i in items], with_counts=not self.listed)
        problems = event_check(data) + event_lock_problems(self.locks, data)
        # Problems of the event as a whole: the file's, on no row and no column.
        self.errors += [Problem(WHOLE, p.message, p.code) for p in problems]

    def note(self, check: ImportCheck) -> str:
        listed = counts_from_people([i.data for i in check.items], self.event.held_on)
        women = sum(n for (sex, _m, _a), n in listed.items() if sex == "F")
        return _(
            "The list of %(count)s people (%(women)s women and girls) replaces the %(before)s "
            "people listed for “%(event)s”."
        ) % {
            "count": sum(listed.values()),
            "women": women,
            "before": self.listed,
            "event": self.event.title,
        }

    def write(self, items: list[Item], upload: Upload) -> None:
        event = self.event
        data = self.event_input([i.data for i in items], with_counts=False)
        events_save_many(
            actor=self.actor, changes=[EventChange(event, data, event.version)], upload=upload
        )
