"""Optimistic concurrency over the API: a record's answer carries its version as an ``ETag``
(``"7"``); an update says which version it changes, with ``If-Match: "7"`` or a ``version`` field
in its body. A missing version is refused (428), a stale one answered 409 with what changed (the
services' ``EditConflict`` messages, and the record as it is now where the endpoint adds it)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.errors import BadRequest, PreconditionRequired

_ETAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = etag(version)
    return response


def expected_version(request: Request) -> int:
    """The version an update changes: the If-Match header, else the body's ``version``."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        found = _ETAG.match(header)
        if not found:
            raise BadRequest(
                "If-Match", _('If-Match must be the ETag you read, such as "3".'), "invalid"
            )
        return int(found.group(1))
    data: Any = request.data
    if isinstance(data, dict) and "version" in data:
        value = data["version"]
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        raise BadRequest("version", _("The version must be a whole number."), "invalid")
    raise PreconditionRequired(
        _("Say which version you change: send If-Match with the ETag you read, or “version”.")
    )
