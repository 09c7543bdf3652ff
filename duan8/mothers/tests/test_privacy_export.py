"""The subject-access export (issue 13, point 5): everything held about one mother, for her,
from the commune WU officer; nobody else."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from duan8.core.models import AuditEvent
from duan8.mothers.services.consent import consent_record, consent_texts_load
from duan8.mothers.services.privacy import mother_subject_export
from duan8.mothers.tests.privacy_cases import FACILITY, ID_NUMBER, case_pay


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _values(sheet) -> list:
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


@pytest.fixture
def her_case(mothers_world, proposed_case):
    consent_texts_load()
    consent_record(
        actor=mothers_world.officer,
        mother=proposed_case.mother,
        given_on=datetime.date(2025, 3, 10),
        channel="paper",
        signer="mother",
    )
    case_pay(proposed_case, by=mothers_world.accountant, amount=2_200_000)
    return proposed_case


def test_the_officer_exports_all_her_data_as_text_and_our_numbers(mothers_world, her_case):
    content = mother_subject_export(actor=mothers_world.officer, mother=her_case.mother)

    book = _book(content)
    assert len(book.sheetnames) == 8
    cells = [value for sheet in book.worksheets for value in _values(sheet)]
    assert all(isinstance(value, str | int | float | Decimal) for value in cells)
    assert not any(isinstance(value, datetime.date) for value in cells)
    record = _values(book.worksheets[0])
    assert "Đinh Thị Lan" in record and ID_NUMBER in record and "17/05/1998" not in record
    everything = " ".join(str(value) for value in cells)
    assert FACILITY in everything  # her own health data, for her
    assert "10/03/2025" in everything
    assert 2200000 in cells
    trail = _values(book.worksheets[-1])
    assert any("proposed" in str(v).lower() or "đề xuất" in str(v).lower() for v in trail)
    event = AuditEvent.objects.get(action="mothers.subject.exported")
    assert event.org_unit == her_case.commune


@pytest.mark.parametrize(
    "who", ["health_station", "accountant", "leader", "other_officer", "province_reviewer"]
)
def test_nobody_else_may_export_her_data(mothers_world, her_case, who):
    with pytest.raises(PermissionDenied):
        mother_subject_export(actor=getattr(mothers_world, who), mother=her_case.mother)
    assert not AuditEvent.objects.filter(action="mothers.subject.exported").exists()


def test_the_export_page_downloads_for_the_officer(client, mothers_world, her_case):
    client.force_login(mothers_world.officer)

    response = client.get(reverse("mothers:subject_export", args=[her_case.mother.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other_officer", 404),
        ("province_reviewer", 404),
        ("fatherland_front", 404),
        ("accountant", 403),
        ("health_station", 403),
        ("leader", 403),
    ],
)
def test_the_export_page_must_not_serve_others(client, mothers_world, her_case, who, status):
    client.force_login(getattr(mothers_world, who))

    response = client.get(reverse("mothers:subject_export", args=[her_case.mother.pk]))

    assert response.status_code == status
