"""The series in one pass of the engine (``values.periods.indicator_values_over``): the same
figures as ``indicator_values`` year by year, in a number of queries that does not grow with the
years; and each phase's rules count only the records of their own phase's activities."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duan8.activities.models import Event, IndicatorRule
from duan8.activities.rules import RULES_FILE
from duan8.activities.tests.test_series import team
from duan8.activities.values import SYSTEM, Breakdown, Measure, indicator_values
from duan8.activities.values.periods import indicator_values_over
from duan8.activities.values.series import elements_in_force, indicator_series, map_day
from duan8.orgunits.rollup import org_unit_rollup_forget
from duan8.programs.models import Plan, ProgramElement, Target
from duan8.programs.structure import element_in_force

D = datetime.date
DIALOGUES = "1719.GD1.DA8.ND3.HD1.2"
DIALOGUES_2026 = "MTQG2635.GD1.DA8.ND3.1"
TEAMS = "1719.GD1.DA8.ND1.HD1.1"


def plan(commune, year: int, **targets: int) -> Plan:
    project = "1719.GD1.DA8" if year <= 2025 else "MTQG2635.GD1.DA8"
    made = Plan.objects.create(
        project=ProgramElement.objects.get(code=project),
        issuing_unit=commune,
        year=year,
        number=year,
        issuing_body=f"UBND {commune.full_name}",
        title=f"Kế hoạch năm {year}",
    )
    for code, value in targets.items():
        Target.objects.create(
            plan=made,
            element=ProgramElement.objects.get(code=code),
            scope=Target.Scope.COMMUNE,
            kind=Target.Kind.NUMBER,
            value=value,
        )
    return made


def dialogue(of_plan: Plan, unit, day: datetime.date, activity: str) -> Event:
    return Event.objects.create(
        plan=of_plan,
        activity=ProgramElement.objects.get(code=activity),
        kind=Event.Kind.DIALOGUE,
        title="Đối thoại chính sách",
        held_on=day,
        org_unit=unit,
    )


@pytest.fixture
def dialogues(indicator_rules, ba_trang_merger, ba_trang, ba_kham, villages, ba_kham_village):
    """Dialogues of xã Ba Trang (2023, 2024) and xã Ba Khâm (2023) under phase I, and of xã Đặng
    Thùy Trâm in 2027 under the 2026–2030 structure; teams founded 2022, 2024, 2026; targets."""
    ba_trang_2023 = plan(ba_trang, 2023, **{DIALOGUES: 3})
    dialogue(ba_trang_2023, villages["Bùi Hui"], D(2023, 5, 2), DIALOGUES)
    dialogue(plan(ba_trang, 2024), ba_trang, D(2024, 6, 1), "1719.GD1.DA8.ND3")
    dialogue(plan(ba_kham, 2023, **{DIALOGUES: 2}), ba_kham_village, D(2023, 8, 8), DIALOGUES)
    plan_2027 = plan(ba_trang_merger, 2027, **{DIALOGUES_2026: 4})
    dialogue(plan_2027, villages["Kon Riêng"], D(2027, 3, 8), DIALOGUES_2026)
    dialogue(plan_2027, ba_trang_merger, D(2027, 4, 9), DIALOGUES_2026)
    team(villages["Bùi Hui"], D(2022, 3, 1))
    team(ba_kham_village, D(2024, 5, 1))
    team(ba_trang_merger, D(2026, 4, 1))
    return ba_trang_merger


# --- each phase counts its own activities ----------------------------------------------------


@pytest.mark.django_db
def test_a_2027_dialogue_counts_in_the_phase_two_indicator_not_the_phase_one(dialogues):
    year_2027 = indicator_values(
        actor=SYSTEM, unit=dialogues, period=2027, as_of=D(2027, 12, 31), targets=False
    )
    year_2023 = indicator_values(
        actor=SYSTEM, unit=dialogues, period=2023, as_of=D(2025, 7, 1), targets=False
    )

    assert year_2027.value(dialogues, DIALOGUES_2026) == 2
    assert year_2027.value(dialogues, DIALOGUES) == 0
    assert year_2023.value(dialogues, DIALOGUES) == 2  # xã Ba Trang's and xã Ba Khâm's
    assert year_2023.value(dialogues, DIALOGUES_2026) == 0


def test_every_events_rule_names_activities_of_its_own_phase():
    rules = json.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]

    for rule in rules:
        if rule["source"] not in (IndicatorRule.Source.EVENTS, IndicatorRule.Source.PARTICIPANTS):
            continue
        phase = rule["element"].split(".")[0]
        activities = rule["filters"].get("activities")
        assert activities, rule["element"]
        assert all(code.split(".")[0] == phase for code in activities), rule["element"]


@pytest.mark.django_db
def test_the_series_of_dialogues_crosses_into_the_phase_two_indicator(dialogues):
    element = ProgramElement.objects.get(code=DIALOGUES)

    points = indicator_series(
        actor=SYSTEM, unit=dialogues, element=element, years=range(2022, 2029)
    )

    assert [(p.year, p.value, p.target) for p in points] == [
        (2022, 0, None),
        (2023, 2, 5),  # xã Ba Trang's and xã Ba Khâm's, targets 3 + 2
        (2024, 1, None),
        (2025, 0, None),
        (2026, 0, None),
        (2027, 2, 4),  # the phase-II indicator, by its own rule
        (2028, 0, None),
    ]
    assert [p.element.code for p in points][-3:] == [DIALOGUES_2026] * 3


# --- one pass, the same figures -----------------------------------------------------------------


def _by_year(unit, years) -> list[tuple]:
    """``indicator_values`` year by year: the reference."""
    found = []
    for year in years:
        data = indicator_values(
            actor=SYSTEM,
            unit=unit,
            period=year,
            as_of=map_day(unit, year),
            breakdown=Breakdown.UNIT,
            participants=False,
        )
        found.append(
            [
                (e.code, data.value(unit, e), data.value(unit, e, Measure.TARGET))
                for e in data.elements
            ]
        )
    return found


def _over(unit, years) -> list[tuple]:
    results = indicator_values_over(
        actor=SYSTEM, unit=unit, readings=[(year, map_day(unit, year)) for year in years]
    )
    return [
        [(e.code, data.value(unit, e), data.value(unit, e, Measure.TARGET)) for e in data.elements]
        for data in results
    ]


@pytest.mark.django_db
def test_one_pass_gives_every_indicators_figures_of_each_year(dialogues, ba_trang, ba_to):
    years = range(2021, 2029)

    for unit, lived in ((dialogues, years), (ba_trang, range(2021, 2026)), (ba_to, years)):
        assert _over(unit, lived) == _by_year(unit, lived), unit.name
    assert any(value for year in _over(dialogues, years) for _code, value, _target in year)


@pytest.mark.django_db
def test_elements_in_force_follow_the_crosswalk_as_element_in_force(dialogues):
    for code in (DIALOGUES, DIALOGUES_2026, TEAMS):
        element = ProgramElement.objects.get(code=code)
        years = list(range(2018, 2034))

        assert elements_in_force(element, years) == {
            year: element_in_force(element, year) for year in years
        }


@pytest.mark.django_db
def test_the_series_takes_as_many_queries_for_twelve_years_as_for_six(dialogues):
    element = ProgramElement.objects.get(code=TEAMS)

    def queries(years) -> int:
        org_unit_rollup_forget()  # each counted from nothing kept
        with CaptureQueriesContext(connection) as captured:
            indicator_series(actor=SYSTEM, unit=dialogues, element=element, years=years)
        return len(captured)

    six, twelve = queries(range(2021, 2027)), queries(range(2021, 2033))

    # the crosswalk (two), the map's changes (two and the map's state), one map (four and the
    # map's state: the 2025 reform is before every day read), the rules, the element ids, the
    # groups, the plans' targets (three)
    assert six == twelve == 16
    assert queries(range(2021, 2025)) == 14  # phase I alone: no crosswalk to follow
