"""Ethnic-minority women cadres (Nội dung 3, Hoạt động 4): counts for all, names for few."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from duan8.activities.models import WomanCadre
from duan8.activities.services.cadres import CadreInput, woman_cadre_save
from duan8.core.models import AuditEvent

D = datetime.date
PERSONAL = "activities.personal.viewed"


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def cadre(officer, unit, ethnic_groups, name, status="in_position", **extra):
    return woman_cadre_save(
        actor=officer,
        data=CadreInput(
            org_unit=unit,
            full_name=name,
            ethnic_group=ethnic_groups[extra.pop("code", "19")],
            position=extra.pop("position", "Phó Chủ tịch Hội LHPN xã"),
            status=status,
            since=extra.pop("since", D(2023, 4, 1)),
            **extra,
        ),
    )


@pytest.fixture
def cadres(commune_officer, ba_trang, villages, ethnic_groups):
    return [
        cadre(commune_officer, ba_trang, ethnic_groups, "Phạm Thị Xã"),
        cadre(commune_officer, ba_trang, ethnic_groups, "Đinh Thị Quy", "planned"),
        cadre(commune_officer, villages["Nước Đang"], ethnic_groups, "Đinh Thị Nước", "nominated"),
        cadre(commune_officer, villages["Nước Đang"], ethnic_groups, "Đinh Thị Học", "trained"),
        cadre(
            commune_officer,
            villages["Bùi Hui"],
            ethnic_groups,
            "Phạm Thị Bùi",
            "planned",
            since=D(2021, 1, 1),
            until=D(2022, 6, 30),
        ),
    ]


def list_url(unit):
    return reverse("activities:cadre_list", kwargs={"pk": unit.pk})


def test_counts_per_unit_and_status_stand_above_the_list(client, commune_officer, ba_trang, cadres):
    client.force_login(commune_officer)

    response = client.get(list_url(ba_trang))

    counts = response.context["counts"]
    assert [(r.unit_name, r.by_status) for r in counts.rows] == [
        ("Xã Ba Trang", [1, 1, 0, 0]),
        ("Thôn Bùi Hui", [0, 1, 0, 0]),
        ("Thôn Nước Đang", [0, 0, 1, 1]),
    ]
    assert counts.total.by_status == [1, 2, 1, 1] and counts.total.total == 5
    page = response.content.decode()
    assert page.index("Counts per unit") < page.index("Phạm Thị Xã")
    assert "Phó Chủ tịch Hội LHPN xã" in page and "Hrê" in page
    assert "from 01/01/2021 to 30/06/2022" in page


def test_a_year_keeps_the_cadres_in_their_status_during_that_year(
    client, commune_officer, ba_trang, cadres
):
    client.force_login(commune_officer)

    response = client.get(list_url(ba_trang), {"year": "2023"})

    assert response.context["counts"].total.by_status == [1, 1, 1, 1]
    assert "Phạm Thị Bùi" not in response.content.decode()


def test_reading_the_names_is_audited(client, commune_officer, ba_trang, cadres):
    client.force_login(commune_officer)

    client.get(list_url(ba_trang))

    event = AuditEvent.objects.get(action=PERSONAL)
    assert event.actor == commune_officer and event.org_unit == ba_trang
    assert event.after == {"list": "women_cadres", "count": 5}


@pytest.mark.parametrize("persona", ["commune_leader", "fatherland_front", "district_reviewer"])
def test_leaders_and_the_front_see_the_counts_per_unit_but_no_names(
    client, request, persona, ba_trang, cadres
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(list_url(ba_trang))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["counts"].total.total == 5 and "Thôn Nước Đang" in page
    for cadre_ in cadres:
        assert cadre_.full_name not in page
    assert "Hrê" not in page
    assert not AuditEvent.objects.filter(action=PERSONAL).exists()
    assert (
        client.get(reverse("activities:cadre_create", kwargs={"pk": ba_trang.pk})).status_code
        == 403
    )
    edit = reverse("activities:cadre_edit", kwargs={"pk": cadres[0].pk})
    assert client.get(edit).status_code == 403


def test_a_village_head_sees_the_cadres_of_their_village_only(
    client, village_head, villages, ba_trang, cadres
):
    client.force_login(village_head)

    own = client.get(list_url(villages["Nước Đang"]))
    commune = client.get(list_url(ba_trang))
    other = client.get(reverse("activities:cadre_edit", kwargs={"pk": cadres[4].pk}))

    page = own.content.decode()
    assert "Đinh Thị Nước" in page and "Đinh Thị Học" in page
    assert "Phạm Thị Xã" not in page and "Bùi Hui" not in page
    assert commune.status_code == 404 and other.status_code == 404
    assert "Phạm Thị Bùi" not in other.content.decode()


def test_an_officer_of_another_commune_sees_nothing(
    client, other_commune_officer, ba_trang, cadres
):
    client.force_login(other_commune_officer)

    listing = client.get(list_url(ba_trang))
    edit = client.get(reverse("activities:cadre_edit", kwargs={"pk": cadres[0].pk}))

    assert listing.status_code == 404 and edit.status_code == 404
    assert "Phạm Thị Xã" not in listing.content.decode() + edit.content.decode()


def form_data(unit, ethnic_group, **changes):
    data = {
        "org_unit": unit.pk,
        "full_name": "Đinh Thị Mới",
        "ethnic_group": ethnic_group.pk,
        "birth_year": "1990",
        "position": "Chủ tịch Hội LHPN xã",
        "status": "in_position",
        "since": "2023-06-01",
        "until": "",
        "plan": "",
        "notes": "",
    }
    data.update(changes)
    return data


def test_the_officer_records_and_edits_a_cadre(client, commune_officer, ba_trang, ethnic_groups):
    client.force_login(commune_officer)
    url = reverse("activities:cadre_create", kwargs={"pk": ba_trang.pk})

    created = client.post(url, form_data(ba_trang, ethnic_groups["19"]))
    saved = WomanCadre.objects.get()
    edit_url = reverse("activities:cadre_edit", kwargs={"pk": saved.pk})
    edited = client.post(
        edit_url,
        form_data(ba_trang, ethnic_groups["19"], status="trained", until="2023-12-31", version="1"),
    )

    assert created.status_code == 302 and created.url == list_url(ba_trang)
    assert edited.status_code == 302
    saved.refresh_from_db()
    assert (saved.status, saved.until, saved.birth_year) == ("trained", D(2023, 12, 31), 1990)
    assert list(
        AuditEvent.objects.filter(target_type="activities.womancadre")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["activities.cadre.created", "activities.cadre.updated"]


def test_a_woman_who_is_not_of_a_minority_is_refused_with_a_reason(
    client, commune_officer, ba_trang, ethnic_groups
):
    client.force_login(commune_officer)
    url = reverse("activities:cadre_create", kwargs={"pk": ba_trang.pk})

    response = client.post(url, form_data(ba_trang, ethnic_groups["01"]))

    assert response.status_code == 200
    assert response.context["form"].errors["ethnic_group"] == [
        "Kinh is not an ethnic minority; this list is of ethnic-minority women."
    ]
    assert not WomanCadre.objects.exists()


def test_an_end_before_the_start_is_refused(commune_officer, ba_trang, ethnic_groups):
    with pytest.raises(ValidationError) as exc:
        cadre(commune_officer, ba_trang, ethnic_groups, "Đinh Thị Ngược", until=D(2023, 1, 1))

    assert exc.value.message_dict == {"until": ["before the start date."]}


def test_a_village_head_records_only_in_their_village(
    client, village_head, villages, ethnic_groups
):
    client.force_login(village_head)
    url = reverse("activities:cadre_create", kwargs={"pk": villages["Nước Đang"].pk})

    form = client.get(url).context["form"]
    refused = client.post(url, form_data(villages["Bùi Hui"], ethnic_groups["19"]))

    assert [u.name for u in form.fields["org_unit"].queryset] == ["Nước Đang"]
    assert "org_unit" in refused.context["form"].errors
    assert not WomanCadre.objects.exists()


def test_the_list_runs_a_fixed_number_of_queries(
    client, commune_officer, ba_trang, villages, ethnic_groups, django_assert_num_queries
):
    cadre(commune_officer, ba_trang, ethnic_groups, "Phạm Thị Một")
    client.force_login(commune_officer)
    with CaptureQueriesContext(connection) as with_one:
        client.get(list_url(ba_trang))
    for i, unit in enumerate(list(villages.values()) * 5):
        cadre(commune_officer, unit, ethnic_groups, f"Cán bộ {i}", "nominated", code="30")

    with django_assert_num_queries(len(with_one)):
        response = client.get(list_url(ba_trang))

    assert len(response.context["people"]) == 16
