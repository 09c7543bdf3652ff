"""Cursor pages for every list: stable while records are added (a sync never skips or repeats a
record, as page numbers would), with ``page_size`` up to 500."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

from duan8.api.errors import BadRequest


class CursorPage(CursorPagination):
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"
    ordering = "pk"
    cursor_query_description = "Trang tiếp theo (từ “next”). *The page's cursor, from “next”.*"
    page_size_query_description = "Số bản ghi mỗi trang (tối đa 500). *Records per page (≤ 500).*"

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            return super().decode_cursor(request)
        except Exception as exc:
            raise BadRequest(
                "cursor", _("This cursor is not valid; start again from the first page."), "invalid"
            ) from exc

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise BadRequest(
                "page_size",
                _("page_size must be a whole number from 1 to %(most)s.")
                % {"most": self.max_page_size},
                "invalid",
            )
        return int(raw)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["next", "previous", "results"]
        return answer
