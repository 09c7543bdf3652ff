"""/ngan-sach/ sends each role to its page of the money."""

import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("commune_accountant", "finance:vouchers"),
        ("commune_wu_officer", "finance:requests"),
        ("commune_leader", "finance:disbursement"),
        ("fatherland_front", "finance:disbursement"),
    ],
)
def test_each_commune_role_lands_on_its_page(client, ba_trang, role, target):
    user = UserFactory()
    membership(user, ba_trang, role)
    client.force_login(user)

    response = client.get(reverse("finance:home"))

    assert response.status_code == 302
    assert response["Location"] == reverse(target, kwargs={"pk": ba_trang.pk})


def test_the_district_reviewer_lands_on_her_districts_disbursement(client, ba_trang):
    user = UserFactory()
    membership(user, ba_trang.parent, "district_reviewer")
    client.force_login(user)

    response = client.get(reverse("finance:home"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse(
        "finance:disbursement", kwargs={"pk": ba_trang.parent.pk}
    )


def test_the_head_of_a_village_has_no_page_of_the_money(client, villages):
    user = UserFactory()
    membership(user, villages["Nước Đang"], "village_head")
    client.force_login(user)

    assert client.get(reverse("finance:home")).status_code == 403
