"""Who sees which mothers and which of their fields: the must-not-see rules of the registry."""

import pytest
from django.urls import reverse

from duan8.mothers.services.registry import mother_propose
from duan8.mothers.tests.conftest import case_input
from duan8.mothers.visibility import fields_visible, id_masked


def test_fields_visible_by_role(mothers_world):
    commune, village = mothers_world.commune, mothers_world.village

    station = fields_visible(mothers_world.health_station, commune)
    worker = fields_visible(mothers_world.health_worker, village)
    officer = fields_visible(mothers_world.officer, commune)
    accountant = fields_visible(mothers_world.accountant, commune)

    assert (station.identity, station.health, station.payment) == (True, True, False)
    assert (worker.identity, worker.health) == (True, True)
    assert (officer.identity, officer.health) == (True, False)
    assert (accountant.identity, accountant.health, accountant.payment) == (False, False, True)


@pytest.mark.parametrize(
    "who", ["province_reviewer", "fatherland_front", "other_officer", "other_health_station"]
)
def test_readers_outside_the_commune_see_nothing(mothers_world, who):
    assert not fields_visible(getattr(mothers_world, who), mothers_world.commune).any


def test_village_worker_sees_nothing_of_another_village(mothers_world):
    worker = mothers_world.health_worker

    assert not fields_visible(worker, mothers_world.villages["Bùi Hui"]).any
    assert not fields_visible(worker, mothers_world.commune).any


def test_id_masked_keeps_the_last_four_digits():
    assert id_masked("051198001234") == "••••••••1234"
    assert id_masked("") == ""


@pytest.mark.parametrize(
    "who", ["other_officer", "province_reviewer", "fatherland_front", "other_health_worker"]
)
def test_must_not_open_the_case(client, mothers_world, proposed_case, who):
    client.force_login(getattr(mothers_world, who))

    detail = client.get(reverse("mothers:case_detail", args=[proposed_case.pk]))
    edit = client.get(reverse("mothers:case_edit", args=[proposed_case.pk]))
    verify = client.post(reverse("mothers:case_verify", args=[proposed_case.pk]), {"version": 1})

    assert (detail.status_code, edit.status_code, verify.status_code) == (404, 404, 404)


@pytest.mark.parametrize("who", ["other_officer", "province_reviewer", "fatherland_front"])
def test_must_not_open_the_communes_list(client, mothers_world, proposed_case, who):
    client.force_login(getattr(mothers_world, who))

    response = client.get(reverse("mothers:case_list", args=[mothers_world.commune.pk]))

    assert response.status_code == 404


def test_another_village_worker_lists_none_of_this_village(client, mothers_world, proposed_case):
    client.force_login(mothers_world.other_health_worker)

    response = client.get(reverse("mothers:case_list", args=[mothers_world.commune.pk]))

    assert response.status_code == 200
    assert "Đinh Thị Lan" not in response.content.decode()


def test_accountant_sees_no_ethnicity_nor_health(client, mothers_world):
    proposed_case = mother_propose(
        actor=mothers_world.health_station, data=case_input(facility="Bệnh viện huyện Ba Tơ")
    )
    client.force_login(mothers_world.accountant)

    detail = client.get(reverse("mothers:case_detail", args=[proposed_case.pk]))
    listing = client.get(reverse("mothers:case_list", args=[mothers_world.commune.pk]))

    for response in (detail, listing):
        text = response.content.decode()
        assert response.status_code == 200
        assert "Đinh Thị Lan" in text
        assert "Hrê" not in text
    text = detail.content.decode()
    assert "Bệnh viện huyện Ba Tơ" not in text  # the facility
    assert "15/03/2025" not in text  # the expected date
    assert 'id="visits"' not in text


def test_officer_sees_ethnicity_but_no_health(client, mothers_world, proposed_case):
    client.force_login(mothers_world.officer)

    text = client.get(reverse("mothers:case_detail", args=[proposed_case.pk])).content.decode()

    assert "Hrê" in text
    assert "15/03/2025" not in text
    assert 'id="visits"' not in text
    assert "051198001234" not in text


def test_health_worker_of_the_village_sees_the_health_fields(client, mothers_world, proposed_case):
    client.force_login(mothers_world.health_worker)

    text = client.get(reverse("mothers:case_detail", args=[proposed_case.pk])).content.decode()

    assert "15/03/2025" in text
    assert 'id="visits"' in text
