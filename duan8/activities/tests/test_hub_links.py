"""Every link of a work hub leads to a page (walk-through finding: a district's hub linked to
lists that exist for communes and villages only, and answered 404)."""

import lxml.html
import pytest
from django.urls import reverse


def links_in_main(html: str) -> list[str]:
    tree = lxml.html.fromstring(html)
    return [href for href in tree.xpath("//main//a/@href") if href.startswith("/")]


@pytest.mark.parametrize("who", ["commune_officer", "district_reviewer"])
def test_no_link_of_a_hub_answers_not_found(client, request, who, ba_to, ba_trang, ba_trang_plan):
    user = request.getfixturevalue(who)
    unit = ba_trang if who == "commune_officer" else ba_to
    client.force_login(user)

    response = client.get(reverse("activities:work_hub", args=[unit.pk, 2023]))

    assert response.status_code == 200
    links = links_in_main(response.content.decode())
    assert links
    for href in links:
        assert client.get(href).status_code == 200, href


def test_a_commune_hub_links_its_lists_and_its_excel_page(
    client, commune_officer, ba_trang, ba_trang_plan
):
    client.force_login(commune_officer)

    html = client.get(reverse("activities:work_hub", args=[ba_trang.pk, 2023])).content.decode()

    assert reverse("activities:event_list", args=[ba_trang.pk]) in html
    assert reverse("activities:excel_home", args=[ba_trang.pk]) in html
