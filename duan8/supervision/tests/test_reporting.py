"""The reports to the level above count the period's supervision (issue 15, point 4): sessions,
findings, recommendations answered and overdue — counts only, never a member's name."""

import datetime

from django.urls import reverse

from duan8.supervision.follow_up import recommendation_create
from duan8.supervision.models import Finding, Session
from duan8.supervision.services import FindingInput, SessionInput, finding_create, session_create
from duan8.testing import report_samples


def test_the_report_page_counts_the_periods_supervision(
    client, ba_trang, ba_trang_plan, villages, commune_officer, fatherland_front
):
    report = report_samples(ba_trang, commune_officer)["report"]
    held = report.period_start + datetime.timedelta(days=10)
    session = session_create(
        actor=fatherland_front,
        unit=ba_trang,
        data=SessionInput(
            body=Session.Body.FATHERLAND_FRONT,
            title="Giám sát tổ truyền thông",
            subject=Session.Subject.POLICY,
            policy="Chính sách hỗ trợ",
            starts_on=held,
            members=["Đinh Văn Mặt"],
            methods=["documents"],
        ),
    )
    finding = finding_create(
        actor=fatherland_front,
        session=session,
        data=FindingInput(topic=Finding.Topic.values[0], text="Thiếu biên bản"),
    )
    recommendation_create(
        actor=fatherland_front,
        session=session,
        finding=finding,
        text="Bổ sung biên bản",
        addressee=ba_trang,
        due_on=held + datetime.timedelta(days=5),
        today=held,
    )
    client.force_login(commune_officer)

    page = client.get(reverse("reports:report_detail", kwargs={"pk": report.pk})).content.decode()

    block = page[page.index("report-supervision") :]
    numbers = [part.split("<")[0].strip() for part in block.split("<dd>")[1:5]]
    assert numbers == ["1", "1", "0 / 1", "1"]  # 1 session, 1 finding, 0 of 1 answered, 1 overdue
    assert "Đinh Văn Mặt" not in page
