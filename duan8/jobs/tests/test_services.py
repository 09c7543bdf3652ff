"""Submitting, running and retrying jobs through the real Celery task (run eagerly here)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from duan8.accounts.tests.factories import UserFactory
from duan8.core.audit import NotVisible
from duan8.jobs import files
from duan8.jobs.models import Job
from duan8.jobs.runner import job_claim, job_run
from duan8.jobs.selectors import job_get, job_list
from duan8.jobs.services import job_retry, job_submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("test_kinds")]


@pytest.fixture
def user():
    return UserFactory(username="nguoi.lam")


@pytest.fixture
def other():
    return UserFactory(username="nguoi.khac")


def test_a_job_runs_through_the_task_and_keeps_its_file_out_of_public_reach(user, settings):
    job = job_submit(actor=user, kind="tests.echo", params={"text": "Xin chào"})

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.progress == 100 and job.attempts == 1
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    assert job.result_name == "echo.txt" and job.result_type == "text/plain"
    path = files.absolute(job.result_path)
    assert path.read_text() == "Xin chào"
    assert path.parent == files.jobs_folder()  # MEDIA_ROOT/jobs: no URL serves it
    assert not list(path.parent.glob(".*.part"))  # the temporary file was moved into place


def test_the_same_request_twice_leads_to_the_same_job(user):
    first = job_submit(actor=user, kind="tests.echo", params={"text": "a", "n": 1})
    again = job_submit(actor=user, kind="tests.echo", params={"n": 1, "text": "a"})

    assert again.pk == first.pk
    assert Job.objects.count() == 1
    assert Job.objects.get().attempts == 1  # not run twice


def test_other_params_or_another_user_make_another_job(user, other):
    job_submit(actor=user, kind="tests.echo", params={"text": "a"})
    job_submit(actor=user, kind="tests.echo", params={"text": "b"})
    job_submit(actor=other, kind="tests.echo", params={"text": "a"})

    assert Job.objects.count() == 3


def test_the_kinds_check_refuses_before_anything_is_queued(user):
    with pytest.raises(PermissionDenied):
        job_submit(actor=user, kind="tests.echo", params={"deny": True})

    assert not Job.objects.exists()


def test_an_unknown_error_is_logged_and_shown_as_a_generic_message(user, caplog):
    job = job_submit(actor=user, kind="tests.broken", params={})

    assert job.status == Job.Status.FAILED
    assert "hunter2" not in job.error and "/srv" not in job.error
    assert job.error  # a message for the user, with a reference
    assert "hunter2" in caplog.text  # the detail is in the log, for the administrator
    assert str(job.pk) in caplog.text


def test_a_failure_meant_for_the_user_is_shown_as_it_is(user):
    job = job_submit(actor=user, kind="tests.refused", params={})

    assert job.status == Job.Status.FAILED
    assert job.error == "Không đủ dữ liệu."


def test_a_failed_job_can_be_retried_and_a_second_retry_changes_nothing(user, settings):
    job = job_submit(actor=user, kind="tests.refused", params={})

    settings.JOB_KINDS = {**settings.JOB_KINDS, "tests.refused": "duan8.jobs.tests.kinds.ECHO"}
    retried = job_retry(actor=user, job=job)
    again = job_retry(actor=user, job=retried)

    assert retried.pk == job.pk and retried.status == Job.Status.DONE
    assert again.status == Job.Status.DONE and again.attempts == 2
    assert Job.objects.count() == 1


def test_a_failed_job_is_not_reused_by_a_new_request(user):
    failed = job_submit(actor=user, kind="tests.refused", params={})

    fresh = job_submit(actor=user, kind="tests.refused", params={})

    assert fresh.pk != failed.pk
    assert Job.objects.count() == 2


def test_a_running_job_is_claimed_once(user, settings):
    settings.JOBS_EAGER = False  # queued, not run: the worker's side is tested by hand
    job = job_submit(actor=user, kind="tests.echo", params={"text": "x"})
    assert job.status == Job.Status.QUEUED

    assert job_claim(str(job.pk)) is not None
    assert job_claim(str(job.pk)) is None  # a second delivery of the same message
    assert job_run(str(job.pk)) == Job.Status.RUNNING  # left to the worker that claimed it


def test_a_job_whose_worker_died_can_be_retried_but_not_a_live_one(user, settings):
    settings.JOBS_EAGER = False
    job = job_submit(actor=user, kind="tests.echo", params={"text": "x"})
    job_claim(str(job.pk))
    job.refresh_from_db()

    assert job_retry(actor=user, job=job).status == Job.Status.RUNNING  # alive: left alone
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    )
    job.refresh_from_db()
    assert job.is_stale and job.can_retry
    settings.JOBS_EAGER = True
    retried = job_retry(actor=user, job=job)

    assert retried.status == Job.Status.DONE and retried.attempts == 2


def test_a_retry_is_refused_when_the_rights_are_gone(user):
    job = job_submit(actor=user, kind="tests.refused", params={})
    Job.objects.filter(pk=job.pk).update(params={"deny": True})
    job.refresh_from_db()

    with pytest.raises(PermissionDenied):
        job_retry(actor=user, job=job)


def test_another_user_must_not_see_the_job(user, other):
    job = job_submit(actor=user, kind="tests.echo", params={"text": "x"})

    with pytest.raises(NotVisible):
        job_get(actor=other, job_id=job.pk)
    assert list(job_list(actor=other)) == []
    assert list(job_list(actor=user)) == [job]


def test_a_superuser_sees_any_job(user):
    job = job_submit(actor=user, kind="tests.echo", params={"text": "x"})
    admin = UserFactory(username="quan.tri", is_superuser=True)

    assert job_get(actor=admin, job_id=job.pk) == job


def test_a_system_job_is_seen_by_superusers_only(user):
    job = Job.objects.create(kind="tests.echo", params={}, actor=None, idempotency_key="k")

    with pytest.raises(NotVisible):
        job_get(actor=user, job_id=job.pk)


def test_a_done_job_whose_file_was_cleaned_up_is_made_again(user):
    first = job_submit(actor=user, kind="tests.echo", params={"text": "x"})
    files.absolute(first.result_path).unlink()

    again = job_submit(actor=user, kind="tests.echo", params={"text": "x"})

    assert again.pk != first.pk and again.status == Job.Status.DONE
    assert files.absolute(again.result_path).read_text() == "x"


def test_when_the_broker_does_not_answer_the_job_fails_with_a_reason_and_can_be_retried(
    user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from duan8.jobs.tasks import run_job

    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    settings.JOBS_EAGER = False
    monkeypatch.setattr(run_job, "apply_async", unreachable)
    with django_capture_on_commit_callbacks(execute=True):  # sent when the request commits
        job = job_submit(actor=user, kind="tests.echo", params={"text": "x"})

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "6379" not in job.error and job.error
    assert job.can_retry
