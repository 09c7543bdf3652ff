"""Every page of the registry is reached by a click, and each link is shown only to whom the
page serves."""

import pytest
from django.urls import reverse


def _links(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("officer", ["duplicate_list"], ["approve_list", "proposal_upload", "payment_lists"]),
        ("leader", ["approve_list", "payment_lists"], ["duplicate_list", "proposal_upload"]),
        ("health_station", ["proposal_upload"], ["duplicate_list", "approve_list"]),
    ],
)
def test_the_case_list_links_the_pages_of_the_users_role(client, mothers_world, who, shown, hidden):
    commune = mothers_world.commune
    page = _links(
        client, getattr(mothers_world, who), reverse("mothers:case_list", args=[commune.pk])
    )

    for name in shown:
        assert reverse(f"mothers:{name}", args=[commune.pk]) in page
    for name in hidden:
        assert reverse(f"mothers:{name}", args=[commune.pk]) not in page


def test_the_case_page_links_its_entitlement_and_flags_an_open_duplicate(
    client, mothers_world, proposed_case
):
    from duan8.mothers.services.registry import mother_propose
    from duan8.mothers.tests.conftest import case_input

    mother_propose(
        actor=mothers_world.health_worker, data=case_input(full_name="Dinh Thi Lan", id_number="")
    )
    page = _links(
        client, mothers_world.officer, reverse("mothers:case_detail", args=[proposed_case.pk])
    )

    assert reverse("mothers:case_entitlement", args=[proposed_case.pk]) in page
    assert reverse("mothers:subject_export", args=[proposed_case.mother_id]) in page
    assert reverse("mothers:duplicate_list", args=[mothers_world.commune.pk]) in page


def test_the_health_station_gets_no_subject_export_link(client, mothers_world, proposed_case):
    page = _links(
        client,
        mothers_world.health_station,
        reverse("mothers:case_detail", args=[proposed_case.pk]),
    )

    assert reverse("mothers:subject_export", args=[proposed_case.mother_id]) not in page
    assert reverse("mothers:consents", args=[proposed_case.mother_id]) in page
