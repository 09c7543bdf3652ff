"""Importing a Word draft follows the plan-writing rule (programs.plan_access): the province's
reviewer (plans.assign, held in the province) imports the province's own plan, never a plan of
a commune under it."""

from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership


def _reviewer(province):
    user = UserFactory()
    membership(user, province, "province_reviewer")
    return user


def test_the_province_reviewer_may_import_the_provinces_plan(client, new_quang_ngai):
    client.force_login(_reviewer(new_quang_ngai))

    response = client.get(reverse("documents:plan_import", kwargs={"pk": new_quang_ngai.pk}))

    assert response.status_code == 200


def test_but_not_a_communes_plan(client, new_quang_ngai, dang_thuy_tram):
    client.force_login(_reviewer(new_quang_ngai))

    response = client.get(reverse("documents:plan_import", kwargs={"pk": dang_thuy_tram.pk}))

    assert response.status_code == 403


def test_the_communes_page_offers_her_no_import_link(client, new_quang_ngai, dang_thuy_tram):
    client.force_login(_reviewer(new_quang_ngai))
    url = reverse("documents:plan_import", kwargs={"pk": dang_thuy_tram.pk})

    page = client.get(reverse("orgunits:unit_detail", kwargs={"pk": dang_thuy_tram.pk}))

    assert page.status_code == 200
    assert url not in page.content.decode()
