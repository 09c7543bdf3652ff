"""Bad input of a proposal: each refused with a message on its field, and nothing saved."""

import datetime

import pytest
from django.utils import timezone

from duan8.core.problems import Invalid
from duan8.mothers.models import AntenatalVisit, BenefitItem, Child, Mother, Pregnancy
from duan8.mothers.services.inputs import ChildInput, VisitInput
from duan8.mothers.services.registry import mother_propose
from duan8.mothers.tests.conftest import case_input


def _refused(world, **overrides):
    with pytest.raises(Invalid) as caught:
        mother_propose(actor=world.health_station, data=case_input(**overrides))
    assert not Mother.objects.exists()
    assert not Pregnancy.objects.exists()
    assert not AntenatalVisit.objects.exists()
    assert not Child.objects.exists()
    return {p.field: p for p in caught.value.problems}


def test_unknown_ethnicity_is_refused(mothers_world):
    problems = _refused(mothers_world, ethnic_code="99")

    assert "99" in problems["ethnic_code"].message


@pytest.mark.parametrize("raw", ["12345", "0511980012345", "05119800123", "abc"])
def test_an_id_number_of_another_form_is_refused(mothers_world, raw):
    problems = _refused(mothers_world, id_number=raw)

    assert problems["id_number"].code == "id_form"
    assert "12" in problems["id_number"].message


def test_an_old_nine_digit_card_is_accepted(mothers_world):
    case = mother_propose(
        actor=mothers_world.health_station, data=case_input(id_number="211 234 567")
    )

    assert case.mother.id_number == "211234567"


def test_a_delivery_in_the_future_is_refused(mothers_world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    problems = _refused(mothers_world, delivered_on=tomorrow, expected_on=tomorrow, children=[])

    assert problems["delivered_on"].code == "future"


def test_a_delivery_before_the_pregnancy_is_refused(mothers_world):
    problems = _refused(
        mothers_world,
        delivered_on=datetime.date(2024, 9, 1),
        children=[ChildInput(sex="F", born_on=datetime.date(2024, 9, 1))],
        visits=[],
    )

    assert problems["delivered_on"].code == "before_pregnancy"


def test_a_visit_after_the_delivery_is_refused(mothers_world):
    visits = [VisitInput(visited_on=datetime.date(2025, 3, 20))]

    problems = _refused(mothers_world, visits=visits)

    assert problems["visits.1.visited_on"].code == "after_delivery"


def test_days_beyond_the_rule_in_force_are_refused(mothers_world):
    BenefitItem.objects.filter(basis=BenefitItem.Basis.PER_PERSON_DAY).delete()
    BenefitItem.objects.create(
        code="tien-an",
        name="Tiền ăn",
        amount=50000,
        basis=BenefitItem.Basis.PER_PERSON_DAY,
        max_days_normal=3,
        max_days_caesarean=5,
        valid_from=datetime.date(2022, 3, 4),
    )

    problems = _refused(mothers_world, days_at_facility=4)

    assert problems["days_at_facility"].code == "beyond_rule"
    assert "3" in problems["days_at_facility"].message


def test_a_caesarean_has_the_longer_limit(mothers_world):
    case = mother_propose(
        actor=mothers_world.health_station, data=case_input(mode="caesarean", days_at_facility=5)
    )

    assert case.days_at_facility == 5


def test_without_a_rule_in_force_sixty_days_is_the_limit(mothers_world):
    BenefitItem.objects.filter(basis=BenefitItem.Basis.PER_PERSON_DAY).delete()

    problems = _refused(mothers_world, days_at_facility=61)

    assert problems["days_at_facility"].code == "beyond_rule"
    assert mother_propose(actor=mothers_world.health_station, data=case_input(days_at_facility=30))


def test_a_rule_no_longer_in_force_does_not_limit(mothers_world):
    BenefitItem.objects.filter(basis=BenefitItem.Basis.PER_PERSON_DAY).update(
        valid_to=datetime.date(2024, 12, 31)
    )

    case = mother_propose(actor=mothers_world.health_station, data=case_input(days_at_facility=6))

    assert case.days_at_facility == 6


@pytest.mark.parametrize("babies", [0, 6])
def test_babies_are_one_to_five(mothers_world, babies):
    problems = _refused(mothers_world, babies=babies, children=[])

    assert problems["babies"].code == "range"


def test_more_children_than_babies_is_refused(mothers_world):
    children = [ChildInput(sex="F"), ChildInput(sex="M")]

    problems = _refused(mothers_world, children=children)

    assert problems["children"].code == "too_many"


def test_a_carer_needs_a_name(mothers_world):
    problems = _refused(mothers_world, has_carer=True, carer_name=" ")

    assert problems["carer_name"].code == "required"


@pytest.mark.parametrize("year", [2020, 1960])
def test_an_implausible_year_of_birth_is_refused(mothers_world, year):
    problems = _refused(mothers_world, birth_year=year)

    assert problems["birth_year"].code == "range"


def test_a_village_of_another_commune_is_refused(mothers_world):
    problems = _refused(mothers_world, village=mothers_world.other_village)

    assert problems["village"].code == "not_in_commune"


def test_a_commune_that_did_not_exist_on_the_delivery_date_is_refused(mothers_world):
    day = datetime.date(2025, 8, 1)

    problems = _refused(
        mothers_world,
        delivered_on=day,
        expected_on=day,
        children=[ChildInput(sex="F", born_on=day)],
    )

    assert problems["commune"].code == "not_in_force"


def test_a_village_ended_before_the_delivery_is_refused(mothers_world):
    village = mothers_world.villages["Kon Riêng"]
    village.valid_to = datetime.date(2024, 12, 31)
    village.save(update_fields=["valid_to"])

    problems = _refused(mothers_world, village=village)

    assert problems["village"].code == "not_in_commune"


def test_all_problems_are_reported_at_once(mothers_world):
    problems = _refused(mothers_world, ethnic_code="", full_name="", babies=7, id_number="1")

    assert {"ethnic_code", "full_name", "babies", "id_number"} <= set(problems)


def test_a_case_needs_a_date(mothers_world):
    problems = _refused(mothers_world, delivered_on=None, expected_on=None, children=[], visits=[])

    assert problems["delivered_on"].code == "required"
