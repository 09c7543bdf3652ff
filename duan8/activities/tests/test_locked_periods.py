"""Issue 10, point 11: the event form proposes an open date and no activity or kind; locked
records say so, name who can unlock, offer a request to unlock, and offer no edit or delete."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.activities.services.locks import data_lock
from duan8.core.models import AuditEvent
from duan8.programs.models import ProgramElement
from duan8.testing import community_samples

D = datetime.date
SESSIONS = "1719.GD1.DA8.ND1.HD2.2"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def approver(district_reviewer):
    district_reviewer.email = "to.tran@example.vn"
    district_reviewer.save(update_fields=["email"])
    return district_reviewer


def lock(approver, unit, start, end):
    return data_lock(
        actor=approver,
        org_unit=unit,
        period_start=start,
        period_end=end,
        reason="report “Báo cáo kết quả” approved",
    )


def url(name, obj):
    return reverse(f"activities:{name}", kwargs={"pk": obj.pk})


def record(actor, plan, unit, on, title="Truyền thông xóa bỏ tảo hôn"):
    return event_create(
        actor=actor,
        data=EventInput(
            plan=plan,
            activity=ProgramElement.objects.get(code=SESSIONS),
            kind="communication",
            title=title,
            held_on=on,
            org_unit=unit,
            counts=[CountInput("F", True, "adult", 20)],
        ),
    )


def proposed(response):
    html = response.content.decode()
    found = re.search(r'name="held_on"( value="([0-9-]*)")?', html)
    assert found, "no date input"
    return found.group(2) or ""


# --- the entry form --------------------------------------------------------------------------


def test_the_form_proposes_a_day_after_the_locked_period_and_no_activity_or_kind(
    client, village_head, villages, ba_trang, ba_trang_plan, approver, indicator_rules
):
    nuoc_dang = villages["Nước Đang"]
    record(village_head, ba_trang_plan, nuoc_dang, D(2023, 11, 5))
    lock(approver, ba_trang, D(2023, 10, 1), D(2023, 11, 30))
    client.force_login(village_head)

    response = client.get(url("event_create", nuoc_dang))

    html = response.content.decode()
    assert proposed(response) == "2023-12-01"  # not 05/11, the last event's day, now locked
    form = response.context["form"]
    assert form["activity"].value() in (None, "") and form["kind"].value() in (None, "")
    assert not re.search(
        r'<option value="[^"]+"[^>]*selected',
        html.split('name="activity"')[1].split("</select>")[0],
    )


def test_a_lock_to_the_end_of_the_year_proposes_the_day_before_it(
    client, village_head, villages, ba_trang, ba_trang_plan, approver
):
    lock(approver, ba_trang, D(2023, 7, 1), D(2023, 12, 31))
    client.force_login(village_head)

    response = client.get(url("event_create", villages["Nước Đang"]))

    assert proposed(response) == "2023-06-30"


def test_a_year_locked_whole_proposes_no_date(
    client, village_head, villages, ba_trang, ba_trang_plan, approver
):
    lock(approver, ba_trang, D(2023, 1, 1), D(2023, 12, 31))
    client.force_login(village_head)

    assert proposed(client.get(url("event_create", villages["Nước Đang"]))) == ""


# --- a locked event --------------------------------------------------------------------------


def test_a_locked_event_shows_the_banner_with_the_approver_and_no_edit_or_delete(
    client, commune_officer, villages, ba_trang, ba_trang_plan, approver
):
    locked = record(commune_officer, ba_trang_plan, villages["Nước Đang"], D(2023, 6, 5))
    open_one = record(commune_officer, ba_trang_plan, villages["Nước Đang"], D(2023, 11, 5))
    lock(approver, ba_trang, D(2023, 1, 1), D(2023, 9, 30))
    client.force_login(commune_officer)

    page = client.get(url("event_detail", locked)).content.decode()
    other = client.get(url("event_detail", open_one)).content.decode()
    edit = client.get(url("event_edit", locked))

    assert "Locked: the data of Xã Ba Trang for 01/01/2023–30/09/2023 is locked" in page
    assert "Trần Thị Tơ, who approved the report, can unlock it." in page
    assert "Request unlocking" in page
    assert url("event_edit", locked) not in page and url("event_delete", locked) not in page
    assert url("event_attachment_add", locked) not in page
    assert url("event_edit", open_one) in other and "Locked:" not in other
    assert edit.status_code == 302 and edit.url == url("event_detail", locked)


def test_a_request_to_unlock_is_audited_mailed_to_the_approver_and_shown(
    client,
    django_capture_on_commit_callbacks,
    commune_officer,
    villages,
    ba_trang,
    ba_trang_plan,
    approver,
):
    event = record(commune_officer, ba_trang_plan, villages["Nước Đang"], D(2023, 6, 5))
    lock(approver, ba_trang, D(2023, 1, 1), D(2023, 9, 30))
    client.force_login(commune_officer)
    detail = url("event_detail", event)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("data_unlock_request", villages["Nước Đang"]),
            {
                "day": "2023-06-05",
                "what": event.title,
                "reason": "Sai số người tham gia: 20 thay vì 25",
                "next": detail,
            },
        )

    request = AuditEvent.objects.get(action="activities.data.unlock_requested")
    assert response.status_code == 302 and response.url == detail
    assert request.message == "Sai số người tham gia: 20 thay vì 25"
    assert request.after["record"] == event.title
    assert [m.to for m in mail.outbox] == [["to.tran@example.vn"]]
    assert "Sai số người tham gia" in mail.outbox[0].body
    page = client.get(detail).content.decode()
    assert "Unlocking was requested by" in page


def test_a_request_without_a_reason_or_on_an_open_day_is_refused(
    client, commune_officer, villages, ba_trang, ba_trang_plan, approver
):
    lock(approver, ba_trang, D(2023, 1, 1), D(2023, 9, 30))
    client.force_login(commune_officer)
    send = url("data_unlock_request", villages["Nước Đang"])

    empty = client.post(send, {"day": "2023-06-05", "reason": " "}, follow=True)
    open_day = client.post(send, {"day": "2023-11-05", "reason": "Sửa"}, follow=True)

    assert "Reason: say what must be corrected." in empty.content.decode()
    assert "not locked" in open_day.content.decode()
    assert not AuditEvent.objects.filter(action="activities.data.unlock_requested").exists()
    assert not mail.outbox


def test_those_who_do_not_record_there_cannot_request_unlocking(
    client, commune_leader, other_commune_officer, villages, ba_trang, approver
):
    lock(approver, ba_trang, D(2023, 1, 1), D(2023, 9, 30))
    send = url("data_unlock_request", villages["Nước Đang"])
    data = {"day": "2023-06-05", "reason": "Sửa"}

    client.force_login(commune_leader)
    leader = client.post(send, data)
    client.force_login(other_commune_officer)
    outsider = client.post(send, data)

    assert leader.status_code == 403 and outsider.status_code == 404
    assert not AuditEvent.objects.filter(action="activities.data.unlock_requested").exists()


# --- groups, members, cadres, difficulties ---------------------------------------------------


def test_locked_groups_members_cadres_and_difficulties_offer_no_change(
    client, commune_officer, ba_trang, villages, ethnic_groups, approver
):
    samples = community_samples(ba_trang, villages)
    today = timezone.localdate()
    lock(approver, ba_trang, D(2023, 1, 1), today)
    client.force_login(commune_officer)
    group, cadre, difficulty = samples["group"], samples["cadre"], samples["difficulty"]

    group_page = client.get(url("community_group_detail", group))
    cadre_page = client.get(url("cadre_edit", cadre))
    difficulty_page = client.get(url("difficulty_detail", difficulty))
    cadres = client.get(url("cadre_list", ba_trang)).content.decode()
    group_edit = client.get(url("community_group_edit", group))

    html = group_page.content.decode()
    assert "Locked: the data of Xã Ba Trang" in html
    assert url("community_group_edit", group) not in html
    assert url("community_group_members_add", group) not in html
    assert url("community_member_leave", samples["member"]) not in html
    assert group_page.context["status_form"] is None
    assert group_edit.status_code == 302
    assert cadre_page.context["form"] is None and "Request unlocking" in cadre_page.content.decode()
    assert "Locked" in cadres
    assert difficulty_page.context["answer_form"] is None
    assert difficulty_page.context["escalate_form"] is None
    assert "Locked: the data of Xã Ba Trang" in difficulty_page.content.decode()


def test_open_groups_cadres_and_difficulties_keep_their_actions(
    client, commune_officer, ba_trang, villages, approver
):
    samples = community_samples(ba_trang, villages)
    lock(approver, ba_trang, D(2022, 1, 1), D(2022, 12, 31))
    client.force_login(commune_officer)

    group_page = client.get(url("community_group_detail", samples["group"])).content.decode()
    cadre_page = client.get(url("cadre_edit", samples["cadre"]))
    difficulty_page = client.get(url("difficulty_detail", samples["difficulty"]))

    assert url("community_group_edit", samples["group"]) in group_page
    assert "Locked:" not in group_page
    assert cadre_page.context["form"] is not None
    assert difficulty_page.context["answer_form"] is not None


def test_the_entry_form_lists_the_locked_periods_and_who_can_unlock_them(
    client, commune_officer, ba_trang, ba_kham, ba_trang_plan, approver
):
    lock(approver, ba_trang, D(2023, 1, 1), D(2023, 6, 30))
    lock(approver, ba_kham, D(2023, 7, 1), D(2023, 9, 30))  # another commune: not listed
    client.force_login(commune_officer)

    html = client.get(url("event_create", ba_trang)).content.decode()

    assert "Locked periods (approved reports)" in html
    assert "Xã Ba Trang: 01/01/2023–30/06/2023" in html
    assert "Trần Thị Tơ can unlock it" in html
    assert "01/07/2023–30/09/2023" not in html


def test_a_locked_cadre_is_not_named_in_the_request_to_an_approver_who_may_not_read_names(
    client,
    django_capture_on_commit_callbacks,
    commune_officer,
    ba_trang,
    villages,
    ethnic_groups,
    approver,
):
    samples = community_samples(ba_trang, villages)
    cadre = samples["cadre"]
    lock(approver, ba_trang, D(2023, 1, 1), timezone.localdate())
    client.force_login(commune_officer)

    page = client.get(url("cadre_edit", cadre)).content.decode()
    what = re.search(r'name="what" value="([^"]*)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("data_unlock_request", ba_trang),
            {"day": cadre.since.isoformat(), "reason": "Sai năm sinh", "what": what},
        )

    assert cadre.full_name not in page.split('name="what"')[1][:300]
    assert "a woman cadre recorded since" in what
    assert len(mail.outbox) == 1 and cadre.full_name not in mail.outbox[0].body


def test_a_double_tap_on_the_request_to_unlock_sends_one_request(
    client,
    django_capture_on_commit_callbacks,
    commune_officer,
    villages,
    ba_trang,
    ba_trang_plan,
    approver,
):
    event = record(commune_officer, ba_trang_plan, villages["Nước Đang"], D(2023, 6, 5))
    lock(approver, ba_trang, D(2023, 1, 1), D(2023, 9, 30))
    client.force_login(commune_officer)
    page = client.get(url("event_detail", event)).content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page.split("unlock-request")[1]).group(1)
    data = {"day": "2023-06-05", "what": event.title, "reason": "Sai số người", "once": once}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("data_unlock_request", villages["Nước Đang"]), data)
        second = client.post(url("data_unlock_request", villages["Nước Đang"]), data)

    assert first.status_code == second.status_code == 302
    assert AuditEvent.objects.filter(action="activities.data.unlock_requested").count() == 1
    assert len(mail.outbox) == 1
