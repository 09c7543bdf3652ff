"""The job page in a real browser (issue 18): the static script moves the progress bar while the
worker reports, then shows the file when the job ends, under the site's Content-Security-Policy."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from duan8.accounts.tests.factories import UserFactory
from duan8.jobs.models import Job
from duan8.jobs.runner import job_run
from duan8.jobs.services import idempotency_key
from duan8.jobs.tests.kind_names import KINDS
from tests.browser.helpers import default_roles, sign_in, with_password  # noqa: F401


@pytest.fixture
def waiting_job(settings):
    settings.JOB_KINDS = {**settings.JOB_KINDS, **KINDS}
    user = with_password(UserFactory(username="nguoi.cho"))
    params = {"text": "Nội dung tệp"}
    return Job.objects.create(  # queued, as a web request leaves it; no worker takes it here
        kind="tests.echo",
        params=params,
        actor=user,
        idempotency_key=idempotency_key(actor=user, kind="tests.echo", params=params),
    )


def test_the_progress_bar_follows_the_worker_and_the_file_appears_at_the_end(
    page: Page, waiting_job, tmp_path: Path
):
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    sign_in(page, "nguoi.cho")

    page.goto(f"/viec/{waiting_job.pk}/")
    bar = page.locator("progress")
    expect(bar).to_have_attribute("value", "0")
    expect(page.locator("[data-job-status]")).to_have_text("Đang chờ")

    Job.objects.filter(pk=waiting_job.pk).update(
        status=Job.Status.RUNNING, progress=40, message="Đang chuyển sang PDF"
    )
    expect(page.locator("[data-job-message]")).to_have_text("Đang chuyển sang PDF")
    assert bar.evaluate("element => element.value") == 40

    Job.objects.filter(pk=waiting_job.pk).update(status=Job.Status.QUEUED)
    job_run(str(waiting_job.pk))  # the worker's side: the job ends, the page reloads itself
    link = page.get_by_role("link", name="Tải về echo.txt")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / "echo.txt"
    download.value.save_as(saved)

    assert saved.read_text() == "Nội dung tệp"
    assert not [p for p in problems if "Content Security Policy" in p]
