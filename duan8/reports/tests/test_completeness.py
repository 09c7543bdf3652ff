"""Completeness and timeliness for the level above, reminders on the home page and by e-mail."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import ngettext

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.audit import NotVisible
from duan8.core.models import AuditEvent
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.tests.factories import make_unit
from duan8.reports.selectors import Reminder, State, completeness, report_reminders
from duan8.reports.tests.completeness_data import TZ, WU, report_write

D = datetime.date


@pytest.fixture
def district_2023(report_schedules, ba_to, ba_trang, ba_kham, ba_vinh):
    """15/9/2023: Ba Trang reported on 14/9, Ba Khâm on 20/9, Ba Vinh not at all."""
    wu = report_schedules[WU]
    return {
        "on_time": report_write(wu, ba_trang, ba_to, D(2023, 9, 15), submitted=D(2023, 9, 14)),
        "late": report_write(wu, ba_kham, ba_to, D(2023, 9, 15), submitted=D(2023, 9, 20)),
    }


def test_each_deadline_counts_the_units_on_time_late_and_not_reported(
    district_2023, district_reviewer, ba_to, report_schedules
):
    rows = completeness(
        actor=district_reviewer,
        area=ba_to,
        year=2023,
        schedule=report_schedules[WU],
        today=D(2024, 6, 1),
    )

    (row,) = rows
    assert row.deadline.due_on == D(2023, 9, 15)
    assert {r.unit.name: r.state for r in row.rows} == {
        "Ba Trang": State.ON_TIME,
        "Ba Khâm": State.LATE,
        "Ba Vinh": State.MISSING,
    }
    assert (row.expected, row.on_time, row.late, row.missing) == (3, 1, 1, 1)


def test_a_returned_and_resubmitted_report_keeps_its_first_submission_date(
    district_2023, district_reviewer, ba_to, report_schedules
):
    late = district_2023["late"]
    late.status, late.submitted_at = "submitted", datetime.datetime(2023, 10, 1, tzinfo=TZ)
    late.save()
    on_time = district_2023["on_time"]
    on_time.status, on_time.submitted_at = "approved", datetime.datetime(2023, 10, 9, tzinfo=TZ)
    on_time.save()

    (row,) = completeness(
        actor=district_reviewer, area=ba_to, year=2023, schedule=report_schedules[WU]
    )

    assert (row.on_time, row.late, row.approved) == (1, 1, 1)


def test_before_the_due_date_a_unit_without_report_is_not_yet_due(
    report_schedules, district_reviewer, ba_to, ba_trang
):
    (row,) = completeness(
        actor=district_reviewer,
        area=ba_to,
        year=2023,
        schedule=report_schedules[WU],
        today=D(2023, 9, 1),
    )

    assert [r.state for r in row.rows] == [State.WAITING]
    assert row.missing == 0


@pytest.fixture
def province_reviewer(new_quang_ngai):
    user = UserFactory(username="hlhpn.quangngai")
    membership(user, new_quang_ngai, "province_reviewer")
    return user


def test_units_are_taken_as_the_map_stood_on_each_due_date(
    report_schedules, ba_trang_merger, quang_ngai, new_quang_ngai, province_reviewer
):
    old_reviewer = UserFactory(username="hlhpn.quangngai.cu")
    membership(old_reviewer, quang_ngai, "province_reviewer")

    new = completeness(actor=province_reviewer, area=new_quang_ngai, year=2025)
    old = completeness(actor=old_reviewer, area=quang_ngai, year=2025)

    assert {tuple(r.unit.name for r in c.rows) for c in new} == {("Đặng Thùy Trâm",)}
    assert min(c.deadline.due_on for c in new) >= D(2025, 7, 1)
    assert {tuple(sorted(r.unit.name for r in c.rows)) for c in old} == {("Ba Khâm", "Ba Trang")}
    assert max(c.deadline.due_on for c in old) == D(2025, 6, 30)


def test_requested_reports_count_for_the_communes_asked(
    report_schedules, district_reviewer, ba_to, ba_trang, ba_kham
):
    adhoc = report_schedules["dot-xuat"]
    report_write(adhoc, ba_trang, ba_to, D(2023, 11, 30), submitted=D(2023, 11, 29))
    report_write(adhoc, ba_kham, ba_to, D(2023, 11, 30))

    rows = completeness(
        actor=district_reviewer, area=ba_to, year=2023, schedule=adhoc, today=D(2024, 1, 1)
    )

    (row,) = rows
    assert (row.expected, row.on_time, row.missing) == (2, 1, 1)


@pytest.mark.parametrize("persona", ["other_commune_officer", "commune_leader", "village_head"])
def test_outsiders_do_not_see_the_districts_completeness(
    client, district_2023, ba_to, persona, request
):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    with pytest.raises(NotVisible):
        completeness(actor=user, area=ba_to, year=2023)
    response = client.get(reverse("reports:completeness", kwargs={"pk": ba_to.pk}))
    assert response.status_code == 404
    assert "Ba Trang" not in response.content.decode()


def test_the_completeness_page_runs_a_fixed_number_of_queries(
    client, district_2023, district_reviewer, ba_to, django_assert_num_queries
):
    client.force_login(district_reviewer)
    page = reverse("reports:completeness", kwargs={"pk": ba_to.pk}) + "?year=2023"
    client.get(page)
    with CaptureQueriesContext(connection) as three_communes:
        response = client.get(page)
    assert "Ba Khâm" in response.content.decode()
    for i in range(10):
        make_unit(code=f"2199{i}", name=f"Xã Thử {i}", level=3, kind="Xã", parent=ba_to)

    with django_assert_num_queries(len(three_communes)):
        response = client.get(page)

    assert "Xã Thử 9" in response.content.decode()


# --- reminders ----------------------------------------------------------------------------------


@pytest.fixture
def dtt_officer(ba_trang_merger):
    user = UserFactory(
        username="hlhpn.dangthuytram", full_name="Hồ Thị Trâm", email="tram@example.vn"
    )
    membership(user, ba_trang_merger, "commune_wu_officer")
    return user


def test_the_commune_is_reminded_of_deadlines_due_soon_or_overdue(
    report_schedules, dtt_officer, ba_trang_merger
):
    items = report_reminders(actor=dtt_officer, today=D(2025, 9, 12), days=7)

    assert [(i.kind, i.schedule.code, i.due_on) for i in items] == [
        (Reminder.OVERDUE, "ubnd-xac-thuc-10-9-2025", D(2025, 9, 10)),
        (Reminder.DUE, "hlhpn-ket-qua-15-9-2025", D(2025, 9, 15)),
        (Reminder.DUE, "ubnd-bao-cao-15-9-2025", D(2025, 9, 15)),
    ]
    assert items[1].days_left == 3


def test_submitted_reports_drop_out_and_returned_ones_come_back(
    report_schedules, dtt_officer, ba_trang_merger, new_quang_ngai
):
    report_write(
        report_schedules["ubnd-xac-thuc-10-9-2025"],
        ba_trang_merger,
        ba_trang_merger,
        D(2025, 9, 10),
        submitted=D(2025, 9, 9),
    )
    report_write(
        report_schedules["hlhpn-ket-qua-15-9-2025"],
        ba_trang_merger,
        new_quang_ngai,
        D(2025, 9, 15),
        submitted=D(2025, 9, 11),
        status="returned",
    )

    items = report_reminders(actor=dtt_officer, today=D(2025, 9, 12), days=7)

    assert [(i.kind, i.schedule.code) for i in items] == [
        (Reminder.RETURNED, "hlhpn-ket-qua-15-9-2025"),
        (Reminder.DUE, "ubnd-bao-cao-15-9-2025"),
    ]


def test_the_reviewer_is_reminded_of_reports_waiting_for_review(
    report_schedules, ba_trang_merger, new_quang_ngai, province_reviewer, district_reviewer
):
    waiting = report_write(
        report_schedules["hlhpn-ket-qua-15-9-2025"],
        ba_trang_merger,
        new_quang_ngai,
        D(2025, 9, 15),
        submitted=D(2025, 9, 14),
    )

    items = report_reminders(actor=province_reviewer, today=D(2025, 9, 20))

    assert [(i.kind, i.report) for i in items] == [(Reminder.TO_REVIEW, waiting)]
    assert report_reminders(actor=district_reviewer, today=D(2025, 9, 20)) == []


def test_the_home_page_shows_the_reminders(client, report_schedules, dtt_officer):
    client.force_login(dtt_officer)

    with time_machine.travel(datetime.datetime(2025, 9, 12, 8, tzinfo=TZ), tick=False):
        html = client.get(reverse("home")).content.decode()

    assert report_schedules["hlhpn-ket-qua-15-9-2025"].name in html
    assert "15/09/2025" in html


def test_send_reminders_e_mails_those_who_must_act(
    report_schedules, dtt_officer, ba_trang_merger, settings
):
    settings.SITE_URL = "https://duan8.example.gov.vn"
    UserFactory(username="khong.vai.tro", email="khong@example.vn")  # no role: nothing to do
    out = StringIO()

    with time_machine.travel(datetime.datetime(2025, 9, 12, 7, tzinfo=TZ), tick=False):
        call_command("send_reminders", "--days", "7", stdout=out)

    (message,) = mail.outbox
    assert message.to == ["tram@example.vn"]
    subject = ngettext(
        "[Project 8] %(count)s report to act on", "[Project 8] %(count)s reports to act on", 3
    )
    assert message.subject == subject % {"count": 3}
    assert report_schedules["hlhpn-ket-qua-15-9-2025"].name in message.body
    unit_reports = reverse("reports:unit_reports", kwargs={"pk": ba_trang_merger.pk})
    assert f"https://duan8.example.gov.vn{unit_reports}?year=2025" in message.body
    assert AuditEvent.objects.filter(action="reports.reminders.sent").count() == 1


def test_send_reminders_dry_run_sends_nothing(report_schedules, dtt_officer):
    out = StringIO()

    with time_machine.travel(datetime.datetime(2025, 9, 12, 7, tzinfo=TZ), tick=False):
        call_command("send_reminders", "--days", "7", "--dry-run", stdout=out)

    assert mail.outbox == []
    assert "tram@example.vn" in out.getvalue()


def test_a_unit_that_ended_gets_no_deadlines_after_its_end(report_schedules, commune_officer):
    items = report_reminders(actor=commune_officer, today=D(2025, 9, 12), days=30)

    assert items and {i.unit.name for i in items} == {"Ba Trang"}
    assert max(i.due_on for i in items) <= D(2025, 6, 30)
    assert OrgUnit.objects.get(name="Ba Trang").valid_to == D(2025, 6, 30)
