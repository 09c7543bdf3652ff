"""Progress computed from records: what counts, where, and who may read it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupStatus,
    Event,
    IndicatorRule,
    ParticipantCount,
)
from duan8.activities.selectors.progress import (
    plan_progress,
    unit_progress,
    village_progress,
)
from duan8.activities.selectors.work import work_summary
from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.activities.services.groups import (
    GroupInput,
    community_group_create,
    community_group_status_set,
)
from duan8.activities.services.members import MemberInput
from duan8.activities.values import SYSTEM
from duan8.core.audit import NotVisible
from duan8.programs.models import ProgramElement

D = datetime.date
TEAMS = "1719.GD1.DA8.ND1.HD1.1"  # communication teams active in the year (allocated per village)
TEAMS_ONLINE = "1719.GD1.DA8.ND1.HD1.2"  # teams with a Zalo/Facebook group (village target 1)
SESSIONS = "1719.GD1.DA8.ND1.HD2.2"  # communication sessions (a text target)
DIALOGUES = "1719.GD1.DA8.ND3.HD1.2"


def element(code):
    return ProgramElement.objects.get(code=code)


def team(actor, unit, founded_on, *, plan=None, channel="zalo", name=None, members=()):
    return community_group_create(
        actor=actor,
        data=GroupInput(
            kind="communication_team",
            name=name or f"Tổ truyền thông {unit.full_name} {founded_on.year}",
            org_unit=unit,
            founded_on=founded_on,
            plan=plan,
            channel=channel,
        ),
        members=list(members),
    )


def session(actor, plan, unit, held_on, *, title="Truyền thông xóa bỏ tảo hôn", women=20, men=8):
    return event_create(
        actor=actor,
        data=EventInput(
            plan=plan,
            activity=element(SESSIONS),
            kind="communication",
            title=title,
            held_on=held_on,
            org_unit=unit,
            counts=[CountInput("F", True, "adult", women), CountInput("M", True, "adult", men)],
        ),
    )


def raw_event(plan, unit, held_on, *, kind="communication", code=SESSIONS, title="Sự kiện"):
    """An event written straight to the table: another year, or another commune's plan."""
    event = Event.objects.create(
        plan=plan, activity=element(code), kind=kind, title=title, held_on=held_on, org_unit=unit
    )
    ParticipantCount.objects.create(event=event, sex="F", minority=True, age_group="adult", count=9)
    return event


@pytest.fixture
def world(
    ba_trang_plan, villages, ba_kham_village, commune_officer, indicator_rules, ethnic_groups
):
    """Ba Trang's 2023 records, and records that must not count in them."""
    plan, officer = ba_trang_plan, commune_officer
    hre = ethnic_groups["19"]
    nuoc_dang, kon_rieng, bui_hui = (
        villages["Nước Đang"],
        villages["Kon Riêng"],
        villages["Bùi Hui"],
    )
    founded = team(
        officer,
        nuoc_dang,
        D(2023, 10, 2),
        plan=plan,
        name="Tổ truyền thông thôn Nước Đang",
        members=[MemberInput("Đinh Thị Lan", "F", hre, D(2023, 10, 2), 1985, "leader")],
    )
    older = team(officer, kon_rieng, D(2021, 5, 1), channel="", name="Tổ Kon Riêng")
    dissolved = team(officer, bui_hui, D(2021, 5, 1), name="Tổ Bùi Hui cũ")
    community_group_status_set(
        actor=officer, group=dissolved, status="dissolved", on=D(2022, 6, 30)
    )
    later = CommunityGroup.objects.create(
        kind="communication_team", name="Tổ 2024", org_unit=bui_hui, founded_on=D(2024, 2, 1)
    )
    CommunityGroupStatus.objects.create(group=later, status="founded", on=later.founded_on)
    in_village = session(
        officer, plan, nuoc_dang, D(2023, 11, 5), title="Truyền thông tại Nước Đang"
    )
    at_commune = session(officer, plan, plan.issuing_unit, D(2023, 3, 8), title="Mít tinh tại xã")
    last_year = raw_event(plan, nuoc_dang, D(2022, 12, 31), title="Buổi năm 2022")
    elsewhere = raw_event(plan, ba_kham_village, D(2023, 6, 1), title="Buổi ở Làng Rêu")
    CommunityGroup.objects.create(
        kind="communication_team",
        name="Tổ Làng Rêu",
        org_unit=ba_kham_village,
        founded_on=D(2023, 1, 1),
    )
    return {
        "plan": plan,
        "villages": villages,
        "founded": founded,
        "older": older,
        "dissolved": dissolved,
        "in_village": in_village,
        "at_commune": at_commune,
        "last_year": last_year,
        "elsewhere": elsewhere,
    }


def lines(progress):
    return {line.element.code: line for line in progress.lines}


def per_village(line):
    return {v.unit.name: v.actual for v in line.villages}


def test_a_team_counts_in_every_year_it_is_active_and_not_once_dissolved(world):
    teams = lines(plan_progress(actor=SYSTEM, plan=world["plan"]))[TEAMS]

    assert teams.actual == 2  # founded in 2023 + active since 2021; not the dissolved, not 2024's
    assert per_village(teams) == {"Bùi Hui": 0, "Kon Riêng": 1, "Nước Đang": 1}


def test_a_filter_of_the_rule_narrows_what_counts(world):
    online = lines(plan_progress(actor=SYSTEM, plan=world["plan"]))[TEAMS_ONLINE]

    assert online.actual == 1  # Kon Riêng's team has no Zalo/Facebook group
    assert per_village(online) == {"Bùi Hui": 0, "Kon Riêng": 0, "Nước Đang": 1}


def test_events_count_in_their_year_and_commune_only(world):
    sessions = lines(plan_progress(actor=SYSTEM, plan=world["plan"]))[SESSIONS]

    assert sessions.actual == 2  # the village's and the commune's own; not 2022's, not Ba Khâm's
    assert per_village(sessions) == {"Bùi Hui": 0, "Kon Riêng": 0, "Nước Đang": 1}


def test_village_targets_come_from_the_allocation_else_from_the_village_target(world):
    progress = lines(plan_progress(actor=SYSTEM, plan=world["plan"]))

    teams, online = progress[TEAMS], progress[TEAMS_ONLINE]

    # The allocation table gives teams to Nước Đang only; the commune's number is its total.
    assert {v.unit.name: v.target for v in teams.villages} == {
        "Bùi Hui": 0,
        "Kon Riêng": 0,
        "Nước Đang": 1,
    }
    assert teams.target_value == 1 and teams.target_from_allocation
    assert teams.percent == 200
    assert teams.bar == 100
    # No allocation column: every village has the plan's village target, 01.
    assert {v.target for v in online.villages} == {1}
    assert [v.percent for v in online.villages] == [0, 0, 100]


def test_text_targets_list_the_records_that_answer_them(world):
    sessions = lines(plan_progress(actor=SYSTEM, plan=world["plan"]))[SESSIONS]

    assert sessions.is_text
    assert {r.title for r in sessions.records} == {"Truyền thông tại Nước Đang", "Mít tinh tại xã"}
    assert not sessions.more_records


def test_text_targets_show_a_few_records_and_say_there_are_more(world, commune_officer):
    for day in range(1, 8):
        session(commune_officer, world["plan"], world["villages"]["Bùi Hui"], D(2023, 4, day))

    sessions = lines(plan_progress(actor=SYSTEM, plan=world["plan"], records_limit=5))[SESSIONS]

    assert sessions.actual == 9
    assert len(sessions.records) == 5 and sessions.more_records


def test_lines_without_a_rule_are_not_measured(world):
    progress = lines(plan_progress(actor=SYSTEM, plan=world["plan"]))

    activity = progress["1719.GD1.DA8.ND1.HD1"]

    assert not IndicatorRule.objects.filter(element=activity.element).exists()
    assert not activity.measured and activity.actual == 0


def test_the_rules_are_data_a_new_rule_changes_the_value(world):
    IndicatorRule.objects.create(
        element=element(DIALOGUES), source="events", filters={"kinds": ["communication"]}
    )

    dialogues = lines(plan_progress(actor=SYSTEM, plan=world["plan"]))[DIALOGUES]

    assert dialogues.actual == 2


def test_the_village_view_holds_only_the_village(world, village_head):
    progress = village_progress(
        actor=village_head, village=world["villages"]["Nước Đang"], year=2023
    )

    sessions = lines(progress)[SESSIONS]

    assert [v.name for v in progress.villages] == ["Nước Đang"]
    assert [v.unit.name for v in sessions.villages] == ["Nước Đang"]
    assert sessions.actual == 1  # the commune's own session is not the village's
    assert [r.title for r in sessions.records] == ["Truyền thông tại Nước Đang"]


def test_a_village_head_cannot_read_another_village(world, village_head):
    with pytest.raises(NotVisible):
        village_progress(actor=village_head, village=world["villages"]["Bùi Hui"], year=2023)
    with pytest.raises(NotVisible):
        unit_progress(actor=village_head, unit=world["plan"].issuing_unit, year=2023)
    with pytest.raises(NotVisible):
        work_summary(actor=village_head, unit=world["villages"]["Kon Riêng"], year=2023)


def test_no_plan_of_the_year_no_village_targets(world, village_head):
    assert (
        village_progress(actor=village_head, village=world["villages"]["Nước Đang"], year=2022)
        is None
    )


def actuals(items):
    return {item.element.code: item.actual for item in items}


def test_unit_progress_sums_the_subtree(world, commune_officer, district_reviewer):
    commune = actuals(
        unit_progress(actor=commune_officer, unit=world["plan"].issuing_unit, year=2023)
    )
    district = actuals(
        unit_progress(actor=district_reviewer, unit=world["plan"].issuing_unit.parent, year=2023)
    )
    village = actuals(
        unit_progress(actor=commune_officer, unit=world["villages"]["Nước Đang"], year=2023)
    )

    assert (commune[TEAMS], commune[SESSIONS]) == (2, 2)
    assert (district[TEAMS], district[SESSIONS]) == (3, 3)  # with Ba Khâm's team and session
    assert (village[TEAMS], village[SESSIONS]) == (1, 1)
    last_year = unit_progress(actor=commune_officer, unit=world["plan"].issuing_unit, year=2022)
    assert actuals(last_year)[SESSIONS] == 1  # the event of 31/12/2022 counts in its own year


def test_unit_progress_costs_one_query_per_kind_of_record(world, commune_officer):
    sources = set(IndicatorRule.objects.values_list("source", flat=True))
    actor = type(commune_officer).objects.get(pk=commune_officer.pk)  # memberships not yet read

    with CaptureQueriesContext(connection) as context:
        unit_progress(actor=actor, unit=world["plan"].issuing_unit, year=2023)

    # memberships, the map's state, the map (children, history with its successions, units),
    # the rules, the elements' codes, then one per kind of record the rules read, whatever the
    # number of units
    assert len(context.captured_queries) == 7 + len(sources)
    with CaptureQueriesContext(connection) as again:
        unit_progress(actor=actor, unit=world["plan"].issuing_unit, year=2023)

    # the map is kept (its state read, nothing else); the memberships, the rules and the
    # elements' codes are the actor's own, read once per request
    assert len(again) == 1 + len(sources)


def test_the_engine_agrees_with_each_rules_own_query(
    ba_trang_plan, villages, ba_kham_village, indicator_rules, ethnic_groups
):
    """Every filter of every source (``rule_samples.EVERY_FILTER``), on records each filter
    splits: the one engine (``indicator_values``, the progress pages' values) counts what each
    rule's own query counts, for the commune and for a village."""
    from duan8.activities.rule_filters import Period
    from duan8.activities.tests.rule_samples import EVERY_FILTER, varied_records
    from duan8.activities.values import Breakdown, indicator_values
    from duan8.activities.values.queries import rule_values

    varied_records(plan=ba_trang_plan, villages=list(villages.values()), events_per_village=30)
    varied_records(plan=ba_trang_plan, villages=[ba_kham_village], events_per_village=5)
    rules = [
        IndicatorRule.objects.create(
            element=ProgramElement.objects.create(
                code=f"X.{i:02d}", kind=ProgramElement.Kind.INDICATOR, title="X", order=20_000
            ),
            source=source,
            filters=filters,
        )
        for i, (source, filters) in enumerate(EVERY_FILTER, start=1)
    ]
    narrowed: set[tuple[str, str]] = set()  # (source, filter) seen changing what a rule counts
    for unit in (ba_trang_plan.issuing_unit, villages["Kon Riêng"]):
        for period in (Period.year(2023), Period(D(2023, 3, 1), D(2023, 5, 31))):
            data = indicator_values(
                actor=SYSTEM,
                unit=unit,
                period=period,
                as_of=D(2023, 12, 31),
                breakdown=Breakdown.UNIT,
            )
            for rule in rules:
                one = rule_values(rule, path=unit.path, period=period)

                assert data.actual(unit, rule.element) == sum(one.values()), (rule, unit)
                for key, value in rule.filters.items():
                    if value and (rule.source, key) not in narrowed:
                        rest = {k: v for k, v in rule.filters.items() if k != key}
                        without = IndicatorRule(source=rule.source, filters=rest)
                        if rule_values(without, path=unit.path, period=period) != one:
                            narrowed.add((rule.source, key))
    # Each filter, on these records, changes what some rule counts: a filter both readings
    # ignored would not pass unseen.
    assert narrowed == {(s, k) for s, fs in EVERY_FILTER for k, v in fs.items() if v}


def test_the_latest_events_of_a_rule_are_those_of_its_own_query(
    ba_trang_plan, villages, indicator_rules, ethnic_groups
):
    from duan8.activities.rule_filters import Period, row_matches
    from duan8.activities.tests.progress_data import year_of_records
    from duan8.activities.values.queries import latest_events, rule_records

    year_of_records(plan=ba_trang_plan, villages=list(villages.values()), events_per_village=40)
    path, period = ba_trang_plan.issuing_unit.path, Period.year(2023)

    latest = latest_events(path=path, period=period, limit=6)

    answered = 0
    for rule in IndicatorRule.objects.filter(source="events"):
        mine = [e.pk for e, row in latest if row_matches(rule, row)][:6]
        assert mine == [e.pk for e in rule_records(rule, path=path, period=period)[:6]], rule
        answered += len(mine) == 6
    assert answered >= 5  # most rules have more events than are listed


def test_other_communes_cannot_read_the_commune(world, other_commune_officer):
    with pytest.raises(NotVisible):
        unit_progress(actor=other_commune_officer, unit=world["plan"].issuing_unit, year=2023)
    with pytest.raises(NotVisible):
        work_summary(actor=other_commune_officer, unit=world["plan"].issuing_unit, year=2023)


def test_the_work_summary_counts_the_year(world, commune_officer):
    summary = work_summary(actor=commune_officer, unit=world["plan"].issuing_unit, year=2023)

    assert summary.groups == {"communication_team": 2}
    assert (summary.members.female, summary.members.male, summary.members.minority) == (1, 0, 1)
    assert summary.events == {"communication": 2}
    assert (summary.participants.female, summary.participants.male) == (40, 16)
    assert summary.participants.minority == 56
