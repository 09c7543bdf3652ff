"""The registry's pages: list, detail, propose (once), correct, verify, reject."""

import datetime

import pytest
from django.urls import reverse

from duan8.core.audit import AuditEvent
from duan8.mothers.models import Pregnancy
from duan8.mothers.services.registry import mother_propose
from duan8.mothers.tests.conftest import case_input

P = Pregnancy.Status


def _form(world, **changes):
    data = {
        "once": "k" * 24,
        "village": world.village.pk,
        "full_name": "Hồ Thị Mai",
        "birth_year": "1999",
        "id_number": "051199004321",
        "ethnic_code": "19",
        "phone": "0905111222",
        "household": "poor",
        "expected_on": "2025-04-01",
        "delivered_on": "2025-03-28",
        "place": "facility",
        "facility": "Trạm y tế xã Ba Trang",
        "mode": "normal",
        "babies": "1",
        "days_at_facility": "2",
        "girls": "1",
        "boys": "0",
        "has_carer": "on",
        "carer_name": "Hồ Văn Tư",
        "visits_facility": "Trạm y tế xã Ba Trang",
        "visit_1": "2024-11-05",
        "visit_2": "2025-01-10",
    }
    data.update(changes)
    return data


def test_health_worker_proposes_from_her_phone(client, mothers_world):
    client.force_login(mothers_world.health_worker)
    url = reverse("mothers:case_propose", args=[mothers_world.commune.pk])

    page = client.get(url)
    response = client.post(url, _form(mothers_world))

    assert page.status_code == 200
    assert "Nước Đang" in page.content.decode()
    assert "Bùi Hui" not in page.content.decode()  # not hers
    case = Pregnancy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mothers:case_detail", args=[case.pk])
    assert case.antenatal_visits.count() == 2
    assert case.children.count() == 1


def test_sending_the_form_twice_proposes_once(client, mothers_world):
    client.force_login(mothers_world.health_station)
    url = reverse("mothers:case_propose", args=[mothers_world.commune.pk])

    first = client.post(url, _form(mothers_world))
    second = client.post(url, _form(mothers_world))

    assert Pregnancy.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


def test_bad_input_is_shown_beside_its_field_and_nothing_saved(client, mothers_world):
    client.force_login(mothers_world.health_station)
    url = reverse("mothers:case_propose", args=[mothers_world.commune.pk])

    response = client.post(
        url, _form(mothers_world, ethnic_code="", id_number="123", days_at_facility="9")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert {"ethnic_code", "id_number", "days_at_facility"} <= set(form.errors)
    assert not Pregnancy.objects.exists()
    # a corrected form is accepted with the same key
    fixed = client.post(url, _form(mothers_world))
    assert fixed.status_code == 302
    assert Pregnancy.objects.count() == 1


def test_a_visit_after_the_delivery_is_shown_on_that_visit(client, mothers_world):
    client.force_login(mothers_world.health_station)
    url = reverse("mothers:case_propose", args=[mothers_world.commune.pk])

    response = client.post(url, _form(mothers_world, visit_2="2025-03-30"))

    assert "visit_2" in response.context["form"].errors


@pytest.mark.parametrize("who", ["officer", "accountant", "leader"])
def test_those_who_do_not_propose_get_403_on_the_form(client, mothers_world, who):
    client.force_login(getattr(mothers_world, who))

    response = client.get(reverse("mothers:case_propose", args=[mothers_world.commune.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("who", ["other_officer", "province_reviewer", "fatherland_front"])
def test_those_who_see_no_case_get_404_on_the_form(client, mothers_world, who):
    client.force_login(getattr(mothers_world, who))

    response = client.get(reverse("mothers:case_propose", args=[mothers_world.commune.pk]))

    assert response.status_code == 404


def test_list_shows_cases_and_counts_by_status(client, mothers_world, proposed_case):
    mother_propose(
        actor=mothers_world.health_station,
        data=case_input(
            full_name="Phạm Thị Sen", id_number="", village=mothers_world.villages["Bùi Hui"]
        ),
    )
    client.force_login(mothers_world.officer)
    url = reverse("mothers:case_list", args=[mothers_world.commune.pk])

    response = client.get(url)
    filtered = client.get(url, {"status": "verified"})

    text = response.content.decode()
    assert "Đinh Thị Lan" in text and "Phạm Thị Sen" in text
    assert "Hrê" in text
    assert {v: n for v, _l, n in response.context["statuses"]}["proposed"] == 2
    assert "Đinh Thị Lan" not in filtered.content.decode()
    assert AuditEvent.objects.filter(action="mothers.cases.viewed").count() == 2


def test_list_takes_a_fixed_number_of_queries(client, mothers_world, django_assert_max_num_queries):
    for n in range(12):
        mother_propose(
            actor=mothers_world.health_station,
            data=case_input(full_name=f"Đinh Thị Số {n}", id_number=""),
        )
    client.force_login(mothers_world.officer)
    url = reverse("mothers:case_list", args=[mothers_world.commune.pk])
    client.get(url)

    # session, user, commune, memberships, counts, page count, page rows, audit, villages (2),
    # session save (3): none per case
    with django_assert_max_num_queries(14):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 12


def test_village_worker_lists_only_her_village(client, mothers_world, proposed_case):
    mother_propose(
        actor=mothers_world.health_station,
        data=case_input(
            full_name="Phạm Thị Sen", id_number="", village=mothers_world.villages["Bùi Hui"]
        ),
    )
    client.force_login(mothers_world.health_worker)

    response = client.get(reverse("mothers:case_list", args=[mothers_world.commune.pk]))

    text = response.content.decode()
    assert "Đinh Thị Lan" in text
    assert "Phạm Thị Sen" not in text


def test_detail_is_audited_and_masks_the_id_number(client, mothers_world):
    proposed_case = mother_propose(
        actor=mothers_world.health_station, data=case_input(facility="Bệnh viện huyện Ba Tơ")
    )
    client.force_login(mothers_world.health_station)

    response = client.get(reverse("mothers:case_detail", args=[proposed_case.pk]))

    text = response.content.decode()
    assert "051198001234" not in text
    assert "1234" in text
    assert "Bệnh viện huyện Ba Tơ" in text  # the facility: a health field she may see
    event = AuditEvent.objects.get(action="mothers.case.viewed")
    assert event.target_id == str(proposed_case.pk)
    assert event.after["shown"] == ["identity", "health"]


def test_officer_verifies_from_the_page(client, mothers_world, consented_case):
    client.force_login(mothers_world.officer)

    response = client.post(
        reverse("mothers:case_verify", args=[consented_case.pk]),
        {"version": consented_case.version},
    )

    assert response.status_code == 302
    consented_case.refresh_from_db()
    assert consented_case.status == P.VERIFIED


def test_verify_on_an_old_page_is_refused(client, mothers_world, proposed_case):
    client.force_login(mothers_world.officer)

    client.post(
        reverse("mothers:case_verify", args=[proposed_case.pk]),
        {"version": proposed_case.version - 1},
    )

    proposed_case.refresh_from_db()
    assert proposed_case.status == P.PROPOSED


def test_health_station_must_not_verify_from_the_page(client, mothers_world, proposed_case):
    client.force_login(mothers_world.health_station)

    response = client.post(
        reverse("mothers:case_verify", args=[proposed_case.pk]), {"version": proposed_case.version}
    )

    assert response.status_code == 403
    proposed_case.refresh_from_db()
    assert proposed_case.status == P.PROPOSED


def test_reject_asks_for_the_reason(client, mothers_world, proposed_case):
    client.force_login(mothers_world.officer)
    url = reverse("mothers:case_reject", args=[proposed_case.pk])

    empty = client.post(url, {"version": proposed_case.version, "reason": ""})
    done = client.post(url, {"version": proposed_case.version, "reason": "Chuyển đi nơi khác"})

    assert "reason" in empty.context["reject_form"].errors
    assert done.status_code == 302
    proposed_case.refresh_from_db()
    assert proposed_case.status == P.REJECTED


def test_health_station_corrects_a_case(client, mothers_world, proposed_case):
    client.force_login(mothers_world.health_station)
    url = reverse("mothers:case_edit", args=[proposed_case.pk])

    page = client.get(url)
    form = {
        **_form(mothers_world, full_name="Đinh Thị Lan Anh", id_number=""),
        "version": proposed_case.version,
    }
    response = client.post(url, form)

    assert "051198001234" not in page.content.decode()
    assert AuditEvent.objects.filter(action="mothers.case.viewed").count() == 1  # the form
    assert response.status_code == 302
    proposed_case.refresh_from_db()
    assert proposed_case.mother.full_name == "Đinh Thị Lan Anh"
    assert proposed_case.mother.id_number == "051198001234"  # kept when left empty
    assert proposed_case.delivered_on == datetime.date(2025, 3, 28)


def test_officer_must_not_correct(client, mothers_world, proposed_case):
    client.force_login(mothers_world.officer)

    response = client.get(reverse("mothers:case_edit", args=[proposed_case.pk]))

    assert response.status_code == 403


def test_unit_panel_links_the_commune_list(rf, mothers_world):
    from duan8.mothers.views_registry import unit_mothers_panel

    request = rf.get("/")
    request.user = mothers_world.officer
    assert reverse("mothers:case_list", args=[mothers_world.commune.pk]) in unit_mothers_panel(
        request, mothers_world.commune
    )
    request.user = mothers_world.province_reviewer
    assert unit_mothers_panel(request, mothers_world.commune) == ""


def test_detail_takes_a_fixed_number_of_queries(
    client, mothers_world, proposed_case, django_assert_max_num_queries
):
    client.force_login(mothers_world.health_station)
    url = reverse("mothers:case_detail", args=[proposed_case.pk])
    client.get(url)

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.status_code == 200
