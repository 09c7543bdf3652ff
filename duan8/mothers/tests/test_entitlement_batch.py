"""The national run (issue 13, performance): ``entitlements`` reads saved cases as plain facts
and gives exactly what ``entitlement_for`` gives case by case, with a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation

from duan8.mothers.entitlement import RuleSet, entitlement_for, for_entitlement
from duan8.mothers.entitlement_batch import entitlements
from duan8.mothers.models import Pregnancy
from duan8.mothers.tests.entitlement_cases import make_case, rules_world
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.orgunits.tests.factories import make_unit

CAESAREAN = Pregnancy.Mode.CAESAREAN
HOME = Pregnancy.Place.HOME


@pytest.fixture
def world(mothers_world: Any, new_quang_ngai: OrgUnit) -> Any:
    rules_world(mothers_world.villages)
    return mothers_world


def _da_nang_village() -> OrgUnit:
    da_nang = make_unit(code="48", name="Đà Nẵng", level=OrgUnit.Level.PROVINCE, kind="Thành phố")
    commune = make_unit(code="20200", name="Hòa Bắc", level=3, kind="Xã", parent=da_nang)
    village = make_unit(code="20200-01", name="Tà Lang", level=4, kind="Thôn", parent=commune)
    OrgUnitAttribute.objects.create(
        org_unit=village,
        key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
        valid_from=datetime.date(2021, 9, 16),
    )
    return village


def varied_cases(world: Any) -> None:
    """Eligible and not, for every reason; every basis of item, capped and not; no date."""
    village = world.village
    kon_rieng = world.villages["Kon Riêng"]
    variants: list[tuple[OrgUnit, dict[str, Any]]] = [
        (village, {}),
        (village, {"mode": CAESAREAN, "days_at_facility": 9, "visits": 6}),
        (village, {"days_at_facility": 12, "has_carer": False, "visits": 2}),
        (village, {"place": HOME, "visits": 1}),
        (village, {"place": "", "days_at_facility": None}),
        (village, {"days_at_facility": None, "mode": ""}),
        (village, {"ethnic_code": "01"}),
        (kon_rieng, {}),
        (_da_nang_village(), {"ethnic_code": "30"}),
        (village, {"delivered_on": datetime.date(2023, 5, 2), "visits": 4}),
        (village, {"delivered_on": None, "expected_on": datetime.date(2022, 1, 5), "place": ""}),
        (village, {"delivered_on": None, "expected_on": datetime.date(2026, 2, 1), "place": ""}),
        (village, {"delivered_on": None, "expected_on": None, "place": ""}),
        (village, {"delivered_on": datetime.date(2025, 8, 4), "expected_on": None}),
    ]
    for number, (unit, fields) in enumerate(variants):
        make_case(unit, name=f"Mẹ {number}", **fields)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_batch_gives_exactly_the_per_case_results(world: Any, language: str) -> None:
    varied_cases(world)

    with translation.override(language):
        rules = RuleSet.load()
        each = {
            case.pk: entitlement_for(case, rules=rules)
            for case in for_entitlement(Pregnancy.objects.order_by("pk"))
        }
        batch = dict(entitlements(Pregnancy.objects.order_by("pk"), rules=RuleSet.load()))
        alone = dict(entitlements(Pregnancy.objects.order_by("pk")))

    assert list(batch) == list(each)
    assert batch == each
    assert alone == each
    eligible = [e for e in batch.values() if e.eligible]
    assert 5 <= len(eligible) < len(batch)  # the set tests both sides
    assert any(e.on is None for e in batch.values())


def test_the_batch_reads_a_fixed_number_of_queries(
    world: Any, django_assert_num_queries: Any
) -> None:
    varied_cases(world)
    rules = RuleSet.load()

    with django_assert_num_queries(3):  # the cases, their villages, the ethnic groups
        found = dict(entitlements(Pregnancy.objects.all(), rules=rules))

    assert len(found) == Pregnancy.objects.count()


def test_the_batch_reads_only_the_cases_it_is_given(world: Any) -> None:
    varied_cases(world)
    chosen = Pregnancy.objects.filter(village=world.villages["Kon Riêng"])

    found = dict(entitlements(chosen))

    assert set(found) == set(chosen.values_list("pk", flat=True))
    assert len(found) == 1
    (entitlement,) = found.values()
    assert not entitlement.eligible
