import datetime
import json
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.models import AuditEvent
from duan8.orgunits.rollup import org_unit_rollup_forget
from duan8.reports.tests.records import SESSIONS, plan_for, session

D = datetime.date


@pytest.fixture
def merged(indicator_rules, ba_trang_merger, ba_trang, ba_kham, villages, ba_kham_village):
    plan = plan_for(ba_trang, 2023, **{SESSIONS.replace(".", "_"): 10})
    session(plan, villages["Bùi Hui"], D(2023, 10, 5), women=28, men=8)
    session(plan, villages["Nước Đang"], D(2023, 11, 5), women=5)
    session(plan_for(ba_kham, 2023), ba_kham_village, D(2023, 9, 9), women=7)
    return ba_trang_merger


def _url(name: str, code: str, **query: str) -> str:
    url = reverse(f"reports:{name}", args=[code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_commune_officer_sees_ba_trang_by_village(client, merged, commune_officer):
    client.force_login(commune_officer)

    page = client.get(_url("data_rollup", "VN-QD124-21520", year="2023"))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Bùi Hui" in body and "Nước Đang" in body and "Kon Riêng" in body
    lines = {line.element.code: line.cells for line in page.context["lines"]}
    assert [value for value, _target in lines[SESSIONS]] == [2, 1, 0, 1]
    assert lines[SESSIONS][0][1] == "10"
    assert "as_of=2023-12-31" in body


def test_the_province_in_2026_lists_the_new_commune_with_the_old_communes_figures(
    client, merged, new_quang_ngai
):
    reviewer = UserFactory(username="hlhpn.quangngai")
    membership(reviewer, new_quang_ngai, "province_reviewer")
    client.force_login(reviewer)

    page = client.get(_url("data_rollup", "VN-QD19-51", year="2023", as_of="2026-01-01"))

    assert page.status_code == 200
    assert "Đặng Thùy Trâm" in page.content.decode()
    lines = {line.element.code: line.cells for line in page.context["lines"]}
    assert [value for value, _target in lines[SESSIONS]] == [3, 3]


def test_the_page_makes_the_same_number_of_queries_for_few_and_many_records(
    client, merged, ba_to, district_reviewer, villages
):
    client.force_login(district_reviewer)
    url = _url("data_rollup", "VN-QD124-535", year="2023")

    def queries() -> int:
        org_unit_rollup_forget()  # each counted from nothing kept
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    plan = plan_for(villages["Bùi Hui"].parent, 2023)
    for day in range(1, 15):
        session(plan, villages["Kon Riêng"], D(2023, 3, day), women=day)

    assert queries() == few


@pytest.mark.parametrize("fmt", ["xlsx", "dhis2", "adx"])
def test_each_download_is_a_readable_file_and_is_audited(
    client, merged, commune_officer, ba_trang, fmt
):
    client.force_login(commune_officer)

    response = client.get(_url("data_export", "VN-QD124-21520", year="2023", format=fmt))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "VN-QD124-21520_2023" in response["Content-Disposition"]
    assert response.streaming  # sent as it is made, not built in memory
    content = b"".join(response.streaming_content)
    if fmt == "xlsx":
        summary = load_workbook(BytesIO(content)).worksheets[0]
        row = next(r for r in summary.iter_rows(min_row=4, values_only=True) if r[0] == "1.2.2")
        assert row[3] == 2
    elif fmt == "dhis2":
        values = json.loads(content)["dataValues"]
        assert {"orgUnit": "VN-QD124-21520", "dataElement": SESSIONS, "value": "2"}.items() <= next(
            v for v in values if v["orgUnit"] == "VN-QD124-21520" and v["dataElement"] == SESSIONS
        ).items()
    else:
        assert etree.fromstring(content).tag == "{urn:ihe:qrph:adx:2015}adx"
    event = AuditEvent.objects.get(action="reports.data.exported")
    assert event.actor == commune_officer and event.org_unit == ba_trang


def test_an_as_of_date_before_any_record_is_explained_and_nothing_is_produced(
    client, merged, commune_officer
):
    client.force_login(commune_officer)

    page = client.get(_url("data_rollup", "VN-QD124-21520", year="2023", as_of="2019-01-01"))
    download = client.get(
        _url("data_export", "VN-QD124-21520", year="2023", as_of="2019-01-01", format="adx")
    )

    assert page.status_code == 200 and "01/01/2023" in page.content.decode()
    assert download.status_code == 400 and "01/01/2023" in download.content.decode()
    assert not AuditEvent.objects.filter(action="reports.data.exported").exists()


def test_a_commune_that_no_longer_existed_on_the_date_names_what_it_became(
    client, merged, commune_officer
):
    client.force_login(commune_officer)

    page = client.get(_url("data_rollup", "VN-QD124-21520", year="2023", as_of="2026-01-01"))

    assert "Đặng Thùy Trâm" in page.content.decode()
    assert "lines" not in page.context
    assert page.context["successors"] == []  # she may not see the new commune: no link


def test_a_merged_commune_links_to_what_it_became_for_who_may_see_both(
    client, merged, new_quang_ngai, ba_to
):
    reviewer = UserFactory(username="hlhpn.quangngai")
    membership(reviewer, ba_to, "district_reviewer")
    membership(reviewer, new_quang_ngai, "province_reviewer")
    client.force_login(reviewer)

    page = client.get(_url("data_rollup", "VN-QD124-21520", year="2023", as_of="2026-01-01"))

    link = _url("data_rollup", "VN-QD19-21520", year="2023", as_of="2026-01-01")
    assert link.replace("&", "&amp;") in page.content.decode()


def test_another_communes_officer_gets_404_and_the_attempt_is_audited(
    client, merged, other_commune_officer
):
    client.force_login(other_commune_officer)

    page = client.get(_url("data_rollup", "VN-QD124-21520", year="2023"))
    download = client.get(_url("data_export", "VN-QD124-21520", year="2023", format="xlsx"))

    assert page.status_code == 404 and download.status_code == 404
    assert "Ba Trang" not in page.content.decode() + download.content.decode()
    assert AuditEvent.objects.filter(action="access.denied").count() == 2
    assert not AuditEvent.objects.filter(action="reports.data.exported").exists()


def test_a_village_head_sees_her_village_only(client, merged, village_head):
    client.force_login(village_head)
    own = client.get(_url("data_rollup", "VN-LOCAL-21520-03", year="2023"))

    commune = client.get(_url("data_export", "VN-QD124-21520", year="2023", format="adx"))
    other = client.get(_url("data_rollup", "VN-LOCAL-21520-01", year="2023"))

    assert own.status_code == 200 and "Nước Đang" in own.content.decode()
    assert commune.status_code == 404
    assert other.status_code == 404 and "Bùi Hui" not in other.content.decode()


def test_an_unknown_code_is_not_found(client, merged, commune_officer):
    client.force_login(commune_officer)

    assert client.get(_url("data_rollup", "VN-QD19-99999")).status_code == 404
