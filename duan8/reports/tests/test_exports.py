import datetime
import json
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from lxml import etree
from openpyxl import load_workbook

from duan8.activities.values import SYSTEM
from duan8.core.models import AuditEvent
from duan8.reports.exports import data_export
from duan8.reports.exports.codes import org_unit_code, org_unit_from_code
from duan8.reports.tests.records import SESSIONS, TEAMS, plan_for, session, team

D = datetime.date
IN_2026 = D(2026, 1, 1)
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "data" / "adx" / "adx_loose.xsd"
ADX = "{urn:ihe:qrph:adx:2015}"


@pytest.fixture(scope="module")
def adx_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


@pytest.fixture
def merged(indicator_rules, ba_trang_merger, ba_trang, ba_kham, villages, ba_kham_village):
    """2023: Ba Trang 2 sessions (28 + 5 women), a team; Ba Khâm 1 session (7 women, 2 men)."""
    ba_trang_plan = plan_for(ba_trang, 2023, **{SESSIONS.replace(".", "_"): 10})
    session(ba_trang_plan, villages["Bùi Hui"], D(2023, 10, 5), women=28, men=8)
    session(ba_trang_plan, villages["Nước Đang"], D(2023, 11, 5), women=5, girls=3)
    team(villages["Bùi Hui"], D(2023, 10, 2))
    session(plan_for(ba_kham, 2023), ba_kham_village, D(2023, 9, 9), women=7, men=2)
    return ba_trang_merger


def test_unit_codes_carry_the_scheme_so_21520_names_one_unit(merged, ba_trang):
    assert org_unit_code(ba_trang) == "VN-QD124-21520"
    assert org_unit_code(merged) == "VN-QD19-21520"
    assert org_unit_from_code("VN-QD19-21520", on=D(2023, 1, 1)) == merged
    assert org_unit_from_code("21520", on=D(2023, 1, 1)) == ba_trang
    assert org_unit_from_code("21520", on=IN_2026) == merged


def test_adx_validates_against_the_schema_and_holds_the_merged_communes_values(
    merged, new_quang_ngai, adx_schema
):
    export = data_export(
        actor=SYSTEM, unit=new_quang_ngai, period=2023, as_of=IN_2026, format="adx"
    )

    document = etree.parse(BytesIO(export.content))
    assert adx_schema.validate(document), [e.message for e in adx_schema.error_log]
    groups = {g.get("orgUnit"): g for g in document.getroot().iter(f"{ADX}group")}
    assert set(groups) == {"VN-QD19-51", "VN-QD19-21520"}
    dtt = groups["VN-QD19-21520"]
    assert dtt.get("period") == "2023-01-01/P1Y"
    assert dtt.get("asOf") == "2026-01-01"
    values = {
        (v.get("dataElement"), v.get("SEX"), v.get("ETHNICITY"), v.get("AGE_GROUP")): v.get("value")
        for v in dtt.iter(f"{ADX}dataValue")
    }
    assert values[(SESSIONS, None, None, None)] == "3"
    assert values[(TEAMS, None, None, None)] == "1"
    assert values[(f"{SESSIONS}:TARGET", None, None, None)] == "10"
    assert values[(f"{SESSIONS}:PARTICIPANTS", "F", "DTTS", "ADULT")] == "40"
    assert values[(f"{SESSIONS}:PARTICIPANTS", "M", "DTTS", "ADULT")] == "10"
    assert values[(f"{SESSIONS}:PARTICIPANTS", "F", "DTTS", "CHILD")] == "3"


def test_the_schema_really_checks_what_it_is_given(adx_schema):
    without_exported = b'<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="X" period="2023-01-01/P1Y"><dataValue dataElement="A" value="1"/></group></adx>'  # noqa: E501
    bad_value = without_exported.replace(b"<adx ", b'<adx exported="2026-01-01T00:00:00Z" ')
    bad_value = bad_value.replace(b'value="1"', b'value="abc"')

    assert not adx_schema.validate(etree.fromstring(without_exported))
    assert not adx_schema.validate(etree.fromstring(bad_value))


def test_dhis2_data_value_set_matches_the_aggregate(merged, new_quang_ngai):
    export = data_export(
        actor=SYSTEM, unit=new_quang_ngai, period=2023, as_of=IN_2026, format="dhis2"
    )

    payload = json.loads(export.content)
    assert payload["period"] == "2023"
    assert payload["orgUnit"] == "VN-QD19-51"
    assert payload["dataSet"] == "DA8_RESULTS"
    values = {
        (v["orgUnit"], v["dataElement"], v["categoryOptionCombo"]): v["value"]
        for v in payload["dataValues"]
    }
    assert values[("VN-QD19-21520", SESSIONS, "default")] == "3"
    assert values[("VN-QD19-51", SESSIONS, "default")] == "3"
    assert values[("VN-QD19-21520", f"{SESSIONS}:PARTICIPANTS", "F_DTTS_ADULT")] == "40"
    assert all(isinstance(v["value"], str) and v["period"] == "2023" for v in payload["dataValues"])
    assert export.filename == "duan8_VN-QD19-51_2023_asof_2026-01-01.dhis2.json"


def test_dhis2_refuses_a_period_it_has_no_type_for(merged, ba_trang):
    with pytest.raises(ValidationError) as exc:
        data_export(
            actor=SYSTEM,
            unit=ba_trang,
            period=(D(2023, 10, 5), D(2023, 11, 9)),
            as_of=D(2023, 12, 31),
            format="dhis2",
        )

    assert "ADX" in exc.value.messages[0]


def test_xlsx_reads_back_with_a_sheet_per_view(merged, ba_to, ba_trang):
    export = data_export(
        actor=SYSTEM, unit=ba_to, period=2023, as_of=D(2023, 12, 31), format="xlsx"
    )

    book = load_workbook(BytesIO(export.content))
    summary, table, about = book.worksheets
    assert summary.cell(row=3, column=1).value == _("No.")  # 1.2.2, as the pages number it
    heads = [c.value for c in summary[3]]
    assert heads[3:] == ["Huyện Ba Tơ", "Xã Ba Khâm", "Xã Ba Trang"]
    sessions_row = next(
        r for r in summary.iter_rows(min_row=4, values_only=True) if r[0] == "1.2.2"
    )
    assert sessions_row[3:] == (3, 1, 2)
    rows = list(table.iter_rows(min_row=2, values_only=True))
    women = [
        r
        for r in rows
        if r[0] == "VN-QD124-21520" and r[2] == f"{SESSIONS}:PARTICIPANTS" and r[7] == _("Adult")
    ]
    assert {(r[5], r[6], r[8]) for r in women} == {
        (_("Female"), _("Ethnic minority"), 28 + 5),
        (_("Male"), _("Ethnic minority"), 8),
    }
    assert "VN-QD124-535" in about.cell(row=1, column=2).value


def test_each_export_is_audited(merged, ba_trang, commune_officer):
    data_export(
        actor=commune_officer, unit=ba_trang, period=2023, as_of=D(2023, 12, 31), format="adx"
    )

    event = AuditEvent.objects.get(action="reports.data.exported")
    assert event.actor == commune_officer
    assert event.org_unit == ba_trang
    assert "adx" in event.message and "2023" in event.message


def test_an_export_for_a_unit_one_may_not_see_is_refused_and_nothing_is_produced(
    merged, ba_trang, other_commune_officer
):
    with pytest.raises(PermissionDenied):
        data_export(
            actor=other_commune_officer,
            unit=ba_trang,
            period=2023,
            as_of=D(2023, 12, 31),
            format="xlsx",
        )

    assert not AuditEvent.objects.filter(action="reports.data.exported").exists()


def test_an_unknown_format_is_refused(merged, ba_trang):
    with pytest.raises(ValidationError):
        data_export(actor=SYSTEM, unit=ba_trang, period=2023, as_of=D(2023, 12, 31), format="csv")
