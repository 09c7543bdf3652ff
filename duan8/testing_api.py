"""Test fixtures of the API (issue 16), loaded beside duan8/testing.py by the root conftest.py."""

from typing import Any

import pytest

from duan8.accounts.models import User


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: the API's throttling counts in it."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api() -> Any:
    """``api(user, read_only=False, language=None)``: a DRF test client holding a new API token of
    ``user`` (``client.token`` is the token, ``client.key`` its key). POST with
    ``headers={"Idempotency-Key": ...}``; see duan8/api/tests/test_core.py."""
    from rest_framework.test import APIClient

    from duan8.api.tokens import api_token_create

    def make(user: User, *, read_only: bool = False, language: str | None = None) -> APIClient:
        token, key = api_token_create(actor=user, name="test", read_only=read_only)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        if language:
            client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        client.token, client.key = token, key  # type: ignore[attr-defined]
        return client

    return make
