"""The OpenAPI schema (drf-spectacular): every operation documents its errors in the one error
format, its Idempotency-Key (POST) or If-Match (PUT, PATCH) header, and its text in Vietnamese
with English beside (``doc``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from duan8.api.text import doc

SAFE = ("GET", "HEAD", "OPTIONS")


class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=doc("Trường có lỗi.", "The field at fault."))
    row = serializers.IntegerField(allow_null=True, help_text=doc("Dòng.", "The row, if any."))
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=doc("Lý do.", "Why."))
    code = serializers.CharField()
    errors = ProblemSerializer(many=True, required=False)  # type: ignore[assignment]


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=r"^[A-Za-z0-9_.:-]{8,100}$",
    description=doc(
        "Khoá một lần cho mỗi lần gửi: gửi lại với cùng khoá không tạo bản ghi thứ hai.",
        "A one-time key per submission: a retry with the same key creates nothing new.",
    ),
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    pattern=r'^(W/)?"?[0-9]{1,9}"?$',
    description=doc(
        "ETag đã đọc (phiên bản); hoặc gửi “version” trong nội dung.",
        "The ETag read (the version); or send “version” in the body.",
    ),
)
UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description=doc(
        "Chỉ các bản ghi thay đổi từ thời điểm này (ISO 8601).",
        "Only records changed since this time (ISO 8601).",
    ),
)
AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description=doc(
        "Bản đồ hành chính tại ngày này (mặc định: hôm nay).",
        "The administrative map as of this date (default: today).",
    ),
)

ERRORS_READ = {
    "400": doc("Tham số không hợp lệ.", "Invalid parameters."),
    "401": doc("Chưa có khoá API hợp lệ.", "No valid API token."),
    "403": doc("Không có quyền.", "Not allowed."),
    "404": doc("Không tìm thấy, hoặc không thuộc phạm vi được xem.", "Not found, or not yours."),
    "406": doc("Chỉ trả lời JSON.", "JSON only."),
    "429": doc("Quá nhiều yêu cầu.", "Too many requests."),
}
ERRORS_WRITE = {
    **ERRORS_READ,
    "400": doc("Dữ liệu không hợp lệ (lỗi theo trường).", "Invalid data (errors by field)."),
    "405": doc("Phương thức không được phép.", "Method not allowed."),
    "409": doc("Bản ghi đã thay đổi hoặc đã khoá.", "The record changed meanwhile, or is locked."),
    "413": doc("Nội dung quá lớn.", "Body too large."),
    "415": doc("Nội dung phải là JSON.", "The body must be JSON."),
    "422": doc("Khoá Idempotency-Key đã dùng cho yêu cầu khác.", "Key used for another request."),
    "428": doc("Thiếu phiên bản (If-Match).", "The version (If-Match) is missing."),
}


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY)
        if self.method in ("PUT", "PATCH"):
            parameters.append(IF_MATCH)
        return parameters

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        ref = self.resolve_serializer(ErrorSerializer, "response").ref
        errors = ERRORS_READ if self.method in SAFE else ERRORS_WRITE
        for code, text in errors.items():
            operation["responses"].setdefault(
                code, {"description": text, "content": {"application/json": {"schema": ref}}}
            )
        return operation
