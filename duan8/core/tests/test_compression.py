"""Compressed answers (issue 18, point 2): pages and API answers are gzip-compressed for a
browser that accepts it, left alone for one that does not; streamed answers still stream."""

import gzip
import json
import re

import pytest
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path

from duan8.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(rb'(?<=name="csrfmiddlewaretoken" value=")[^"]+')
ROWS = [f"row {i}, Xã Ba Trang, {i * 7}\n".encode() for i in range(2000)]


def _streamed(request: HttpRequest) -> StreamingHttpResponse:
    """A streamed export's shape: rows produced one by one, never the whole body at once."""
    return StreamingHttpResponse(iter(ROWS), content_type="text/csv; charset=utf-8")


# The site's own URLs (and so its whole middleware chain), plus one streamed answer.
urlpatterns = [path("test-stream/", _streamed), *site_urlpatterns]


def test_login_page_is_compressed_for_a_browser_that_accepts_gzip(client) -> None:
    plain = client.get("/login/")
    packed = client.get("/login/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content)
    assert len(packed.content) < len(html) / 2
    assert b"<form" in html
    # The same page, except the CSRF tokens, masked anew in every answer (the BREACH defence).
    tokens = CSRF_VALUE.findall(html)
    assert tokens
    assert set(tokens).isdisjoint(CSRF_VALUE.findall(plain.content))
    assert CSRF_VALUE.sub(b"", html) == CSRF_VALUE.sub(b"", plain.content)


def test_json_api_answer_is_compressed(
    client, district_reviewer, villages, ba_kham_village
) -> None:
    """A district's units (a few hundred bytes of JSON; an answer under ~300 bytes may be left
    as it is, since the random padding against BREACH would make it larger)."""
    client.force_login(district_reviewer)
    plain = client.get("/api/v1/org-units/")
    packed = client.get("/api/v1/org-units/", HTTP_ACCEPT_ENCODING="gzip")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert len(json.loads(plain.content)["results"]) > 3
    assert json.loads(gzip.decompress(packed.content)) == json.loads(plain.content)


@pytest.mark.urls(__name__)
def test_streamed_answer_still_streams_compressed(client, commune_officer) -> None:
    client.force_login(commune_officer)
    response = client.get("/test-stream/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Encoding"] == "gzip"
    chunks = list(response.streaming_content)
    assert len(chunks) > 1  # sent piece by piece, not gathered first
    assert gzip.decompress(b"".join(chunks)) == b"".join(ROWS)


@pytest.mark.urls(__name__)
def test_streamed_answer_without_gzip_is_untouched(client, commune_officer) -> None:
    client.force_login(commune_officer)
    response = client.get("/test-stream/")
    assert response.streaming
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == b"".join(ROWS)
