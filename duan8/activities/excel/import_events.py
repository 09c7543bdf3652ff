"""The import of events with their participant counts, and of one event's list of participants
or nominees."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from duan8.activities.excel.importing import (
    BATCH,
    CREATE,
    SAME,
    UPDATE,
    ImportCheck,
    Importer,
    Item,
    RowError,
    RowReader,
    changed,
    stamp,
)
from duan8.activities.excel.kinds import (
    COUNT_CELLS,
    EVENTS,
    PARTICIPANTS,
    count_key,
)
from duan8.activities.excel.lists import key
from duan8.activities.models import (
    Event,
    ParticipantCount,
)
from duan8.activities.services.events import (
    CountInput,
    EventInput,
    PersonInput,
    counts_from_people,
    event_check,
    event_update,
)

# --- events with participant counts ---------------------------------------------------------


class EventImporter(Importer):
    kind = EVENTS
    FIELDS = ("kind", "ended_on", "place", "organiser", "group", "cost", "notes")

    def prepare(self) -> None:
        if self.scope.plan is None:
            raise ValidationError(
                _("%(unit)s has no plan yet; events are recorded under a plan.")
                % {"unit": self.scope.commune.full_name}
            )
        events = (
            Event.objects.filter(
                plan=self.scope.plan, org_unit__path__startswith=self.scope.commune.path
            )
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
            plan=self.scope.plan,
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
        r.service(event_check(data))
        if r.failed:
            return None
        self.unlocked(r, "held_on", unit, held_on)
        identity = (unit.pk, held_on, key(title), activity.pk)
        self.once(r, "title", identity, _("same activity, title, date and place"))
        existing = self.existing.get(identity)
        action = CREATE
        if existing is not None:
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
            fields = {name: getattr(data, name) for name in self.FIELDS}
            action = UPDATE if changed(existing, fields) or recorded != wanted else SAME
        return Item(r.raw.number, action, r.values, data, existing)

    def write(self, items: list[Item]) -> None:
        created = [
            Event(
                plan=i.data.plan,
                activity=i.data.activity,
                kind=i.data.kind,
                title=i.data.title,
                held_on=i.data.held_on,
                ended_on=i.data.ended_on,
                org_unit=i.data.org_unit,
                place=i.data.place,
                organiser=i.data.organiser,
                group=i.data.group,
                cost=i.data.cost,
                notes=i.data.notes,
                recorded_by=self.actor,
            )
            for i in items
            if i.action == CREATE
        ]
        Event.objects.bulk_create(created, batch_size=BATCH)
        updated = [i for i in items if i.action == UPDATE]
        for item in updated:
            for name in self.FIELDS:
                setattr(item.existing, name, getattr(item.data, name))
            item.existing.version += 1
        events = [i.existing for i in updated]
        stamp(events)
        Event.objects.bulk_update(events, [*self.FIELDS, "version", "updated_at"], batch_size=BATCH)
        recount = [i.existing for i in updated if not i.existing.listed]
        ParticipantCount.objects.filter(event__in=recount).delete()
        pairs = list(zip(created, [i for i in items if i.action == CREATE], strict=True))
        pairs += [(i.existing, i) for i in updated if not i.existing.listed]
        ParticipantCount.objects.bulk_create(
            (
                ParticipantCount(
                    event=event,
                    sex=c.sex,
                    minority=c.minority,
                    age_group=c.age_group,
                    count=c.count,
                )
                for event, item in pairs
                for c in item.data.counts
            ),
            batch_size=BATCH,
        )


# --- the participants or nominees of one event ---------------------------------------------


class ParticipantImporter(Importer):
    kind = PARTICIPANTS

    def prepare(self) -> None:
        event = self.scope.event
        self.listed = event.participants.count()
        self.recorded = list(event.counts.all())

    def row(self, r: RowReader) -> Item | None:
        name, sex, group = r.get("full_name"), r.get("sex"), r.get("ethnic_group")
        birth_year, position, workplace = r.get("birth_year"), r.get("position"), r.get("workplace")
        if r.failed:
            return None
        held_on = self.scope.event.held_on
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
        event = self.scope.event
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
        event = self.scope.event
        # Numbers typed before a list exists must agree with the list; a list replaces a list.
        data = self.event_input([i.data for i in items], with_counts=not self.listed)
        messages = event_check(data)
        lock = self.locks.message(event.org_unit, event.held_on)
        if lock:
            messages.append(lock)
        self.errors += [RowError(None, "", m) for m in messages]

    def note(self, check: ImportCheck) -> str:
        listed = counts_from_people([i.data for i in check.items], self.scope.event.held_on)
        women = sum(n for (sex, _m, _a), n in listed.items() if sex == "F")
        return _(
            "The list of %(count)s people (%(women)s women and girls) replaces the %(before)s "
            "people listed for “%(event)s”."
        ) % {
            "count": sum(listed.values()),
            "women": women,
            "before": self.listed,
            "event": self.scope.event.title,
        }

    def write(self, items: list[Item]) -> None:
        event_update(
            actor=self.actor,
            event=self.scope.event,
            data=self.event_input([i.data for i in items], with_counts=False),
            expected_version=self.scope.event.version,
        )
