"""Entitlement computed from the rules in force on the case's date (issue 13, point 2): the
amounts of TT 15/2022 Art. 38 and TT 55/2023, the caps, the items not due and why, eligibility."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from duan8.mothers.entitlement import RuleSet, entitlement_for, for_entitlement
from duan8.mothers.models import BenefitItem, EligibilityRule, Pregnancy
from duan8.mothers.tests.entitlement_cases import make_case, rules_world
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.orgunits.services import org_unit_save_with_path
from duan8.orgunits.tests.factories import make_unit

pytestmark = pytest.mark.usefixtures("english")

CAESAREAN = Pregnancy.Mode.CAESAREAN


@pytest.fixture
def world(mothers_world: Any, new_quang_ngai: OrgUnit) -> Any:
    rules_world(mothers_world.villages)
    return mothers_world


def amounts(entitlement: Any) -> dict[str, int]:
    return {line.item.code: int(line.amount) for line in entitlement.lines}


def reasons(entitlement: Any) -> str:
    return " ".join(r.reason for r in entitlement.reasons_not_due)


def test_normal_birth_with_a_carer_for_3_days_comes_to_2_200_000(world: Any) -> None:
    entitlement = entitlement_for(make_case(world.village))

    assert entitlement.eligible
    assert entitlement.total == Decimal(2_200_000)
    assert amounts(entitlement) == {
        "di-lai-khi-sinh": 200_000,
        "goi-vat-tu": 500_000,
        "tien-an": 300_000,
        "dinh-duong": 1_200_000,
    }
    meals = entitlement.lines[2]
    assert meals.quantity == 6
    assert "2 person(s)" in meals.explanation
    assert "Circular số 15/2022/TT-BTC, Điều 38" in meals.explanation
    assert "no antenatal visit is recorded" in reasons(entitlement)


def test_caesarean_for_5_days_comes_to_2_400_000(world: Any) -> None:
    case = make_case(world.village, mode=CAESAREAN, days_at_facility=5)

    assert entitlement_for(case).total == Decimal(2_400_000)


@pytest.mark.parametrize(("visits", "paid"), [(1, 100_000), (4, 400_000), (6, 400_000)])
def test_antenatal_visits_add_100_000_each_up_to_4(world: Any, visits: int, paid: int) -> None:
    entitlement = entitlement_for(make_case(world.village, visits=visits))

    assert amounts(entitlement)["di-lai-kham-thai"] == paid
    assert entitlement.total == Decimal(2_200_000 + paid)
    line = entitlement.lines[-1]
    assert "Circular số 55/2023/TT-BTC" in line.explanation
    assert ("capped at 4" in line.explanation) is (visits > 4)


def test_home_birth_gets_no_travel_nor_meals_and_says_why(world: Any) -> None:
    entitlement = entitlement_for(make_case(world.village, place=Pregnancy.Place.HOME))

    assert entitlement.eligible
    assert amounts(entitlement) == {"goi-vat-tu": 500_000, "dinh-duong": 1_200_000}
    assert reasons(entitlement).count("she gave birth at home") == 2


def test_without_a_carer_travel_and_meals_are_for_the_mother_only(world: Any) -> None:
    entitlement = entitlement_for(make_case(world.village, has_carer=False, carer_name=""))

    assert entitlement.total == Decimal(100_000 + 500_000 + 150_000 + 1_200_000)
    assert "the mother only: no family carer recorded" in entitlement.lines[0].explanation


def test_4_days_after_a_normal_birth_are_capped_at_3(world: Any) -> None:
    entitlement = entitlement_for(make_case(world.village, days_at_facility=4))

    assert amounts(entitlement)["tien-an"] == 300_000
    assert "4 days at the facility, capped at 3 (normal delivery)" in (
        entitlement.lines[2].explanation
    )


def test_6_days_after_a_caesarean_are_capped_at_5(world: Any) -> None:
    entitlement = entitlement_for(make_case(world.village, mode=CAESAREAN, days_at_facility=6))

    assert entitlement.total == Decimal(2_400_000)
    assert "capped at 5 (caesarean)" in entitlement.lines[2].explanation


def test_a_kinh_mother_is_not_eligible_and_is_told_why(world: Any) -> None:
    entitlement = entitlement_for(make_case(world.village, ethnic_code="01"))

    assert not entitlement.eligible
    assert entitlement.lines == []
    assert entitlement.total == 0
    assert entitlement.reasons_not_eligible == [
        "Not eligible: the mother is Kinh, not an ethnic minority (Phụ nữ người dân tộc thiểu số"
        " sinh con; Circular số 15/2022/TT-BTC, Điều 38)."
    ]


def test_a_village_not_dbkk_on_the_date_is_not_eligible(world: Any) -> None:
    entitlement = entitlement_for(make_case(world.villages["Kon Riêng"]))

    assert not entitlement.eligible
    (reason,) = entitlement.reasons_not_eligible
    assert "Thôn Kon Riêng was not an especially difficult village on 10/03/2025" in reason
    assert "not verified against the text" in reason


def test_a_village_whose_dbkk_ended_before_the_birth_is_not_eligible(world: Any) -> None:
    OrgUnitAttribute.objects.filter(org_unit=world.village).update(
        valid_to=datetime.date(2025, 3, 9)
    )

    assert not entitlement_for(make_case(world.village)).eligible


def test_a_birth_before_the_rules_finds_none_in_force(world: Any) -> None:
    entitlement = entitlement_for(make_case(world.village, delivered_on=datetime.date(2022, 1, 5)))

    assert not entitlement.eligible
    assert entitlement.reasons_not_eligible == ["No eligibility rule is in force on 05/01/2022."]


def test_antenatal_travel_is_not_due_before_tt_55_2023(world: Any) -> None:
    case = make_case(world.village, delivered_on=datetime.date(2023, 5, 2), visits=4)

    entitlement = entitlement_for(case)

    assert entitlement.total == Decimal(2_200_000)
    assert "no period of this item covers 02/05/2023 (from 15/08/2023)" in reasons(entitlement)


def test_the_expected_date_counts_before_the_birth(world: Any) -> None:
    case = make_case(
        world.village, delivered_on=None, expected_on=datetime.date(2022, 1, 5), place=""
    )

    assert entitlement_for(case).reasons_not_eligible == [
        "No eligibility rule is in force on 05/01/2022."
    ]


def test_a_new_amount_from_a_later_date_applies_only_from_that_date(world: Any) -> None:
    old = BenefitItem.objects.get(code="dinh-duong")
    BenefitItem.objects.filter(pk=old.pk).update(valid_to=datetime.date(2024, 12, 31))
    BenefitItem.objects.create(
        code="dinh-duong",
        name=old.name,
        amount=1_500_000,
        basis=old.basis,
        legal_source=old.legal_source,
        valid_from=datetime.date(2025, 1, 1),
        order=old.order,
    )
    rules = RuleSet.load()

    before = make_case(world.village, delivered_on=datetime.date(2024, 12, 20))
    after = make_case(world.village, name="Đinh Thị Mai")

    assert amounts(entitlement_for(before, rules=rules))["dinh-duong"] == 1_200_000
    assert amounts(entitlement_for(after, rules=rules))["dinh-duong"] == 1_500_000


def _village(commune: OrgUnit, code: str, name: str) -> OrgUnit:
    return org_unit_save_with_path(
        OrgUnit(
            code_scheme=OrgUnit.CodeScheme.LOCAL,
            code=code,
            name=name,
            level=OrgUnit.Level.VILLAGE,
            kind="Thôn",
            parent=commune,
        )
    )


def test_after_the_map_change_the_new_province_is_read(
    world: Any, ba_trang_merger: OrgUnit
) -> None:
    village = _village(ba_trang_merger, "21520-N1", "Nước Đang")
    OrgUnitAttribute.objects.create(
        org_unit=village,
        key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
        valid_from=datetime.date(2025, 7, 1),
    )
    august = datetime.date(2025, 8, 4)

    new = entitlement_for(make_case(village, delivered_on=august))
    old = entitlement_for(make_case(world.village, delivered_on=august, name="Đinh Thị Mai"))

    assert new.eligible
    assert "Tỉnh Quảng Ngãi is a province where the packages apply" in new.checks[-1].explanation
    assert old.eligible  # xã Ba Trang's tỉnh Quảng Ngãi had become the new one
    rule = EligibilityRule.objects.get(code="tinh-ap-dung")
    rule.provinces.remove(world.province)  # only the new code left
    assert entitlement_for(make_case(world.village, delivered_on=august, name="C")).eligible
    assert not entitlement_for(make_case(world.village, name="D")).eligible  # March: old province


def test_a_province_not_listed_is_not_eligible(world: Any) -> None:
    da_nang = make_unit(code="48", name="Đà Nẵng", level=OrgUnit.Level.PROVINCE, kind="Thành phố")
    commune = make_unit(code="20200", name="Hòa Bắc", level=3, kind="Xã", parent=da_nang)
    village = _village(commune, "20200-01", "Tà Lang")
    OrgUnitAttribute.objects.create(
        org_unit=village,
        key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
        valid_from=datetime.date(2021, 9, 16),
    )

    entitlement = entitlement_for(make_case(village, ethnic_code="30"))

    assert not entitlement.eligible
    (reason,) = entitlement.reasons_not_eligible
    assert reason.startswith("Not eligible: Thành phố Đà Nẵng is not among the provinces")


def test_many_cases_are_computed_without_a_query_per_case(
    world: Any, django_assert_num_queries: Any
) -> None:
    for number in range(5):
        make_case(world.villages["Bùi Hui"], name=f"Mẹ {number}", visits=number)

    with django_assert_num_queries(7):
        rules = RuleSet.load()
        cases = list(for_entitlement(Pregnancy.objects.all()))
        totals = [entitlement_for(case, rules=rules).total for case in cases]

    assert sorted(totals) == [2_200_000, 2_300_000, 2_400_000, 2_500_000, 2_600_000]
