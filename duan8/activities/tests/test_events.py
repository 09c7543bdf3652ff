"""Event pages: the phone entry form, the list, one event, edit and delete, and who sees what."""

import datetime
import html
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from duan8.activities.forms.events import grid_message
from duan8.activities.models import DataLock, Event
from duan8.activities.selectors.events import activity_kinds, default_day, default_plan
from duan8.activities.services.events import (
    CountInput,
    EventInput,
    PersonInput,
    event_check,
    event_create,
)
from duan8.core.models import AuditEvent
from duan8.programs.models import ProgramElement
from duan8.testing import event_samples

D = datetime.date
SESSIONS = "1719.GD1.DA8.ND1.HD2.2"  # Hỗ trợ Tổ truyền thông tổ chức hoạt động (sessions)
DIALOGUES = "1719.GD1.DA8.ND3.HD1.2"


def activity(code: str) -> ProgramElement:
    return ProgramElement.objects.get(code=code)


NOV_5 = D(2023, 11, 5)


def record(actor, plan, unit, *, title="Truyền thông xóa bỏ tảo hôn", on=NOV_5, **kw):
    counts = kw.pop(
        "counts", [CountInput("F", True, "adult", 20), CountInput("M", True, "adult", 8)]
    )
    return event_create(
        actor=actor,
        data=EventInput(
            plan=plan,
            activity=kw.pop("activity", None) or activity(SESSIONS),
            kind=kw.pop("kind", "communication"),
            title=title,
            held_on=on,
            org_unit=unit,
            counts=counts,
            **kw,
        ),
    )


def create_url(unit) -> str:
    return reverse("activities:event_create", kwargs={"pk": unit.pk})


def detail_url(event) -> str:
    return reverse("activities:event_detail", kwargs={"pk": event.pk})


def form_data(plan, unit, **changes) -> dict:
    data = {
        "plan": plan.pk,
        "held_on": "2023-11-20",
        "org_unit": unit.pk,
        "activity": activity(SESSIONS).pk,
        "kind": "communication",
        "title": "Truyền thông phòng chống bạo lực gia đình",
        "n-F-minority-adult": "20",
        "n-M-minority-adult": "8",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def nuoc_dang(villages):
    return villages["Nước Đang"]


@pytest.fixture
def bui_hui_records(ba_trang_plan, villages, commune_officer, ethnic_groups):
    return event_samples(ba_trang_plan, villages, commune_officer)


# --- defaults of the entry form --------------------------------------------------------------


def test_the_form_proposes_today_in_the_plans_year_else_the_last_recorded_day(ba_trang_plan):
    plan = ba_trang_plan

    assert default_day(plan=plan, today=D(2023, 8, 14)) == D(2023, 8, 14)
    assert default_day(plan=plan, today=D(2026, 11, 29)) == D(2023, 12, 31)
    assert default_day(plan=plan, last_recorded=D(2023, 10, 2), today=D(2026, 1, 5)) == D(
        2023, 10, 2
    )
    assert default_day(plan=plan, today=D(2022, 12, 1)) is None  # a year not begun


def test_the_plan_of_this_year_is_chosen_else_the_latest_past_one(ba_trang_plan):
    assert default_plan([ba_trang_plan], today=D(2023, 5, 1)) == ba_trang_plan
    assert default_plan([ba_trang_plan], today=D(2026, 5, 1)) == ba_trang_plan
    assert default_plan([], today=D(2026, 5, 1)) is None


def test_the_kind_follows_the_rules_then_the_users_habit(
    ba_trang_plan, village_head, nuoc_dang, indicator_rules
):
    activities = [activity(SESSIONS), activity(DIALOGUES), activity("1719.GD1.DA8.ND1.HD2.1")]

    by_rules = activity_kinds(actor=village_head, activities=activities)
    record(village_head, ba_trang_plan, nuoc_dang, kind="campaign")
    by_habit = activity_kinds(actor=village_head, activities=activities)

    assert by_rules == {activities[0].pk: "communication", activities[1].pk: "dialogue"}
    assert by_habit[activities[0].pk] == "campaign"


def test_the_kind_is_that_of_the_users_last_event_not_another_users(
    ba_trang_plan, village_head, commune_officer, nuoc_dang, indicator_rules
):
    activities = [activity(SESSIONS), activity(DIALOGUES)]
    with time_machine.travel(datetime.datetime(2023, 11, 5, 8, tzinfo=datetime.UTC)):
        record(village_head, ba_trang_plan, nuoc_dang, kind="campaign")
    with time_machine.travel(datetime.datetime(2023, 11, 6, 8, tzinfo=datetime.UTC)):
        record(village_head, ba_trang_plan, nuoc_dang, kind="contest")
    with time_machine.travel(datetime.datetime(2023, 11, 7, 8, tzinfo=datetime.UTC)):
        record(commune_officer, ba_trang_plan, nuoc_dang, kind="campaign")

    kinds = activity_kinds(actor=village_head, activities=activities)

    assert kinds == {activities[0].pk: "contest", activities[1].pk: "dialogue"}


def test_the_village_head_finds_their_village_and_date_filled_in_and_chooses_the_activity(
    client, ba_trang_plan, village_head, nuoc_dang, indicator_rules
):
    dialogue = activity(DIALOGUES)
    record(village_head, ba_trang_plan, nuoc_dang, activity=dialogue, kind="dialogue")
    client.force_login(village_head)

    response = client.get(create_url(nuoc_dang))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="org_unit" value="{nuoc_dang.pk}"' in html  # their village, nothing to choose
    assert "Thôn Nước Đang" in html
    # the last event's activity and kind are not proposed: a session would silently count
    # under the wrong target (issue 10)
    assert not re.search(rf'<option value="{dialogue.pk}"[^>]*selected', html)
    assert not re.search(r'<option value="dialogue"[^>]*selected', html)
    assert 'value="2023-11-05"' in html  # the day of their last event (the plan's year is past)
    assert 'min="2023-01-01"' in html and 'max="2023-12-31"' in html
    assert html.count('inputmode="numeric" pattern="[0-9]*" min="0"') == 8
    assert "87/KH-UBND" not in html  # a village head works under the plan without reading it


def test_a_commune_officer_chooses_the_village(client, ba_trang, commune_officer, ba_trang_plan):
    client.force_login(commune_officer)

    response = client.get(create_url(ba_trang))

    html = response.content.decode()
    select = re.search(r'<select name="org_unit".*?</select>', html, re.S).group(0)
    assert re.findall(r">(Xã [^<]+|Thôn [^<]+)</option>", select) == [
        "Xã Ba Trang",
        "Thôn Bùi Hui",
        "Thôn Kon Riêng",
        "Thôn Nước Đang",
    ]
    # First guess: the commune whose page the form was opened from.
    assert re.search(rf'<option value="{ba_trang.pk}"[^>]*selected', select)
    assert "87/KH-UBND" in html


def test_a_commune_officer_finds_the_place_of_their_last_event_proposed(
    client, ba_trang, villages, commune_officer, ba_trang_plan, ethnic_groups
):
    record(commune_officer, ba_trang_plan, villages["Kon Riêng"])
    client.force_login(commune_officer)

    html = client.get(create_url(ba_trang)).content.decode()

    select = re.search(r'<select name="org_unit".*?</select>', html, re.S).group(0)
    selected = re.findall(r"<option[^>]*selected[^>]*>([^<]+)</option>", select)
    assert selected == ["Thôn Kon Riêng"]


# --- saving from the form --------------------------------------------------------------------


def test_the_village_head_records_an_event_and_sees_a_clear_confirmation(
    client, ba_trang_plan, village_head, nuoc_dang
):
    client.force_login(village_head)

    response = client.post(create_url(nuoc_dang), form_data(ba_trang_plan, nuoc_dang))

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:event_saved", kwargs={"pk": event.pk})
    assert (event.org_unit, event.recorded_by, event.held_on) == (
        nuoc_dang,
        village_head,
        D(2023, 11, 20),
    )
    assert sorted(event.counts.values_list("sex", "minority", "age_group", "count")) == [
        ("F", True, "adult", 20),
        ("M", True, "adult", 8),
    ]
    assert AuditEvent.objects.filter(action="activities.event.created").count() == 1

    page = client.get(response["Location"]).content.decode()

    assert "Truyền thông phòng chống bạo lực gia đình" in page
    assert "28 people (20 women)" in page or "28 người (20 nữ)" in page
    assert f'href="{create_url(nuoc_dang)}?plan={ba_trang_plan.pk}"' in page  # record another


def test_the_more_information_fields_are_saved_too(
    client, ba_trang_plan, commune_officer, ba_trang, villages
):
    client.force_login(commune_officer)
    data = form_data(
        ba_trang_plan,
        villages["Kon Riêng"],
        **{
            "ended_on": "2023-11-21",
            "place": "Nhà văn hóa thôn",
            "organiser": "Chi hội phụ nữ thôn",
            "cost": "1.500.000",
            "notes": "Có phiên dịch tiếng Hrê",
            "n-F-minority-child": "6",
        },
    )

    response = client.post(create_url(ba_trang), data)

    event = Event.objects.get()
    assert response.status_code == 302
    assert event.org_unit == villages["Kon Riêng"]
    assert (event.ended_on, event.place, event.cost) == (
        D(2023, 11, 21),
        "Nhà văn hóa thôn",
        1500000,
    )
    assert event.counts.get(age_group="child").count == 6


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"held_on": "2024-01-03"}, "held_on", ["03/01/2024", "2023"]),
        ({"held_on": "3/1/2023x"}, "held_on", []),
        ({"n-F-minority-adult": "-3"}, "n-F-minority-adult", []),
        ({"n-M-other-child": "ba"}, "n-M-other-child", []),
        ({"title": ""}, "title", []),
        ({"activity": "999999"}, "activity", []),
        ({"cost": "-100"}, "cost", []),
        ({"ended_on": "2023-11-01"}, "ended_on", []),
    ],
)
def test_a_wrong_entry_is_refused_next_to_its_field_and_nothing_is_saved(
    client, ba_trang_plan, village_head, nuoc_dang, changes, field, words
):
    client.force_login(village_head)

    response = client.post(create_url(nuoc_dang), form_data(ba_trang_plan, nuoc_dang, **changes))

    form = response.context["form"]
    assert response.status_code == 200
    assert list(form.errors) == [field]
    assert all(word in form.errors[field][0] for word in words)
    summary = re.search(r'role="alert">(.*?)</div>', response.content.decode(), re.S).group(1)
    assert f'href="#id_{field}"' in summary
    # The summary names the field the message is beside (the message itself has no label).
    assert f"{form.fields[field].label}: {form.errors[field][0]}" in html.unescape(summary)
    assert not Event.objects.exists()


def test_event_check_keys_each_problem_by_the_field_of_the_input(
    ba_trang_plan, nuoc_dang, ethnic_groups
):
    data = EventInput(
        plan=ba_trang_plan,
        activity=activity("1719.GD1.DA8.ND3.HD4.1"),
        kind="nomination",
        title="Cử cán bộ nữ đi tập huấn",
        held_on=datetime.date(2023, 10, 20),
        ended_on=datetime.date(2023, 10, 1),
        org_unit=nuoc_dang,
        cost=Decimal(-1),
        participants=[
            PersonInput("Phạm Thị Hoa", "F", ethnic_groups["19"], 1990),
            PersonInput(" ", "X", None, 1800),
        ],
    )

    with translation.override("en"):
        problems = event_check(data)

    assert [(p.field, p.message) for p in problems] == [
        ("ended_on", "before the start date."),
        ("cost", "cannot be negative."),
        ("participants.2.full_name", "required."),
        ("participants.2.sex", "must be Nam or Nữ."),
        ("participants.2.ethnic_group", "required."),
        ("participants.2.birth_year", "1800 is not possible (from 1900 to 2023)."),
    ]
    with translation.override("vi"):
        shown = grid_message(event_check(data)[3])
    assert shown == "Người tham gia thứ 2, Giới tính: phải là Nam hoặc Nữ."


def test_a_lock_is_shown_beside_the_date_it_covers(client, ba_trang_plan, village_head, nuoc_dang):
    DataLock.objects.create(
        org_unit=nuoc_dang.parent,
        period_start=datetime.date(2023, 11, 1),
        period_end=datetime.date(2023, 11, 30),
        reason="Báo cáo tháng 11 đã duyệt",
    )
    client.force_login(village_head)

    response = client.post(create_url(nuoc_dang), form_data(ba_trang_plan, nuoc_dang))

    form = response.context["form"]
    assert list(form.errors) == ["held_on"]
    assert "Báo cáo tháng 11 đã duyệt" in form.errors["held_on"][0]
    assert not Event.objects.exists()


def test_every_problem_is_listed_at_once(client, ba_trang_plan, village_head, nuoc_dang):
    client.force_login(village_head)
    data = form_data(
        ba_trang_plan, nuoc_dang, held_on="2024-01-03", title="", **{"n-F-minority-adult": "-1"}
    )

    response = client.post(create_url(nuoc_dang), data)

    assert set(response.context["form"].errors) == {"held_on", "title", "n-F-minority-adult"}
    assert not Event.objects.exists()


def test_a_future_date_is_refused(client, ba_trang_plan, village_head, nuoc_dang):
    client.force_login(village_head)

    with time_machine.travel(datetime.datetime(2023, 6, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        response = client.post(
            create_url(nuoc_dang), form_data(ba_trang_plan, nuoc_dang, held_on="2023-07-01")
        )

    form = response.context["form"]
    assert "01/07/2023" in form.errors["held_on"][0]
    assert not Event.objects.exists()


def test_an_event_without_participants_is_refused(client, ba_trang_plan, village_head, nuoc_dang):
    client.force_login(village_head)
    data = form_data(
        ba_trang_plan, nuoc_dang, **{"n-F-minority-adult": "", "n-M-minority-adult": "0"}
    )

    response = client.post(create_url(nuoc_dang), data)

    form = response.context["form"]
    assert len(form.participant_errors) == 1
    assert 'class="count-grid has-error"' in response.content.decode()
    assert not Event.objects.exists()


def test_a_refused_form_points_each_field_to_its_own_messages(
    client, ba_trang_plan, village_head, nuoc_dang
):
    """What a screen reader is sent to from each field (aria-describedby) is on the page: the
    messages of a refused count, of the title and of the date."""
    from duan8.core.tests.test_field_partial import missing_pointers

    client.force_login(village_head)
    data = form_data(ba_trang_plan, nuoc_dang, title="", held_on="", **{"n-F-minority-adult": "-3"})

    response = client.post(create_url(nuoc_dang), data)

    html = response.content.decode()
    assert response.status_code == 200 and 'aria-describedby="id_n-F-minority-adult_error"' in html
    assert missing_pointers(html) == []


def test_a_village_head_cannot_post_an_event_for_another_village(
    client, ba_trang_plan, village_head, nuoc_dang, villages
):
    client.force_login(village_head)

    forged = client.post(create_url(nuoc_dang), form_data(ba_trang_plan, villages["Bùi Hui"]))
    other = client.post(
        create_url(villages["Bùi Hui"]), form_data(ba_trang_plan, villages["Bùi Hui"])
    )

    assert forged.status_code == 200 and list(forged.context["form"].errors) == ["org_unit"]
    assert other.status_code == 404
    assert not Event.objects.exists()


# --- who sees what ---------------------------------------------------------------------------


def test_an_officer_of_another_commune_sees_nothing_of_ba_trang(
    client, other_commune_officer, ba_trang, ba_trang_plan, bui_hui_records
):
    event, attachment = bui_hui_records["event"], bui_hui_records["attachment"]
    client.force_login(other_commune_officer)

    pages = [
        reverse("activities:event_list", kwargs={"pk": ba_trang.pk}),
        reverse("activities:plan_event_list", kwargs={"pk": ba_trang_plan.pk}),
        detail_url(event),
        reverse("activities:event_saved", kwargs={"pk": event.pk}),
        reverse("activities:attachment_download", kwargs={"pk": attachment.pk}),
        create_url(ba_trang),
    ]
    responses = [client.get(url) for url in pages]

    assert [r.status_code for r in responses] == [404] * len(pages)
    assert not any(b"B\xc3\xb9i Hui" in r.content for r in responses)
    assert not AuditEvent.objects.filter(action="activities.attachment.exported").exists()


def test_the_head_of_nuoc_dang_sees_only_their_village(
    client, village_head, nuoc_dang, ba_trang_plan, bui_hui_records
):
    own = record(village_head, ba_trang_plan, nuoc_dang)
    event = bui_hui_records["event"]
    client.force_login(village_head)

    listing = client.get(reverse("activities:event_list", kwargs={"pk": nuoc_dang.pk}))
    other = client.get(detail_url(event))
    download = client.get(
        reverse("activities:attachment_download", kwargs={"pk": bui_hui_records["attachment"].pk})
    )
    edit = client.post(reverse("activities:event_edit", kwargs={"pk": event.pk}), {"title": "x"})

    assert [e.pk for e in listing.context["page"].object_list] == [own.pk]
    assert "Bùi Hui" not in listing.content.decode()
    assert (other.status_code, download.status_code, edit.status_code) == (404, 404, 404)
    assert Event.objects.get(pk=event.pk).title == "Đối thoại chính sách thôn Bùi Hui"


@pytest.mark.parametrize("persona", ["fatherland_front", "commune_leader"])
def test_front_and_leader_read_events_and_counts_but_not_names_and_cannot_change(
    client, request, persona, bui_hui_records, ba_trang, ba_trang_plan, villages
):
    reader = request.getfixturevalue(persona)
    event = bui_hui_records["event"]
    client.force_login(reader)

    listing = client.get(reverse("activities:event_list", kwargs={"pk": ba_trang.pk}))
    page = client.get(detail_url(event))
    refused = [
        client.post(create_url(ba_trang), form_data(ba_trang_plan, villages["Bùi Hui"])),
        client.get(create_url(ba_trang)),
        client.post(reverse("activities:event_edit", kwargs={"pk": event.pk}), {"title": "x"}),
        client.post(reverse("activities:event_delete", kwargs={"pk": event.pk})),
        client.post(reverse("activities:event_participants", kwargs={"pk": event.pk})),
        client.post(
            reverse("activities:attachment_delete", kwargs={"pk": bui_hui_records["attachment"].pk})
        ),
    ]

    html = page.content.decode()
    assert listing.status_code == 200 and "Đối thoại chính sách thôn Bùi Hui" in (
        listing.content.decode()
    )
    assert page.status_code == 200
    assert "Đinh Thị Bùi" not in html and "Phạm Văn Hui" not in html
    assert re.search(r"<tfoot>.*?>2</td>\s*</tr>\s*</tfoot>", html, re.S)  # the counts are there
    assert reverse("activities:event_edit", kwargs={"pk": event.pk}) not in html
    assert create_url(ba_trang) not in listing.content.decode()
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert Event.objects.get().version == event.version
    assert event.attachments.count() == 1
    assert not AuditEvent.objects.filter(action="activities.personal.viewed").exists()


def test_each_view_of_the_names_is_audited(client, commune_officer, bui_hui_records):
    event = bui_hui_records["event"]
    client.force_login(commune_officer)

    first = client.get(detail_url(event))
    client.get(detail_url(event))

    assert "Đinh Thị Bùi" in first.content.decode() and "Hrê" in first.content.decode()
    viewed = AuditEvent.objects.filter(action="activities.personal.viewed")
    assert viewed.count() == 2
    assert {(a.actor, a.target_id) for a in viewed} == {(commune_officer, str(event.pk))}


# --- the list --------------------------------------------------------------------------------


def test_the_list_runs_a_fixed_number_of_queries(
    client, commune_officer, ba_trang, villages, ba_trang_plan, django_assert_num_queries, settings
):
    settings.PAGE_SIZE = 10
    record(commune_officer, ba_trang_plan, villages["Bùi Hui"])
    client.force_login(commune_officer)
    url = reverse("activities:event_list", kwargs={"pk": ba_trang.pk})
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for day in range(1, 25):
        record(commune_officer, ba_trang_plan, villages["Kon Riêng"], on=D(2023, 10, day))

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)

    assert len(response.context["page"].object_list) == 10


def test_the_list_is_newest_first_with_totals_and_filters(
    client, commune_officer, ba_trang, villages, ba_trang_plan, bui_hui_records
):
    session = record(
        commune_officer,
        ba_trang_plan,
        villages["Kon Riêng"],
        on=D(2023, 11, 5),
        counts=[CountInput("F", True, "adult", 20), CountInput("M", False, "child", 8)],
        cost=150000,
    )
    client.force_login(commune_officer)
    url = reverse("activities:event_list", kwargs={"pk": ba_trang.pk})

    everything = client.get(url)
    by_village = client.get(url, {"year": 2023, "village": villages["Bùi Hui"].pk})
    by_kind = client.get(url, {"year": 2023, "kind": "communication"})
    by_activity = client.get(url, {"year": 2023, "activity": activity(DIALOGUES).pk})
    by_month = client.get(url, {"year": 2023, "month": 10})
    other_year = client.get(url, {"year": 2024})

    rows = list(everything.context["page"].object_list)
    assert [e.pk for e in rows] == [session.pk, bui_hui_records["event"].pk]
    assert (rows[0].participants_total, rows[0].women_total, rows[0].attachment_count) == (
        28,
        20,
        0,
    )
    assert (rows[1].participants_total, rows[1].women_total, rows[1].attachment_count) == (2, 1, 1)
    html = everything.content.decode()
    assert "05/11/2023" in html and "150.000" in html and "28 (20/8)" in html
    for response, expected in [
        (by_village, [bui_hui_records["event"]]),
        (by_kind, [session]),
        (by_activity, [bui_hui_records["event"]]),
        (by_month, [bui_hui_records["event"]]),
        (other_year, []),
    ]:
        assert list(response.context["page"].object_list) == expected
    assert f'href="{create_url(ba_trang)}?plan={ba_trang_plan.pk}"' in html


def test_the_plan_list_shows_the_events_of_the_plan(
    client, commune_leader, ba_trang_plan, bui_hui_records
):
    client.force_login(commune_leader)

    response = client.get(reverse("activities:plan_event_list", kwargs={"pk": ba_trang_plan.pk}))

    assert response.status_code == 200
    assert "87/KH-UBND" in response.content.decode()
    assert list(response.context["page"].object_list) == [bui_hui_records["event"]]


# --- edit and delete -------------------------------------------------------------------------


def test_an_edit_saves_and_a_stale_copy_is_refused(client, village_head, nuoc_dang, ba_trang_plan):
    event = record(village_head, ba_trang_plan, nuoc_dang)
    client.force_login(village_head)
    url = reverse("activities:event_edit", kwargs={"pk": event.pk})
    form = client.get(url).context["form"]
    assert form.initial["n-F-minority-adult"] == 20 and form.initial["version"] == event.version
    data = form_data(ba_trang_plan, nuoc_dang, title="Truyền thông (sửa)", version=event.version)

    saved = client.post(url, data)
    stale = client.post(url, {**data, "title": "Bản cũ"})

    event.refresh_from_db()
    assert saved.status_code == 302
    assert event.title == "Truyền thông (sửa)" and event.version == 2
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert AuditEvent.objects.filter(action="activities.event.updated").count() == 1


def test_an_event_with_a_list_keeps_it_when_edited(client, commune_officer, bui_hui_records):
    event = bui_hui_records["event"]
    client.force_login(commune_officer)
    url = reverse("activities:event_edit", kwargs={"pk": event.pk})
    form = client.get(url).context["form"]
    data = {**form.initial, "plan": event.plan_id, "title": "Đối thoại chính sách (sửa)"}
    data["held_on"] = "2023-10-12"

    response = client.post(url, {k: v for k, v in data.items() if v is not None})

    assert form.grid == []  # the numbers come from the list: no boxes to type them in
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Đối thoại chính sách (sửa)"
    assert event.participants.count() == 2
    assert sum(event.counts.values_list("count", flat=True)) == 2


def test_an_event_is_deleted_after_a_confirmation(
    client, commune_officer, ba_trang, bui_hui_records
):
    event = bui_hui_records["event"]
    client.force_login(commune_officer)
    url = reverse("activities:event_delete", kwargs={"pk": event.pk})

    asked = client.get(url)
    kept = Event.objects.filter(pk=event.pk).exists()
    done = client.post(url)

    assert asked.status_code == 200 and kept
    assert done.status_code == 302
    assert done["Location"] == reverse("activities:event_list", kwargs={"pk": ba_trang.pk})
    assert not Event.objects.exists()
    assert AuditEvent.objects.filter(action="activities.event.deleted").count() == 1


def test_new_counts_replace_the_old_ones_and_a_new_event_deletes_nothing(
    ba_trang_plan, commune_officer, nuoc_dang, indicator_rules
):
    from duan8.activities.models import ParticipantCount
    from duan8.activities.services.events import event_update

    with CaptureQueriesContext(connection) as created:
        event = record(commune_officer, ba_trang_plan, nuoc_dang)
    data = EventInput(
        plan=ba_trang_plan,
        activity=activity(SESSIONS),
        kind="communication",
        title="Truyền thông xóa bỏ tảo hôn",
        held_on=NOV_5,
        org_unit=nuoc_dang,
        counts=[CountInput("F", False, "child", 5)],
    )
    event_update(actor=commune_officer, event=event, data=data, expected_version=event.version)

    cells = ParticipantCount.objects.filter(event=event).values_list(
        "sex", "minority", "age_group", "count"
    )
    assert list(cells) == [("F", False, "child", 5)]
    assert not [q for q in created.captured_queries if q["sql"].startswith("DELETE")]
