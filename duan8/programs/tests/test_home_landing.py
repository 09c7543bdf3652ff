"""The first screen of a village head is his village's event entry page, not an empty list of
plans (issue 10, point 14); everyone else still starts on the plans."""

from django.urls import reverse


def test_a_village_head_lands_on_his_villages_event_entry_page(
    client, ba_trang_plan, villages, village_head
):
    client.force_login(village_head)

    response = client.get(reverse("home"))

    entry = reverse("activities:event_create", args=[villages["Nước Đang"].pk])
    assert response.status_code == 302
    assert response["Location"] == entry
    assert client.get(entry).status_code == 200


def test_the_commune_officer_still_starts_on_the_plans(client, ba_trang_plan, commune_officer):
    client.force_login(commune_officer)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert ba_trang_plan.reference in response.content.decode()
