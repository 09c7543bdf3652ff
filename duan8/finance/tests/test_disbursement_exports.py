"""The disbursement as data elements of the DHIS2 and ADX exports (settings.DATA_EXPORT_EXTENSIONS)
and in a report's figures (settings.REPORT_FIGURES_EXTENSIONS), read back."""

import datetime
import json
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from duan8.accounts.models import User
from duan8.activities.values import SYSTEM
from duan8.finance.models import Source
from duan8.finance.tests.frep_records import allocate, pay
from duan8.orgunits.models import OrgUnit
from duan8.reports import figures as report_figures
from duan8.reports.exports import data_export
from duan8.reports.tests.records import plan_for

pytestmark = pytest.mark.django_db

D = datetime.date
IN_2027 = D(2027, 1, 1)
ADX = "{urn:ihe:qrph:adx:2015}"
SCHEMA = Path(report_figures.__file__).resolve().parent / "data" / "adx" / "adx_loose.xsd"


@pytest.fixture(autouse=True)
def _extensions(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_EXPORT_EXTENSIONS = ["duan8.finance.reporting.export_money_values"]
    settings.REPORT_FIGURES_EXTENSIONS = ["duan8.finance.reporting.report_money_figures"]


@pytest.fixture
def merged(indicator_rules, ba_trang_merger, ba_trang: OrgUnit, ba_kham: OrgUnit) -> OrgUnit:  # type: ignore[no-untyped-def]
    plan = plan_for(ba_trang, 2023)
    allocate(ba_trang, 100_000_000)
    allocate(ba_trang, 20_000_000, source=Source.LOCAL)
    pay(ba_trang, plan, 30_000_000, D(2023, 3, 1))
    pay(ba_trang, plan, 6_000_000, D(2023, 8, 1), source=Source.LOCAL)
    allocate(ba_kham, 80_000_000)
    pay(ba_kham, plan, 24_000_000, D(2023, 11, 1))
    return ba_trang_merger


def test_dhis2_holds_the_disbursement_of_the_merged_commune(
    merged: OrgUnit, new_quang_ngai: OrgUnit
) -> None:
    export = data_export(
        actor=SYSTEM, unit=new_quang_ngai, period=2023, as_of=IN_2027, format="dhis2"
    )
    values = {
        (v["orgUnit"], v["dataElement"], v["categoryOptionCombo"]): v["value"]
        for v in json.loads(export.content)["dataValues"]
        if v["dataElement"].startswith("DA8_FIN")
    }
    assert values[("VN-QD19-51", "DA8_FIN_ALLOCATED", "default")] == "200000000"
    assert values[("VN-QD19-51", "DA8_FIN_DISBURSED", "default")] == "60000000"
    assert values[("VN-QD19-51", "DA8_FIN_DISBURSED_PCT", "default")] == "30"
    assert values[("VN-QD19-51", "DA8_FIN_DISBURSED", "NSDP")] == "6000000"
    assert values[("VN-QD19-51", "DA8_FIN_ALLOCATED", "NSTW")] == "180000000"
    # Ba Trang's and Ba Khâm's 2023 money, under xã Đặng Thùy Trâm on the map of 2027
    assert values[("VN-QD19-21520", "DA8_FIN_DISBURSED", "default")] == "60000000"


def test_adx_holds_them_and_still_validates(merged: OrgUnit, new_quang_ngai: OrgUnit) -> None:
    export = data_export(
        actor=SYSTEM, unit=new_quang_ngai, period=2023, as_of=IN_2027, format="adx"
    )
    document = etree.parse(BytesIO(export.content))
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(document), [e.message for e in schema.error_log]
    values = {
        (g.get("orgUnit"), v.get("dataElement"), v.get("SOURCE")): v.get("value")
        for g in document.getroot().iter(f"{ADX}group")
        for v in g.iter(f"{ADX}dataValue")
    }
    assert values[("VN-QD19-51", "DA8_FIN_DISBURSED", None)] == "60000000"
    assert values[("VN-QD19-51", "DA8_FIN_DISBURSED", "NSTW")] == "54000000"


def test_a_quarter_carries_its_own_disbursement(merged: OrgUnit, new_quang_ngai: OrgUnit) -> None:
    from duan8.activities.rule_filters import Period

    export = data_export(
        actor=SYSTEM,
        unit=new_quang_ngai,
        period=Period(D(2023, 7, 1), D(2023, 9, 30)),
        as_of=IN_2027,
        format="dhis2",
    )
    values = {
        v["dataElement"]: v["value"]
        for v in json.loads(export.content)["dataValues"]
        if v["dataElement"].startswith("DA8_FIN") and v["orgUnit"] == "VN-QD19-51"
    }
    assert values == {
        "DA8_FIN_ALLOCATED": "200000000",
        "DA8_FIN_DISBURSED": "6000000",  # paid in the quarter
        "DA8_FIN_DISBURSED_PCT": "18",  # 36 of 200 million paid by its end
    }


def test_a_reader_of_records_without_the_money_right_gets_no_money(
    merged: OrgUnit, ba_trang: OrgUnit, village_head: User
) -> None:
    from duan8.accounts.tests.factories import UserFactory, membership

    reader = UserFactory.create(username="records.only")
    membership(reader, ba_trang, "village_head")
    from duan8.activities.rule_filters import Period
    from duan8.finance.reporting import export_money_values

    assert (
        export_money_values(
            actor=reader,
            unit=ba_trang,
            period=Period.year(2023),
            as_of=D(2023, 12, 31),
            children=True,
        )
        == []
    )


def test_a_reports_figures_carry_the_disbursement_by_its_period_end(
    client, ba_trang: OrgUnit, ba_trang_plan, commune_officer: User
) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from duan8.testing import report_samples

    allocate(ba_trang, 100_000_000)
    pay(ba_trang, ba_trang_plan, 12_000_000, D(2023, 3, 1))
    pay(ba_trang, ba_trang_plan, 50_000_000, D(2023, 11, 1))  # after the period
    report = report_samples(ba_trang, commune_officer)["report"]

    money = report_figures.figures_compute(actor=commune_officer, report=report)["disbursement"]
    assert (money["allocated"], money["disbursed"], money["percent"]) == (
        100_000_000,
        12_000_000,
        12,
    )
    client.force_login(commune_officer)
    html = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "12.000.000" in html and "100.000.000" in html
