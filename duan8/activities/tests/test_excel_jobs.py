"""An upload of many rows is saved by a job (issue 18, point 3): the confirmation leads to the job's
page, which ends with the rows saved once, or with every problem by row and nothing saved; the job
belongs to the user who confirmed; run again, it saves nothing more. The header links to the
user's jobs."""

import datetime
import html

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import gettext as _

from duan8.activities.jobs import KIND
from duan8.activities.models import CommunityGroup, CommunityGroupMember
from duan8.activities.tests.excel_support import fill
from duan8.jobs.models import Job
from duan8.jobs.runner import job_run

D = datetime.date
TEAM = "Tổ truyền thông thôn Nước Đang"


@pytest.fixture
def team(villages, ba_trang_plan, ethnic_groups):
    return CommunityGroup.objects.create(
        kind="communication_team",
        name=TEAM,
        org_unit=villages["Nước Đang"],
        founded_on=D(2023, 10, 2),
    )


def _urls(unit):
    return {
        name: reverse(f"activities:excel_{name}", args=[unit.pk, "thanh-vien"])
        for name in ("template", "upload", "preview")
    }


def _rows(count):
    return [
        [TEAM, f"Thành viên {i:04d}", "Nữ", "19 - Hrê", 1990, None, "02/10/2023", None]
        for i in range(count)
    ]


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _upload(client, unit, rows):
    urls = _urls(unit)
    content = fill(client.get(urls["template"]).content, rows)
    uploaded = client.post(urls["upload"], {"file": SimpleUploadedFile("thanh-vien.xlsx", content)})
    assert uploaded.status_code == 302, _text(uploaded)
    return urls


def test_a_400_row_upload_is_saved_once_by_a_job(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _upload(client, ba_trang, _rows(400))

    confirmed = client.post(urls["preview"], {"action": "confirm"})
    again = client.post(urls["preview"], {"action": "confirm"})  # a second tap
    job = Job.objects.get(kind=KIND)
    page = _text(client.get(confirmed["Location"]))

    assert confirmed["Location"] == reverse("jobs:job_detail", kwargs={"job_id": job.pk})
    assert again["Location"] == confirmed["Location"]
    assert Job.objects.count() == 1 and job.status == Job.Status.DONE
    assert CommunityGroupMember.objects.count() == 400
    assert "400" in page and reverse("activities:excel_home", args=[ba_trang.pk]) in page


def test_a_job_run_again_after_its_save_saves_nothing_more(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _upload(client, ba_trang, _rows(400))
    client.post(urls["preview"], {"action": "confirm"})
    job = Job.objects.get(kind=KIND)
    # the worker died after the commit, before marking the job done: the job is delivered again
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)

    status = job_run(str(job.pk))
    job.refresh_from_db()

    assert status == Job.Status.DONE
    assert job.message == _("This file was already saved; nothing more was saved.")
    assert CommunityGroupMember.objects.count() == 400


def test_a_file_with_a_bad_row_saves_nothing_and_names_the_row(
    client, ba_trang, commune_officer, team
):
    client.force_login(commune_officer)
    rows = _rows(400)
    rows[250][3] = "Kinh Hrê"  # row 252 of the sheet (headers on row 1)
    urls = _upload(client, ba_trang, rows)

    confirmed = client.post(urls["preview"], {"action": "confirm"})
    job = Job.objects.get(kind=KIND)
    page = _text(client.get(confirmed["Location"]))

    assert job.status == Job.Status.FAILED
    assert CommunityGroupMember.objects.count() == 0
    problem = _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": 252,
        "column": _("Ethnicity"),
        "message": _("“%(value)s” is not in the list") % {"value": "Kinh Hrê"},
    }
    assert problem in job.error and problem in page


def test_an_outsider_cannot_see_the_job(
    client, ba_trang, commune_officer, other_commune_officer, team
):
    client.force_login(commune_officer)
    urls = _upload(client, ba_trang, _rows(400))
    client.post(urls["preview"], {"action": "confirm"})
    job = Job.objects.get(kind=KIND)

    client.force_login(other_commune_officer)
    detail = client.get(reverse("jobs:job_detail", kwargs={"job_id": job.pk}))
    listing = _text(client.get(reverse("jobs:job_list")))

    assert detail.status_code == 404
    assert str(job.pk) not in listing


def test_the_worker_checks_the_rights_again(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _upload(client, ba_trang, _rows(400))
    with override_settings(JOBS_EAGER=False):  # queued; the worker runs it later
        client.post(urls["preview"], {"action": "confirm"})
    job = Job.objects.get(kind=KIND)
    commune_officer.memberships.all().delete()  # the rights ended meanwhile

    status = job_run(str(job.pk))
    job.refresh_from_db()

    assert status == Job.Status.FAILED
    assert job.error == _("You may no longer do this: your rights have changed since the request.")
    assert CommunityGroupMember.objects.count() == 0


def test_a_small_upload_is_still_saved_in_the_request(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _upload(client, ba_trang, _rows(30))

    confirmed = client.post(urls["preview"], {"action": "confirm"})

    assert confirmed["Location"].startswith(reverse("activities:excel_home", args=[ba_trang.pk]))
    assert not Job.objects.filter(kind=KIND).exists()
    assert CommunityGroupMember.objects.count() == 30


@override_settings(UPLOAD_ROWS_IN_REQUEST=10)
def test_the_threshold_comes_from_the_settings(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _upload(client, ba_trang, _rows(11))

    confirmed = client.post(urls["preview"], {"action": "confirm"})

    assert confirmed["Location"].startswith("/viec/")
    assert CommunityGroupMember.objects.count() == 11


# --- the header's link to the user's jobs -------------------------------------------------------


def test_a_signed_in_user_sees_the_link_to_their_jobs(client, commune_officer):
    client.force_login(commune_officer)
    tree = lxml.html.fromstring(client.get(reverse("home"), follow=True).content.decode())

    links = tree.xpath("//header//a[@href=$url]", url=reverse("jobs:job_list"))

    assert len(links) == 1 and links[0].text_content().strip() == _("My recent jobs")
    assert client.get(reverse("jobs:job_list")).status_code == 200


def test_an_anonymous_visitor_sees_no_link_to_jobs(client):
    page = client.get(reverse("login")).content.decode()

    assert reverse("logout") not in page
    assert reverse("jobs:job_list") not in page


def test_a_worker_dying_in_the_middle_leaves_nothing_and_the_retry_saves_once(
    client, ba_trang, commune_officer, team, monkeypatch
):
    from duan8.activities import jobs
    from duan8.core.idempotency import IdempotencyKey
    from duan8.jobs.services import job_retry

    real_save = jobs.excel_import_save

    def dies_after_writing(**kwargs):
        real_save(**kwargs)  # every row written, not yet committed
        assert CommunityGroupMember.objects.count() == 400
        raise RuntimeError("worker killed")

    client.force_login(commune_officer)
    urls = _upload(client, ba_trang, _rows(400))
    monkeypatch.setattr(jobs, "excel_import_save", dies_after_writing)
    client.post(urls["preview"], {"action": "confirm"})
    job = Job.objects.get(kind=KIND)

    assert job.status == Job.Status.FAILED
    assert CommunityGroupMember.objects.count() == 0
    assert not IdempotencyKey.objects.filter(user=commune_officer).exists()

    monkeypatch.setattr(jobs, "excel_import_save", real_save)
    job = job_retry(actor=commune_officer, job=job)

    assert job.status == Job.Status.DONE
    assert CommunityGroupMember.objects.count() == 400
