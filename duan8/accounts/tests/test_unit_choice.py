"""Issue 10, point 15: the unit list of the user forms names each unit with the units above it
(many villages share a name), in the order of the tree, with a search that works without
JavaScript (a GET field narrowing the list on the server)."""

import pytest
from django.urls import reverse

from duan8.accounts.models import Role, User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.models import OrgUnit
from duan8.testing import _village

USER_CREATE = reverse("user_create")


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def province_admin(quang_ngai, villages, ba_kham):
    # Ba Khâm has a thôn Nước Đang too, and enough villages for the search to be offered.
    _village(ba_kham, "21508-01", "Nước Đang")
    for i in range(2, 10):
        _village(ba_kham, f"21508-{i:02d}", f"Làng {i}")
    admin = UserFactory(username="qtht.quangngai")
    membership(admin, quang_ngai, "system_admin")
    return admin


def unit_labels(response) -> list[str]:
    return [label for value, label in response.context["form"].fields["unit"].choices if value]


def test_units_are_named_with_their_commune_and_district_in_tree_order(client, province_admin):
    client.force_login(province_admin)

    labels = unit_labels(client.get(USER_CREATE))

    assert "Thôn Nước Đang – xã Ba Trang – huyện Ba Tơ" in labels
    assert "Thôn Nước Đang – xã Ba Khâm – huyện Ba Tơ" in labels
    assert "Xã Ba Trang – huyện Ba Tơ" in labels
    assert len(labels) == len(set(labels))  # no two units read the same
    paths = [
        OrgUnit.objects.get(pk=value).path
        for value, _label in client.get(USER_CREATE).context["form"].fields["unit"].choices
        if value
    ]
    assert paths == sorted(paths)


def test_the_search_narrows_the_list_without_javascript(client, province_admin):
    client.force_login(province_admin)

    everything = client.get(USER_CREATE)
    narrowed = client.get(USER_CREATE, {"unit_q": "nuoc dang ba kham"})

    html = everything.content.decode()
    assert 'name="unit_q"' in html and 'method="get"' in html
    assert unit_labels(narrowed) == ["Thôn Nước Đang – xã Ba Khâm – huyện Ba Tơ"]
    assert "1</output> / 14" in narrowed.content.decode()


def test_a_unit_outside_the_narrowed_list_can_still_be_posted(client, province_admin, villages):
    client.force_login(province_admin)

    response = client.post(
        f"{USER_CREATE}?unit_q=Ba+Kham",
        {
            "username": "tt.buihui",
            "password": "Bui-Hui-2024-mat-khau",
            "unit": villages["Bùi Hui"].pk,
            "role": Role.objects.get(code="village_head").pk,
        },
    )

    assert response.status_code == 302
    assert User.objects.get(username="tt.buihui").memberships.get().org_unit == villages["Bùi Hui"]


def test_a_small_list_needs_no_search(client, commune_officer):
    client.force_login(commune_officer)

    response = client.get(USER_CREATE)

    html = response.content.decode()
    assert response.status_code == 200 and 'name="unit"' in html  # the form, with its unit list
    assert 'name="unit_q"' not in html


def test_the_grant_form_offers_the_same_search(client, province_admin, village_head):
    client.force_login(province_admin)

    response = client.get(
        reverse("user_detail", kwargs={"pk": village_head.pk}), {"unit_q": "lang 3"}
    )

    labels = [v for k, v in response.context["grant_form"].fields["unit"].choices if k]
    assert labels == ["Thôn Làng 3 – xã Ba Khâm – huyện Ba Tơ"]
