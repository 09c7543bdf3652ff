"""A province's (or any asked-for) data export runs as a job: a button, a progress page, then the
file, the very one ``data_export`` writes; nobody else's unit can be exported that way."""

import datetime
import json
from io import BytesIO

import pytest
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.rule_filters import Period
from duan8.core.models import AuditEvent
from duan8.jobs.models import Job
from duan8.jobs.runner import job_run
from duan8.jobs.services import job_submit
from duan8.jobs.tests.helpers import download_through_job
from duan8.reports.exports import data_export
from duan8.reports.exports.jobs import KIND, data_export_params
from duan8.reports.tests.records import SESSIONS, plan_for, session

D = datetime.date


@pytest.fixture
def merged(indicator_rules, ba_trang_merger, ba_trang, ba_kham, villages, ba_kham_village):
    plan = plan_for(ba_trang, 2023, **{SESSIONS.replace(".", "_"): 10})
    session(plan, villages["Bùi Hui"], D(2023, 10, 5), women=28, men=8)
    session(plan_for(ba_kham, 2023), ba_kham_village, D(2023, 9, 9), women=7)
    return ba_trang_merger


@pytest.fixture
def province_reviewer(merged, new_quang_ngai):
    user = UserFactory(username="hlhpn.quangngai")
    membership(user, new_quang_ngai, "province_reviewer")
    return user


def _url(code: str, **query: str) -> str:
    return (
        reverse("reports:data_export", args=[code])
        + "?"
        + "&".join(f"{k}={v}" for k, v in query.items())
    )


PROVINCE_2023 = {"year": "2023", "as_of": "2026-01-01"}


def test_a_provinces_download_shows_a_button_and_starts_nothing(client, province_reviewer):
    client.force_login(province_reviewer)

    page = client.get(_url("VN-QD19-51", **PROVINCE_2023, format="xlsx"))

    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action="reports.data.exported").exists()


@pytest.mark.parametrize("fmt", ["xlsx", "dhis2", "adx"])
def test_the_job_makes_the_file_data_export_writes(client, province_reviewer, new_quang_ngai, fmt):
    client.force_login(province_reviewer)

    got = download_through_job(client, _url("VN-QD19-51", **PROVINCE_2023, format=fmt))

    written = data_export(
        actor=province_reviewer, unit=new_quang_ngai, period=2023, as_of=D(2026, 1, 1), format=fmt
    )
    assert got.status_code == 200
    assert written.filename in got["Content-Disposition"]
    assert got.job.kind == "reports.data_export" and got.job.progress == 100
    if fmt == "dhis2":
        assert got.content == written.content
    elif fmt == "adx":
        mine, theirs = etree.fromstring(got.content), etree.fromstring(written.content)
        del mine.attrib["exported"], theirs.attrib["exported"]
        assert etree.tostring(mine, method="c14n") == etree.tostring(theirs, method="c14n")
    else:
        summary = load_workbook(BytesIO(got.content)).worksheets[0]
        row = next(r for r in summary.iter_rows(min_row=4, values_only=True) if r[0] == "1.2.2")
        assert row[3:] == (2, 2)  # the province, xã Đặng Thùy Trâm (Ba Trang's and Ba Khâm's)
    exported = AuditEvent.objects.filter(action="reports.data.exported", actor=province_reviewer)
    assert exported.count() == 2  # the job's, and this test's own call


def test_a_commune_may_ask_for_a_job_too(client, merged, commune_officer):
    client.force_login(commune_officer)

    got = download_through_job(client, _url("VN-QD124-21520", year="2023", format="dhis2", job="1"))

    values = json.loads(got.content)["dataValues"]
    assert {v["orgUnit"] for v in values} >= {"VN-QD124-21520", "VN-LOCAL-21520-01"}


def test_another_communes_officer_cannot_start_the_job(client, merged, other_commune_officer):
    client.force_login(other_commune_officer)

    response = client.post(_url("VN-QD124-21520", year="2023", format="xlsx", job="1"))

    assert response.status_code == 404
    assert "Ba Trang" not in response.content.decode()
    assert not Job.objects.exists()
    assert not AuditEvent.objects.filter(action="reports.data.exported").exists()


def test_a_job_whose_actor_lost_the_right_meanwhile_fails_and_exports_nothing(
    merged, ba_trang, commune_officer, settings
):
    settings.JOBS_EAGER = False  # queued, not run yet
    params = data_export_params(
        unit=ba_trang, period=Period.year(2023), as_of=D(2023, 12, 31), format="adx"
    )
    job = job_submit(actor=commune_officer, kind=KIND, params=params)
    commune_officer.memberships.all().delete()

    job_run(str(job.pk))

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.result_path
    assert not AuditEvent.objects.filter(action="reports.data.exported").exists()


def test_dhis2_for_a_span_it_has_no_period_for_is_refused_before_any_job(client, province_reviewer):
    client.force_login(province_reviewer)
    span = {"start": "2023-10-05", "end": "2023-11-09", "as_of": "2026-01-01"}

    page = client.post(_url("VN-QD19-51", **span, format="dhis2"))

    assert page.status_code == 400 and "ADX" in page.content.decode()
    assert not Job.objects.exists()
