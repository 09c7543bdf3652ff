"""Building a commune's synthetic rows in memory and writing them in large batches.

Rows are tuples, not model instances: a plan, group or event is known by its place in the batch
(a "handle") until ``write`` takes ids for them from their table and writes every table with
``writer.rows_write`` (COPY on PostgreSQL, ``executemany`` on SQLite)."""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.db import reset_queries
from django.utils import timezone

from duan8.activities.models import (
    AgeGroup,
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    EthnicGroup,
    Event,
    ParticipantCount,
    WomanCadre,
)
from duan8.demo.generator import names
from duan8.demo.generator.spec import (
    COMMUNE_WORK,
    CROWD,
    DEMO_MARK,
    FLUSH_EVENTS,
    MINORITIES,
    MINORITIES_ELSEWHERE,
    PROJECT,
    TITLES,
    VILLAGE_WORK,
    A,
    GenerateResult,
    Scale,
    day_between,
    pick,
    split,
)
from duan8.demo.generator.writer import ids_take, rows_write
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement, Target

PLAN_COLUMNS = [
    "project_id",
    "issuing_unit_id",
    "year",
    "number",
    "issued_on",
    "issuing_body",
    "parent_body",
    "title",
    "proposal",
]
GROUP_COLUMNS = [
    "kind",
    "name",
    "org_unit_id",
    "founded_on",
    "plan_id",
    "women_leadership",
    "channel",
    "channel_address",
    "notes",
]
EVENT_COLUMNS = [
    "plan_id",
    "activity_id",
    "kind",
    "title",
    "held_on",
    "org_unit_id",
    "place",
    "organiser",
    "group_id",
    "cost",
    "notes",
]
CADRE_COLUMNS = [
    "org_unit_id",
    "full_name",
    "ethnic_group_id",
    "birth_year",
    "position",
    "status",
    "since",
    "plan_id",
    "notes",
]
DIFFICULTY_COLUMNS = [
    "org_unit_id",
    "plan_id",
    "raised_by",
    "raised_on",
    "description",
    "status",
    "escalated_on",
    "escalated_to",
    "answer",
    "answered_on",
]
Cell = tuple[str, bool, str, int]  # sex, ethnic minority, age group, people


class Builder:
    def __init__(self, rng: random.Random, scale: Scale, years: tuple[int, int]) -> None:
        self.rng = rng
        self.scale = scale
        self.years = years
        self.today = timezone.localdate()
        self.project = ProgramElement.objects.values_list("pk", flat=True).get(code=PROJECT)
        self.elements: dict[str, int] = dict(
            ProgramElement.objects.filter(code__startswith=f"{PROJECT}.").values_list("code", "pk")
        )
        self.ethnic: dict[str, int] = dict(
            EthnicGroup.objects.filter(code_system="qd121_tctk_1979").values_list("code", "pk")
        )
        self.labels: dict[str, str] = {k.value: str(k.label) for k in CommunityGroup.Kind}
        # The batch: rows in the order of their table's columns, a plan (group, event) named by
        # its handle, its index in ``plans`` (``groups``, ``events``).
        self.plans: list[tuple] = []
        self.targets: list[tuple[int, str, int]] = []  # plan, element code, value
        self.groups: list[tuple] = []
        self.statuses: list[tuple] = []  # group, status, on
        self.members: list[tuple] = []  # group, name, sex, ethnic group, born, role, joined
        self.events: list[tuple] = []
        self.counts: list[tuple] = []  # event, sex, minority, age group, people
        self.cadres: list[tuple] = []
        self.difficulties: list[tuple] = []

    # --- persons ---------------------------------------------------------------------------

    def person(self, sex: str) -> str:
        given = names.WOMEN_GIVEN if sex == "F" else names.MEN_GIVEN
        return f"{self.rng.choice(names.FAMILY_NAMES)} {self.rng.choice(given)}"

    def minority(self, province_code: str) -> int:
        codes = MINORITIES.get(province_code, MINORITIES_ELSEWHERE)
        return self.ethnic[self.rng.choice(codes)]

    # --- plans, groups, events ---------------------------------------------------------------

    def plan(self, commune: OrgUnit, year: int, villages: int, above: str) -> int:
        issued = min(
            datetime.date(year, 3, 1) + datetime.timedelta(self.rng.randint(0, 60)), self.today
        )
        if commune.valid_from and issued < commune.valid_from:
            issued = commune.valid_from + datetime.timedelta(days=self.rng.randint(5, 30))
        plan = len(self.plans)
        self.plans.append(
            (
                self.project,
                commune.pk,
                year,
                self.rng.randint(10, 199),
                issued,
                f"UBND {commune.full_name}",
                above,
                f"Kế hoạch thực hiện Dự án 8 năm {year}",
                DEMO_MARK,
            )
        )
        r = self.rng
        for code, value in [
            ("ND1.HD1.1", max(1, round(villages * r.uniform(0.6, 0.9)))),
            ("ND1.HD2.2", round(villages * r.uniform(4, 7))),
            ("ND1.HD1.3", 1),
            ("ND1.HD4.2", 1),
            ("ND3.HD1.2", r.randint(1, 3)),
            ("ND3.HD1.3", r.randint(2, 5)),
            ("ND3.HD2.3", r.randint(1, 2)),
            ("ND3.HD4.1", 1),
        ]:
            self.targets.append((plan, A + code, value))
        return plan

    def crowd(self, event: int, kind: str, minority_share: float) -> None:
        if kind == Event.Kind.BROADCAST:
            return
        (low, high), women, children = CROWD[kind]
        r = self.rng
        total = r.randint(low, high)
        young, grown = split(r, total, r.uniform(*children))
        cells: Counter[tuple[str, bool, str]] = Counter()
        for age, people in ((AgeGroup.CHILD.value, young), (AgeGroup.ADULT.value, grown)):
            female, male = split(r, people, r.uniform(*women))
            for sex, n in (("F", female), ("M", male)):
                em, kinh = split(r, n, minority_share)
                cells[(sex, True, age)] += em
                cells[(sex, False, age)] += kinh
        self.counts += [(event, s, m, a, n) for (s, m, a), n in sorted(cells.items()) if n]

    def event(
        self,
        plan: int,
        unit: OrgUnit,
        work: tuple,
        start: datetime.date,
        end: datetime.date,
        minority_share: float,
        group: int | None = None,
    ) -> None:
        _weight, kind, activity = work
        topic = self.rng.choice(names.TOPICS)
        held_on = day_between(self.rng, start, end)
        cost = Decimal(self.rng.randint(5, 60) * 100_000)
        event = len(self.events)
        self.events.append(
            (
                plan,
                self.elements[activity],
                kind,
                TITLES[kind].format(topic=topic),
                held_on,
                unit.pk,
                unit.full_name,
                "Hội LHPN xã",
                group,
                cost,
                DEMO_MARK,
            )
        )
        self.crowd(event, kind, minority_share)

    def group(
        self,
        kind: str,
        unit: OrgUnit,
        founded: datetime.date,
        plan: int,
        members: int,
        province_code: str,
        *,
        children: bool = False,
        women_share: float = 0.8,
        name: str = "",
    ) -> int:
        r = self.rng
        leadership = ""
        if kind in (CommunityGroup.Kind.LIVELIHOOD_GROUP, CommunityGroup.Kind.COOPERATIVE_GROUP):
            leadership = r.choices(["lead", "co_lead", ""], weights=[6, 3, 1])[0]
        channel = ""
        if kind == CommunityGroup.Kind.COMMUNICATION_TEAM and r.random() < 0.6:
            channel = "zalo" if r.random() < 0.8 else "facebook"
        group = len(self.groups)
        self.groups.append(
            (
                kind,
                name or f"{self.labels[kind]} {unit.full_name}",
                unit.pk,
                founded,
                plan,
                leadership,
                channel,
                f"Nhóm {unit.name}" if channel else "",
                DEMO_MARK,
            )
        )
        self.statuses.append((group, "founded", founded))
        for index in range(members):
            sex = "F" if r.random() < women_share else "M"
            minority = r.random() < 0.92
            born = founded.year - (r.randint(11, 15) if children else r.randint(20, 55))
            ethnic = self.minority(province_code) if minority else self.ethnic["01"]
            role = "leader" if index == 0 else ("deputy" if index == 1 else "member")
            self.members.append((group, self.person(sex), sex, ethnic, born, role, founded))
        if r.random() < 0.05:
            dissolved = day_between(
                r, founded, min(datetime.date(self.years[1], 12, 31), self.today)
            )
            self.statuses.append((group, "dissolved", dissolved))
        return group

    # --- a commune -----------------------------------------------------------------------------

    def commune(
        self,
        commune: OrgUnit,
        villages: list[OrgUnit],
        province_code: str,
        above: str,
        years: list[int],
        windows: dict[int, tuple[datetime.date, datetime.date]],
        *,
        found_groups: bool,
    ) -> None:
        """Records of ``commune`` for ``years`` (each within its window of dates); groups are
        founded in the first two years when ``found_groups``."""
        r = self.rng
        minority_share = r.uniform(0.85, 0.98)
        teams: dict[int, int] = {}  # village → its communication team (a handle)
        for index, year in enumerate(years):
            start, end = windows[year]
            plan = self.plan(commune, year, len(villages), above)
            if found_groups and (index == 0 or (index == 1 and r.random() < 0.5)):
                self.founding(commune, villages, plan, start, end, province_code, teams)
            for village in villages:
                for _ in range(r.randint(*self.scale.village_events)):
                    work = pick(r, VILLAGE_WORK)
                    group = teams.get(village.pk) if work[1] == Event.Kind.COMMUNICATION else None
                    self.event(plan, village, work, start, end, minority_share, group)
            for _ in range(r.randint(*self.scale.commune_events)):
                self.event(plan, commune, pick(r, COMMUNE_WORK), start, end, minority_share)
            for _ in range(r.randint(0, 3)):
                raised = day_between(r, start, end)
                status = r.choice(["open", "escalated", "answered", "resolved"])
                unit = r.choice(villages) if villages else commune
                answered = status in ("answered", "resolved")
                self.difficulties.append(
                    (
                        unit.pk,
                        plan,
                        "Chi hội phụ nữ thôn",
                        raised,
                        r.choice(names.DIFFICULTIES),
                        status,
                        raised if status != "open" else None,
                        "UBND xã" if status != "open" else "",
                        "Đã bố trí kinh phí" if answered else "",
                        raised if answered else None,
                    )
                )
            if year == years[0]:
                for _ in range(r.randint(2, 5)):
                    full_name = self.person("F")
                    ethnic = self.minority(province_code)
                    born = year - r.randint(25, 45)
                    position = r.choice(names.POSITIONS)
                    status = r.choice(["in_position", "planned", "nominated", "trained"])
                    since = day_between(r, start, end)
                    self.cadres.append(
                        (commune.pk, full_name, ethnic, born, position, status, since, plan)
                        + (DEMO_MARK,)
                    )

    def founding(
        self,
        commune: OrgUnit,
        villages: list[OrgUnit],
        plan: int,
        start: datetime.date,
        end: datetime.date,
        province_code: str,
        teams: dict[int, int],
    ) -> None:
        r = self.rng
        for village in villages:
            if village.pk not in teams and r.random() < 0.85:
                teams[village.pk] = self.group(
                    CommunityGroup.Kind.COMMUNICATION_TEAM,
                    village,
                    day_between(r, start, end),
                    plan,
                    r.randint(5, 10),
                    province_code,
                )
            if r.random() < 0.3:
                self.group(
                    r.choice(
                        [
                            CommunityGroup.Kind.LIVELIHOOD_GROUP,
                            CommunityGroup.Kind.COOPERATIVE_GROUP,
                        ]
                    ),
                    village,
                    day_between(r, start, end),
                    plan,
                    r.randint(8, 20),
                    province_code,
                    women_share=0.9,
                )
        for index in range(r.randint(1, 2)):
            self.group(
                CommunityGroup.Kind.CHANGE_CLUB,
                commune,
                day_between(r, start, end),
                plan,
                r.randint(15, 25),
                province_code,
                children=True,
                women_share=0.6,
                name=f"CLB Thủ lĩnh của sự thay đổi số {index + 1} {commune.full_name}",
            )

    # --- writing ---------------------------------------------------------------------------------

    def write_if_full(self, result: GenerateResult) -> None:
        """Write what is built once it is large: memory stays flat whatever the scale."""
        if len(self.events) >= FLUSH_EVENTS:
            self.write(result)

    def write(self, result: GenerateResult) -> None:
        """Write everything built so far (whole communes: a commune's plan, groups and events
        go together), then start afresh."""
        plans = ids_take(Plan, len(self.plans))
        rows_write(
            Plan, ["id", *PLAN_COLUMNS], ((i, *p) for i, p in zip(plans, self.plans, strict=True))
        )
        rows_write(
            Target,
            ["plan_id", "element_id", "scope", "kind", "value", "text"],
            (
                (plans[plan], self.elements[code], "commune", "number", Decimal(value), "")
                for plan, code, value in self.targets
            ),
        )
        groups = ids_take(CommunityGroup, len(self.groups))
        rows_write(
            CommunityGroup,
            ["id", *GROUP_COLUMNS],
            ((i, *g[:4], plans[g[4]], *g[5:]) for i, g in zip(groups, self.groups, strict=True)),
        )
        rows_write(
            CommunityGroupStatus,
            ["group_id", "status", "on"],
            ((groups[g], status, on) for g, status, on in self.statuses),
        )
        rows_write(
            CommunityGroupMember,
            ["group_id", "full_name", "sex", "ethnic_group_id", "birth_year", "role", "joined_on"],
            ((groups[m[0]], *m[1:]) for m in self.members),
        )
        events = ids_take(Event, len(self.events))
        rows_write(
            Event,
            ["id", *EVENT_COLUMNS],
            (
                (i, plans[e[0]], *e[1:8], None if e[8] is None else groups[e[8]], *e[9:])
                for i, e in zip(events, self.events, strict=True)
            ),
        )
        rows_write(
            ParticipantCount,
            ["event_id", "sex", "minority", "age_group", "count"],
            ((events[c[0]], *c[1:]) for c in self.counts),
        )
        rows_write(WomanCadre, CADRE_COLUMNS, ((*c[:7], plans[c[7]], c[8]) for c in self.cadres))
        rows_write(
            Difficulty,
            DIFFICULTY_COLUMNS,
            ((d[0], plans[d[1]], *d[2:]) for d in self.difficulties),
        )
        result.rows.update(
            {
                "plans": len(self.plans),
                "targets": len(self.targets),
                "groups": len(self.groups),
                "members": len(self.members),
                "events": len(self.events),
                "participant_counts": len(self.counts),
                "participants": sum(c[-1] for c in self.counts),
                "cadres": len(self.cadres),
                "difficulties": len(self.difficulties),
            }
        )
        self.plans, self.targets, self.groups, self.statuses, self.members = [], [], [], [], []
        self.events, self.counts, self.cadres, self.difficulties = [], [], [], []
        # With DEBUG on, Django keeps every query's text: not the batches' millions of values.
        reset_queries()
