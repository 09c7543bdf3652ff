"""The example of docs/api.md (section 10) runs as written, with ``requests``, against a live
server and a real token: it pulls xã Ba Trang's 2023 events page by page and records one event,
once, even when the whole script runs twice with the same Idempotency-Key."""

import contextlib
import io
import re
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from duan8.activities.models import Event
from duan8.api.models import IdempotentRequest
from duan8.api.tokens import api_token_create
from duan8.testing import event_samples

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"
TITLE = "Truyền thông bình đẳng giới cuối năm (ghi qua API)"


def example_code() -> str:
    """The ```python block after the marker ``<!-- example: events -->``."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- example: events -->\s*```python\n(.*?)\n```", text, re.DOTALL)
    assert found, "docs/api.md has lost its example"
    return found.group(1)


def run_example(monkeypatch, url: str, key: str) -> str:
    monkeypatch.setenv("DUAN8_URL", url)
    monkeypatch.setenv("DUAN8_TOKEN", key)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example_code(), str(DOC), "exec"), {"__name__": "example"})  # noqa: S102
    return out.getvalue()


def test_the_example_is_python_that_uses_requests_and_an_idempotency_key():
    code = example_code()

    compile(code, str(DOC), "exec")
    assert "import requests" in code
    assert '"next"' in code and "Idempotency-Key" in code


@pytest.mark.usefixtures("default_roles_again", "ethnic_groups")
def test_the_example_pulls_ba_trangs_events_and_records_one_once(
    live_server, monkeypatch, ba_trang_plan, villages, commune_officer, settings
):
    settings.API_RATE = "100000/min"
    # The server's threads close their database connection after each request, so that the test
    # database can be dropped at the end of the run (PostgreSQL keeps them for CONN_MAX_AGE).
    monkeypatch.setitem(connections.settings[DEFAULT_DB_ALIAS], "CONN_MAX_AGE", 0)
    sample = event_samples(ba_trang_plan, villages, commune_officer)
    _token, key = api_token_create(actor=commune_officer, name="example", read_only=False)

    first = run_example(monkeypatch, live_server.url, key)
    second = run_example(monkeypatch, live_server.url, key)

    recorded = Event.objects.get(title=TITLE)
    assert "Ba Trang" in first.splitlines()[0]
    assert "1 events in 2023" in first  # the sample event, in thôn Bùi Hui
    assert f"event {recorded.pk} recorded" in first
    assert "2 events in 2023" in second  # the first run's event is pulled too
    assert f"event {recorded.pk} already recorded" in second  # replayed, not created again
    assert Event.objects.filter(title=TITLE).count() == 1
    assert recorded.plan == ba_trang_plan and recorded.activity == sample["event"].activity
    assert recorded.org_unit.name == "Ba Trang"
    assert sorted(recorded.counts.values_list("sex", "count")) == [("F", 18), ("M", 7)]
    assert IdempotentRequest.objects.filter(user=commune_officer).count() == 1
