"""Difficulties: raised by a village or an agency, answered by the commune Women's Union or
escalated to the commune People's Committee, whose leader answers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from duan8.activities.models import Difficulty
from duan8.activities.services.difficulties import (
    difficulty_answer,
    difficulty_escalate,
    difficulty_raise,
)

D = datetime.date
RAISED = D(2023, 11, 2)


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def raise_in(actor, unit, text="Thiếu loa cho buổi truyền thông", on=RAISED, by=""):
    return difficulty_raise(
        actor=actor, org_unit=unit, raised_by=by or unit.full_name, raised_on=on, description=text
    )


def url(name, obj):
    return reverse(f"activities:{name}", kwargs={"pk": obj.pk})


def raise_form(unit, **changes):
    data = {
        "org_unit": unit.pk,
        "raised_by": "Thôn Nước Đang",
        "raised_on": "2023-11-02",
        "description": "Hội trường thôn xuống cấp, không tổ chức được sinh hoạt",
        "plan": "",
    }
    data.update(changes)
    return data


# --- raising ---------------------------------------------------------------------------------


def test_a_village_head_raises_a_difficulty_from_their_village(client, village_head, villages):
    client.force_login(village_head)
    create = url("difficulty_create", villages["Nước Đang"])

    form = client.get(create).context["form"]
    response = client.post(create, raise_form(villages["Nước Đang"]))

    assert [u.name for u in form.fields["org_unit"].queryset] == ["Nước Đang"]
    assert form["raised_by"].initial == "Thôn Nước Đang"
    difficulty = Difficulty.objects.get()
    assert response.status_code == 302 and response.url == url("difficulty_detail", difficulty)
    assert (difficulty.org_unit, difficulty.status) == (villages["Nước Đang"], "open")


def test_a_village_head_cannot_raise_for_another_village(client, village_head, villages, ba_trang):
    client.force_login(village_head)

    forged = client.post(
        url("difficulty_create", villages["Nước Đang"]), raise_form(villages["Bùi Hui"])
    )
    commune = client.get(url("difficulty_create", ba_trang))

    assert "org_unit" in forged.context["form"].errors
    assert commune.status_code == 404
    with pytest.raises(PermissionDenied):
        raise_in(village_head, villages["Bùi Hui"])
    assert not Difficulty.objects.exists()


def test_the_commune_officer_raises_one_for_an_agency(client, commune_officer, ba_trang):
    client.force_login(commune_officer)

    client.post(
        url("difficulty_create", ba_trang),
        raise_form(ba_trang, raised_by="Trường PTDTBT THCS Ba Trang"),
    )

    difficulty = Difficulty.objects.get()
    assert (difficulty.org_unit, difficulty.raised_by) == (ba_trang, "Trường PTDTBT THCS Ba Trang")


def test_a_difficulty_raised_in_the_future_or_without_text_is_refused(
    client, commune_officer, ba_trang
):
    client.force_login(commune_officer)

    response = client.post(
        url("difficulty_create", ba_trang), raise_form(ba_trang, raised_on="2100-03-01")
    )
    with pytest.raises(ValidationError) as exc:
        raise_in(commune_officer, ba_trang, text="  ")

    assert response.context["form"].errors["raised_on"] == [
        "01/03/2100 is in the future; record what has been carried out."
    ]
    assert exc.value.message_dict == {"description": ["describe it."]}
    assert not Difficulty.objects.exists()


def test_the_commune_leader_and_the_front_cannot_raise_one(
    client, commune_leader, fatherland_front, ba_trang
):
    for persona in (commune_leader, fatherland_front):
        client.force_login(persona)
        assert client.get(url("difficulty_create", ba_trang)).status_code == 403


# --- escalating and answering ----------------------------------------------------------------


def test_the_women_union_escalates_and_the_commune_leader_answers(
    client, commune_officer, commune_leader, village_head, villages
):
    difficulty = raise_in(village_head, villages["Nước Đang"])
    client.force_login(commune_officer)

    escalated = client.post(
        url("difficulty_escalate", difficulty), {"on": "2023-11-10", "version": "1"}
    )
    difficulty.refresh_from_db()
    assert escalated.status_code == 302
    assert (difficulty.status, difficulty.escalated_on) == ("escalated", D(2023, 11, 10))
    assert difficulty.escalated_to == "People's Committee of xã Ba Trang"
    officer_answer = client.post(
        url("difficulty_answer", difficulty),
        {"answer": "Đã rõ", "answered_by": "Hội LHPN xã", "on": "2023-11-12"},
    )
    assert officer_answer.status_code == 403  # escalated ones are answered by the commune PC

    client.force_login(commune_leader)
    page = client.get(url("difficulty_detail", difficulty))
    answered = client.post(
        url("difficulty_answer", difficulty),
        {
            "answer": "UBND xã bố trí kinh phí sửa hội trường trong quý I/2024",
            "answered_by": "Phạm Văn Thích, Chủ tịch UBND xã",
            "on": "2023-11-20",
            "version": "2",
        },
    )

    assert page.context["answer_form"] is not None and page.context["escalate_form"] is None
    assert answered.status_code == 302
    difficulty.refresh_from_db()
    assert difficulty.status == "answered" and difficulty.answered_on == D(2023, 11, 20)
    detail = client.get(url("difficulty_detail", difficulty)).content.decode()
    assert "Phạm Văn Thích, Chủ tịch UBND xã" in detail and "20/11/2023" in detail
    history = [
        e.action for e in client.get(url("difficulty_detail", difficulty)).context["history"]
    ]
    assert history == [
        "activities.difficulty.raised",
        "activities.difficulty.escalated",
        "activities.difficulty.answered",
    ]
    assert "Đinh Văn Nước" in detail and "Đinh Thị Hoa" in detail  # who raised, who escalated


def test_the_women_union_answers_an_open_one_and_may_mark_it_resolved(
    client, commune_officer, village_head, villages
):
    difficulty = raise_in(village_head, villages["Nước Đang"])
    client.force_login(commune_officer)

    client.post(
        url("difficulty_answer", difficulty),
        {
            "answer": "Hội LHPN xã cho mượn loa",
            "answered_by": "Đinh Thị Hoa",
            "on": "2023-11-03",
            "resolved": "on",
            "version": "1",
        },
    )

    difficulty.refresh_from_db()
    assert (difficulty.status, difficulty.answered_by) == ("resolved", "Đinh Thị Hoa")
    page = client.get(url("difficulty_detail", difficulty)).context
    assert page["answer_form"] is None and page["escalate_form"] is None


@pytest.mark.parametrize("persona", ["village_head", "commune_leader", "fatherland_front"])
def test_only_the_women_union_escalates(client, request, persona, commune_officer, villages):
    difficulty = raise_in(commune_officer, villages["Nước Đang"])
    client.force_login(request.getfixturevalue(persona))

    page = client.get(url("difficulty_detail", difficulty))
    response = client.post(url("difficulty_escalate", difficulty), {"on": "2023-11-10"})

    assert page.status_code == 200 and page.context["escalate_form"] is None
    assert response.status_code == 403
    difficulty.refresh_from_db()
    assert difficulty.status == "open"


def test_a_village_head_may_not_answer(client, commune_officer, village_head, villages):
    difficulty = raise_in(commune_officer, villages["Nước Đang"])
    client.force_login(village_head)

    response = client.post(
        url("difficulty_answer", difficulty),
        {"answer": "Tự giải quyết", "answered_by": "Trưởng thôn", "on": "2023-11-05"},
    )

    assert response.status_code == 403
    difficulty.refresh_from_db()
    assert difficulty.answer == ""


def test_escalating_twice_or_before_it_was_raised_is_refused(client, commune_officer, villages):
    difficulty = raise_in(commune_officer, villages["Nước Đang"])
    client.force_login(commune_officer)

    early = client.post(url("difficulty_escalate", difficulty), {"on": "2023-10-01"})
    difficulty_escalate(
        actor=commune_officer, difficulty=difficulty, on=D(2023, 11, 4), expected_version=1
    )
    with pytest.raises(ValidationError) as twice:
        difficulty_escalate(
            actor=commune_officer, difficulty=difficulty, on=D(2023, 11, 5), expected_version=2
        )

    assert early.context["escalate_form"].errors["on"] == ["before the day it was raised."]
    assert twice.value.messages == ["Only an open difficulty can be escalated."]


def test_a_resolved_difficulty_cannot_be_answered_again(commune_officer, villages):
    difficulty = raise_in(commune_officer, villages["Nước Đang"])
    difficulty_answer(
        actor=commune_officer,
        difficulty=difficulty,
        answer="Đã xử lý",
        answered_by="Hội LHPN xã",
        on=D(2023, 11, 3),
        resolved=True,
        expected_version=1,
    )

    with pytest.raises(ValidationError) as exc:
        difficulty_answer(
            actor=commune_officer,
            difficulty=difficulty,
            answer="Lại",
            answered_by="Hội LHPN xã",
            on=D(2023, 11, 4),
            expected_version=2,
        )

    assert exc.value.messages == ["This difficulty is already resolved."]


# --- the list and who sees it ----------------------------------------------------------------


def test_the_list_filters_by_status(client, commune_officer, ba_trang, villages):
    open_one = raise_in(commune_officer, villages["Nước Đang"], text="Chưa có loa")
    escalated = raise_in(commune_officer, villages["Bùi Hui"], text="Đường vào thôn sạt lở")
    difficulty_escalate(
        actor=commune_officer, difficulty=escalated, on=D(2023, 11, 5), expected_version=1
    )
    client.force_login(commune_officer)

    everything = client.get(url("difficulty_list", ba_trang))
    only_escalated = client.get(url("difficulty_list", ba_trang), {"status": "escalated"})
    unknown = client.get(url("difficulty_list", ba_trang), {"status": "bogus"})

    assert {d.pk for d in everything.context["page"]} == {open_one.pk, escalated.pk}
    assert [d.pk for d in only_escalated.context["page"]] == [escalated.pk]
    assert "Chưa có loa" not in only_escalated.content.decode()
    assert "escalated 05/11/2023" in only_escalated.content.decode()
    assert len(unknown.context["page"]) == 2


def test_a_village_head_sees_only_the_difficulties_of_their_village(
    client, commune_officer, village_head, ba_trang, villages
):
    own = raise_in(commune_officer, villages["Nước Đang"], text="Chưa có loa")
    other = raise_in(commune_officer, villages["Bùi Hui"], text="Đường vào thôn sạt lở")
    client.force_login(village_head)

    listing = client.get(url("difficulty_list", villages["Nước Đang"]))
    commune = client.get(url("difficulty_list", ba_trang))
    detail = client.get(url("difficulty_detail", other))

    assert [d.pk for d in listing.context["page"]] == [own.pk]
    assert "sạt lở" not in listing.content.decode()
    assert commune.status_code == 404 and detail.status_code == 404
    assert "sạt lở" not in detail.content.decode()


def test_an_officer_of_another_commune_sees_nothing(
    client, commune_officer, other_commune_officer, ba_trang, villages
):
    difficulty = raise_in(commune_officer, villages["Nước Đang"], text="Chưa có loa")
    client.force_login(other_commune_officer)

    for response in (
        client.get(url("difficulty_list", ba_trang)),
        client.get(url("difficulty_detail", difficulty)),
        client.post(url("difficulty_escalate", difficulty), {"on": "2023-11-05"}),
        client.post(
            url("difficulty_answer", difficulty),
            {"answer": "x", "answered_by": "x", "on": "2023-11-05"},
        ),
    ):
        assert response.status_code == 404
        assert "Chưa có loa" not in response.content.decode()
    difficulty.refresh_from_db()
    assert difficulty.status == "open"


def test_the_list_runs_a_fixed_number_of_queries(
    client, commune_officer, ba_trang, villages, django_assert_num_queries
):
    raise_in(commune_officer, villages["Nước Đang"])
    client.force_login(commune_officer)
    with CaptureQueriesContext(connection) as with_one:
        client.get(url("difficulty_list", ba_trang))
    for i, unit in enumerate([ba_trang, *villages.values()] * 5):
        raise_in(commune_officer, unit, text=f"Vướng mắc {i}", by=f"Cơ quan {i}")

    with django_assert_num_queries(len(with_one)):
        response = client.get(url("difficulty_list", ba_trang))

    assert len(response.context["page"]) == 21
