"""Plans, writing: the bodies of the plan's text, targets and allocation, their checks before
the services, and the endpoints for the targets, the allocation and the approval."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiView
from duan8.api.endpoints.programs.shared import TAG_PLANS, PlanDetailOut, plan_answer, writable_plan
from duan8.api.idempotency import idempotent
from duan8.api.schema import doc
from duan8.api.versions import expected_version
from duan8.api.who import actor
from duan8.core.problems import Problems
from duan8.legal.models import LegalDocument
from duan8.programs.models import Plan, ProgramElement, Target
from duan8.programs.plan_access import require_plan_approve
from duan8.programs.plan_edit import LONG_LIMIT
from duan8.programs.selectors import plan_get
from duan8.programs.services import TargetInput, allocation_set, plan_approve, targets_set

# The allocation cells' column (DecimalField(max_digits=14, decimal_places=2)) and the number of
# especially difficult villages (a small positive integer): bounds checked before the service,
# so a number too large for the column is a 400, not a database error.
CELL_MAX_INTEGER_DIGITS = 12
CELL_MAX_DECIMALS = 2
DIFFICULT_VILLAGES_MAX = 32767


def _text(**kwargs: Any) -> serializers.CharField:
    """A text of the plan: its length is the service's check (the bound here only caps a body)."""
    return serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=LONG_LIMIT, **kwargs
    )


class PlanTextsIn(serializers.Serializer):
    """The plan's header, texts and signature, as the text page edits them; only the fields sent
    change. Lengths, required fields and the signature's wording are the service's checks."""

    number = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=99_999
    )
    symbol = _text()
    issued_on = serializers.DateField(required=False, allow_null=True)
    place = _text()
    issuing_body = _text()
    parent_body = _text()
    title = _text()
    proposal = _text()
    purposes = _text(help_text=doc("Mỗi dòng một ý.", "One item per line."))
    requirements = _text(help_text=doc("Mỗi dòng một ý.", "One item per line."))
    budget_text = _text()
    budget_source = serializers.PrimaryKeyRelatedField(
        queryset=LegalDocument.objects.all(),
        required=False,
        allow_null=True,
        help_text=doc(
            "Quyết định phân bổ kinh phí (id trong sổ văn bản).",
            "The budget allocation decision (its id in the register).",
        ),
    )
    closing = _text()
    recipients = _text(help_text=doc("Mỗi dòng một nơi.", "One per line."))
    signer_authority = _text()
    signer_title = _text()
    signer_name = _text()
    version = serializers.IntegerField(
        required=False, min_value=0, help_text=doc("Hoặc If-Match.", "Or If-Match.")
    )


class PlanTargetIn(serializers.Serializer):
    element = serializers.CharField(
        max_length=60, help_text=doc("Mã chỉ tiêu/hoạt động.", "The element's code.")
    )
    scope = serializers.ChoiceField(choices=Target.Scope.choices)
    kind = serializers.ChoiceField(
        choices=[("", gettext_lazy("Remove")), *Target.Kind.choices],
        allow_blank=True,
        help_text=doc("Để trống: xoá chỉ tiêu.", "Empty: remove the target."),
    )
    value = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=doc("Số (với kind=number).", "The number (with kind=number)."),
    )
    text = serializers.CharField(
        max_length=20_000,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=doc("Hướng dẫn hoặc lý do tạm dừng.", "The instruction, or why suspended."),
    )


class PlanTargetsIn(serializers.Serializer):
    targets = PlanTargetIn(many=True, allow_empty=False, max_length=2000)  # type: ignore[call-arg]
    version = serializers.IntegerField(
        required=False, min_value=0, help_text=doc("Hoặc If-Match.", "Or If-Match.")
    )


def _target_inputs(plan: Plan, rows: list[dict[str, Any]]) -> list[TargetInput]:
    """The typed cells with their elements; unknown codes and cells given twice: 400."""
    codes = {row["element"] for row in rows}
    elements = {e.code: e for e in ProgramElement.objects.filter(code__in=codes)}
    problems, seen, items = Problems(), set(), []
    for index, row in enumerate(rows):
        element = elements.get(row["element"])
        if element is None:
            problems.add(
                f"targets.{index}.element",
                _("No program element has the code “%(code)s”.") % {"code": row["element"]},
                "unknown",
            )
            continue
        key = (element.code, row["scope"])
        if key in seen:
            problems.add(
                f"targets.{index}", _("This target is given twice in the request."), "duplicate"
            )
            continue
        seen.add(key)
        items.append(
            TargetInput(
                element=element,
                scope=row["scope"],
                kind=row["kind"],
                value=row.get("value") or "",
                text=row.get("text") or "",
            )
        )
    problems.raise_if_any()
    return items


class PlanTargetsApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Sửa chỉ tiêu · Change targets",
        description=doc(
            "Đặt các ô chỉ tiêu (phụ lục 1) của kế hoạch dự thảo, như trang sửa chỉ tiêu: kiểm tra"
            " tất cả trước, có lỗi thì không lưu gì (lỗi theo ô:"
            " `targets.<mã>.<cấp>.<kind|value|text>`). Phiên bản cũ: 409 với những gì đã đổi.",
            "Set cells of the targets (appendix 1) of a draft plan, as the targets page does: all"
            " are checked first and nothing is saved on any error (errors by cell:"
            " `targets.<code>.<scope>.<kind|value|text>`). A stale version: 409 with what"
            " changed.",
        ),
        request=PlanTargetsIn,
        responses=PlanDetailOut,
    )
    def patch(self, request: Request, pk: int) -> Response:
        plan = writable_plan(request, pk)
        version = expected_version(request)
        incoming = PlanTargetsIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        items = _target_inputs(plan, incoming.validated_data["targets"])
        targets_set(plan=plan, items=items, actor=actor(request), expected_version=version)
        return plan_answer(request, plan_get(actor=actor(request), plan_id=pk))


def _cell_value(raw: str) -> str:
    """The typed value, refused when the cell's column cannot hold it (the service parses it)."""
    text = raw.strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return raw  # the service names what is wrong with it
    if not number.is_finite():
        return raw
    _sign, digits, exponent = number.as_tuple()
    decimals = max(0, -int(exponent))
    if len(digits) + int(exponent) > CELL_MAX_INTEGER_DIGITS:
        raise serializers.ValidationError(
            _("At most %(digits)s digits before the decimal point.")
            % {"digits": CELL_MAX_INTEGER_DIGITS},
            "max_digits",
        )
    if decimals > CELL_MAX_DECIMALS:
        raise serializers.ValidationError(
            _("At most %(digits)s digits after the decimal point.") % {"digits": CELL_MAX_DECIMALS},
            "max_decimal_places",
        )
    return raw


class PlanAllocationCellIn(serializers.Serializer):
    row = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    column = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    value = serializers.CharField(
        max_length=20,
        allow_blank=True,
        help_text=doc("Số (trống = 0).", "A number (empty = 0)."),
    )

    def validate_value(self, value: str) -> str:
        return _cell_value(value)


class PlanDifficultVillagesIn(serializers.Serializer):
    row = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    value = serializers.CharField(
        max_length=10,
        allow_blank=True,
        allow_null=True,
        help_text=doc("Trống/null: không ghi.", "Empty or null: not stated."),
    )

    def validate_value(self, value: str | None) -> str:
        text = (value or "").strip()
        if text.isdecimal() and int(text) > DIFFICULT_VILLAGES_MAX:
            raise serializers.ValidationError(
                _("At most %(most)s.") % {"most": DIFFICULT_VILLAGES_MAX}, "max_value"
            )
        return text


class PlanAllocationIn(serializers.Serializer):
    cells = PlanAllocationCellIn(many=True, required=False, max_length=20_000)  # type: ignore[call-arg]
    difficult_villages = PlanDifficultVillagesIn(many=True, required=False, max_length=2000)  # type: ignore[call-arg]
    version = serializers.IntegerField(
        required=False, min_value=0, help_text=doc("Hoặc If-Match.", "Or If-Match.")
    )


class PlanAllocationApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Sửa bảng phân bổ · Change the allocation",
        description=doc(
            "Đặt các ô của bảng phân bổ (phụ lục 2) và số thôn đặc biệt khó khăn của các dòng,"
            " như trang sửa phân bổ; các ô không gửi giữ nguyên. Mỗi tổng phải bằng tổng các dòng"
            " con; có lỗi thì không lưu gì (lỗi theo ô: `values.<dòng>.<cột>`,"
            " `difficult_villages.<dòng>`).",
            "Set cells of the allocation table (appendix 2) and rows' numbers of especially"
            " difficult villages, as the allocation page does; cells not sent stay. Every total"
            " must equal the sum of its rows; nothing is saved on any error (errors by cell:"
            " `values.<row>.<column>`, `difficult_villages.<row>`).",
        ),
        request=PlanAllocationIn,
        responses=PlanDetailOut,
    )
    def patch(self, request: Request, pk: int) -> Response:
        plan = writable_plan(request, pk)
        version = expected_version(request)
        incoming = PlanAllocationIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        allocation_set(
            plan=plan,
            values={(cell["row"], cell["column"]): cell["value"] for cell in data.get("cells", [])},
            difficult_villages={
                row["row"]: row["value"] for row in data.get("difficult_villages", [])
            },
            actor=actor(request),
            expected_version=version,
        )
        return plan_answer(request, plan_get(actor=actor(request), plan_id=pk))


class PlanVersionIn(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=0, help_text=doc("Hoặc If-Match.", "Or If-Match.")
    )


class PlanApproveApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Phê duyệt kế hoạch · Approve a plan",
        description=doc(
            "Phê duyệt kế hoạch dự thảo (người có quyền phê duyệt), như nút Phê duyệt: bảng phân"
            " bổ phải khớp, kế hoạch phải có số và ngày, văn bản không có lỗi. Gửi phiên bản"
            " (If-Match hoặc “version”).",
            "Approve a draft plan (for those who may approve it), as the Approve button does: the"
            " allocation must add up, the plan must have its number and date, the document no"
            " errors. Send the version (If-Match or “version”).",
        ),
        request=PlanVersionIn,
        responses=PlanDetailOut,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        who = actor(request)
        plan = plan_get(actor=who, plan_id=pk)
        require_plan_approve(who, plan)
        version = expected_version(request)
        plan_approve(plan=plan, actor=who, expected_version=version)
        return plan_answer(request, plan_get(actor=who, plan_id=pk))
