"""xã Ba Trang's demo reports of 2023 (data/ba_trang_2023_reports.json), through the
services: what the commune officer and the district reviewer find after ``seed_demo``."""

import datetime
import io
import json
from zoneinfo import ZoneInfo

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from duan8.activities.models import DataLock, Event
from duan8.activities.selectors.events import event_input_from
from duan8.activities.services.events import event_update
from duan8.core.models import AuditEvent
from duan8.demo.reports import DEMO_REPORTS_FILE, demo_reports_load
from duan8.demo.work import demo_work_load
from duan8.reports.figures import figure_table
from duan8.reports.models import Report, ReportStep
from duan8.reports.report_files import DOCX, report_export
from duan8.reports.selectors import Reminder, State, completeness, report_reminders
from duan8.reports.services import report_open, report_save, report_submit

D = datetime.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
REVIEW = "ubnd-so-ket-15-12"
UPDATE = "hlhpn-cap-nhat-31-01"
RESULTS_15_9 = "hlhpn-ket-qua-15-9"

pytestmark = pytest.mark.usefixtures("english")  # messages compared with their English msgids


@pytest.fixture
def work(
    report_schedules,
    ba_trang_plan,
    villages,
    ethnic_groups,
    indicator_rules,
    commune_officer,
    village_head,
    commune_leader,
):
    """Ba Trang's demo year of work, as seed_demo records it before the reports."""
    actors = {
        "commune_wu_officer": commune_officer,
        "village_head": village_head,
        "commune_leader": commune_leader,
    }
    return demo_work_load(plan=ba_trang_plan, villages=villages, actors=actors)


@pytest.fixture
def actors(commune_officer, district_reviewer):
    return {"commune_wu_officer": commune_officer, "district_reviewer": district_reviewer}


@pytest.fixture
def loaded(work, ba_trang, actors):
    return {
        demo.report.schedule.code: demo for demo in demo_reports_load(unit=ba_trang, actors=actors)
    }


def totals() -> dict[str, int]:
    return {
        "reports": Report.objects.count(),
        "steps": ReportStep.objects.count(),
        "locks": DataLock.objects.count(),
        "events": Event.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(TZ).replace(tzinfo=None)


# --- what the demo leaves -----------------------------------------------------------------------


def test_the_review_report_is_submitted_on_time_and_approved_by_the_district(
    loaded, ba_to, commune_officer, district_reviewer
):
    report = loaded[REVIEW].report

    assert loaded[REVIEW].created
    assert (report.status, report.due_on, report.recipient_unit) == (
        "approved",
        D(2023, 12, 15),
        ba_to,
    )
    assert (report.period_start, report.period_end) == (D(2023, 1, 1), D(2023, 12, 15))
    assert (report.submitted_by, report.reviewed_by) == (commune_officer, district_reviewer)
    assert local(report.first_submitted_at) == datetime.datetime(2023, 12, 14, 16, 20)
    assert local(report.reviewed_at) == datetime.datetime(2023, 12, 20, 9, 15)
    assert report.submitted_on_time()
    assert "Tổ truyền thông cộng đồng tại thôn Nước Đang" in report.results
    assert "loa kéo" in report.difficulties.lower()
    assert "Thủ lĩnh của sự thay đổi" in report.proposals
    steps = [(s.action, s.actor_name, local(s.created_at).date()) for s in report.steps.all()]
    assert steps == [
        ("created", "hlhpn.batrang", D(2023, 12, 13)),
        ("saved", "hlhpn.batrang", D(2023, 12, 13)),
        ("submitted", "hlhpn.batrang", D(2023, 12, 14)),
        ("approved", "hlhpn.bato", D(2023, 12, 20)),
    ]


def test_the_narrative_matches_the_figures_kept_with_the_report(loaded):
    report = loaded[REVIEW].report

    lines = {line.number: line for line in figure_table(report.figures).lines}

    assert report.figures["computed_at"].startswith("2023-12-14T16:20")
    assert (lines["1.1.1"].value, lines["1.1.1"].target) == (1, 1)  # "01 tổ ... đạt 100%"
    assert (lines["1.2.2"].value, lines["1.2.2"].participants, lines["1.2.2"].women) == (
        5,
        340,
        207,
    )
    assert "05 buổi truyền thông" in report.results and "340 lượt" in report.results
    assert lines["3.1.2"].participants == 75 and "75 người" in report.results


def test_approval_locks_ba_trangs_records_of_the_period_and_an_edit_is_refused(
    loaded, commune_officer
):
    lock = loaded[REVIEW].report.lock
    event = Event.objects.get(kind="dialogue")

    data = event_input_from(event)
    data.title = "Đối thoại chính sách (sửa)"
    with pytest.raises(ValidationError, match="15/12/2023"):
        event_update(actor=commune_officer, event=event, data=data, expected_version=event.version)

    assert (lock.org_unit.name, lock.period_start, lock.period_end) == (
        "Ba Trang",
        D(2023, 1, 1),
        D(2023, 12, 15),
    )
    assert local(lock.created_at).date() == D(2023, 12, 20)
    event.refresh_from_db()
    assert event.title != "Đối thoại chính sách (sửa)"


def test_the_year_update_is_submitted_late_and_returned_with_a_comment(loaded, district_reviewer):
    report = loaded[UPDATE].report

    returned = report.steps.get(action="returned")

    assert (report.status, report.due_on) == ("returned", D(2024, 1, 31))
    assert (report.period_start, report.period_end) == (D(2023, 1, 1), D(2023, 12, 31))
    assert report.submitted_on_time() is False
    assert report.lock is None
    assert returned.actor == district_reviewer
    assert "14.000.000 đồng" in returned.comment
    assert local(returned.created_at) == datetime.datetime(2024, 2, 6, 15, 40)


def test_every_step_went_through_the_services_and_is_audited(loaded, ba_trang):
    actions = list(
        AuditEvent.objects.filter(org_unit=ba_trang, action__startswith="reports.report.")
        .order_by("pk")
        .values_list("action", "actor__username")
    )

    assert actions == [
        ("reports.report.created", "hlhpn.batrang"),
        ("reports.report.updated", "hlhpn.batrang"),
        ("reports.report.submitted", "hlhpn.batrang"),
        ("reports.report.approved", "hlhpn.bato"),
        ("reports.report.created", "hlhpn.batrang"),
        ("reports.report.updated", "hlhpn.batrang"),
        ("reports.report.submitted", "hlhpn.batrang"),
        ("reports.report.returned", "hlhpn.bato"),
    ]
    assert (
        AuditEvent.objects.filter(action="activities.data.locked", org_unit=ba_trang).count() == 1
    )


def test_the_district_sees_on_time_late_and_not_reported_for_2023(loaded, ba_to, district_reviewer):
    states = {
        (row.deadline.schedule.code, row.deadline.due_on): {r.unit.name: r.state for r in row.rows}
        for row in completeness(actor=district_reviewer, area=ba_to, year=2023)
    }

    assert states[(RESULTS_15_9, D(2023, 9, 15))]["Ba Trang"] == State.MISSING
    assert states[(REVIEW, D(2023, 12, 15))]["Ba Trang"] == State.ON_TIME
    assert states[(UPDATE, D(2024, 1, 31))]["Ba Trang"] == State.LATE


def test_the_commune_officer_is_reminded_of_the_returned_update(loaded, commune_officer):
    reminders = report_reminders(actor=commune_officer)

    returned = [r for r in reminders if r.kind == Reminder.RETURNED]
    assert [(r.schedule.code, r.due_on) for r in returned] == [(UPDATE, D(2024, 1, 31))]


def test_the_15_9_report_is_left_unstarted_because_its_period_has_no_records(
    loaded, ba_trang, commune_officer, report_schedules
):
    # Why the demo approves the 15/12 report: the plan was issued on 25/9/2023, so the period
    # 1/1–15/9/2023 has no records and submitting that report is refused.
    assert not Report.objects.filter(schedule__code=RESULTS_15_9).exists()
    report = report_open(
        actor=commune_officer,
        schedule=report_schedules[RESULTS_15_9],
        unit=ba_trang,
        due_on=D(2023, 9, 15),
    )
    report = report_save(
        actor=commune_officer,
        report=report,
        results="x",
        difficulties="y",
        proposals="z",
        expected_version=report.version,
    )

    with pytest.raises(ValidationError, match="15/09/2023"):
        report_submit(actor=commune_officer, report=report, expected_version=report.version)


def test_the_reviewer_opens_the_approved_report_and_another_commune_cannot(
    client, loaded, district_reviewer, other_commune_officer
):
    url = reverse("reports:report_detail", args=[loaded[REVIEW].report.pk])
    client.cookies["django_language"] = "en"

    client.force_login(district_reviewer)
    page = client.get(url)
    client.force_login(other_commune_officer)
    outsider = client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "14/12/2023 16:20" in html and "on time" in html
    assert "Thủ lĩnh của sự thay đổi" in html
    assert outsider.status_code == 404
    assert "Thủ lĩnh của sự thay đổi" not in outsider.content.decode()


def test_the_word_file_is_dated_the_day_the_report_was_sent(loaded, district_reviewer):
    exported = report_export(
        actor=district_reviewer, report=loaded[REVIEW].report, file_format=DOCX
    )

    document = docx.Document(io.BytesIO(exported.content))

    assert document.tables[0].cell(1, 1).text.startswith("Ba Trang, ngày 14 tháng 12 năm 2023")


# --- running again ------------------------------------------------------------------------------


def test_loading_again_creates_nothing_and_the_work_loader_skips_the_locked_records(
    loaded,
    work,
    ba_trang,
    ba_trang_plan,
    villages,
    actors,
    commune_officer,
    village_head,
    commune_leader,
):
    before = totals()
    work_actors = {
        "commune_wu_officer": commune_officer,
        "village_head": village_head,
        "commune_leader": commune_leader,
    }

    tally = demo_work_load(plan=ba_trang_plan, villages=villages, actors=work_actors)
    again = demo_reports_load(unit=ba_trang, actors=actors)

    assert tally.created == 0
    assert [demo.created for demo in again] == [False, False]
    assert totals() == before
    assert "already there" in again[0].lines()[0]


def test_a_report_a_user_carried_further_is_kept_as_it_is(
    loaded, ba_trang, actors, commune_officer
):
    update = loaded[UPDATE].report
    update = report_save(
        actor=commune_officer,
        report=update,
        results=update.results + " Kinh phí đã thực hiện: 14.000.000 đồng.",
        difficulties=update.difficulties,
        proposals=update.proposals,
        expected_version=update.version,
    )
    report_submit(actor=commune_officer, report=update, expected_version=update.version)

    demo_reports_load(unit=ba_trang, actors=actors)

    update.refresh_from_db()
    assert update.status == "submitted"
    assert update.steps.filter(action="returned").count() == 1


# --- bad input: a clear message, nothing written -------------------------------------------------


def _file(tmp_path, change) -> str:
    data = json.loads(DEMO_REPORTS_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "reports.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_an_unknown_step_is_refused_before_anything_is_written(work, ba_trang, actors, tmp_path):
    def change(data):
        data["reports"][1]["steps"][1]["action"] = "publish"

    with pytest.raises(ValidationError, match="publish"):
        demo_reports_load(unit=ba_trang, actors=actors, path=_file(tmp_path, change))

    assert (Report.objects.count(), DataLock.objects.count()) == (0, 0)


def test_steps_out_of_order_are_refused(work, ba_trang, actors, tmp_path):
    def change(data):
        data["reports"][0]["steps"][1]["at"] = "2023-12-01T09:00"

    with pytest.raises(ValidationError, match="order"):
        demo_reports_load(unit=ba_trang, actors=actors, path=_file(tmp_path, change))

    assert Report.objects.count() == 0


def test_a_reviewer_without_the_right_changes_nothing(
    work, ba_trang, commune_officer, other_commune_officer
):
    actors = {"commune_wu_officer": commune_officer, "district_reviewer": other_commune_officer}

    with pytest.raises(PermissionDenied):
        demo_reports_load(unit=ba_trang, actors=actors)

    assert (Report.objects.count(), DataLock.objects.count()) == (0, 0)
    assert not AuditEvent.objects.filter(action__startswith="reports.").exists()


def test_a_step_at_a_malformed_time_is_refused_with_its_place(work, ba_trang, actors, tmp_path):
    def change(data):
        data["reports"][0]["steps"][0]["at"] = "14/12/2023 16:20"

    with translation.override("en"), pytest.raises(ValidationError) as exc:
        demo_reports_load(unit=ba_trang, actors=actors, path=_file(tmp_path, change))

    assert exc.value.messages == [
        "reports.json: reports.1.steps.1.at: must be a date and time written YYYY-MM-DDTHH:MM"
    ]
    assert Report.objects.count() == 0
