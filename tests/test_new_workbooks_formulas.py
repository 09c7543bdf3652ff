"""The workbooks of the mothers' registry, the money and supervision hold no formula: a text a
user typed (a mother's name, a village, a payee, a session's title) that starts like a formula
is written as text with a leading apostrophe (OWASP), as in every other download
(duan8/reports/tests/test_exports_formulas.py). Each builder is fed the payloads directly."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from duan8.finance.documents import Table, table_xlsx
from duan8.mothers.documents_payments import payment_list_xlsx
from duan8.mothers.excel_template import proposals_template
from duan8.mothers.models import PaymentList
from duan8.mothers.selectors_payments import Column, ListTable, Row
from duan8.mothers.services.privacy import mother_subject_export
from duan8.mothers.tests.conftest import mothers_world, proposed_case  # noqa: F401 (fixtures)
from duan8.orgunits.models import OrgUnit
from duan8.supervision.report import report_xlsx, supervision_year

PAYLOADS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)"]


def _texts(content: bytes) -> tuple[set[str], list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    return {str(c.value) for c in cells if c.value is not None}, formulas


def _assert_text(content: bytes, payloads: list[str]) -> None:
    texts, formulas = _texts(content)
    assert formulas == []
    for payload in payloads:
        assert "'" + payload in texts, payload


def test_the_money_tables(ba_trang: OrgUnit) -> None:
    table = Table(
        unit=ba_trang,
        title="Giải ngân",
        subtitle=PAYLOADS[0],
        heads=["Nội dung", "Đã giải ngân"],
        rows=[[payload, Decimal(1000)] for payload in PAYLOADS],
        notes=[PAYLOADS[1]],
    )

    _assert_text(table_xlsx(table), PAYLOADS)


def test_the_payment_list(ba_trang: OrgUnit) -> None:
    payment_list = PaymentList(commune=ba_trang, year=2023, title=PAYLOADS[2], number="01")
    rows = [
        Row(
            entry=None,  # type: ignore[arg-type]
            number=n,
            name=payload,
            birth_year=1998,
            village=payload,
            status="approved",
            amounts=[Decimal(500_000)],
            due=Decimal(500_000),
        )
        for n, payload in enumerate(PAYLOADS, start=1)
    ]
    table = ListTable(payment_list=payment_list, columns=[Column("kit", PAYLOADS[3])], rows=rows)

    _assert_text(payment_list_xlsx(table), PAYLOADS)


def test_the_subject_access_export(mothers_world, proposed_case) -> None:  # noqa: F811
    mother = proposed_case.mother
    mother.full_name, mother.phone = PAYLOADS[0], PAYLOADS[2]
    mother.save(update_fields=["full_name", "phone"])

    content = mother_subject_export(actor=mothers_world.officer, mother=mother)

    _assert_text(content, [PAYLOADS[0], PAYLOADS[2]])


def test_the_proposal_template(mothers_world) -> None:  # noqa: F811
    OrgUnit.objects.filter(pk=mothers_world.village.pk).update(name=PAYLOADS[4])

    content = proposals_template(actor=mothers_world.health_station, commune=mothers_world.commune)

    texts, formulas = _texts(content)
    assert formulas == []
    assert [t for t in texts if PAYLOADS[4] in t]  # listed (as "Thôn @SUM(A1)"), as text


@pytest.fixture
def a_session(ba_trang, ba_trang_plan, villages, commune_officer, fatherland_front):
    from duan8.supervision.models import Session
    from duan8.supervision.services import SessionInput, session_create

    return session_create(
        actor=fatherland_front,
        unit=ba_trang,
        data=SessionInput(
            body=Session.Body.FATHERLAND_FRONT,
            title=PAYLOADS[1],
            subject=Session.Subject.POLICY,
            policy=PAYLOADS[3],
            starts_on=datetime.date(2023, 11, 20),
            members=["Đinh Văn Mặt"],
            methods=["documents"],
        ),
    )


def test_the_supervision_report(ba_trang, fatherland_front, a_session) -> None:
    report = supervision_year(
        actor=fatherland_front, unit=ba_trang, year=2023, today=datetime.date(2023, 12, 31)
    )

    _assert_text(report_xlsx(report), [PAYLOADS[1]])
