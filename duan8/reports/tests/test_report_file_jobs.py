"""A report's Word and Excel files made by a job (issue 18, point 3): a district's report (its
figures add up its communes' records), a commune's Word file; a commune's Excel file stays in the
request. Read back with python-docx and openpyxl; outsiders get 404 everywhere; a double tap
makes one job."""

import datetime
import io

import docx
import openpyxl
import pytest
import time_machine
from django.urls import reverse

from duan8.accounts.models import Membership
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.models import AuditEvent
from duan8.jobs.models import Job
from duan8.jobs.tests.helpers import download_through_job
from duan8.orgunits.models import OrgUnit
from duan8.reports.figures import figure_table, report_figures
from duan8.reports.models import Report, ReportSchedule
from duan8.testing import report_session

D = datetime.date
DUE = D(2023, 9, 15)
TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def district_report(report_schedules, ba_to, quang_ngai, ba_trang_plan, villages, commune_officer,
                    indicator_rules):  # fmt: skip
    """Huyện Ba Tơ's report to the province (a schedule whose reporting level is the district),
    over sessions recorded in two of xã Ba Trang's villages."""
    report_session(ba_trang_plan, villages["Bùi Hui"], D(2023, 5, 20), commune_officer)
    report_session(ba_trang_plan, villages["Nước Đang"], D(2023, 7, 2), commune_officer, women=8)
    commune_schedule = report_schedules["hlhpn-ket-qua-15-9"]
    schedule = ReportSchedule.objects.create(
        code="hlhpn-huyen-15-9",
        name="Báo cáo kết quả thực hiện Dự án 8 của Hội LHPN huyện (15/9)",
        kind=ReportSchedule.Kind.ANNUAL,
        channel=ReportSchedule.Channel.WOMEN_UNION,
        reporter="Hội LHPN huyện",
        reporting_level=OrgUnit.Level.DISTRICT,
        recipient_level=OrgUnit.Level.PROVINCE,
        due_month=9,
        due_day=15,
        period_kind=ReportSchedule.PeriodKind.YEAR_TO_DATE,
        document=commune_schedule.document,
    )
    return Report.objects.create(
        schedule=schedule,
        org_unit=ba_to,
        recipient_unit=quang_ngai,
        period_start=D(2023, 1, 1),
        period_end=DUE,
        due_on=DUE,
        results="Các xã tổ chức truyền thông phòng chống tảo hôn.",
    )


def url(name: str, report: Report) -> str:
    return reverse(f"reports:{name}", kwargs={"pk": report.pk})


def _expected(actor, report):
    """The line of the communication sessions as the report's page shows it."""
    table = figure_table(report_figures(actor=actor, report=report))
    return next(line for line in table.lines if line.number == "1.2.2")


def test_a_districts_word_file_is_made_by_a_job_and_holds_the_reports_numbers(
    client, district_reviewer, district_report
):
    client.force_login(district_reviewer)
    expected = _expected(district_reviewer, district_report)

    page = client.get(url("report_docx", district_report))
    response = download_through_job(client, url("report_docx", district_report))

    assert page.status_code == 200 and "Content-Disposition" not in page  # a button, no file
    assert response.job.kind == "reports.report_docx"
    assert response["Content-Disposition"].endswith('.docx"')
    document = docx.Document(io.BytesIO(response.content))
    rows = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    sessions = next(r for r in rows if r[0] == "1.2.2")
    assert expected.value == 2 and expected.women == 20  # both villages' sessions, added up
    assert sessions[3] == str(expected.value) and sessions[6] == str(expected.women)
    assert "Các xã tổ chức truyền thông phòng chống tảo hôn." in [
        p.text for p in document.paragraphs
    ]
    event = AuditEvent.objects.get(action="reports.report.exported")
    assert event.actor == district_reviewer and event.after["format"] == "docx"


def test_a_districts_excel_file_is_made_by_a_job_and_holds_the_reports_numbers(
    client, district_reviewer, district_report
):
    client.force_login(district_reviewer)
    expected = _expected(district_reviewer, district_report)

    response = download_through_job(client, url("report_xlsx", district_report))

    assert response.job.kind == "reports.report_xlsx"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    figures = list(book["Số liệu"].iter_rows(values_only=True))
    sessions = next(row for row in figures if row[0] == "1.2.2")
    assert sessions[4] == expected.value and sessions[7] == expected.women
    facts = [c for row in book["Báo cáo"].iter_rows(values_only=True) for c in row if c]
    assert "Huyện Ba Tơ" in facts


def test_a_communes_excel_file_is_sent_at_once_and_its_word_file_by_a_job(
    client, commune_officer, district_report, report_schedules, ba_trang
):
    report = Report.objects.create(
        schedule=report_schedules["hlhpn-ket-qua-15-9"],
        org_unit=ba_trang,
        recipient_unit=district_report.org_unit,
        period_start=D(2023, 1, 1),
        period_end=DUE,
        due_on=DUE,
    )
    client.force_login(commune_officer)

    excel = client.get(url("report_xlsx", report))
    word = download_through_job(client, url("report_docx", report))

    assert excel["Content-Disposition"].endswith('.xlsx"')
    sessions = next(
        row
        for row in openpyxl.load_workbook(io.BytesIO(excel.content))["Số liệu"].iter_rows(
            values_only=True
        )
        if row[0] == "1.2.2"
    )
    assert sessions[4] == _expected(commune_officer, report).value
    assert Job.objects.filter(kind="reports.report_xlsx").count() == 0
    assert word.job.kind == "reports.report_docx"
    assert docx.Document(io.BytesIO(word.content)).paragraphs


@pytest.mark.parametrize("name", ["report_docx", "report_xlsx"])
def test_a_double_tap_makes_one_job(client, district_reviewer, district_report, name):
    client.force_login(district_reviewer)

    with time_machine.travel(datetime.datetime(2026, 3, 4, 10, 15, 20, tzinfo=TZ), tick=False):
        first = client.post(url(name, district_report))
        second = client.post(url(name, district_report))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Job.objects.count() == 1


@pytest.mark.parametrize("name", ["report_docx", "report_pdf"])
def test_a_draft_asked_again_later_is_made_again_from_todays_records(
    client, district_reviewer, district_report, name
):
    client.force_login(district_reviewer)

    with time_machine.travel(datetime.datetime(2026, 3, 4, 10, 15, tzinfo=TZ), tick=False):
        first = client.post(url(name, district_report))
    with time_machine.travel(datetime.datetime(2026, 3, 4, 10, 17, tzinfo=TZ), tick=False):
        second = client.post(url(name, district_report))

    assert first["Location"] != second["Location"]
    assert Job.objects.count() == 2


def test_outsiders_get_404_on_the_files_the_job_and_its_download(
    client, district_reviewer, district_report, other_commune_officer
):
    client.force_login(district_reviewer)
    done = download_through_job(client, url("report_docx", district_report)).job
    job_urls = [
        reverse("jobs:job_detail", kwargs={"job_id": done.pk}),
        reverse("jobs:job_download", kwargs={"job_id": done.pk}),
    ]
    client.force_login(other_commune_officer)  # a commune of the district: not its report

    for name in ("report_docx", "report_xlsx"):
        assert client.get(url(name, district_report)).status_code == 404
        assert client.post(url(name, district_report)).status_code == 404
    for job_url in job_urls:
        assert client.get(job_url).status_code == 404

    assert Job.objects.count() == 1


def test_a_reviewer_who_lost_the_district_can_no_longer_download_its_file(
    client, district_reviewer, district_report
):
    client.force_login(district_reviewer)
    done = download_through_job(client, url("report_xlsx", district_report)).job
    download = reverse("jobs:job_download", kwargs={"job_id": done.pk})

    Membership.objects.filter(user=district_reviewer).delete()

    assert client.get(download).status_code == 404


def test_a_province_reviewer_gets_the_districts_file(client, quang_ngai, district_report):
    reviewer = UserFactory(username="hlhpn.quangngai")
    membership(reviewer, quang_ngai, "province_reviewer")
    client.force_login(reviewer)

    response = download_through_job(client, url("report_xlsx", district_report))

    assert response.status_code == 200 and response.job.actor == reviewer
