"""An indicator's series 2021–2027 across the program change (phase I → the provisional
2026–2030 structure, by the crosswalk) and the map change (xã Ba Trang + xã Ba Khâm → xã Đặng
Thùy Trâm on 1/7/2025): issue 12, point 6."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from duan8.activities.models import CommunityGroup, CommunityGroupStatus
from duan8.activities.values import SYSTEM
from duan8.activities.values.series import indicator_series, map_day
from duan8.programs.models import ProgramElement

TEAMS = "1719.GD1.DA8.ND1.HD1.1"
TEAMS_2026 = "MTQG2635.GD1.DA8.ND1.1"


def team(unit, founded: datetime.date) -> CommunityGroup:
    group = CommunityGroup.objects.create(
        kind=CommunityGroup.Kind.COMMUNICATION_TEAM,
        name=f"Tổ truyền thông {unit.name} {founded.year}",
        org_unit=unit,
        founded_on=founded,
    )
    CommunityGroupStatus.objects.create(group=group, status="founded", on=founded)
    return group


@pytest.fixture
def teams(indicator_rules, ba_trang_merger, villages, ba_kham_village):
    team(villages["Bùi Hui"], datetime.date(2022, 3, 1))
    team(ba_kham_village, datetime.date(2024, 5, 1))
    team(ba_trang_merger, datetime.date(2026, 4, 1))
    return ba_trang_merger


@pytest.mark.django_db
def test_series_runs_2021_2027_across_the_program_and_the_map_change(teams):
    element = ProgramElement.objects.get(code=TEAMS)

    points = indicator_series(actor=SYSTEM, unit=teams, element=element, years=range(2021, 2028))

    assert [(p.year, p.value) for p in points] == [
        (2021, 0),
        (2022, 1),  # thôn Bùi Hui of xã Ba Trang, counted in xã Đặng Thùy Trâm
        (2023, 1),
        (2024, 2),  # and xã Ba Khâm's
        (2025, 2),
        (2026, 3),  # and the new commune's own
        (2027, 3),
    ]
    codes = [p.element.code for p in points]
    assert codes == [TEAMS] * 5 + [TEAMS_2026] * 2
    # the 2026–2030 element is provisional, and its records are counted by its own rule
    assert [p.verified for p in points] == [True] * 5 + [False] * 2
    assert [p.counted_by.code for p in points] == codes
    assert points[1].as_of == datetime.date(2025, 7, 1)  # the new commune's first map
    assert points[-1].as_of == datetime.date(2027, 12, 31)


@pytest.mark.django_db
def test_series_of_a_phase_two_element_reads_back_into_phase_one(teams):
    element = ProgramElement.objects.get(code=TEAMS_2026)

    points = indicator_series(actor=SYSTEM, unit=teams, element=element, years=[2020, 2024, 2031])

    assert [(p.year, p.element and p.element.code, p.value) for p in points] == [
        (2020, None, None),  # before phase I: no element in force
        (2024, TEAMS, 2),
        (2031, None, None),  # after the provisional phase-II element
    ]


@pytest.mark.django_db
def test_series_refuses_an_actor_who_may_not_read_the_unit(teams, other_commune_officer):
    element = ProgramElement.objects.get(code=TEAMS)

    with pytest.raises(PermissionDenied):
        indicator_series(actor=other_commune_officer, unit=teams, element=element, years=[2024])


def test_map_day_stays_within_the_unit_life(ba_trang, dang_thuy_tram):
    ba_trang.valid_to = datetime.date(2025, 6, 30)

    assert map_day(ba_trang, 2027) == datetime.date(2025, 6, 30)
    assert map_day(ba_trang, 2023) == datetime.date(2023, 12, 31)
    assert map_day(dang_thuy_tram, 2022) == datetime.date(2025, 7, 1)
