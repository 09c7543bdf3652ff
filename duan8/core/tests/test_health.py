"""``/healthz`` (issue 18, operations): the database, the media disk and the task broker."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from duan8.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.TASK_BROKER_URL = ""
    return tmp_path


def _health(client: Client) -> tuple[int, dict]:
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def test_all_well_without_signing_in(client, media) -> None:
    status, body = _health(client)
    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "media", "broker"}
    for check in body["checks"].values():
        assert check["ok"] is True
        assert check["ms"] >= 0
    assert body["checks"]["broker"]["detail"] == "not configured"
    assert body["checks"]["media"]["free_mb"] > 0
    assert list(media.iterdir()) == []  # the probe file is deleted again


def test_not_audited(client, media) -> None:
    before = AuditEvent.objects.count()
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert AuditEvent.objects.count() == before


def test_missing_media_root_fails_and_names_media(client, settings, media) -> None:
    settings.MEDIA_ROOT = media / "not-there"
    status, body = _health(client)
    assert status == 503
    assert body["status"] == "fail"
    assert body["failing"] == ["media"]
    assert body["checks"]["media"] == {
        "ok": False,
        "error": "missing",
        "ms": pytest.approx(0, abs=1e3),
    }
    assert "not-there" not in json.dumps(body)  # no path printed
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory")
def test_read_only_media_root_fails(client, media) -> None:
    media.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        status, body = _health(client)
    finally:
        media.chmod(stat.S_IRWXU)
    assert status == 503
    assert body["failing"] == ["media"]
    assert body["checks"]["media"]["error"] == "not writable"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="Linux /proc needed")
def test_media_root_nobody_can_write_fails(client, settings, media) -> None:
    settings.MEDIA_ROOT = "/proc"  # a directory where no file can be created, even by root
    status, body = _health(client)
    assert status == 503
    assert body["failing"] == ["media"]
    assert body["checks"]["media"]["error"] == "not writable"


def test_too_little_free_space_fails(client, settings, media) -> None:
    settings.HEALTH_MIN_FREE_MB = 10**12  # an exabyte: no disk here has that much free
    status, body = _health(client)
    assert status == 503
    assert body["failing"] == ["media"]
    assert body["checks"]["media"]["error"].startswith("low free space")


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "amqp://guest:guest@127.0.0.1:5672//"])
def test_running_broker_is_ok(client, settings, media, url) -> None:
    settings.TASK_BROKER_URL = url
    status, body = _health(client)
    assert status == 200, body
    assert body["checks"]["broker"]["ok"] is True


def test_closed_broker_port_fails_without_printing_the_password(client, settings, media) -> None:
    settings.TASK_BROKER_URL = "redis://:s3cret-pw@127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["failing"] == ["broker"]
    assert body["checks"]["broker"]["error"] == "connection refused"
    assert b"s3cret-pw" not in response.content
    assert b"127.0.0.1" not in response.content


def test_unknown_broker_scheme_is_not_checked(client, settings, media) -> None:
    settings.TASK_BROKER_URL = "sqs://key:secret@queue"
    status, body = _health(client)
    assert status == 200
    assert body["checks"]["broker"]["detail"] == "not checked (sqs scheme)"
    assert "secret" not in json.dumps(body)


def test_post_is_refused(client, media) -> None:
    assert client.post("/healthz").status_code == 405


def test_head_answers(client, media) -> None:
    assert client.head("/healthz").status_code == 200


def test_unreachable_database_fails_without_naming_the_server(tmp_path: Path) -> None:
    """A real process whose PostgreSQL is not there (nothing listens on port 1)."""
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "duan8.settings",
        "DB": "postgres",
        "DB_HOST": "127.0.0.1",
        "DB_PORT": "1",
        "DB_NAME": "duan8_nowhere",
        "DB_USER": "nobody_h5",
        "MEDIA_ROOT": str(tmp_path),
        "ACCESS_LOG": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    status, text = result.stdout.split("\n", 1)
    assert status == "503", result.stderr
    body = json.loads(text)
    assert body["failing"] == ["database"]
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert body["checks"]["media"]["ok"] is True
    for secret in ("nobody_h5", "duan8_nowhere", "127.0.0.1"):
        assert secret not in text
