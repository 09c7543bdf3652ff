"""Synthetic but plausible Dự án 8 records on the real map, for demos and benchmarks.

``demo_generate`` fills communes of a loaded province (or the whole country) with villages,
community groups with members, events with participants by sex × ethnic minority × age group,
women cadres and difficulties, for each year, with one minimal plan (and its targets) per
commune and year: an event needs a plan.

Rules of the game:

- Deterministic: the same ``seed`` on the same database gives the same rows.
- Re-runnable: every plan it makes carries ``DEMO_MARK`` in its proposal line, and every record
  hangs on such a plan; a new run first deletes the demo plans of the communes it fills (and all
  their records), then writes afresh. Real plans and their records are never touched: a commune
  year that has a real plan is skipped. Villages it creates (``legal_act`` = ``DEMO_MARK``) are
  kept and reused.
- Before 1/7/2025 records sit on the old communes and their villages; from that day on the
  commune and province scales give each new commune a copy of its predecessors' villages (with a
  succession from each old village to its copy), and records sit there.
- Fast: rows are written with ``bulk_create``, bypassing the per-record services and their audit
  (one audit event records the run).
"""

import datetime
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
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
from duan8.core import audit
from duan8.orgunits.models import REFORM_DATE, OrgUnit, OrgUnitSuccession
from duan8.programs.models import Plan, ProgramElement, Target
from duan8.reports.generator import names

DEMO_MARK = "Dữ liệu mô phỏng (duan8 generate_demo), không phải văn bản thật."
PROJECT = "1719.GD1.DA8"
BATCH = 2000
FLUSH_EVENTS = 20_000  # write after this many events are built
OLD_END = REFORM_DATE - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Scale:
    communes: int | None  # None: every commune of the map
    villages: tuple[int, int]  # villages per commune (low, high)
    village_events: tuple[int, int]  # events per village and year
    commune_events: tuple[int, int]  # events held by the commune per year
    copy_villages: bool  # give new communes a copy of their predecessors' villages


SCALES = {
    "commune": Scale(1, (10, 30), (5, 10), (8, 14), True),
    "province": Scale(100, (30, 30), (4, 8), (6, 10), True),
    "national": Scale(None, (2, 2), (1, 2), (2, 3), False),
}

# Activities and the kinds of event that answer them (see activities/data/indicator_rules.json).
A = "1719.GD1.DA8."
VILLAGE_WORK = [  # (weight, kind, activity)
    (10, Event.Kind.COMMUNICATION, A + "ND1.HD2.2"),
    (2, Event.Kind.CAMPAIGN, A + "ND1.HD1.1"),
    (1, Event.Kind.DIALOGUE, A + "ND3.HD1.2"),
    (1, Event.Kind.COMMUNICATION, A + "ND4.2"),
]
COMMUNE_WORK = [
    (2, Event.Kind.TRAINING, A + "ND1.HD1.3"),
    (1, Event.Kind.NOMINATION, A + "ND1.HD4.2"),
    (1, Event.Kind.TRAINING, A + "ND3.HD1.1"),
    (1, Event.Kind.TRAINING, A + "ND3.HD2.2"),
    (1, Event.Kind.NOMINATION, A + "ND3.HD4.1"),
    (1, Event.Kind.TRAINING, A + "ND4.1"),
    (1, Event.Kind.TRAINING, A + "ND4.3"),
    (3, Event.Kind.BROADCAST, A + "ND3.HD1.3"),
    (1, Event.Kind.BROADCAST, A + "ND1.HD2.1"),
    (1, Event.Kind.CONTEST, A + "ND1.HD3.1"),
    (1, Event.Kind.REVIEW, A + "ND1.HD3.2"),
    (1, Event.Kind.REVIEW, A + "ND1.HD4.1"),
    (2, Event.Kind.SUPERVISION, A + "ND1.HD4.3"),
    (1, Event.Kind.REVIEW, A + "ND3.HD2.1"),
    (1, Event.Kind.REVIEW, A + "ND3.HD3.1"),
    (2, Event.Kind.DIALOGUE, A + "ND3.HD1.2"),
]
# People at an event: (low, high) total, share of women, share of children.
CROWD = {
    Event.Kind.COMMUNICATION: ((20, 60), (0.55, 0.75), (0.0, 0.15)),
    Event.Kind.CAMPAIGN: ((30, 80), (0.5, 0.7), (0.05, 0.2)),
    Event.Kind.DIALOGUE: ((25, 50), (0.5, 0.7), (0.0, 0.1)),
    Event.Kind.TRAINING: ((2, 6), (0.7, 1.0), (0.0, 0.0)),
    Event.Kind.NOMINATION: ((1, 4), (0.8, 1.0), (0.0, 0.0)),
    Event.Kind.CONTEST: ((10, 30), (0.6, 0.8), (0.1, 0.4)),
    Event.Kind.SUPERVISION: ((3, 8), (0.5, 0.8), (0.0, 0.0)),
    Event.Kind.REVIEW: ((10, 25), (0.5, 0.8), (0.0, 0.0)),
}
TITLES = {
    Event.Kind.COMMUNICATION: "Truyền thông về {topic}",
    Event.Kind.CAMPAIGN: "Chiến dịch truyền thông về {topic}",
    Event.Kind.DIALOGUE: "Đối thoại chính sách về {topic}",
    Event.Kind.TRAINING: "Tham gia tập huấn cấp trên",
    Event.Kind.NOMINATION: "Cử cán bộ tham gia tập huấn",
    Event.Kind.BROADCAST: "Phát thanh về {topic}",
    Event.Kind.CONTEST: "Hội thi tìm hiểu về {topic}",
    Event.Kind.SUPERVISION: "Giám sát thực hiện Dự án 8",
    Event.Kind.REVIEW: "Sơ kết, đánh giá kết quả thực hiện Dự án 8",
}
# Minority groups by old province code (QĐ 124/2004): Quảng Ngãi 51, Kon Tum 62; elsewhere a
# general list. Codes of QĐ 121-TCTK.
MINORITIES = {"51": ["19", "19", "19", "30", "14"], "62": ["14", "14", "13", "27", "52", "54"]}
MINORITIES_ELSEWHERE = ["03", "02", "07", "08", "09", "06", "13", "14", "10", "12", "05", "29"]


@dataclass
class GenerateResult:
    scale: str
    seed: int
    years: tuple[int, int]
    communes: int = 0
    new_communes: int = 0
    villages_created: int = 0
    skipped: list[str] = field(default_factory=list)
    deleted: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


def _pick(rng: random.Random, weighted: list[tuple]) -> tuple:
    return rng.choices(weighted, weights=[w[0] for w in weighted])[0]


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _split(rng: random.Random, total: int, share: float) -> tuple[int, int]:
    first = sum(1 for _ in range(total) if rng.random() < share)
    return first, total - first


class _Builder:
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
        young, grown = _split(r, total, r.uniform(*children))
        cells: Counter[tuple[str, bool, str]] = Counter()
        for age, people in ((AgeGroup.CHILD.value, young), (AgeGroup.ADULT.value, grown)):
            female, male = _split(r, people, r.uniform(*women))
            for sex, n in (("F", female), ("M", male)):
                em, kinh = _split(r, n, minority_share)
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
            held_on=_day(self.rng, start, end),
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
            dissolved = _day(r, founded, min(datetime.date(self.years[1], 12, 31), self.today))
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
                    work = _pick(r, VILLAGE_WORK)
                    group = teams.get(village.pk) if work[1] == Event.Kind.COMMUNICATION else None
                    self.event(plan, village, work, start, end, minority_share, group)
            for _ in range(r.randint(*self.scale.commune_events)):
                self.event(plan, commune, _pick(r, COMMUNE_WORK), start, end, minority_share)
            for _ in range(r.randint(0, 3)):
                raised = _day(r, start, end)
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
                            since=_day(r, start, end),
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
                    _day(r, start, end),
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
                    _day(r, start, end),
                    plan,
                    r.randint(8, 20),
                    province_code,
                    women_share=0.9,
                )
        for index in range(r.randint(1, 2)):
            self.group(
                CommunityGroup.Kind.CHANGE_CLUB,
                commune,
                _day(r, start, end),
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
        _insert(
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
        _insert(CommunityGroupStatus, ["group_id", "status", "on", "note"], statuses)
        _insert(
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
        _insert(ParticipantCount, ["event_id", "sex", "minority", "age_group", "count"], counts)
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


def _insert(model: type, columns: list[str], rows: list[tuple]) -> None:
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
                value = ops.adapt_decimalfield_value(
                    value, column.max_digits, column.decimal_places
                )
            values.append(value)
        return tuple(values)

    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 5):
            cursor.executemany(sql, [adapted(row) for row in rows[start : start + BATCH * 5]])


# --- the map: communes, villages, copies after the reform --------------------------------------


def _villages_ensure(
    rng: random.Random, communes: list[OrgUnit], scale: Scale, result: GenerateResult
) -> dict[int, list[OrgUnit]]:
    """Each commune's villages valid in its time: the existing ones, plus made-up ones up to the
    drawn number (drawn for every commune, so the choices do not depend on what exists)."""
    existing: dict[int, list[OrgUnit]] = defaultdict(list)
    for village in OrgUnit.objects.filter(
        parent__in=communes, level=OrgUnit.Level.VILLAGE
    ).order_by("code"):
        existing[village.parent_id].append(village)
    taken = set(
        OrgUnit.objects.filter(
            code_scheme=OrgUnit.CodeScheme.LOCAL, level=OrgUnit.Level.VILLAGE
        ).values_list("code", flat=True)
    )
    created: list[OrgUnit] = []
    for commune in communes:
        wanted = rng.randint(*scale.villages)
        drawn = []
        for index in range(1, wanted + 1):
            name = f"{rng.choice(names.VILLAGE_FIRST)} {rng.choice(names.VILLAGE_SECOND)}"
            drawn.append((f"{commune.code}-D{index:02d}", rng.choice(names.VILLAGE_KINDS), name))
        have = existing[commune.pk]
        seen = {v.name.casefold() for v in have}
        for code, kind, name in drawn:
            if len(have) >= wanted:
                break
            if code in taken:
                continue  # made by an earlier run, already in ``have``
            label = name
            suffix = 2
            while label.casefold() in seen:
                label, suffix = f"{name} {suffix}", suffix + 1
            seen.add(label.casefold())
            village = OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code=code,
                level=OrgUnit.Level.VILLAGE,
                kind=kind,
                name=label,
                parent=commune,
                valid_from=commune.valid_from,
                valid_to=commune.valid_to,
                legal_act=DEMO_MARK,
            )
            created.append(village)
            have.append(village)
    _units_create(created)
    result.villages_created += len(created)
    return {c.pk: existing[c.pk] for c in communes}


def _units_create(units: list[OrgUnit]) -> None:
    OrgUnit.objects.bulk_create(units, batch_size=BATCH)
    for unit in units:
        unit.path = f"{unit.parent.path}{unit.pk:08d}/"
    OrgUnit.objects.bulk_update(units, ["path"], batch_size=BATCH)


def _copies_ensure(
    old_villages: dict[int, list[OrgUnit]],
    successor_of: dict[int, OrgUnit],
    result: GenerateResult,
) -> dict[int, list[OrgUnit]]:
    """The villages of each new commune from 1/7/2025: a copy of each old village, with the
    succession old village → copy. Existing copies (found by their succession) are reused."""
    old_ids = [v.pk for vs in old_villages.values() for v in vs]
    copied = {
        s.predecessor_id: s.successor
        for s in OrgUnitSuccession.objects.filter(predecessor_id__in=old_ids).select_related(
            "successor"
        )
    }
    numbers: dict[int, int] = {}
    names_in: dict[int, set[str]] = defaultdict(set)
    new_ids = {c.pk for c in successor_of.values()}
    for village in OrgUnit.objects.filter(parent_id__in=new_ids, level=OrgUnit.Level.VILLAGE):
        names_in[village.parent_id].add(village.name.casefold())
    taken = set(
        OrgUnit.objects.filter(
            code_scheme=OrgUnit.CodeScheme.LOCAL, level=OrgUnit.Level.VILLAGE
        ).values_list("code", flat=True)
    )
    created: list[OrgUnit] = []
    pairs: list[tuple[OrgUnit, OrgUnit]] = []
    copies: dict[int, list[OrgUnit]] = defaultdict(list)
    for commune_id in sorted(old_villages):
        new = successor_of.get(commune_id)
        if new is None:
            continue
        for village in old_villages[commune_id]:
            if village.pk in copied:
                copies[new.pk].append(copied[village.pk])
                continue
            number = numbers.get(new.pk, 0)
            code = ""
            while not code or code in taken:
                number += 1
                code = f"{new.code}-{number:02d}"
            numbers[new.pk] = number
            taken.add(code)
            label, suffix = village.name, 2
            while label.casefold() in names_in[new.pk]:
                label, suffix = f"{village.name} {suffix}", suffix + 1
            names_in[new.pk].add(label.casefold())
            copy = OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code=code,
                level=OrgUnit.Level.VILLAGE,
                kind=village.kind,
                name=label,
                parent=new,
                valid_from=REFORM_DATE,
                legal_act=DEMO_MARK,
            )
            created.append(copy)
            pairs.append((village, copy))
            copies[new.pk].append(copy)
    _units_create(created)
    OrgUnitSuccession.objects.bulk_create(
        [
            OrgUnitSuccession(
                predecessor=old,
                successor=copy,
                kind=(
                    OrgUnitSuccession.Kind.UNCHANGED
                    if old.name == copy.name
                    else OrgUnitSuccession.Kind.RENAMED
                ),
                effective_on=REFORM_DATE,
                legal_act=DEMO_MARK,
            )
            for old, copy in pairs
        ],
        batch_size=BATCH,
    )
    result.villages_created += len(created)
    for units in copies.values():
        units.sort(key=lambda u: u.code)
    return copies


def _demo_delete(units: list[OrgUnit]) -> int:
    """Every demo plan issued by ``units`` and everything recorded under it."""
    plans = Plan.objects.filter(issuing_unit__in=units, proposal=DEMO_MARK)
    ParticipantCount.objects.filter(event__plan__in=plans).delete()
    deleted, _detail = Event.objects.filter(plan__in=plans).delete()
    CommunityGroupMember.objects.filter(group__plan__in=plans).delete()
    CommunityGroupStatus.objects.filter(group__plan__in=plans).delete()
    for model in (CommunityGroup, WomanCadre, Difficulty):
        count, _detail = model.objects.filter(plan__in=plans).delete()
        deleted += count
    count, _detail = plans.delete()
    return deleted + count


# --- the entry point ---------------------------------------------------------------------------


def communes_for(scale: str, *, province: str | None, commune: str | None, rng: random.Random):
    """The old (QĐ 124/2004) communes to fill, in code order."""
    qs = OrgUnit.objects.filter(
        level=OrgUnit.Level.COMMUNE, code_scheme=OrgUnit.CodeScheme.QD124_2004
    )
    if scale == "commune":
        return list(qs.filter(code=commune))
    if province is not None:
        # The old communes whose data went to a commune of the new province.
        qs = qs.filter(
            successions_out__successor__parent__code_scheme=OrgUnit.CodeScheme.QD19_2025,
            successions_out__successor__parent__code=province,
            successions_out__is_primary=True,
        )
    communes = list(qs.select_related("parent__parent").order_by("code"))
    wanted = SCALES[scale].communes
    if wanted is not None and len(communes) > wanted:
        communes = sorted(rng.sample(communes, wanted), key=lambda c: c.code)
    return communes


@transaction.atomic
def demo_generate(
    *,
    scale: str,
    year_from: int = 2021,
    year_to: int = 2025,
    seed: int = 8,
    province: str | None = "51",
    commune: str = "21520",
) -> GenerateResult:
    """Fill communes with synthetic records; see the module's docstring. The map (the province,
    or the country for ``national``), the program structure and the indicator rules must be
    loaded (the command loads them)."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 — synthetic data, not security
    spec = SCALES[scale]
    result = GenerateResult(scale=scale, seed=seed, years=(year_from, year_to))
    communes = communes_for(
        scale, province=None if scale == "national" else province, commune=commune, rng=rng
    )
    result.communes = len(communes)
    successors = {
        s.predecessor_id: s.successor
        for s in OrgUnitSuccession.objects.filter(
            predecessor__in=communes, is_primary=True
        ).select_related("successor__parent")
    }
    new_communes = sorted({s.pk: s for s in successors.values()}.values(), key=lambda c: c.code)
    result.new_communes = len(new_communes)
    result.deleted = _demo_delete([*communes, *new_communes])
    real = set(
        Plan.objects.filter(issuing_unit__in=[*communes, *new_communes])
        .exclude(proposal=DEMO_MARK)
        .values_list("issuing_unit_id", "year")
    )
    villages = _villages_ensure(rng, communes, spec, result)
    after_reform = year_to >= REFORM_DATE.year and bool(new_communes)
    copies = (
        _copies_ensure(villages, successors, result) if after_reform and spec.copy_villages else {}
    )

    builder = _Builder(rng, spec, (year_from, year_to))
    today = builder.today
    for old in communes:
        years, windows = [], {}
        for year in range(year_from, min(year_to, REFORM_DATE.year) + 1):
            end = min(datetime.date(year, 12, 31), OLD_END, today)
            if (old.pk, year) in real:
                result.skipped.append(f"{old.full_name} {year}")
            elif end >= datetime.date(year, 1, 1):
                years.append(year)
                windows[year] = (datetime.date(year, 1, 1), end)
        district = old.parent
        province_code = district.parent.code if district and district.parent else ""
        above = f"UBND {district.full_name}" if district else ""
        builder.commune(
            old, villages[old.pk], province_code, above, years, windows, found_groups=True
        )
        builder.write_if_full(result)
    for new in new_communes:
        years, windows = [], {}
        for year in range(max(year_from, REFORM_DATE.year), year_to + 1):
            end = min(datetime.date(year, 12, 31), today)
            if (new.pk, year) in real:
                result.skipped.append(f"{new.full_name} {year}")
            elif end >= max(REFORM_DATE, datetime.date(year, 1, 1)):
                years.append(year)
                windows[year] = (max(REFORM_DATE, datetime.date(year, 1, 1)), end)
        above = f"UBND {new.parent.full_name}" if new.parent else ""
        province_code = new.parent.code if new.parent else ""
        # The groups of the old villages carry on; the new commune founds none of its own.
        builder.commune(
            new, copies.get(new.pk, []), province_code, above, years, windows, found_groups=False
        )
        builder.write_if_full(result)
    builder.write(result)
    result.seconds = time.perf_counter() - started
    audit.record(
        actor=None,
        actor_name="generate_demo",
        action="reports.demo.generated",
        message=(
            f"scale={scale} seed={seed} years={year_from}-{year_to} communes={result.communes} "
            f"new_communes={result.new_communes} villages_created={result.villages_created} "
            + " ".join(f"{k}={v}" for k, v in sorted(result.rows.items()))
        ),
    )
    return result
