"""Request ids and structured logs (issue 18, operations): every request has an id, sent back in
``X-Request-ID`` and written on each log line of that request; ``LOG_FORMAT=json`` writes one JSON
object per line."""

import datetime
import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from duan8.core.logs import JsonFormatter, RequestContext

ROOT = Path(__file__).resolve().parents[3]
HEX_ID = re.compile(r"[0-9a-f]{32}")

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the console handler would write with LOG_FORMAT=json, for the whole test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContext())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _entries(stream: io.StringIO) -> list[dict]:
    """Every line parsed as JSON (a line that is not one object fails the test)."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def _access(stream: io.StringIO) -> list[dict]:
    return [e for e in _entries(stream) if e["logger"] == "duan8.request"]


def test_caller_id_is_sent_back_and_logged(client, log_lines) -> None:
    response = client.get("/login/?next=/private-search-words", HTTP_X_REQUEST_ID="abc")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "abc"
    [line] = _access(log_lines)
    assert line["request_id"] == "abc"
    assert line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/login/", 200)
    assert line["duration_ms"] >= 0
    assert line["user_id"] is None
    assert "private-search-words" not in log_lines.getvalue()  # no query string
    logged_at = datetime.datetime.fromisoformat(line["time"])
    assert logged_at.utcoffset() == datetime.timedelta(0)
    now = datetime.datetime.now(datetime.UTC)
    assert abs((now - logged_at).total_seconds()) < 60


@pytest.mark.parametrize(
    "bad",
    ["abc\ndef", "x" * 200, "abc def", "<script>", "ab;rm", ""],
    ids=["newline", "200 chars", "space", "markup", "semicolon", "empty"],
)
def test_bad_caller_id_is_replaced(client, log_lines, bad) -> None:
    response = client.get("/login/", HTTP_X_REQUEST_ID=bad)
    assert HEX_ID.fullmatch(response["X-Request-ID"])
    [line] = _access(log_lines)
    assert line["request_id"] == response["X-Request-ID"]


def test_longest_sane_id_is_kept(client) -> None:
    sane = "A-z_0.9" * 9 + "x"  # 64 characters
    assert client.get("/login/", HTTP_X_REQUEST_ID=sane)["X-Request-ID"] == sane


def test_each_request_gets_its_own_id(client, log_lines) -> None:
    first = client.get("/login/")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert HEX_ID.fullmatch(first)
    assert HEX_ID.fullmatch(second)
    assert first != second
    assert [e["request_id"] for e in _access(log_lines)] == [first, second]


def test_every_line_of_a_request_carries_its_id(client, log_lines) -> None:
    """Django's own warning for a missing page is written during the request: same id."""
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code in (302, 404)  # anonymous users are sent to sign in first
    ids = {e["request_id"] for e in _entries(log_lines)}
    assert ids == {"req-404"}


def test_signed_in_user_id_but_never_names(client, commune_officer, log_lines) -> None:
    client.force_login(commune_officer)
    client.get("/", HTTP_X_REQUEST_ID="home-1")
    [line] = _access(log_lines)
    assert line["user_id"] == commune_officer.pk
    text = log_lines.getvalue()
    assert commune_officer.username not in text
    assert commune_officer.full_name not in text


def test_outside_a_request_no_id(log_lines) -> None:
    logging.getLogger("duan8.test").warning("nightly job: %s rows", 3)
    [line] = _entries(log_lines)
    assert line["message"] == "nightly job: 3 rows"
    assert line["request_id"] is None
    assert line["user_id"] is None
    assert line["level"] == "WARNING"
    assert line["logger"] == "duan8.test"


def test_exception_text_is_one_json_line(log_lines) -> None:
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        logging.getLogger("duan8.test").exception("it broke")
    text = log_lines.getvalue()
    assert text.count("\n") == 1  # the traceback is inside the object, not on lines of its own
    [line] = _entries(log_lines)
    assert line["message"] == "it broke"
    assert "ZeroDivisionError" in line["exception"]
    assert "Traceback" in line["exception"]


def test_vietnamese_text_stays_readable(log_lines) -> None:
    logging.getLogger("duan8.test").warning("Xã Ba Trang")
    assert "Xã Ba Trang" in log_lines.getvalue()


def _settings(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "ACCESS_LOG"}}
    return subprocess.run(
        [sys.executable, "-c", f"from duan8 import settings as s; print({expression})"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(("env", "formatter"), [({}, "text"), ({"LOG_FORMAT": "json"}, "json")])
def test_log_format_setting(env, formatter) -> None:
    result = _settings(env, "s.LOGGING['handlers']['console']['formatter']")
    assert result.stdout.strip() == formatter, result.stderr


def test_unknown_log_format_stops_start_up() -> None:
    result = _settings({"LOG_FORMAT": "xml"}, "None")
    assert result.returncode != 0
    assert "LOG_FORMAT must be text or json" in result.stderr


def test_json_console_of_a_real_process() -> None:
    """The configured console handler itself (not a test copy) writes JSON lines."""
    code = "import django, logging; django.setup(); logging.getLogger('duan8.x').error('một lỗi')"
    clean = {k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "duan8.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    [line] = [json.loads(x) for x in result.stderr.splitlines()]
    assert (line["level"], line["logger"], line["message"]) == ("ERROR", "duan8.x", "một lỗi")
