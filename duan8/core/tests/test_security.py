import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from duan8.accounts.tests.factories import UserFactory
from duan8.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]


def _login(username: str, password: str, address: str = "10.0.0.7"):
    request = RequestFactory().post("/login/", REMOTE_ADDR=address)
    return authenticate(request, username=username, password=password)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(db, settings):
    settings.LOGIN_MAX_FAILURES = 5
    UserFactory(username="hoa", password="dung-mat-khau-2023")

    for _ in range(5):
        assert _login("hoa", "sai") is None
    locked = _login("hoa", "dung-mat-khau-2023")

    assert locked is None
    assert AuditEvent.objects.filter(action="accounts.login_failed", actor_name="hoa").count() == 6


def test_the_lockout_ends_after_its_window(db, settings):
    settings.LOGIN_MAX_FAILURES = 2
    settings.LOGIN_LOCKOUT_SECONDS = 0
    UserFactory(username="hoa", password="dung-mat-khau-2023")

    _login("hoa", "sai")
    _login("hoa", "sai")

    assert _login("hoa", "dung-mat-khau-2023") is not None


def test_one_address_trying_many_names_does_not_lock_out_a_right_password(db, settings):
    # Issue 10: behind a proxy every user shares one address (see accounts/tests/test_throttle.py)
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    UserFactory(username="hoa", password="dung-mat-khau-2023")

    for name in ("a", "b", "c"):
        _login(name, "sai", address="10.0.0.9")

    assert _login("hoa", "dung-mat-khau-2023", address="10.0.0.9") is not None


def test_every_page_carries_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/login/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def _run_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    dropped = {"DEBUG", "SECRET_KEY", "PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-m", "duan8", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_settings({"PRODUCTION": "1"}, "check")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = _run_settings({"PRODUCTION": "1", "DEBUG": "1", "SECRET_KEY": "x" * 60}, "check")

    assert result.returncode != 0
    assert "DEBUG" in result.stderr


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_check_deploy_passes_with_production_settings(database):
    secret = "k3y-" + "Zq8#vT2!pL9@wX4$" * 4
    result = _run_settings(
        {
            "PRODUCTION": "1",
            "SECRET_KEY": secret,
            "ALLOWED_HOSTS": "duan8.example.vn",
            "DB": database,
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert result.returncode == 0, result.stderr + result.stdout
