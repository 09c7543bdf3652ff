"""Reports to the level above: open, write, submit, return, resubmit, approve (which locks the
unit's records for the period), unlock — with the rights of each level and the snapshot of the
figures."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import DataLock, Event
from duan8.activities.selectors.events import event_input_from
from duan8.activities.services.events import event_update
from duan8.core.concurrency import EditConflict
from duan8.core.models import AuditEvent
from duan8.reports.models import Report, ReportStep
from duan8.reports.services import (
    report_approve,
    report_open,
    report_request,
    report_return,
    report_save,
    report_submit,
    report_unlock,
)
from duan8.reports.tests.records import SESSIONS, plan_for, session
from duan8.testing import report_session

D = datetime.date
DUE = D(2023, 9, 15)
WU = "hlhpn-ket-qua-15-9"


@pytest.fixture
def sessions(ba_trang_plan, villages, commune_officer, indicator_rules):
    """Two sessions before 15/9/2023 in thôn Bùi Hui and thôn Nước Đang."""
    return [
        report_session(ba_trang_plan, villages["Bùi Hui"], D(2023, 5, 20), commune_officer),
        report_session(
            ba_trang_plan, villages["Nước Đang"], D(2023, 8, 2), commune_officer, women=7, men=0
        ),
    ]


@pytest.fixture
def draft(report_schedules, ba_trang, commune_officer):
    report = report_open(
        actor=commune_officer, schedule=report_schedules[WU], unit=ba_trang, due_on=DUE
    )
    return report_save(
        actor=commune_officer,
        report=report,
        results="Tổ chức 02 buổi truyền thông phòng chống tảo hôn.",
        difficulties="Đường đến thôn Kon Riêng bị sạt lở.",
        proposals="Đề nghị hỗ trợ loa cầm tay cho tổ truyền thông.",
        expected_version=report.version,
    )


@pytest.fixture
def submitted(draft, sessions, commune_officer):
    return report_submit(actor=commune_officer, report=draft, expected_version=draft.version)


def _edit_title(event: Event, actor, title: str) -> Event:
    data = event_input_from(event)
    data.title = title
    event.refresh_from_db()
    return event_update(actor=actor, event=event, data=data, expected_version=event.version)


def test_opening_a_deadline_creates_a_draft_with_its_period_and_the_unit_above(
    report_schedules, ba_trang, ba_to, commune_officer
):
    report = report_open(
        actor=commune_officer, schedule=report_schedules[WU], unit=ba_trang, due_on=DUE
    )

    assert report.status == Report.Status.DRAFT
    assert (report.period_start, report.period_end) == (D(2023, 1, 1), DUE)
    assert report.recipient_unit == ba_to
    assert [s.action for s in report.steps.all()] == ["created"]
    assert AuditEvent.objects.filter(action="reports.report.created").count() == 1


def test_opening_the_same_deadline_again_gives_the_same_report(
    draft, report_schedules, ba_trang, commune_officer
):
    again = report_open(
        actor=commune_officer, schedule=report_schedules[WU], unit=ba_trang, due_on=DUE
    )

    assert again.pk == draft.pk
    assert Report.objects.count() == 1


def test_a_day_that_is_no_deadline_is_refused(report_schedules, ba_trang, commune_officer):
    with pytest.raises(ValidationError) as refused:
        report_open(
            actor=commune_officer,
            schedule=report_schedules[WU],
            unit=ba_trang,
            due_on=D(2023, 9, 16),
        )

    assert "16/09/2023" in refused.value.messages[0]
    assert not Report.objects.exists()


def test_the_update_of_a_year_covers_the_whole_year(report_schedules, ba_trang, commune_officer):
    report = report_open(
        actor=commune_officer,
        schedule=report_schedules["hlhpn-cap-nhat-31-01"],
        unit=ba_trang,
        due_on=D(2024, 1, 31),
    )

    assert (report.period_start, report.period_end) == (D(2023, 1, 1), D(2023, 12, 31))


@pytest.mark.parametrize("persona", ["village_head", "commune_leader", "other_commune_officer"])
def test_only_the_communes_officer_opens_its_report(report_schedules, ba_trang, persona, request):
    with pytest.raises(PermissionDenied):
        report_open(
            actor=request.getfixturevalue(persona),
            schedule=report_schedules[WU],
            unit=ba_trang,
            due_on=DUE,
        )

    assert not Report.objects.exists()


def test_submitting_with_empty_parts_is_refused_naming_each_part(
    report_schedules, ba_trang, commune_officer, sessions
):
    report = report_open(
        actor=commune_officer, schedule=report_schedules[WU], unit=ba_trang, due_on=DUE
    )
    report = report_save(
        actor=commune_officer,
        report=report,
        results="Đã làm.",
        difficulties="",
        proposals=" ",
        expected_version=report.version,
    )

    with pytest.raises(ValidationError) as refused:
        report_submit(actor=commune_officer, report=report, expected_version=report.version)

    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("difficulties", _("This part is empty; write it before submitting.")),
        ("proposals", _("This part is empty; write it before submitting.")),
    ]
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and report.figures is None


def test_submitting_without_any_record_is_refused_naming_the_figures(
    draft, commune_officer, indicator_rules
):
    with pytest.raises(ValidationError) as refused:
        report_submit(actor=commune_officer, report=draft, expected_version=draft.version)

    assert "01/01/2023–15/09/2023" in refused.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == Report.Status.DRAFT


def test_submission_keeps_the_figures_of_the_records_by_sex_ethnicity_and_age(
    submitted, ba_trang_plan, villages, commune_officer
):
    line = next(x for x in submitted.figures["lines"] if x["code"] == SESSIONS)
    women = sum(c["count"] for c in line["participants"] if c["sex"] == "F")

    assert line["value"] == 2
    assert women == 19
    assert {c["minority"] for c in line["participants"]} == {True}
    assert {u["name"] for u in submitted.figures["units"][1:]} == {
        "Thôn Bùi Hui",
        "Thôn Kon Riêng",
        "Thôn Nước Đang",
    }
    assert submitted.first_submitted_at is not None
    assert submitted.steps.last().action == "submitted"

    report_session(ba_trang_plan, villages["Kon Riêng"], D(2023, 9, 1), commune_officer)
    submitted.refresh_from_db()
    line = next(x for x in submitted.figures["lines"] if x["code"] == SESSIONS)
    assert line["value"] == 2  # the snapshot does not follow the records


def test_return_correct_resubmit_approve_locks_the_period(
    submitted, commune_officer, district_reviewer, sessions, ba_trang
):
    returned = report_return(
        actor=district_reviewer,
        report=submitted,
        comment="Bổ sung số liệu thôn Kon Riêng.",
        expected_version=submitted.version,
    )
    assert returned.status == Report.Status.RETURNED

    report_save(
        actor=commune_officer,
        report=returned,
        results=returned.results + " Thôn Kon Riêng chưa tổ chức.",
        difficulties=returned.difficulties,
        proposals=returned.proposals,
        expected_version=returned.version,
    )
    resubmitted = report_submit(
        actor=commune_officer, report=returned, expected_version=returned.version
    )
    approved = report_approve(
        actor=district_reviewer,
        report=resubmitted,
        comment="Đồng ý.",
        expected_version=resubmitted.version,
    )

    assert approved.status == Report.Status.APPROVED
    assert approved.reviewed_by == district_reviewer
    lock = DataLock.objects.get()
    assert (lock.org_unit, lock.period_start, lock.period_end) == (ba_trang, D(2023, 1, 1), DUE)
    assert approved.lock == lock
    steps = [(s.action, s.comment) for s in approved.steps.all()]
    assert [a for a, _c in steps] == [
        "created",
        "saved",
        "submitted",
        "returned",
        "saved",
        "resubmitted",
        "approved",
    ]
    assert ("returned", "Bổ sung số liệu thôn Kon Riêng.") in steps
    assert AuditEvent.objects.filter(action="activities.data.locked").count() == 1

    with pytest.raises(ValidationError) as refused:
        _edit_title(sessions[0], commune_officer, "Sửa sau khi đã phê duyệt")
    assert "01/01/2023–15/09/2023" in refused.value.messages[0]
    assert Event.objects.get(pk=sessions[0].pk).title != "Sửa sau khi đã phê duyệt"


@pytest.mark.parametrize("persona", ["commune_leader", "commune_officer", "other_commune_officer"])
def test_approving_without_the_right_is_refused_and_changes_nothing(submitted, persona, request):
    with pytest.raises(PermissionDenied):
        report_approve(
            actor=request.getfixturevalue(persona),
            report=submitted,
            expected_version=submitted.version,
        )

    submitted.refresh_from_db()
    assert submitted.status == Report.Status.SUBMITTED
    assert not DataLock.objects.exists()


def test_the_commune_leader_authenticates_the_report_of_the_implementing_unit(
    report_schedules, ba_trang, commune_officer, commune_leader, district_reviewer, sessions
):
    report = report_open(
        actor=commune_officer,
        schedule=report_schedules["ubnd-xac-thuc-10-9"],
        unit=ba_trang,
        due_on=D(2023, 9, 10),
    )
    report_save(
        actor=commune_officer,
        report=report,
        results="a",
        difficulties="b",
        proposals="c",
        expected_version=report.version,
    )
    report_submit(actor=commune_officer, report=report, expected_version=report.version)

    approved = report_approve(actor=commune_leader, report=report, expected_version=report.version)

    assert report.recipient_unit == ba_trang
    assert approved.status == Report.Status.APPROVED


def test_returning_needs_a_comment(submitted, district_reviewer):
    with pytest.raises(ValidationError) as refused:
        report_return(
            actor=district_reviewer,
            report=submitted,
            comment="  ",
            expected_version=submitted.version,
        )

    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("comment", _("Say what must be corrected."))
    ]
    submitted.refresh_from_db()
    assert submitted.status == Report.Status.SUBMITTED


def test_a_change_that_names_no_version_is_refused(submitted, district_reviewer, commune_officer):
    with pytest.raises(EditConflict):
        report_return(
            actor=district_reviewer, report=submitted, comment="Sửa lại.", expected_version=None
        )
    with pytest.raises(EditConflict):
        report_approve(actor=district_reviewer, report=submitted, expected_version=None)

    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == (Report.Status.SUBMITTED, 3)
    assert not DataLock.objects.exists()


def test_approval_is_refused_when_the_records_changed_after_submission(
    submitted, district_reviewer, ba_trang_plan, villages, commune_officer
):
    report_session(ba_trang_plan, villages["Kon Riêng"], D(2023, 9, 1), commune_officer)

    with pytest.raises(ValidationError):
        report_approve(
            actor=district_reviewer, report=submitted, expected_version=submitted.version
        )

    submitted.refresh_from_db()
    assert submitted.status == Report.Status.SUBMITTED
    assert not DataLock.objects.exists()


def test_unlocking_needs_the_approver_and_a_reason_then_reopens_the_report(
    submitted, district_reviewer, commune_officer, sessions
):
    approved = report_approve(
        actor=district_reviewer, report=submitted, expected_version=submitted.version
    )

    with pytest.raises(PermissionDenied):
        report_unlock(
            actor=commune_officer,
            report=approved,
            reason="Sửa số liệu",
            expected_version=approved.version,
        )
    with pytest.raises(ValidationError):
        report_unlock(
            actor=district_reviewer, report=approved, reason="", expected_version=approved.version
        )
    assert DataLock.objects.count() == 1

    reopened = report_unlock(
        actor=district_reviewer,
        report=approved,
        reason="Thôn Bùi Hui ghi nhầm ngày.",
        expected_version=approved.version,
    )

    assert reopened.status == Report.Status.RETURNED and reopened.lock is None
    assert not DataLock.objects.exists()
    unlocked = AuditEvent.objects.get(action="activities.data.unlocked")
    assert unlocked.message == "Thôn Bùi Hui ghi nhầm ngày."
    assert reopened.steps.last().action == ReportStep.Action.UNLOCKED
    assert _edit_title(sessions[0], commune_officer, "Sửa lại ngày").title == "Sửa lại ngày"


def test_a_save_on_a_stale_copy_is_refused(draft, commune_officer):
    seen = draft.version
    report_save(
        actor=commune_officer,
        report=draft,
        results="Lần 1",
        difficulties="x",
        proposals="y",
        expected_version=seen,
    )

    with pytest.raises(EditConflict):
        report_save(
            actor=commune_officer,
            report=Report.objects.get(pk=draft.pk),
            results="Lần 2",
            difficulties="x",
            proposals="y",
            expected_version=seen,
        )

    assert Report.objects.get(pk=draft.pk).results == "Lần 1"


def test_a_submitted_report_cannot_be_edited(submitted, commune_officer):
    with pytest.raises(ValidationError):
        report_save(
            actor=commune_officer,
            report=submitted,
            results="x",
            difficulties="y",
            proposals="z",
            expected_version=submitted.version,
        )


# --- after 1/7/2025: no district; the commune reports to the province -----------------------


@pytest.fixture
def province_reviewer(new_quang_ngai):
    user = UserFactory(username="hlhpn.quangngai", full_name="Lê Thị Ngãi")
    membership(user, new_quang_ngai, "province_reviewer")
    return user


@pytest.fixture
def dtt_officer(ba_trang_merger):
    user = UserFactory(username="hlhpn.dangthuytram", full_name="Hồ Thị Trâm")
    membership(user, ba_trang_merger, "commune_wu_officer")
    return user


def test_after_the_reform_the_report_goes_to_the_province_with_the_merged_communes_figures(
    report_schedules,
    ba_trang_merger,
    ba_trang,
    ba_kham,
    ba_kham_village,
    new_quang_ngai,
    indicator_rules,
    dtt_officer,
    province_reviewer,
    district_reviewer,
):
    session(plan_for(ba_trang, 2025), ba_trang, D(2025, 3, 10), women=10)
    session(
        plan_for(ba_kham, 2025),
        ba_kham_village,
        D(2025, 4, 10),
        women=5,
    )
    session(plan_for(ba_trang_merger, 2025), ba_trang_merger, D(2025, 8, 10), women=3)
    report = report_open(
        actor=dtt_officer,
        schedule=report_schedules["hlhpn-ket-qua-15-9-2025"],
        unit=ba_trang_merger,
        due_on=D(2025, 9, 15),
    )
    report_save(
        actor=dtt_officer,
        report=report,
        results="a",
        difficulties="b",
        proposals="c",
        expected_version=report.version,
    )
    report_submit(actor=dtt_officer, report=report, expected_version=report.version)

    line = next(x for x in report.figures["lines"] if x["code"] == SESSIONS)
    assert report.recipient_unit == new_quang_ngai
    assert line["value"] == 3
    with pytest.raises(PermissionDenied):
        report_approve(actor=district_reviewer, report=report, expected_version=report.version)
    assert (
        report_approve(
            actor=province_reviewer, report=report, expected_version=report.version
        ).status
        == "approved"
    )


def test_the_phase_i_schedule_does_not_apply_after_the_reform(
    report_schedules, ba_trang_merger, dtt_officer
):
    with pytest.raises(ValidationError):
        report_open(
            actor=dtt_officer,
            schedule=report_schedules[WU],
            unit=ba_trang_merger,
            due_on=D(2025, 9, 15),
        )


def test_a_reviewer_requests_an_ad_hoc_report_from_the_communes_of_the_area(
    report_schedules, ba_trang_merger, new_quang_ngai, province_reviewer, dtt_officer
):
    today = datetime.date.today()  # noqa: DTZ011 - the service compares with the local date
    due = today + datetime.timedelta(days=10)

    created = report_request(
        actor=province_reviewer,
        schedule=report_schedules["dot-xuat-2025"],
        area=new_quang_ngai,
        due_on=due,
        period_start=D(today.year, 1, 1),
        period_end=today,
        note="Báo cáo nhanh kết quả truyền thông phòng chống tảo hôn.",
    )

    assert [r.org_unit for r in created] == [ba_trang_merger]
    assert created[0].recipient_unit == new_quang_ngai
    assert created[0].steps.get().action == "requested"
    with pytest.raises(PermissionDenied):
        report_request(
            actor=dtt_officer,
            schedule=report_schedules["dot-xuat-2025"],
            area=new_quang_ngai,
            due_on=due,
            period_start=D(today.year, 1, 1),
            period_end=today,
            note="x",
        )
