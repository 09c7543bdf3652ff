import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.values import SYSTEM, Breakdown, Cell, Measure, indicator_values
from duan8.orgunits.rollup import org_unit_rollup_forget
from duan8.reports.tests.records import DIALOGUES, SESSIONS, TEAMS, plan_for, session, team

D = datetime.date
END_2023 = D(2023, 12, 31)
IN_2026 = D(2026, 1, 1)
WOMEN = Cell("F", True, "adult")


@pytest.fixture
def world(indicator_rules, ba_trang_merger, ba_trang, ba_kham, villages, ba_kham_village):
    """Ba Trang: two sessions (Bùi Hui, Nước Đang), a team, a commune dialogue; Ba Khâm: one
    session; after the merger, xã Đặng Thùy Trâm: one session in 2026."""
    ba_trang_2023 = plan_for(ba_trang, 2023, **{SESSIONS.replace(".", "_"): 10})
    ba_kham_2023 = plan_for(ba_kham, 2023, **{SESSIONS.replace(".", "_"): 4})
    session(ba_trang_2023, villages["Bùi Hui"], D(2023, 10, 5), women=20, men=8)
    session(ba_trang_2023, villages["Nước Đang"], D(2023, 11, 5), women=5, girls=3)
    session(ba_trang_2023, ba_trang, D(2023, 11, 20), women=9, kind="dialogue", activity=DIALOGUES)
    team(villages["Bùi Hui"], D(2023, 10, 2))
    session(ba_kham_2023, ba_kham_village, D(2023, 9, 9), women=7, men=2)
    dang_thuy_tram_2026 = plan_for(ba_trang_merger, 2026)
    session(dang_thuy_tram_2026, ba_trang_merger, D(2026, 3, 1), women=4)
    return {"ĐTT": ba_trang_merger}


def _value(data, unit, code, measure=Measure.VALUE, cell=None):
    return data.value(unit, code, measure, cell)


def test_ba_trang_2023_figures_appear_under_huyen_ba_to_in_a_2023_view(
    world, ba_to, ba_trang, ba_kham
):
    data = indicator_values(actor=SYSTEM, unit=ba_to, period=2023, as_of=END_2023)

    assert [u.name for u in data.children] == ["Ba Khâm", "Ba Trang"]
    assert _value(data, ba_trang, SESSIONS) == 2
    assert _value(data, ba_kham, SESSIONS) == 1
    assert _value(data, ba_to, SESSIONS) == 3
    assert _value(data, ba_trang, TEAMS) == 1
    assert _value(data, ba_trang, SESSIONS, Measure.PARTICIPANTS, WOMEN) == 25
    assert _value(data, ba_to, SESSIONS, Measure.PARTICIPANTS, WOMEN) == 32
    assert _value(data, ba_trang, SESSIONS, Measure.TARGET) == 10
    assert _value(data, ba_to, SESSIONS, Measure.TARGET) is None  # targets are the communes'


def test_in_a_2026_view_they_appear_under_xa_dang_thuy_tram_of_the_new_province(
    world, new_quang_ngai
):
    dang_thuy_tram = world["ĐTT"]

    data = indicator_values(actor=SYSTEM, unit=new_quang_ngai, period=2023, as_of=IN_2026)

    assert data.children == [dang_thuy_tram]
    assert _value(data, dang_thuy_tram, SESSIONS) == 3
    assert _value(data, new_quang_ngai, SESSIONS) == 3
    assert _value(data, dang_thuy_tram, TEAMS) == 1
    assert _value(data, dang_thuy_tram, DIALOGUES) == 1


def test_a_merged_commune_is_the_sum_of_its_predecessors(world, ba_to, ba_trang, ba_kham):
    before = indicator_values(actor=SYSTEM, unit=ba_to, period=2023, as_of=END_2023)

    merged = indicator_values(actor=SYSTEM, unit=world["ĐTT"], period=2023, as_of=IN_2026)

    for element in merged.elements:
        for measure, cell in [(Measure.VALUE, None), (Measure.PARTICIPANTS, WOMEN)]:
            parts = [before.value(u, element, measure, cell) or 0 for u in (ba_trang, ba_kham)]
            assert (merged.value(world["ĐTT"], element, measure, cell) or 0) == sum(parts)
    assert _value(merged, world["ĐTT"], SESSIONS, Measure.TARGET) == 10 + 4


def test_a_merged_communes_later_figures_are_not_split_back_onto_its_predecessors(
    world, ba_to, ba_trang, ba_kham
):
    data = indicator_values(actor=SYSTEM, unit=ba_to, period=2026, as_of=END_2023)

    assert _value(data, ba_to, SESSIONS) == 1
    assert _value(data, ba_trang, SESSIONS) == 0
    assert _value(data, ba_kham, SESSIONS) == 0


def test_a_commune_lists_its_villages_and_keeps_its_own_records_in_its_total(
    world, ba_trang, villages
):
    data = indicator_values(actor=SYSTEM, unit=ba_trang, period=2023, as_of=END_2023)

    assert [u.name for u in data.children] == ["Bùi Hui", "Kon Riêng", "Nước Đang"]
    by_village = {u.name: _value(data, u, SESSIONS) for u in data.children}
    assert by_village == {"Bùi Hui": 1, "Kon Riêng": 0, "Nước Đang": 1}
    assert _value(data, ba_trang, DIALOGUES) == 1
    assert all(_value(data, u, DIALOGUES) == 0 for u in data.children)
    girls = Cell("F", True, "child")
    assert _value(data, villages["Nước Đang"], SESSIONS, Measure.PARTICIPANTS, girls) == 3


def test_the_unit_breakdown_gives_the_unit_alone(world, ba_to):
    data = indicator_values(
        actor=SYSTEM, unit=ba_to, period=2023, as_of=END_2023, breakdown=Breakdown.UNIT
    )

    assert data.children == []
    assert {row.unit for row in data} == {ba_to}


def test_a_date_range_counts_only_its_days_and_has_no_targets(world, ba_trang):
    data = indicator_values(
        actor=SYSTEM, unit=ba_trang, period=(D(2023, 10, 1), D(2023, 10, 31)), as_of=END_2023
    )

    assert _value(data, ba_trang, SESSIONS) == 1
    assert _value(data, ba_trang, SESSIONS, Measure.TARGET) is None


def test_an_as_of_date_before_any_record_is_refused(world, ba_to):
    with pytest.raises(ValidationError) as exc:
        indicator_values(actor=SYSTEM, unit=ba_to, period=2023, as_of=D(2019, 5, 1))

    assert "01/01/2023" in exc.value.messages[0]


def test_a_unit_that_no_longer_existed_on_the_date_names_its_successor(world, ba_trang):
    with pytest.raises(ValidationError) as exc:
        indicator_values(actor=SYSTEM, unit=ba_trang, period=2023, as_of=IN_2026)

    assert "Đặng Thùy Trâm" in exc.value.messages[0]
    assert "01/07/2025" in exc.value.messages[0]


def test_a_unit_that_did_not_exist_yet_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        indicator_values(actor=SYSTEM, unit=world["ĐTT"], period=2023, as_of=END_2023)

    assert "01/07/2025" in exc.value.messages[0]


def test_the_district_reviewer_sees_the_district_and_the_commune_officer_her_commune(
    world, ba_to, ba_trang, district_reviewer, commune_officer
):
    district = indicator_values(actor=district_reviewer, unit=ba_to, period=2023, as_of=END_2023)
    commune = indicator_values(actor=commune_officer, unit=ba_trang, period=2023, as_of=END_2023)

    assert _value(district, ba_to, SESSIONS) == 3
    assert _value(commune, ba_trang, SESSIONS) == 2


def test_a_new_province_reviewer_sees_the_old_communes_figures_in_the_new_map(
    world, new_quang_ngai
):
    reviewer = UserFactory(username="hlhpn.quangngai")
    membership(reviewer, new_quang_ngai, "province_reviewer")

    data = indicator_values(actor=reviewer, unit=new_quang_ngai, period=2023, as_of=IN_2026)

    assert _value(data, world["ĐTT"], SESSIONS) == 3


def test_another_communes_officer_must_not_see_ba_trang(world, ba_trang, other_commune_officer):
    with pytest.raises(PermissionDenied) as exc:
        indicator_values(actor=other_commune_officer, unit=ba_trang, period=2023, as_of=END_2023)

    assert "Ba Trang" in str(exc.value)


def test_a_village_head_sees_her_village_but_not_the_commune_or_the_district(
    world, ba_trang, ba_to, villages, village_head
):
    own = indicator_values(
        actor=village_head, unit=villages["Nước Đang"], period=2023, as_of=END_2023
    )

    assert _value(own, villages["Nước Đang"], SESSIONS) == 1
    for unit in (ba_trang, ba_to, villages["Bùi Hui"]):
        with pytest.raises(PermissionDenied):
            indicator_values(actor=village_head, unit=unit, period=2023, as_of=END_2023)


def test_the_number_of_queries_does_not_grow_with_the_records(world, ba_to, ba_trang, villages):
    def queries() -> int:
        org_unit_rollup_forget()  # each counted from nothing kept
        with CaptureQueriesContext(connection) as captured:
            indicator_values(actor=SYSTEM, unit=ba_to, period=2023, as_of=END_2023)
        return len(captured)

    few = queries()
    plan = ba_trang.plans.get(year=2023)
    for day in range(1, 20):
        session(plan, villages["Kon Riêng"], D(2023, 8, day), women=day, men=1)
        team(villages["Kon Riêng"], D(2023, 8, day))

    assert queries() == few
    assert few <= 20


def test_a_split_communes_figures_go_to_its_main_successor_only(
    indicator_rules, ba_to, new_quang_ngai
):
    from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
    from duan8.orgunits.tests.factories import make_unit

    split = make_unit(code="21499", name="Ba Chia", level=3, kind="Xã", parent=ba_to)
    main, other = (
        make_unit(
            code=code,
            name=name,
            level=3,
            kind="Xã",
            parent=new_quang_ngai,
            scheme=OrgUnit.CodeScheme.QD19_2025,
            valid_from=D(2025, 7, 1),
            valid_to=None,
        )
        for code, name in (("21601", "Ba Chính"), ("21602", "Ba Phụ"))
    )
    for successor, primary in ((main, True), (other, False)):
        OrgUnitSuccession.objects.create(
            predecessor=split,
            successor=successor,
            kind=OrgUnitSuccession.Kind.SPLIT,
            effective_on=D(2025, 7, 1),
            is_primary=primary,
        )
    session(plan_for(split, 2023), split, D(2023, 5, 5), women=10)

    data = indicator_values(actor=SYSTEM, unit=new_quang_ngai, period=2023, as_of=IN_2026)

    assert _value(data, main, SESSIONS) == 1
    assert _value(data, other, SESSIONS) == 0
    assert _value(data, new_quang_ngai, SESSIONS) == 1


# --- the roll-up reads the rules as the progress pages do -------------------------------------


def _indicator(code: str):
    from duan8.programs.models import ProgramElement

    return ProgramElement.objects.create(
        code=code, kind=ProgramElement.Kind.INDICATOR, title=code, order=20_000
    )


@pytest.mark.parametrize("period", [2023, (D(2023, 3, 1), D(2023, 5, 31))])
def test_the_roll_up_counts_every_filter_of_every_source_as_each_rules_own_query(
    ba_trang_plan, ba_trang, ba_kham, ba_to, villages, ba_kham_village, ethnic_groups, period
):
    """Every filter of every source (``rule_samples.EVERY_FILTER``), on records each filter
    splits: the roll-up's FILTER columns (activities compared by element id) give, for the
    district, each commune and each village, what ``rule_values`` gives for its subtree; the
    participants of the events an events rule counts are those of ``rule_records``."""
    from django.db.models import Sum

    from duan8.activities.models import IndicatorRule, ParticipantCount
    from duan8.activities.rule_filters import Period
    from duan8.activities.tests.rule_samples import EVERY_FILTER, varied_records
    from duan8.activities.values.queries import rule_records, rule_values

    varied_records(plan=ba_trang_plan, villages=list(villages.values()), events_per_village=30)
    varied_records(plan=ba_trang_plan, villages=[ba_kham_village], events_per_village=8)
    rules = [
        IndicatorRule.objects.create(element=_indicator(f"X.{i:02d}"), source=s, filters=f)
        for i, (s, f) in enumerate(EVERY_FILTER, start=1)
    ]
    span = Period.year(period) if isinstance(period, int) else Period(*period)

    district = indicator_values(actor=SYSTEM, unit=ba_to, period=period, as_of=END_2023)
    commune = indicator_values(actor=SYSTEM, unit=ba_trang, period=period, as_of=END_2023)

    counted = 0
    for data, units in ((district, [ba_to, ba_trang, ba_kham]), (commune, villages.values())):
        for unit in units:
            for rule in rules:
                expected = sum(rule_values(rule, path=unit.path, period=span).values())
                assert (data.value(unit, rule.element) or 0) == expected, (unit, rule.filters)
                counted += expected > 0
            for rule in (r for r in rules if r.source == "events"):
                events = rule_records(rule, path=unit.path, period=span)
                cells = (
                    ParticipantCount.objects.filter(event__in=events)
                    .values_list("sex", "minority", "age_group")
                    .annotate(total=Sum("count"))
                )
                expected_cells = {Cell(s, m, a): n for s, m, a, n in cells if n}
                got = {
                    row.cell: row.value
                    for row in data
                    if row.unit == unit
                    and row.element == rule.element
                    and row.measure == Measure.PARTICIPANTS
                }
                assert got == expected_cells, (unit, rule.filters)
    assert counted > len(rules)  # most rules count something somewhere


def test_an_event_indicator_with_an_unfiltered_rule_counts_every_events_participants(
    ba_trang_plan, ba_trang, villages, ethnic_groups
):
    """Two rules on one indicator, one of them without filters: every event is the
    indicator's, so all participants are; each event's once."""
    from duan8.activities.models import IndicatorRule, ParticipantCount
    from duan8.activities.tests.progress_data import year_of_records

    year_of_records(plan=ba_trang_plan, villages=list(villages.values()), events_per_village=10)
    indicator = _indicator("X.ALL")
    IndicatorRule.objects.create(element=indicator, source="events", filters={"kinds": ["review"]})
    IndicatorRule.objects.create(element=indicator, source="events", filters={})

    data = indicator_values(actor=SYSTEM, unit=ba_trang, period=2023, as_of=END_2023)

    everyone = ParticipantCount.objects.filter(event__held_on__year=2023)
    women = everyone.filter(sex="F", minority=True, age_group="adult")
    assert data.value(ba_trang, indicator, Measure.PARTICIPANTS, WOMEN) == sum(
        women.values_list("count", flat=True)
    )
