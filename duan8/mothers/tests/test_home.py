"""/me-an-toan/ sends each role to its own page of the registry, and never to another's."""

import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership


def _user(unit, role):
    user = UserFactory()
    membership(user, unit, role)
    return user


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("commune_health_station", "mothers:case_list"),
        ("commune_wu_officer", "mothers:case_list"),
        ("commune_leader", "mothers:case_list"),
        ("commune_accountant", "mothers:payment_lists"),
    ],
)
def test_each_commune_role_lands_on_its_page(client, ba_trang, role, target):
    client.force_login(_user(ba_trang, role))

    response = client.get(reverse("mothers:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse(target, kwargs={"pk": ba_trang.pk})


def test_the_village_health_worker_lands_on_her_communes_cases(client, ba_trang, villages):
    client.force_login(_user(villages["Nước Đang"], "village_health_worker"))

    response = client.get(reverse("mothers:home"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("mothers:case_list", kwargs={"pk": ba_trang.pk})


def test_a_reviewer_above_the_commune_lands_on_counts_not_on_cases(client, ba_trang):
    district = ba_trang.parent
    client.force_login(_user(district, "district_reviewer"))

    response = client.get(reverse("mothers:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mothers:counts", kwargs={"pk": district.pk})
