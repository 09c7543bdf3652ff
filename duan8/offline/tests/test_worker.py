"""The service worker's script as served: valid JavaScript, with the URLs it may answer for."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from duan8.offline.worker import STATIC_FILES, page_urls, precache_urls


def _constant(script: str, name: str) -> object:
    found = re.search(rf"^var {name} = (.+);$", script, re.MULTILINE)
    assert found, name
    return json.loads(found[1])


@pytest.mark.django_db
def test_the_worker_is_served_filled_in_and_parses(tmp_path: Path) -> None:
    response = Client().get("/sw.js")
    assert response.status_code == 200
    script = response.content.decode()
    assert "{{" not in script
    assert _constant(script, "PRECACHE") == precache_urls()
    assert _constant(script, "PAGES") == ["/nhap-ngoai-tuyen/", "/nhap-ngoai-tuyen/du-lieu.json"]
    assert page_urls() == _constant(script, "PAGES")
    assert len(precache_urls()) == len(STATIC_FILES)
    node = shutil.which("node")
    assert node, "Node.js checks the worker's syntax"
    path = tmp_path / "sw.js"
    path.write_text(script, encoding="utf-8")
    subprocess.run([node, "--check", str(path)], check=True, capture_output=True)  # noqa: S603
