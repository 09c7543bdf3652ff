"""Building a commune's synthetic rows in memory and writing them in large batches."""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, Model
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
    BATCH,
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
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement, Target


class Builder:
    def __init__(self, rng: random.Random, scale: Scale, years: tuple[int, int]) -> None:
        self.rng = rng
        self.scale = scale
        self.years = years
        self.today = timezone.localdate()
        self.project = ProgramElement.objects.get(code=PROJECT)
        self.elements = {
            e.code: e for e in ProgramElement.objects.filter(code__startswith=f"{PROJECT}.")
        }
        self.ethnic = {e.code: e for e in EthnicGroup.objects.filter(code_system="qd121_tctk_1979")}
        self.plans: list[Plan] = []
        self.targets: list[tuple[Plan, str, int]] = []
        # A group, its members (full name, sex, ethnic group id, birth year, role, joined on),
        # and the day it was dissolved, if it was.
        self.groups: list[tuple[CommunityGroup, list[tuple], datetime.date | None]] = []
        self.events: list[tuple[Event, list[tuple[str, bool, str, int]]]] = []
        self.cadres: list[WomanCadre] = []
        self.difficulties: list[Difficulty] = []

    # --- persons ---------------------------------------------------------------------------

    def person(self, sex: str) -> str:
        given = names.WOMEN_GIVEN if sex == "F" else names.MEN_GIVEN
        return f"{self.rng.choice(names.FAMILY_NAMES)} {self.rng.choice(given)}"

    def minority(self, province_code: str) -> EthnicGroup:
        codes = MINORITIES.get(province_code, MINORITIES_ELSEWHERE)
        return self.ethnic[self.rng.choice(codes)]

    # --- plans, groups, events ---------------------------------------------------------------

    def plan(self, commune: OrgUnit, year: int, villages: int, above: str) -> Plan:
        issued = min(
            datetime.date(year, 3, 1) + datetime.timedelta(self.rng.randint(0, 60)), self.today
        )
        if commune.valid_from and issued < commune.valid_from:
            issued = commune.valid_from + datetime.timedelta(days=self.rng.randint(5, 30))
        plan = Plan(
            project=self.project,
            issuing_unit=commune,
            year=year,
            number=self.rng.randint(10, 199),
            issued_on=issued,
            issuing_body=f"UBND {commune.full_name}",
            parent_body=above,
            title=f"Kế hoạch thực hiện Dự án 8 năm {year}",
            proposal=DEMO_MARK,
        )
        self.plans.append(plan)
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

    def crowd(self, kind: str, minority_share: float) -> list[tuple[str, bool, str, int]]:
        if kind == Event.Kind.BROADCAST:
            return []
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
        return [(s, m, a, n) for (s, m, a), n in sorted(cells.items()) if n]

    def event(
        self,
        plan: Plan,
        unit: OrgUnit,
        work: tuple,
        start: datetime.date,
        end: datetime.date,
        minority_share: float,
        group: CommunityGroup | None = None,
    ) -> None:
        _weight, kind, activity = work
        topic = self.rng.choice(names.TOPICS)
        event = Event(
            plan=plan,
            activity=self.elements[activity],
            kind=kind,
            title=TITLES[kind].format(topic=topic),
            held_on=day_between(self.rng, start, end),
            org_unit=unit,
            place=unit.full_name,
            organiser="Hội LHPN xã",
            group=group,
            cost=Decimal(self.rng.randint(5, 60) * 100_000),
            notes=DEMO_MARK,
        )
        self.events.append((event, self.crowd(kind, minority_share)))

    def group(
        self,
        kind: str,
        unit: OrgUnit,
        founded: datetime.date,
        plan: Plan,
        members: int,
        province_code: str,
        *,
        children: bool = False,
        women_share: float = 0.8,
        name: str = "",
    ) -> CommunityGroup:
        r = self.rng
        leadership = ""
        if kind in (CommunityGroup.Kind.LIVELIHOOD_GROUP, CommunityGroup.Kind.COOPERATIVE_GROUP):
            leadership = r.choices(["lead", "co_lead", ""], weights=[6, 3, 1])[0]
        channel = ""
        if kind == CommunityGroup.Kind.COMMUNICATION_TEAM and r.random() < 0.6:
            channel = "zalo" if r.random() < 0.8 else "facebook"
        group = CommunityGroup(
            kind=kind,
            name=name or f"{CommunityGroup.Kind(kind).label} {unit.full_name}",
            org_unit=unit,
            founded_on=founded,
            plan=plan,
            women_leadership=leadership,
            channel=channel,
            channel_address=f"Nhóm {unit.name}" if channel else "",
            notes=DEMO_MARK,
        )
        people = []
        for index in range(members):
            sex = "F" if r.random() < women_share else "M"
            minority = r.random() < 0.92
            born = founded.year - (r.randint(11, 15) if children else r.randint(20, 55))
            ethnic = self.minority(province_code) if minority else self.ethnic["01"]
            role = "leader" if index == 0 else ("deputy" if index == 1 else "member")
            people.append((self.person(sex), sex, ethnic.pk, born, role, founded))
        dissolved = None
        if r.random() < 0.05:
            dissolved = day_between(
                r, founded, min(datetime.date(self.years[1], 12, 31), self.today)
            )
        self.groups.append((group, people, dissolved))
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
        teams: dict[int, CommunityGroup] = {}
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
                self.difficulties.append(
                    Difficulty(
                        org_unit=r.choice(villages) if villages else commune,
                        plan=plan,
                        raised_by="Chi hội phụ nữ thôn",
                        raised_on=raised,
                        description=r.choice(names.DIFFICULTIES),
                        status=status,
                        escalated_on=raised if status != "open" else None,
                        escalated_to="UBND xã" if status != "open" else "",
                        answer="Đã bố trí kinh phí" if status in ("answered", "resolved") else "",
                        answered_on=raised if status in ("answered", "resolved") else None,
                    )
                )
            if year == years[0]:
                for _ in range(r.randint(2, 5)):
                    self.cadres.append(
                        WomanCadre(
                            org_unit=commune,
                            full_name=self.person("F"),
                            ethnic_group=self.minority(province_code),
                            birth_year=year - r.randint(25, 45),
                            position=r.choice(names.POSITIONS),
                            status=r.choice(["in_position", "planned", "nominated", "trained"]),
                            since=day_between(r, start, end),
                            plan=plan,
                            notes=DEMO_MARK,
                        )
                    )

    def founding(
        self,
        commune: OrgUnit,
        villages: list[OrgUnit],
        plan: Plan,
        start: datetime.date,
        end: datetime.date,
        province_code: str,
        teams: dict[int, CommunityGroup],
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
        Plan.objects.bulk_create(self.plans, batch_size=BATCH)
        insert_rows(
            Target,
            ["plan_id", "element_id", "scope", "kind", "value", "text"],
            [
                (plan.pk, self.elements[code].pk, "commune", "number", Decimal(value), "")
                for plan, code, value in self.targets
            ],
        )
        CommunityGroup.objects.bulk_create([g for g, _m, _d in self.groups], batch_size=BATCH)
        statuses = []
        members = []
        for group, people, dissolved in self.groups:
            statuses.append((group.pk, "founded", group.founded_on, ""))
            if dissolved is not None:
                statuses.append((group.pk, "dissolved", dissolved, ""))
            members += [(group.pk, *person) for person in people]
        insert_rows(CommunityGroupStatus, ["group_id", "status", "on", "note"], statuses)
        insert_rows(
            CommunityGroupMember,
            ["group_id", "full_name", "sex", "ethnic_group_id", "birth_year", "role", "joined_on"],
            members,
        )
        Event.objects.bulk_create([e for e, _c in self.events], batch_size=BATCH)
        counts = [
            (event.pk, sex, minority, age, n)
            for event, cells in self.events
            for sex, minority, age, n in cells
        ]
        insert_rows(ParticipantCount, ["event_id", "sex", "minority", "age_group", "count"], counts)
        WomanCadre.objects.bulk_create(self.cadres, batch_size=BATCH)
        Difficulty.objects.bulk_create(self.difficulties, batch_size=BATCH)
        result.rows.update(
            {
                "plans": len(self.plans),
                "targets": len(self.targets),
                "groups": len(self.groups),
                "members": len(members),
                "events": len(self.events),
                "participant_counts": len(counts),
                "participants": sum(c[-1] for c in counts),
                "cadres": len(self.cadres),
                "difficulties": len(self.difficulties),
            }
        )
        self.plans, self.targets, self.groups, self.events = [], [], [], []
        self.cadres, self.difficulties = [], []


def insert_rows(model: type[Model], columns: list[str], rows: list[tuple]) -> None:
    """Rows written with ``executemany``: ``bulk_create`` spends most of its time preparing each
    value, and members, targets and participant counts run to hundreds of thousands of rows.
    ``rows`` hold ``columns`` in order; dates and decimals are adapted here."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    # Columns not given take their field's default (a record's version starts at 1).
    defaults = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.column not in ("created_at", "updated_at", *columns)
        and f.has_default()
    ]
    extra = tuple(f.get_db_prep_save(f.get_default(), connection) for f in defaults)
    columns = [*columns, *(f.column for f in defaults)]
    rows = [(*row, *extra) for row in rows]
    names = ", ".join(ops.quote_name(c) for c in ["created_at", "updated_at", *columns])
    marks = ", ".join(["%s"] * (len(columns) + 2))
    sql = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608

    fields = [model._meta.get_field(column) for column in columns]

    def adapted(row: tuple) -> tuple:
        values = [now, now]
        for column, value in zip(fields, row, strict=True):
            if isinstance(value, datetime.date):
                value = ops.adapt_datefield_value(value)
            elif isinstance(value, Decimal):
                assert isinstance(column, DecimalField)  # a Decimal goes to a decimal column
                value = ops.adapt_decimalfield_value(
                    value, column.max_digits, column.decimal_places
                )
            values.append(value)
        return tuple(values)

    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 5):
            cursor.executemany(sql, [adapted(row) for row in rows[start : start + BATCH * 5]])
