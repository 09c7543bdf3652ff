"""The job's pages: progress, file, failure and retry; only the job's actor (or a superuser)."""

import re

import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory
from duan8.jobs.models import Job
from duan8.jobs.services import job_submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kinds")]


@pytest.fixture
def user():
    return UserFactory(username="nguoi.lam")


@pytest.fixture
def other():
    return UserFactory(username="nguoi.khac")


def urls(job):
    return {
        name: reverse(f"jobs:{name}", kwargs={"job_id": job.pk})
        for name in ("job_detail", "job_status", "job_download", "job_retry")
    }


def test_a_finished_job_offers_its_file(client, user):
    job = job_submit(actor=user, kind="tests.echo", params={"text": "Báo cáo"})
    client.force_login(user)

    page = client.get(urls(job)["job_detail"])
    download = client.get(urls(job)["job_download"])

    assert urls(job)["job_download"] in page.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "Báo cáo"
    assert download["Content-Disposition"] == 'attachment; filename="echo.txt"'
    assert "no-store" in download["Cache-Control"]


def test_a_waiting_job_shows_a_progress_bar_polled_by_a_static_script(client, user, settings):
    settings.JOBS_EAGER = False
    job = job_submit(actor=user, kind="tests.echo", params={"text": "x"})
    client.force_login(user)

    html = client.get(urls(job)["job_detail"]).content.decode()
    status = client.get(urls(job)["job_status"]).json()

    assert re.search(r"<progress[^>]*max=\"100\"", html)
    assert 'src="/static/jobs/job_progress.js"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)
    assert '<meta http-equiv="refresh"' in html  # without JavaScript
    assert urls(job)["job_status"] in html
    assert status["status"] == "queued" and status["progress"] == 0
    assert status["finished"] is False and status["download_url"] is None
    assert client.get(urls(job)["job_download"]).status_code == 404  # no file yet


def test_a_failed_job_says_why_and_the_retry_button_runs_it_again(client, user, settings):
    job = job_submit(actor=user, kind="tests.refused", params={})
    client.force_login(user)

    html = client.get(urls(job)["job_detail"]).content.decode()
    assert "Không đủ dữ liệu." in html
    assert f'action="{urls(job)["job_retry"]}"' in html

    settings.JOB_KINDS = {**settings.JOB_KINDS, "tests.refused": "duan8.jobs.tests.kinds.ECHO"}
    first = client.post(urls(job)["job_retry"])
    second = client.post(urls(job)["job_retry"])  # a double tap

    assert first["Location"] == second["Location"] == urls(job)["job_detail"]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2


def test_the_list_shows_only_ones_own_jobs(client, user, other):
    mine = job_submit(actor=user, kind="tests.echo", params={"text": "x"})
    theirs = job_submit(actor=other, kind="tests.echo", params={"text": "y"})
    client.force_login(user)

    html = client.get(reverse("jobs:job_list")).content.decode()

    assert urls(mine)["job_detail"] in html
    assert urls(theirs)["job_detail"] not in html


@pytest.mark.parametrize("name", ["job_detail", "job_status", "job_download", "job_retry"])
def test_another_user_must_not_see_the_job_or_its_file(client, user, other, name):
    job = job_submit(actor=user, kind="tests.echo", params={"text": "bí mật"})
    client.force_login(other)

    got = client.get(urls(job)[name])
    posted = client.post(urls(job)[name])

    assert got.status_code in (404, 405)  # 405: the retry is a POST
    assert posted.status_code in (404, 405)
    assert 404 in (got.status_code, posted.status_code)
    assert "bí mật" not in got.content.decode() + posted.content.decode()
    assert Job.objects.get().attempts == 1


def test_a_superuser_may_open_any_job(client, user):
    job = job_submit(actor=user, kind="tests.echo", params={"text": "x"})
    client.force_login(UserFactory(username="quan.tri", is_superuser=True))

    assert client.get(urls(job)["job_detail"]).status_code == 200
    assert client.get(urls(job)["job_download"]).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, user):
    job = job_submit(actor=user, kind="tests.echo", params={"text": "x"})

    for url in urls(job).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_file_is_refused_once_the_right_to_what_it_holds_is_gone(client, user):
    job = job_submit(actor=user, kind="tests.echo", params={"text": "x"})
    Job.objects.filter(pk=job.pk).update(params={"text": "x", "deny": True})
    client.force_login(user)

    assert client.get(urls(job)["job_download"]).status_code == 403


def test_a_job_of_a_kind_no_longer_configured_still_shows_and_fails_cleanly(client, user, settings):
    settings.JOBS_EAGER = False
    job = job_submit(actor=user, kind="tests.echo", params={"text": "x"})
    settings.JOB_KINDS = {k: v for k, v in settings.JOB_KINDS.items() if k != "tests.echo"}
    client.force_login(user)

    from duan8.jobs.runner import job_run

    assert job_run(str(job.pk)) == Job.Status.FAILED
    assert client.get(urls(job)["job_detail"]).status_code == 200
    assert client.get(reverse("jobs:job_list")).status_code == 200
