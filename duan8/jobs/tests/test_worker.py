"""Jobs through a real worker and a real broker (issue 18, points 3 and 7).

- With ``TASK_BROKER_URL`` set (Redis or RabbitMQ), a Celery worker runs in a thread of the test
  (``celery.contrib.testing.worker.start_worker``) and every job goes through the broker.
- Always (the filesystem queue of ``make run`` when no broker is set): a worker process is killed
  with SIGKILL in the middle of a job that writes to the database; nothing is half-saved, and the
  job run again succeeds once.

The database is committed (``transactional_db``) so that the worker's connection sees the job.
Each test uses a queue of its own, so that two test runs sharing a broker do not take each
other's jobs.
"""

import datetime
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from duan8.accounts.tests.factories import UserFactory
from duan8.core.models import AuditEvent
from duan8.jobs.models import Job
from duan8.jobs.services import job_retry, job_submit
from duan8.jobs.tests.kinds import ROW_ACTION

pytestmark = [pytest.mark.usefixtures("test_kinds")]

BROKER = os.environ.get("TASK_BROKER_URL", "")
needs_broker = pytest.mark.skipif(
    not BROKER, reason="TASK_BROKER_URL is not set: no real broker to go through"
)
WAIT_SECONDS = 90  # a worker starting on a loaded 2-core machine


@pytest.fixture
def queue(settings):
    """Jobs sent to a queue of this test's own, not run in the test's process."""
    settings.JOBS_EAGER = False
    settings.TASK_QUEUE_NAME = f"duan8-test-{uuid.uuid4().hex[:12]}"
    yield settings.TASK_QUEUE_NAME
    if BROKER:  # the broker keeps a declared queue: delete this test's
        from duan8.jobs.celery_app import app

        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(settings.TASK_QUEUE_NAME)


@pytest.fixture
def thread_worker(queue, transactional_db):
    from celery.contrib.testing.worker import start_worker

    from duan8.jobs.celery_app import app

    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30
    ) as worker:
        yield worker


def _wait(job: Job, statuses: tuple[str, ...], seconds: float = WAIT_SECONDS) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job still {job.status} after {seconds} s")


@needs_broker
def test_a_job_goes_through_the_broker_to_a_worker(thread_worker):
    user = UserFactory(username="qua.broker")

    job = job_submit(actor=user, kind="tests.echo", params={"text": "qua hàng đợi"})

    assert job.status == Job.Status.QUEUED  # sent, not run here
    job = _wait(job, ("done", "failed"))
    assert job.status == Job.Status.DONE, job.error
    assert Path(django_settings.MEDIA_ROOT, job.result_path).read_text() == "qua hàng đợi"


@needs_broker
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_the_plan_pdf_is_made_by_the_worker(
    thread_worker, default_roles_again, client, ba_trang_plan, commune_officer
):
    from duan8.documents.tests.reading import pdf_pages, squash

    client.force_login(commune_officer)

    page = client.post(reverse("documents:plan_pdf", kwargs={"pk": ba_trang_plan.pk}))
    job = _wait(Job.objects.get(), ("done", "failed"))
    download = client.get(reverse("jobs:job_download", kwargs={"job_id": job.pk}))

    assert page["Location"] == reverse("jobs:job_detail", kwargs={"job_id": job.pk})
    assert job.status == Job.Status.DONE, job.error
    text = squash(" ".join(pdf_pages(b"".join(download.streaming_content))))
    assert "87/KH-UBND" in text


def _worker_process(queue: str, log: Path) -> subprocess.Popen:
    """``celery worker`` in a process of its own, on the test database and media folder."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "duan8.jobs.tests.worker_settings",
        "JOBS_EAGER": "0",
        "TASK_QUEUE_NAME": queue,
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "TASK_QUEUE_DIR": str(django_settings.TASK_QUEUE_DIR),
    }
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(connection.settings_dict["NAME"])
    else:
        env["DB_NAME"] = str(connection.settings_dict["NAME"])
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "duan8.jobs.celery_app",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-Q",
        queue,
        "-n",
        f"{queue}-{uuid.uuid4().hex[:6]}@%h",
    ]
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_worker_killed_mid_job_leaves_nothing_half_saved_and_the_job_runs_again_once(
    queue, transactional_db, tmp_path
):
    user = UserFactory(username="bi.giet")
    markers = tmp_path / "markers"
    markers.mkdir()
    log = tmp_path / "worker.log"
    params = {"marker_dir": str(markers), "rows": 5, "sleep": 0.4}
    first = _worker_process(queue, log)
    try:
        job = job_submit(actor=user, kind="tests.slow_write", params=params)
        deadline = time.monotonic() + WAIT_SECONDS
        while not list(markers.iterdir()):  # two rows written, inside the job's transaction
            assert first.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        _stop(first)

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING  # as the dead worker left it
    assert not AuditEvent.objects.filter(action=ROW_ACTION).exists()  # nothing half-saved
    assert not job.can_retry  # not yet: the worker might be alive, only slow
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now()
        - datetime.timedelta(minutes=django_settings.JOB_STALE_MINUTES + 1)
    )
    job.refresh_from_db()
    assert job.can_retry  # no sign of life for JOB_STALE_MINUTES: the user may run it again

    job = job_retry(actor=user, job=job)
    second = _worker_process(queue, log)
    try:
        job = _wait(job, ("done", "failed"))
    finally:
        _stop(second)

    assert job.status == Job.Status.DONE, (job.error, log.read_text())
    assert job.attempts == 2
    assert AuditEvent.objects.filter(action=ROW_ACTION).count() == 5  # once, all of it
