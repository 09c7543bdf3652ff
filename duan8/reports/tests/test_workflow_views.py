"""Report pages: what each persona sees and may do, and what outsiders must not see."""

import datetime

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import DataLock
from duan8.core.models import AuditEvent
from duan8.reports.models import Report
from duan8.reports.services import report_approve, report_open, report_save, report_submit
from duan8.testing import report_session

D = datetime.date
DUE = D(2023, 9, 15)


@pytest.fixture
def draft(report_schedules, ba_trang, commune_officer):
    return report_open(
        actor=commune_officer,
        schedule=report_schedules["hlhpn-ket-qua-15-9"],
        unit=ba_trang,
        due_on=DUE,
    )


@pytest.fixture
def recorded(ba_trang_plan, villages, commune_officer, indicator_rules):
    return report_session(ba_trang_plan, villages["Bùi Hui"], D(2023, 6, 3), commune_officer)


@pytest.fixture
def submitted(draft, recorded, commune_officer):
    report_save(
        actor=commune_officer,
        report=draft,
        results="Tổ chức truyền thông tại thôn Bùi Hui.",
        difficulties="Thiếu kinh phí.",
        proposals="Bổ sung kinh phí.",
        expected_version=draft.version,
    )
    return report_submit(actor=commune_officer, report=draft, expected_version=draft.version)


def url(name: str, report: Report) -> str:
    return reverse(f"reports:{name}", kwargs={"pk": report.pk})


def test_the_commune_sees_its_deadlines_and_starts_a_report(
    client, commune_officer, ba_trang, report_schedules
):
    client.force_login(commune_officer)
    page = client.get(reverse("reports:unit_reports", kwargs={"pk": ba_trang.pk}) + "?year=2023")
    html = page.content.decode()

    assert "15/09/2023" in html and "31/01/2024" in html and "15/12/2023" in html
    started = client.post(
        reverse("reports:report_open", kwargs={"pk": ba_trang.pk}),
        {"schedule": "hlhpn-ket-qua-15-9", "due_on": "2023-09-15"},
    )
    report = Report.objects.get()
    assert started.status_code == 302 and started["Location"] == url("report_edit", report)


def test_writing_and_submitting_from_the_form(client, commune_officer, draft, recorded):
    client.force_login(commune_officer)

    response = client.post(
        url("report_edit", draft),
        {
            "results": "Tổ chức 01 buổi truyền thông.",
            "difficulties": "Thiếu loa.",
            "proposals": "Hỗ trợ loa.",
            "version": draft.version,
            "submit": "1",
        },
    )

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == Report.Status.SUBMITTED
    page = client.get(url("report_detail", draft)).content.decode()
    assert "Tổ chức 01 buổi truyền thông." in page
    assert "Đinh Thị Hoa" in page or commune_officer.username in page  # the history names them


def test_submitting_an_incomplete_report_names_what_is_missing_and_keeps_the_text(
    client, commune_officer, draft, indicator_rules
):
    client.force_login(commune_officer)

    response = client.post(
        url("report_edit", draft),
        {
            "results": "Đã viết phần kết quả.",
            "difficulties": "",
            "proposals": "",
            "version": draft.version,
            "submit": "1",
        },
        follow=True,
    )

    html = response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Report.Status.DRAFT
    assert draft.results == "Đã viết phần kết quả."
    empty = _("This part is empty; write it before submitting.")
    for part in (_("Difficulties"), _("Proposals")):  # at the top, each message names its part
        assert _("%(label)s: %(message)s") % {"label": part, "message": empty} in html
    assert _("%(label)s: %(message)s") % {"label": _("Results"), "message": empty} not in html
    assert "01/01/2023–15/09/2023" in html  # no figures for the period either


def field_errors(html: str) -> dict[str, list[str]]:
    """The messages shown beside each field of a page's form, and those at its top ("")."""
    page = lxml.html.fromstring(html)
    found: dict[str, list[str]] = {}
    for error in page.xpath('//p[@class="field-error"]'):
        field = error.getparent().get("id").removeprefix("id_").removesuffix("_error")
        found.setdefault(field, []).append(error.text_content())
    top = [li.text_content() for li in page.xpath('//form//div[@role="alert"]//li')]
    if top:
        found[""] = top
    return found


def test_a_part_too_long_is_refused_beside_that_part(client, commune_officer, draft):
    client.force_login(commune_officer)

    response = client.post(
        url("report_edit", draft),
        {"results": "Ngắn.", "proposals": "x" * 20_001, "version": draft.version},
    )

    assert response.status_code == 200
    assert field_errors(response.content.decode()) == {
        "proposals": [
            _("%(length)s characters; at most %(limit)s.") % {"length": 20_001, "limit": 20_000}
        ]
    }
    assert Report.objects.get(pk=draft.pk).results == ""


def test_a_request_form_shows_each_problem_beside_its_field(
    client, report_schedules, ba_trang_merger, new_quang_ngai
):
    reviewer = UserFactory(username="hlhpn.quangngai")
    membership(reviewer, new_quang_ngai, "province_reviewer")
    today = datetime.date.today()  # noqa: DTZ011 - the view compares with the local date
    yesterday = today - datetime.timedelta(days=1)
    client.force_login(reviewer)

    response = client.post(
        reverse("reports:report_request", kwargs={"pk": new_quang_ngai.pk}),
        {
            "schedule": report_schedules["dot-xuat-2025"].pk,
            "due_on": yesterday.isoformat(),
            "period_start": D(today.year, 1, 1).isoformat(),
            "period_end": yesterday.isoformat(),
            "note": "  ",
        },
    )

    assert response.status_code == 200
    assert field_errors(response.content.decode()) == {
        "due_on": [_("%(date)s is in the past.") % {"date": yesterday.strftime("%d/%m/%Y")}],
        "note": [_("Say what the report must cover.")],
    }
    assert not Report.objects.exists()


def test_the_report_page_shows_figures_history_and_the_review_forms_to_the_reviewer(
    client, district_reviewer, submitted
):
    client.force_login(district_reviewer)

    tree = lxml.html.fromstring(client.get(url("report_detail", submitted)).content.decode())

    figures = {
        tr[0].text_content(): [td.text_content().strip() for td in tr[3:]]
        for tr in tree.xpath("//table[contains(@class, 'report-figures')]/tbody/tr")
    }
    # 1.2.2 (sessions held by the teams): the one session, of 12 women and 3 men of minorities
    assert figures["1.2.2"] == ["1", "—", "15", "12", "3", "15", "—"]
    assert figures["1.2.1"][0] == "0"  # the other indicators count nothing
    assert tree.xpath(f"//form[@action='{url('report_approve', submitted)}']")
    assert tree.xpath(f"//form[@action='{url('report_return', submitted)}']")
    steps = tree.xpath("//section[@class='report-history']//li")
    assert len(steps) == 3  # started, edited, submitted


def test_the_reviewer_returns_with_a_comment_the_commune_reads_it(
    client, district_reviewer, commune_officer, submitted
):
    client.force_login(district_reviewer)
    client.post(
        url("report_return", submitted),
        {"comment": "Ghi rõ số người tham gia là nữ.", "version": submitted.version},
    )

    client.force_login(commune_officer)
    form_page = client.get(url("report_edit", submitted)).content.decode()

    assert Report.objects.get(pk=submitted.pk).status == Report.Status.RETURNED
    assert "Ghi rõ số người tham gia là nữ." in form_page


def test_the_commune_leader_cannot_approve_the_report_to_the_district(
    client, commune_leader, submitted
):
    client.force_login(commune_leader)

    page = client.get(url("report_detail", submitted)).content.decode()
    response = client.post(url("report_approve", submitted), {"version": submitted.version})

    assert url("report_approve", submitted) not in page
    assert response.status_code == 403
    assert Report.objects.get(pk=submitted.pk).status == Report.Status.SUBMITTED
    assert not DataLock.objects.exists()
    assert AuditEvent.objects.filter(action="access.denied").count() == 1


@pytest.mark.parametrize("persona", ["other_commune_officer", "village_head"])
def test_outsiders_get_404_and_nothing_of_the_report(client, submitted, persona, request):
    client.force_login(request.getfixturevalue(persona))

    for name in ("report_detail", "report_edit", "report_xlsx", "report_docx"):
        response = client.get(url(name, submitted))
        assert response.status_code == 404, name
        assert "Bùi Hui" not in response.content.decode()
    for name in ("report_submit", "report_return", "report_approve", "report_unlock"):
        assert client.post(url(name, submitted), {"comment": "x", "reason": "x"}).status_code == 404
    assert Report.objects.get(pk=submitted.pk).status == Report.Status.SUBMITTED


def test_a_stale_form_is_refused_and_keeps_the_other_save(client, commune_officer, draft):
    client.force_login(commune_officer)
    old = draft.version
    client.post(url("report_edit", draft), {"results": "Bản A", "version": old})

    response = client.post(url("report_edit", draft), {"results": "Bản B", "version": old})

    assert response.status_code == 200
    assert Report.objects.get(pk=draft.pk).results == "Bản A"


def test_approving_through_the_page_locks_and_the_event_page_refuses_an_edit(
    client, district_reviewer, commune_officer, submitted, recorded
):
    client.force_login(district_reviewer)
    client.post(url("report_approve", submitted), {"version": submitted.version})
    client.force_login(commune_officer)

    response = client.post(
        reverse("activities:event_delete", kwargs={"pk": recorded.pk}), follow=True
    )

    assert Report.objects.get(pk=submitted.pk).status == Report.Status.APPROVED
    assert "01/01/2023–15/09/2023" in response.content.decode()
    assert recorded.__class__.objects.filter(pk=recorded.pk).exists()


def test_unlock_through_the_page_needs_a_reason(client, district_reviewer, submitted):
    report_approve(actor=district_reviewer, report=submitted, expected_version=submitted.version)
    client.force_login(district_reviewer)

    version = Report.objects.get(pk=submitted.pk).version
    client.post(url("report_unlock", submitted), {"reason": "", "version": version})
    assert DataLock.objects.count() == 1
    client.post(url("report_unlock", submitted), {"reason": "Sai ngày", "version": ""})
    assert DataLock.objects.count() == 1  # a form that names no version is refused
    client.post(url("report_unlock", submitted), {"reason": "Sai ngày", "version": version})

    assert not DataLock.objects.exists()
    assert Report.objects.get(pk=submitted.pk).status == Report.Status.RETURNED


def test_the_home_page_lists_the_report_waiting_for_review(client, district_reviewer, submitted):
    client.force_login(district_reviewer)

    html = client.get(reverse("home")).content.decode()

    assert url("report_detail", submitted) in html


def test_the_reports_page_runs_a_fixed_number_of_queries(
    client, commune_officer, ba_trang, report_schedules, django_assert_num_queries
):
    client.force_login(commune_officer)
    page = reverse("reports:unit_reports", kwargs={"pk": ba_trang.pk}) + "?year=2023"
    client.get(page)
    with CaptureQueriesContext(connection) as none_started:
        client.get(page)
    for due in (D(2023, 9, 15), D(2024, 1, 31)):
        code = "hlhpn-ket-qua-15-9" if due.month == 9 else "hlhpn-cap-nhat-31-01"
        report_open(
            actor=commune_officer, schedule=report_schedules[code], unit=ba_trang, due_on=due
        )

    with django_assert_num_queries(len(none_started)):
        client.get(page)


def test_the_province_requests_an_ad_hoc_report_and_the_commune_finds_it(
    client, report_schedules, ba_trang_merger, new_quang_ngai
):
    reviewer = UserFactory(username="hlhpn.quangngai")
    membership(reviewer, new_quang_ngai, "province_reviewer")
    officer = UserFactory(username="hlhpn.dangthuytram")
    membership(officer, ba_trang_merger, "commune_wu_officer")
    today = datetime.date.today()  # noqa: DTZ011 - the view compares with the local date
    page = reverse("reports:report_request", kwargs={"pk": new_quang_ngai.pk})
    data = {
        "schedule": report_schedules["dot-xuat-2025"].pk,
        "due_on": (today + datetime.timedelta(days=5)).isoformat(),
        "period_start": D(today.year, 1, 1).isoformat(),
        "period_end": today.isoformat(),
        "note": "Báo cáo nhanh tình hình tảo hôn.",
    }
    client.force_login(officer)
    assert client.post(page, data).status_code == 404  # the province is not the commune's
    client.force_login(reviewer)

    response = client.post(page, data)

    report = Report.objects.get()
    assert response.status_code == 302
    assert (report.org_unit, report.recipient_unit) == (ba_trang_merger, new_quang_ngai)
    client.force_login(officer)
    home = client.get(reverse("home")).content.decode()
    assert url("report_detail", report) in home


def test_a_district_that_ended_is_asked_about_its_last_period(
    client, report_schedules, ba_to, district_reviewer
):
    ba_to.valid_to = D(2025, 6, 30)
    ba_to.save(update_fields=["valid_to"])
    client.force_login(district_reviewer)

    form = client.get(reverse("reports:report_request", kwargs={"pk": ba_to.pk})).context["form"]

    assert (form.initial["period_start"], form.initial["period_end"]) == (
        D(2025, 1, 1),
        D(2025, 6, 30),
    )
