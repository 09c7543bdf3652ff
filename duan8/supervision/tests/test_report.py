"""The year's supervision report: figures, .docx and .xlsx (text cells made safe), who may
download it."""

import datetime
import io

import openpyxl
from django.urls import reverse
from docx import Document

from duan8.core.models import AuditEvent
from duan8.supervision.follow_up import recommendation_answer, recommendation_create
from duan8.supervision.report import report_xlsx, supervision_year
from duan8.supervision.services import FindingInput, finding_create
from duan8.supervision.tests.conftest import DAY


def _fill(world):
    finding_create(
        actor=world.mttq,
        session=world.session,
        data=FindingInput(topic="records", text='=HYPERLINK("http://x")'),
    )
    for due in (datetime.date(2023, 12, 31), datetime.date(2024, 3, 31)):
        rec = recommendation_create(
            actor=world.mttq,
            session=world.session,
            text="Kiến nghị",
            addressee=world.commune,
            due_on=due,
            today=DAY,
        )
    recommendation_answer(
        actor=world.leader, recommendation=rec, answer="Đã làm", expected_version=1
    )


def test_the_year_counts_findings_by_topic_and_recommendations_answered_and_overdue(world):
    _fill(world)

    report = supervision_year(
        actor=world.leader, unit=world.commune, year=2023, today=datetime.date(2024, 1, 15)
    )

    assert len(report.sessions) == 1
    assert report.findings_by_topic["records"] == 1
    assert report.recommendations == {
        "made": 2,
        "accepted": 0,
        "answered": 1,
        "open": 1,
        "overdue": 1,
    }


def test_the_xlsx_holds_text_as_text_and_numbers_as_numbers(world):
    _fill(world)
    report = supervision_year(actor=world.mttq, unit=world.commune, year=2023)

    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))

    values = [c.value for row in book.active.iter_rows() for c in row if c.value is not None]
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)
    assert "Giám sát đối thoại chính sách thôn Bùi Hui" in values
    assert "Đinh Văn Mặt" not in values  # members are counted, not named
    assert 2 in values


def test_the_docx_download_is_audited_and_names_no_member(client, world):
    _fill(world)
    client.force_login(world.mttq)

    response = client.get(reverse("supervision:year_report", args=[world.commune.pk, 2023, "docx"]))

    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    tables = " ".join(
        c.text
        for t in Document(io.BytesIO(response.content)).tables
        for r in t.rows
        for c in r.cells
    )
    assert "BÁO CÁO" in text
    assert "Giám sát đối thoại chính sách thôn Bùi Hui" in tables
    assert "Đinh Văn Mặt" not in text + tables
    assert AuditEvent.objects.filter(action="supervision.report.exported").count() == 1


def test_another_communes_users_and_the_village_head_get_404(client, world):
    url = reverse("supervision:year_report", args=[world.commune.pk, 2023, "xlsx"])
    for user in (world.other, world.other_mttq, world.village_head):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(world.leader)
    assert client.get(url).status_code == 200
    bad = reverse("supervision:year_report", args=[world.commune.pk, 2023, "exe"])
    assert client.get(bad).status_code == 404
