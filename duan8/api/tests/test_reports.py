"""The reports area of the API (issue 16): reports (read), a plan's values, and the DHIS2 / ADX
exchange answered with the very bytes ``data_export`` writes, on the map of ``as_of``."""

import datetime
import json
from io import BytesIO

import pytest
from django.urls import reverse
from lxml import etree

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.rule_filters import Period
from duan8.activities.selectors.progress import plan_progress
from duan8.activities.values import Breakdown, indicator_values
from duan8.core.models import AuditEvent
from duan8.programs.models import ProgramElement
from duan8.reports.exports import data_export
from duan8.reports.models import Report
from duan8.reports.services import report_submit
from duan8.reports.tests.records import SESSIONS, plan_for, session, team
from duan8.testing import report_samples

D = datetime.date
REPORTS = reverse("api:report_list")
VALUES = reverse("api:value_list")
DVS = reverse("api:data_value_sets")
ADX_URL = reverse("api:data_value_sets_adx")
ADX = "{urn:ihe:qrph:adx:2015}"
BA_TRANG_2023 = {"dataSet": "DA8_RESULTS", "period": "2023", "orgUnit": "VN-QD124-21520"}


@pytest.fixture
def merged(indicator_rules, ba_trang_merger, ba_trang, ba_kham, villages, ba_kham_village):
    """2023: Ba Trang 2 sessions (target 10) and a team; Ba Khâm 1 session. From 1/7/2025 both
    are xã Đặng Thùy Trâm (returned)."""
    plan = plan_for(ba_trang, 2023, **{SESSIONS.replace(".", "_"): 10})
    session(plan, villages["Bùi Hui"], D(2023, 10, 5), women=28, men=8)
    session(plan, villages["Nước Đang"], D(2023, 11, 5), women=5, girls=3)
    team(villages["Bùi Hui"], D(2023, 10, 2))
    session(plan_for(ba_kham, 2023), ba_kham_village, D(2023, 9, 9), women=7, men=2)
    return ba_trang_merger


@pytest.fixture
def plan(merged, ba_trang):
    return ba_trang.plans.get(year=2023)


@pytest.fixture
def dtt_officer(merged):
    """The Women's Union officer of xã Đặng Thùy Trâm: reads its records and its predecessors'."""
    user = UserFactory(username="hlhpn.dangthuytram")
    membership(user, merged, "commune_wu_officer")
    return user


def _problem(response) -> dict:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    return response.json()["errors"][0]


# --- reports ------------------------------------------------------------------------------------


def test_the_report_list_shows_the_callers_reports_only(
    api, ba_trang, commune_officer, other_commune_officer, village_head
):
    report = report_samples(ba_trang, commune_officer)["report"]

    mine = api(commune_officer).get(REPORTS).json()["results"]
    theirs = api(other_commune_officer).get(REPORTS)
    village = api(village_head).get(REPORTS)

    assert [r["id"] for r in mine] == [report.pk]
    assert mine[0]["schedule"]["code"] == "hlhpn-ket-qua-15-9"
    assert mine[0]["status"] == "draft"
    assert mine[0]["org_unit"] == ba_trang.pk
    assert theirs.status_code == 200 and theirs.json()["results"] == []
    assert village.status_code == 200 and village.json()["results"] == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("year=2023", True),
        ("year=2022", False),
        ("status=draft", True),
        ("status=submitted", False),
        ("updated_since=2100-01-01", False),
        ("updated_since=2020-01-01T00:00:00%2B07:00", True),
    ],
)
def test_the_report_list_filters(api, ba_trang, commune_officer, query, found):
    report = report_samples(ba_trang, commune_officer)["report"]

    results = api(commune_officer).get(f"{REPORTS}?{query}").json()["results"]

    assert [r["id"] for r in results] == ([report.pk] if found else [])


def test_the_report_list_filters_by_unit(api, ba_trang, ba_kham, commune_officer):
    report = report_samples(ba_trang, commune_officer)["report"]
    client = api(commune_officer)

    here = client.get(f"{REPORTS}?org_unit={ba_trang.pk}").json()["results"]
    there = client.get(f"{REPORTS}?org_unit={ba_kham.pk}").json()["results"]

    assert [r["id"] for r in here] == [report.pk]
    assert there == []


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=sent", "status"), ("year=99", "year"), ("org_unit=x", "org_unit")],
)
def test_a_bad_report_filter_is_a_400_naming_it(api, ba_trang, commune_officer, query, field):
    report_samples(ba_trang, commune_officer)

    response = api(commune_officer, language="en").get(f"{REPORTS}?{query}")

    assert _problem(response)["field"] == field


def _more_reports(report: Report, count: int) -> None:
    """Reports of other deadlines (test data: the list's cost must not grow with them)."""
    for day in range(count):
        Report.objects.create(
            schedule=report.schedule,
            org_unit=report.org_unit,
            recipient_unit=report.recipient_unit,
            period_start=report.period_start,
            period_end=report.period_end,
            due_on=report.due_on + datetime.timedelta(days=day + 1),
        )


def test_the_report_list_costs_the_same_queries_for_one_report_or_twenty(
    api, ba_trang, commune_officer, django_assert_num_queries
):
    report = report_samples(ba_trang, commune_officer)["report"]
    client = api(commune_officer)
    client.get(REPORTS)  # the token's first use (its last-use time) is not the list's cost

    with django_assert_num_queries(QUERIES_PER_PAGE):
        one = client.get(REPORTS)
    _more_reports(report, 19)
    with django_assert_num_queries(QUERIES_PER_PAGE):
        twenty = client.get(REPORTS)

    assert len(one.json()["results"]) == 1
    assert len(twenty.json()["results"]) == 20


# the token with its user, the caller's memberships, the page of reports with their schedules,
# the audit of the token's use
QUERIES_PER_PAGE = 4


def test_a_report_is_answered_with_its_figures_and_its_version(
    api, ba_trang, commune_officer, indicator_rules, ba_trang_plan, villages
):
    report = report_samples(ba_trang, commune_officer)["report"]

    response = api(commune_officer).get(reverse("api:report_detail", args=[report.pk]))

    assert response.status_code == 200
    assert response["ETag"] == f'"{report.version}"'
    body = response.json()
    assert body["results"] == "Thành lập tổ truyền thông cộng đồng thôn Bùi Hui."
    assert body["figures_frozen"] is False
    assert body["figures"]["format"] == "duan8.report_figures/1"
    assert body["steps"][0]["action"] == "created"


def test_a_submitted_report_answers_the_figures_frozen_at_submission(
    api, ba_trang, commune_officer, indicator_rules, ba_trang_plan, villages
):
    report = report_samples(ba_trang, commune_officer)["report"]
    session(ba_trang_plan, villages["Bùi Hui"], D(2023, 5, 10), women=10, men=2)
    report = report_submit(actor=commune_officer, report=report, expected_version=report.version)
    session(ba_trang_plan, villages["Bùi Hui"], D(2023, 6, 10), women=20)  # after submission

    body = api(commune_officer).get(reverse("api:report_detail", args=[report.pk])).json()

    assert body["status"] == "submitted"
    assert body["figures_frozen"] is True
    assert body["figures"] == json.loads(json.dumps(Report.objects.get(pk=report.pk).figures))


def test_another_communes_report_is_not_found(
    api, ba_trang, commune_officer, other_commune_officer
):
    report = report_samples(ba_trang, commune_officer)["report"]

    response = api(other_commune_officer).get(reverse("api:report_detail", args=[report.pk]))

    assert response.status_code == 404
    assert "Ba Trang" not in response.content.decode()


# --- a plan's values ----------------------------------------------------------------------------


def _by_key(results: list[dict]) -> dict:
    return {(r["org_unit"], r["element"]): r for r in results}


def test_a_plans_values_are_the_progress_pages(api, plan, ba_trang, villages, commune_officer):
    response = api(commune_officer).get(f"{VALUES}?plan={plan.pk}")

    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["as_of"] == "2023-12-31"
    rows = _by_key(body["results"])
    assert rows[(ba_trang.pk, SESSIONS)]["value"] == 2
    assert rows[(ba_trang.pk, SESSIONS)]["target"] == 10
    assert rows[(ba_trang.pk, SESSIONS)]["period"] == "2023"
    assert rows[(ba_trang.pk, SESSIONS)]["org_unit_code"] == "VN-QD124-21520"
    assert rows[(villages["Bùi Hui"].pk, SESSIONS)]["value"] == 1
    progress = plan_progress(actor=commune_officer, plan=plan)
    page = {line.element.code: line.actual for line in progress.lines if line.measured}
    assert page  # the page's measured lines: the API says the same
    assert all(rows[(ba_trang.pk, code)]["value"] == actual for code, actual in page.items())
    targets = {line.element.code: line.target_value for line in progress.lines if line.measured}
    assert all(
        rows[(ba_trang.pk, code)]["target"] == (None if target is None else int(target))
        for code, target in targets.items()
    )
    for village in progress.villages:
        for line in progress.lines:
            if line.measured:
                actual = next(v.actual for v in line.villages if v.unit == village)
                assert rows[(village.pk, line.element.code)]["value"] == actual


def test_a_plans_values_follow_as_of_within_the_units_lifetime(
    api, plan, ba_trang, commune_officer
):
    client = api(commune_officer)

    later = client.get(f"{VALUES}?plan={plan.pk}&as_of=2024-06-30").json()
    gone = client.get(f"{VALUES}?plan={plan.pk}&as_of=2026-01-01")

    engine = indicator_values(
        actor=commune_officer,
        unit=ba_trang,
        period=Period.year(2023),
        as_of=D(2024, 6, 30),
        breakdown=Breakdown.CHILDREN,
        participants=False,
    )
    assert later["as_of"] == "2024-06-30"
    assert _by_key(later["results"])[(ba_trang.pk, SESSIONS)]["value"] == engine.actual(
        ba_trang, ProgramElement.objects.get(code=SESSIONS)
    )
    assert _problem(gone)["field"] == "as_of"  # xã Ba Trang was gone by then


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "plan"), ("plan=abc", "plan"), ("plan={pk}&as_of=2023-02-30", "as_of")],
)
def test_bad_value_parameters_are_400s_naming_them(api, plan, commune_officer, query, field):
    response = api(commune_officer).get(f"{VALUES}?{query.format(pk=plan.pk)}")

    assert _problem(response)["field"] == field


def test_another_communes_plan_values_are_not_found(api, plan, other_commune_officer, village_head):
    for user in (other_commune_officer, village_head):
        response = api(user).get(f"{VALUES}?plan={plan.pk}")

        assert response.status_code == 404
        assert "Ba Trang" not in response.content.decode()


# --- DHIS2 dataValueSets and ADX ----------------------------------------------------------------


def _body(response) -> bytes:
    """The file, sent as it is made (a streaming response), put together."""
    assert response.streaming, "an export is streamed, not built in memory"
    return b"".join(response.streaming_content)


def _adx(content: bytes) -> bytes:
    """The document without the time it was written, canonical, for comparing two."""
    root = etree.parse(BytesIO(content)).getroot()
    del root.attrib["exported"]
    return etree.tostring(root, method="c14n")


def test_data_value_sets_are_what_data_export_writes(api, merged, ba_trang, commune_officer):
    response = api(commune_officer).get(DVS, BA_TRANG_2023)

    written = data_export(
        actor=commune_officer, unit=ba_trang, period=2023, as_of=D(2023, 12, 31), format="dhis2"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = _body(response)
    assert body == written.content
    payload = json.loads(body)
    values = {
        (v["orgUnit"], v["dataElement"], v["categoryOptionCombo"]): v["value"]
        for v in payload["dataValues"]
    }
    assert values[("VN-QD124-21520", SESSIONS, "default")] == "2"
    assert values[("VN-QD124-21520", f"{SESSIONS}:TARGET", "default")] == "10"
    assert AuditEvent.objects.filter(action="reports.data.exported", actor=commune_officer).count()


def test_adx_is_what_data_export_writes(api, merged, ba_trang, commune_officer):
    response = api(commune_officer).get(ADX_URL, BA_TRANG_2023)

    written = data_export(
        actor=commune_officer, unit=ba_trang, period=2023, as_of=D(2023, 12, 31), format="adx"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/adx+xml"
    assert _adx(_body(response)) == _adx(written.content)


def test_adx_is_answered_to_a_client_that_accepts_only_adx(api, merged, commune_officer):
    response = api(commune_officer).get(ADX_URL, BA_TRANG_2023, HTTP_ACCEPT="application/adx+xml")

    assert response.status_code == 200
    assert _body(response).startswith(b"<?xml")


def test_an_adx_client_is_told_its_error_in_json(api, merged, commune_officer):
    query = {**BA_TRANG_2023, "period": "2023W40"}

    response = api(commune_officer).get(ADX_URL, query, HTTP_ACCEPT="application/adx+xml")

    assert response["Content-Type"] == "application/json"
    assert _problem(response)["field"] == "period"


def test_adx_takes_a_span_of_days_that_dhis2_has_no_period_for(api, merged, commune_officer):
    span = {**BA_TRANG_2023, "period": "2023-10-05..2023-11-09"}

    adx = api(commune_officer).get(ADX_URL, span)
    dhis2 = api(commune_officer).get(DVS, span)

    groups = etree.parse(BytesIO(_body(adx))).getroot().findall(f"{ADX}group")
    assert groups[0].get("period") == "2023-10-05/P36D"
    assert _problem(dhis2)["field"] == "period"


def test_the_same_code_is_xa_ba_trang_in_2023_and_xa_dang_thuy_tram_after_the_merger(
    api, merged, ba_trang, dtt_officer
):
    client = api(dtt_officer)

    then = json.loads(
        _body(client.get(DVS, {**BA_TRANG_2023, "orgUnit": "21520", "as_of": "2023-12-31"}))
    )
    now = json.loads(
        _body(client.get(DVS, {**BA_TRANG_2023, "orgUnit": "21520", "as_of": "2026-01-01"}))
    )

    def sessions(payload: dict) -> str:
        return next(
            v["value"]
            for v in payload["dataValues"]
            if v["orgUnit"] == payload["orgUnit"]
            and v["dataElement"] == SESSIONS
            and v["categoryOptionCombo"] == "default"
        )

    assert (then["orgUnit"], sessions(then)) == ("VN-QD124-21520", "2")
    assert (now["orgUnit"], sessions(now)) == ("VN-QD19-21520", "3")  # Ba Trang's and Ba Khâm's
    written = data_export(
        actor=dtt_officer, unit=merged, period=2023, as_of=D(2026, 1, 1), format="dhis2"
    )
    assert now == json.loads(written.content)


def test_adx_follows_as_of_too(api, merged, dtt_officer):
    query = {**BA_TRANG_2023, "orgUnit": "VN-QD19-21520", "as_of": "2026-01-01"}

    response = api(dtt_officer).get(ADX_URL, query)

    written = data_export(
        actor=dtt_officer, unit=merged, period=2023, as_of=D(2026, 1, 1), format="adx"
    )
    body = _body(response)
    assert _adx(body) == _adx(written.content)
    group = etree.parse(BytesIO(body)).getroot().find(f"{ADX}group")
    assert (group.get("orgUnit"), group.get("asOf")) == ("VN-QD19-21520", "2026-01-01")


@pytest.mark.parametrize("url", [DVS, ADX_URL])
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dataSet": None}, "dataSet"),
        ({"dataSet": "HIV_MONTHLY"}, "dataSet"),
        ({"period": None}, "period"),
        ({"period": "2023Q5"}, "period"),
        ({"period": "23"}, "period"),
        ({"period": "2023-12-31..2023-01-01"}, "period"),
        ({"orgUnit": None}, "orgUnit"),
        ({"orgUnit": "21520/01 ; --"}, "orgUnit"),
        ({"as_of": "31/12/2023"}, "as_of"),
        ({"as_of": "2026-01-01"}, "as_of"),  # xã Ba Trang was gone by then
        ({"as_of": "2001-01-01"}, "as_of"),  # before any record (and before the unit)
        ({"children": "maybe"}, "children"),
    ],
)
def test_bad_exchange_parameters_are_400s_naming_them(
    api, merged, commune_officer, url, change, field
):
    query = {k: v for k, v in {**BA_TRANG_2023, **change}.items() if v is not None}

    response = api(commune_officer).get(url, query)

    assert response["Content-Type"].startswith("application/json")
    assert _problem(response)["field"] == field


def test_a_bad_data_set_is_explained_in_english_when_asked(api, merged, commune_officer):
    response = api(commune_officer, language="en").get(DVS, {**BA_TRANG_2023, "dataSet": "X"})

    assert "Unknown data set X" in _problem(response)["message"]


def test_a_bad_period_is_explained_in_vietnamese_by_default(api, merged, commune_officer):
    response = api(commune_officer).get(DVS, {**BA_TRANG_2023, "period": "2023W40"})

    assert "một quý (2023Q3)" in _problem(response)["message"]


@pytest.mark.parametrize("url", [DVS, ADX_URL])
@pytest.mark.parametrize("code", ["VN-QD124-21520", "21520", "VN-QD124-99999", "VN-XX-1"])
def test_outsiders_get_404_and_nothing_is_exported(
    api, merged, other_commune_officer, village_head, url, code
):
    for user in (other_commune_officer, village_head):
        response = api(user).get(url, {**BA_TRANG_2023, "orgUnit": code})

        assert response.status_code == 404, response.content[:300]
        assert "Ba Trang" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="reports.data.exported").exists()


def test_the_unit_alone_without_children(api, merged, commune_officer):
    payload = json.loads(
        _body(api(commune_officer).get(DVS, {**BA_TRANG_2023, "children": "false"}))
    )

    assert {v["orgUnit"] for v in payload["dataValues"]} == {"VN-QD124-21520"}
