"""Issue 10, point 8: a double tap or a retry of a create form (same one-time key) creates one
record and both answers lead to it; an event that looks already recorded asks before saving."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from duan8.activities.models import (
    Attachment,
    CommunityGroup,
    CommunityGroupMember,
    Difficulty,
    Event,
    WomanCadre,
)
from duan8.activities.services.events import CountInput, EventInput
from duan8.activities.services.groups import GroupInput, community_group_create
from duan8.core.idempotency import IdempotencyKey
from duan8.programs.models import ProgramElement

D = datetime.date
SESSIONS = "1719.GD1.DA8.ND1.HD2.2"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def url(name, obj):
    return reverse(f"activities:{name}", kwargs={"pk": obj.pk})


def key_of(response):
    """The one-time key the create page was rendered with."""
    html = response.content.decode()
    start = html.index('name="once" value="') + len('name="once" value="')
    return html[start : html.index('"', start)]


def event_data(plan, unit, **changes):
    data = {
        "plan": plan.pk,
        "held_on": "2023-11-20",
        "org_unit": unit.pk,
        "activity": ProgramElement.objects.get(code=SESSIONS).pk,
        "kind": "communication",
        "title": "Truyền thông phòng chống bạo lực gia đình",
        "n-F-minority-adult": "20",
        "n-M-minority-adult": "8",
    }
    data.update(changes)
    return data


def test_the_event_form_sent_twice_records_one_event_and_both_lead_to_it(
    client, village_head, villages, ba_trang_plan
):
    nuoc_dang = villages["Nước Đang"]
    client.force_login(village_head)
    page = client.get(url("event_create", nuoc_dang))
    data = event_data(ba_trang_plan, nuoc_dang, once=key_of(page))

    first = client.post(url("event_create", nuoc_dang), data)
    second = client.post(url("event_create", nuoc_dang), data)

    event = Event.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == url("event_saved", event)


def test_two_pages_of_the_form_are_two_events_when_confirmed(
    client, village_head, villages, ba_trang_plan
):
    nuoc_dang = villages["Nước Đang"]
    client.force_login(village_head)
    first_page = client.get(url("event_create", nuoc_dang))
    second_page = client.get(url("event_create", nuoc_dang))
    assert key_of(first_page) != key_of(second_page)

    client.post(
        url("event_create", nuoc_dang),
        event_data(ba_trang_plan, nuoc_dang, once=key_of(first_page)),
    )
    other = event_data(ba_trang_plan, nuoc_dang, once=key_of(second_page), title="Buổi khác")
    warned = client.post(url("event_create", nuoc_dang), other)
    confirmed = client.post(url("event_create", nuoc_dang), {**other, "confirm_duplicate": "1"})

    first = Event.objects.get(title="Truyền thông phòng chống bạo lực gia đình")
    html = warned.content.decode()
    assert warned.status_code == 200
    assert "This looks already recorded" in html and "Save it anyway" in html
    assert url("event_detail", first) in html
    assert confirmed.status_code == 302
    assert Event.objects.count() == 2


def test_an_event_like_one_recorded_by_someone_else_is_saved_only_after_confirmation(
    client, commune_officer, village_head, villages, ba_trang_plan
):
    from duan8.activities.services.events import event_create

    nuoc_dang = villages["Nước Đang"]
    event_create(
        actor=commune_officer,
        data=EventInput(
            plan=ba_trang_plan,
            activity=ProgramElement.objects.get(code=SESSIONS),
            kind="communication",
            title="Sinh hoạt tổ truyền thông",
            held_on=D(2023, 11, 20),
            org_unit=nuoc_dang,
            counts=[CountInput("F", True, "adult", 20), CountInput("M", True, "adult", 8)],
        ),
    )
    client.force_login(village_head)
    data = event_data(
        ba_trang_plan, nuoc_dang, once=key_of(client.get(url("event_create", nuoc_dang)))
    )
    other_counts = event_data(ba_trang_plan, nuoc_dang, **{"n-F-minority-adult": "21"})

    warned = client.post(url("event_create", nuoc_dang), data)
    assert Event.objects.count() == 1
    assert "Sinh hoạt tổ truyền thông" in warned.content.decode()
    assert warned.context["form"].similar is not None
    saved = client.post(url("event_create", nuoc_dang), {**data, "confirm_duplicate": "1"})
    different = client.post(url("event_create", nuoc_dang), other_counts)

    assert saved.status_code == 302 and different.status_code == 302
    assert Event.objects.count() == 3


def test_a_cadre_difficulty_and_group_sent_twice_are_recorded_once(
    client, commune_officer, ba_trang, villages, ethnic_groups
):
    client.force_login(commune_officer)
    village = villages["Nước Đang"]
    forms = [
        (
            url("cadre_create", ba_trang),
            {
                "org_unit": ba_trang.pk,
                "full_name": "Đinh Thị Mới",
                "ethnic_group": ethnic_groups["19"].pk,
                "position": "Chủ tịch Hội LHPN xã",
                "status": "in_position",
                "since": "2023-06-01",
            },
            WomanCadre,
        ),
        (
            url("difficulty_create", ba_trang),
            {
                "org_unit": village.pk,
                "raised_by": "Thôn Nước Đang",
                "raised_on": "2023-11-02",
                "description": "Thiếu loa",
            },
            Difficulty,
        ),
        (
            url("community_group_create", ba_trang),
            {
                "kind": "communication_team",
                "name": "Tổ truyền thông",
                "org_unit": village.pk,
                "founded_on": "2023-03-01",
            },
            CommunityGroup,
        ),
    ]
    for create, data, model in forms:
        data["once"] = key_of(client.get(create))
        first = client.post(create, data)
        second = client.post(create, data, follow=True)
        assert first.status_code == 302, model
        assert second.redirect_chain[0][0] == first.url
        assert "This form was already sent" in second.content.decode()
        assert model.objects.count() == 1, model
    assert IdempotencyKey.objects.count() == 3


def test_members_and_a_file_sent_twice_are_added_once(
    client, commune_officer, villages, ethnic_groups, ba_trang_plan
):
    from duan8.activities.services.events import event_create

    group = community_group_create(
        actor=commune_officer,
        data=GroupInput(
            kind="communication_team",
            name="Tổ truyền thông",
            org_unit=villages["Nước Đang"],
            founded_on=D(2023, 3, 1),
        ),
    )
    client.force_login(commune_officer)
    add = url("community_group_members_add", group)
    members = {
        "once": key_of(client.get(add)),
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "0",
        "m-0-full_name": "Đinh Thị Lan",
        "m-0-sex": "F",
        "m-0-ethnic_group": ethnic_groups["19"].pk,
        "m-0-role": "member",
        "m-0-joined_on": "2023-03-01",
    }
    event = event_create(
        actor=commune_officer,
        data=EventInput(
            plan=ba_trang_plan,
            activity=ProgramElement.objects.get(code=SESSIONS),
            kind="communication",
            title="Sinh hoạt",
            held_on=D(2023, 11, 20),
            org_unit=villages["Nước Đang"],
            counts=[CountInput("F", True, "adult", 5)],
        ),
    )
    file_key = key_of(client.get(url("event_detail", event)))

    responses = [client.post(add, members) for _ in range(2)]
    uploads = [
        client.post(
            url("event_attachment_add", event),
            {"once": file_key, "file": SimpleUploadedFile("anh.png", PNG)},
        )
        for _ in range(2)
    ]

    assert [r.status_code for r in responses + uploads] == [302] * 4
    assert CommunityGroupMember.objects.filter(group=group).count() == 1
    assert Attachment.objects.filter(event=event).count() == 1


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_key(
    client, village_head, villages, ba_trang_plan
):
    nuoc_dang = villages["Nước Đang"]
    client.force_login(village_head)
    key = key_of(client.get(url("event_create", nuoc_dang)))

    refused = client.post(
        url("event_create", nuoc_dang), event_data(ba_trang_plan, nuoc_dang, once=key, title="")
    )
    corrected = client.post(
        url("event_create", nuoc_dang), event_data(ba_trang_plan, nuoc_dang, once=key)
    )

    assert refused.status_code == 200 and key_of(refused) == key
    assert corrected.status_code == 302 and Event.objects.count() == 1


def test_a_key_used_by_another_user_is_not_theirs(
    client, commune_officer, village_head, villages, ba_trang_plan
):
    nuoc_dang = villages["Nước Đang"]
    client.force_login(village_head)
    data = event_data(
        ba_trang_plan, nuoc_dang, once=key_of(client.get(url("event_create", nuoc_dang)))
    )
    client.post(url("event_create", nuoc_dang), data)
    client.force_login(commune_officer)

    other = client.post(url("event_create", nuoc_dang), {**data, "confirm_duplicate": "1"})

    assert other.status_code == 302 and Event.objects.count() == 2
    assert IdempotencyKey.objects.count() == 2


def test_a_group_status_sent_twice_is_recorded_once(client, commune_officer, villages):
    group = community_group_create(
        actor=commune_officer,
        data=GroupInput(
            kind="communication_team",
            name="Tổ truyền thông",
            org_unit=villages["Nước Đang"],
            founded_on=D(2023, 3, 1),
        ),
    )
    client.force_login(commune_officer)
    data = {
        "once": key_of(client.get(url("community_group_detail", group))),
        "status": "paused",
        "on": "2023-08-01",
        "note": "",
    }

    answers = [client.post(url("community_group_status", group), data) for _ in range(2)]

    assert [a.status_code for a in answers] == [302, 302]
    assert group.statuses.filter(status="paused").count() == 1
