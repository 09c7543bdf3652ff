"""Demo data: a year of xã Ba Trang's work under its 2023 plan (``data/ba_trang_2023_work.json``).

Every record goes through the services, as if typed in the web pages by the user the file names
(a commune Women's Union officer, the head of thôn Nước Đang, the commune leader): it is checked,
permission-checked and audited like real work. A record is found again by its natural key, so a
second run creates nothing twice. Never load this into a production database.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    EthnicGroup,
    Event,
    WomanCadre,
)
from duan8.activities.reference import ethnic_group_by_code
from duan8.activities.services.cadres import CadreInput, woman_cadre_save
from duan8.activities.services.difficulties import (
    difficulty_answer,
    difficulty_escalate,
    difficulty_raise,
)
from duan8.activities.services.events import (
    CountInput,
    EventInput,
    PersonInput,
    event_create,
    plan_activities,
)
from duan8.activities.services.groups import (
    GroupInput,
    community_group_create,
    community_group_status_set,
)
from duan8.activities.services.members import MemberInput, members_add
from duan8.core.schemas import load_file
from duan8.demo.schemas import Cadre, DifficultyRow, EventRow, Group, Member, WorkFile
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

DEMO_WORK_FILE = Path(__file__).resolve().parent / "data" / "ba_trang_2023_work.json"


@dataclass
class TallyRow:
    label: str
    created: int = 0
    existing: int = 0


@dataclass
class DemoWorkTally:
    """How many records of each kind a run created and how many it found from an earlier run.

    Rows are keyed ``group:<kind>``, ``members``, ``statuses``, ``event:<kind>``, ``cadres``,
    ``difficulties``, in the order first seen."""

    rows: dict[str, TallyRow] = field(default_factory=dict)

    def add(self, key: str, label: str, *, created: int = 0, existing: int = 0) -> None:
        row = self.rows.setdefault(key, TallyRow(label=capfirst(label)))
        row.created += created
        row.existing += existing

    @property
    def created(self) -> int:
        return sum(row.created for row in self.rows.values())

    def lines(self) -> list[str]:
        return [
            _("%(what)s: %(created)s created, %(existing)s already there.")
            % {"what": row.label, "created": row.created, "existing": row.existing}
            for row in self.rows.values()
        ]


class _Loader:
    def __init__(
        self, *, plan: Plan, villages: dict[str, OrgUnit], actors: dict[str, User]
    ) -> None:
        self.plan = plan
        self.units = {"commune": plan.issuing_unit, **villages}
        self.actors = actors
        self.ethnic_groups = ethnic_group_by_code()
        self.activities = {element.code: element for element in plan_activities(plan)}
        self.groups: dict[str, CommunityGroup] = {}
        self.tally = DemoWorkTally()

    # --- lookups: a wrong key in the file is a ValidationError naming it ---

    def unit(self, key: str) -> OrgUnit:
        if key not in self.units:
            raise ValidationError(_("Demo data: unknown village “%(key)s”.") % {"key": key})
        return self.units[key]

    def actor(self, key: str) -> User:
        if key not in self.actors:
            raise ValidationError(_("Demo data: no user given for “%(key)s”.") % {"key": key})
        return self.actors[key]

    def ethnicity(self, code: str) -> EthnicGroup:
        if code not in self.ethnic_groups:
            raise ValidationError(_("Demo data: unknown ethnicity code %(code)s.") % {"code": code})
        return self.ethnic_groups[code]

    def activity(self, code: str) -> ProgramElement:
        if code not in self.activities:
            raise ValidationError(
                _("Demo data: %(code)s is not an activity of the plan.") % {"code": code}
            )
        return self.activities[code]

    # --- groups, their members and statuses ---

    def member(self, row: Member) -> MemberInput:
        return MemberInput(
            full_name=row.full_name,
            sex=row.sex,
            ethnic_group=self.ethnicity(row.ethnicity),
            joined_on=row.joined_on,
            birth_year=row.birth_year,
            role=row.role or CommunityGroupMember.Role.MEMBER,
        )

    def group_load(self, row: Group) -> None:
        actor = self.actor(row.recorded_by)
        data = GroupInput(
            kind=row.kind,
            name=row.name,
            org_unit=self.unit(row.unit),
            founded_on=row.founded_on,
            plan=self.plan,
            school=row.school,
            women_leadership=row.women_leadership,
            channel=row.channel,
            channel_address=row.channel_address,
            equipment="\n".join(row.equipment),
            notes=row.notes,
        )
        members = [self.member(m) for m in row.members]
        key = f"group:{data.kind}"
        kinds = dict(CommunityGroup.Kind.choices)
        label = str(kinds.get(data.kind, data.kind))
        members_label = str(CommunityGroupMember._meta.verbose_name_plural)
        group = CommunityGroup.objects.filter(
            org_unit=data.org_unit, kind=data.kind, name=data.name
        ).first()
        if group is None:
            founders = [m for m in members if m.joined_on == data.founded_on]
            group = community_group_create(actor=actor, data=data, members=founders)
            self.tally.add(key, label, created=1)
            self.tally.add("members", members_label, created=len(founders))
            later = [m for m in members if m.joined_on != data.founded_on]
        else:
            self.tally.add(key, label, existing=1)
            known = set(group.members.values_list("full_name", "birth_year"))
            later = [m for m in members if (m.full_name, m.birth_year) not in known]
            self.tally.add("members", members_label, existing=len(members) - len(later))
        by_day: dict[datetime.date, list[MemberInput]] = defaultdict(list)
        for member in later:
            by_day[member.joined_on].append(member)
        for day in sorted(by_day):
            members_add(actor=actor, group=group, members=by_day[day])
            self.tally.add("members", members_label, created=len(by_day[day]))
        self.groups[row.key] = group

        statuses_label = str(CommunityGroupStatus._meta.verbose_name_plural)
        for status in row.statuses:
            on = status.on
            if group.statuses.filter(status=status.status, on=on).exists():
                self.tally.add("statuses", statuses_label, existing=1)
                continue
            community_group_status_set(
                actor=actor, group=group, status=status.status, on=on, note=status.note
            )
            self.tally.add("statuses", statuses_label, created=1)

    # --- events ---

    def event_load(self, row: EventRow) -> None:
        group_key = row.group
        if group_key is not None and group_key not in self.groups:
            raise ValidationError(_("Demo data: unknown group “%(key)s”.") % {"key": group_key})
        data = EventInput(
            plan=self.plan,
            activity=self.activity(row.activity),
            kind=row.kind,
            title=row.title,
            held_on=row.held_on,
            org_unit=self.unit(row.unit),
            ended_on=row.ended_on,
            place=row.place,
            organiser=row.organiser,
            group=self.groups[group_key] if group_key else None,
            cost=Decimal(row.cost),
            notes=row.notes,
            counts=[
                CountInput(sex=c.sex, minority=c.minority, age_group=c.age_group, count=c.count)
                for c in row.counts
            ],
            participants=[
                PersonInput(
                    full_name=p.full_name,
                    sex=p.sex,
                    ethnic_group=self.ethnicity(p.ethnicity),
                    birth_year=p.birth_year,
                    position=p.position,
                    workplace=p.workplace,
                )
                for p in row.participants
            ],
        )
        key = f"event:{data.kind}"
        label = str(dict(Event.Kind.choices).get(data.kind, data.kind))
        exists = Event.objects.filter(
            plan=self.plan,
            org_unit=data.org_unit,
            kind=data.kind,
            held_on=data.held_on,
            title=data.title,
        ).exists()
        if exists:
            self.tally.add(key, label, existing=1)
            return
        event_create(actor=self.actor(row.recorded_by), data=data)
        self.tally.add(key, label, created=1)

    # --- women cadres ---

    def cadre_load(self, row: Cadre) -> None:
        data = CadreInput(
            org_unit=self.unit(row.unit),
            full_name=row.full_name,
            ethnic_group=self.ethnicity(row.ethnicity),
            position=row.position,
            status=row.status,
            since=row.since,
            until=row.until,
            birth_year=row.birth_year,
            plan=self.plan if row.under_plan else None,
            notes=row.notes,
        )
        label = str(WomanCadre._meta.verbose_name_plural)
        if WomanCadre.objects.filter(
            org_unit=data.org_unit, full_name=data.full_name, position=data.position
        ).exists():
            self.tally.add("cadres", label, existing=1)
            return
        woman_cadre_save(actor=self.actor(row.recorded_by), data=data)
        self.tally.add("cadres", label, created=1)

    # --- difficulties: raised, escalated, answered (each step only once) ---

    def difficulty_load(self, row: DifficultyRow) -> None:
        unit = self.unit(row.unit)
        raised_on = row.raised_on
        label = str(Difficulty._meta.verbose_name_plural)
        difficulty = Difficulty.objects.filter(
            org_unit=unit, raised_on=raised_on, description=row.description
        ).first()
        if difficulty is None:
            difficulty = difficulty_raise(
                actor=self.actor(row.recorded_by),
                org_unit=unit,
                raised_by=row.raised_by,
                raised_on=raised_on,
                description=row.description,
                plan=self.plan,
                activity=self.activity(row.activity) if row.activity else None,
            )
            self.tally.add("difficulties", label, created=1)
        else:
            self.tally.add("difficulties", label, existing=1)
        escalated = row.escalated
        if escalated and difficulty.status == Difficulty.Status.OPEN:
            difficulty = difficulty_escalate(
                actor=self.actor(escalated.recorded_by),
                difficulty=difficulty,
                on=escalated.on,
                to=escalated.to,
                expected_version=difficulty.version,
            )
        answer = row.answer
        waiting = Difficulty.Status.ESCALATED if escalated else Difficulty.Status.OPEN
        if answer and difficulty.status == waiting:
            difficulty_answer(
                actor=self.actor(answer.recorded_by),
                difficulty=difficulty,
                answer=answer.text,
                answered_by=answer.answered_by,
                on=answer.on,
                resolved=answer.resolved,
                expected_version=difficulty.version,
            )


@transaction.atomic
def demo_work_load(
    *,
    plan: Plan,
    villages: dict[str, OrgUnit],
    actors: dict[str, User],
    path: Path | str = DEMO_WORK_FILE,
) -> DemoWorkTally:
    """Record the demo year of work under ``plan``; all of it or, on any error, nothing.

    ``villages`` maps the village names of the file to units; ``actors`` maps the role keys of
    the file (``commune_wu_officer``, ``village_head``, ``commune_leader``) to the users who
    record. Raises ValidationError or PermissionDenied as the services do.
    """
    data = load_file(WorkFile, Path(path))
    expected = data.plan
    if (plan.reference, plan.year) != (expected.reference, expected.year):
        raise ValidationError(
            _("Demo data: the file is for plan %(reference)s of %(year)s.")
            % {"reference": expected.reference, "year": expected.year}
        )
    loader = _Loader(plan=plan, villages=villages, actors=actors)
    for group in data.groups:
        loader.group_load(group)
    kinds = {event.kind for event in data.events}
    for kind, label in Event.Kind.choices:  # events reported kind by kind, in a fixed order
        if kind in kinds:
            loader.tally.add(f"event:{kind}", str(label))
    for event in data.events:
        loader.event_load(event)
    for cadre in data.women_cadres:
        loader.cadre_load(cadre)
    for difficulty in data.difficulties:
        loader.difficulty_load(difficulty)
    return loader.tally
