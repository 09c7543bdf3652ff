"""Smaller holes (issue 10, points 6 and 9): production secrets, caching of private pages, the
log of refusals, database health checks, and NUL characters in any input."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k3y-" + "Zq8#vT2!pL9@wX4$" * 4
NUL_MESSAGE = "ký tự không hợp lệ (NUL)"


def _settings(env: dict[str, str], expression: str = "None") -> subprocess.CompletedProcess:
    """Load duan8.settings in a fresh interpreter with ``env``; print ``expression``."""
    dropped = {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "PRODUCTION", "DB"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-c", f"from duan8 import settings as s; print({expression})"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- production secret key ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("     ", "empty"),
        ("short", "too short"),
        ("ab" * 40, "too repetitive"),
        ("dev-" + "Zq8#vT2!pL9@wX4$" * 4, "development key"),
    ],
)
def test_production_refuses_a_weak_secret_key(key, reason):
    result = _settings({"PRODUCTION": "1", "SECRET_KEY": key})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr and reason in result.stderr


def test_production_refuses_an_empty_secret_key_file(tmp_path):
    empty = tmp_path / "secret_key"
    empty.write_text("\n", encoding="utf-8")

    result = _settings({"PRODUCTION": "1", "SECRET_KEY_FILE": str(empty)})

    assert result.returncode != 0
    assert f"SECRET_KEY_FILE={empty} is empty" in result.stderr


def test_a_secret_key_file_variable_set_to_nothing_is_refused():
    result = _settings({"PRODUCTION": "1", "SECRET_KEY_FILE": "", "SECRET_KEY": GOOD_KEY})

    assert result.returncode != 0
    assert "SECRET_KEY_FILE is set but empty" in result.stderr


def test_production_starts_with_a_long_varied_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(GOOD_KEY + "\n", encoding="utf-8")

    result = _settings({"PRODUCTION": "1", "SECRET_KEY_FILE": str(secret)}, "s.SECRET_KEY")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == GOOD_KEY


def test_postgresql_connections_are_checked_before_use():
    result = _settings({"DB": "postgres"}, "s.DATABASES['default'].get('CONN_HEALTH_CHECKS')")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


# --- private pages are not cached --------------------------------------------------------------


def test_pages_of_a_signed_in_user_are_never_stored(client, commune_officer, ba_trang):
    client.force_login(commune_officer)

    for url in (
        reverse("home"),
        reverse("activities:cadre_list", kwargs={"pk": ba_trang.pk}),
        reverse("orgunits:unit_detail", kwargs={"pk": ba_trang.pk}),
    ):
        response = client.get(url)

        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_a_refusal_is_also_not_stored(client, village_head, ba_kham):
    client.force_login(village_head)

    response = client.post(reverse("orgunits:village_create", kwargs={"pk": ba_kham.pk}))

    assert response.status_code == 404  # Ba Khâm is not theirs to see
    assert "no-store" in response["Cache-Control"]


# --- refusals are logged in one line -----------------------------------------------------------


def test_a_refusal_is_logged_in_one_line_without_a_traceback(
    client, commune_leader, ba_trang, caplog
):
    client.force_login(commune_leader)  # may read Ba Trang, may not create its villages

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(
            reverse("orgunits:village_create", kwargs={"pk": ba_trang.pk}), {"name": "Thôn Mới"}
        )

    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1
    assert refusals[0].exc_info is None
    assert "Traceback" not in caplog.text
    assert "\n" not in refusals[0].getMessage()


# --- NUL characters (PostgreSQL refuses them in any text: a 500 before) -----------------------


def test_a_nul_character_in_a_search_is_refused_with_a_clear_message(client, commune_officer):
    client.force_login(commune_officer)

    response = client.get(f"{reverse('user_list')}?q=%00")

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_a_nul_character_in_a_unit_code_of_the_address_is_refused(client, commune_officer):
    client.force_login(commune_officer)

    response = client.get("/so-lieu/x%00y/")

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


def test_a_nul_character_in_a_report_request_field_is_refused_and_nothing_is_asked(
    client, district_reviewer, ba_trang, report_schedules
):
    from duan8.reports.models import Report

    client.force_login(district_reviewer)
    schedule = next(iter(report_schedules.values()))

    response = client.post(
        reverse("reports:report_request", kwargs={"pk": ba_trang.parent_id}),
        {
            "schedule": f"{schedule.pk}\x00",
            "due_on": "15/12/2023",
            "period_start": "01/01/2023",
            "period_end": "30/11/2023",
            "note": "Báo cáo\x00",
        },
    )

    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not Report.objects.exists()


def test_text_without_nul_characters_still_reaches_the_page(client, commune_officer):
    client.force_login(commune_officer)

    response = client.get(f"{reverse('user_list')}?q=Nguy%E1%BB%85n")

    assert response.status_code == 200
