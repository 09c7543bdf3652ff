"""Programs and plans: the program structure (programs, phases and their elements), the plans the
caller may see with their two appendices (targets; allocation rows, columns and cells), and the
writes the plan pages allow, through the same services and the same rule (``plan_access``):
the plan's text (``plan_texts_update``), targets (``targets_set``), allocation
(``allocation_set``) and approval (``plan_approve``).

There is no "submit" step for a plan (a draft is approved, or amended later), so no endpoint
for it. Each write answers the plan as it is now, with its version as the ETag.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiList, ApiView, query_int
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core.problems import Problems
from duan8.legal.models import LegalDocument
from duan8.programs.models import (
    AllocationColumn,
    AllocationRow,
    Plan,
    ProgramElement,
    Target,
)
from duan8.programs.plan_access import (
    can_approve_plan,
    can_write_plan,
    require_plan_approve,
    require_plan_write,
)
from duan8.programs.plan_edit import LONG_LIMIT, plan_texts_update
from duan8.programs.selectors import AllocationTable, allocation_table, plan_appendix, plan_get
from duan8.programs.selectors import plan_list as plans_visible
from duan8.programs.services import TargetInput, allocation_set, plan_approve, targets_set

TAG_PROGRAMS = "Chương trình · Programs"
TAG_PLANS = "Kế hoạch · Plans"
CODE = re.compile(r"[A-Za-z0-9_.-]{1,60}")  # an element's code (ProgramElement.code)

# The allocation cells' column (DecimalField(max_digits=14, decimal_places=2)) and the number of
# especially difficult villages (a small positive integer): bounds checked before the service,
# so a number too large for the column is a 400, not a database error.
CELL_MAX_INTEGER_DIGITS = 12
CELL_MAX_DECIMALS = 2
DIFFICULT_VILLAGES_MAX = 32767


# --- programs --------------------------------------------------------------------------------


class ProgramPhaseOut(serializers.ModelSerializer):
    class Meta:
        model = ProgramElement
        fields = ["id", "code", "number", "title", "start_year", "end_year", "verified"]


class ProgramOut(serializers.ModelSerializer):
    phases = ProgramPhaseOut(many=True, source="phase_list", read_only=True)

    class Meta:
        model = ProgramElement
        fields = [
            "id",
            "code",
            "number",
            "title",
            "start_year",
            "end_year",
            "legal_basis",
            "verified",
            "phases",
            "updated_at",
        ]


class ProgramElementOut(serializers.ModelSerializer):
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.code", allow_null=True, help_text=doc("Mã cha.", "The parent's code.")
    )
    kind_label = serializers.CharField(source="get_kind_display")
    outline_number = serializers.CharField()
    phase = serializers.SerializerMethodField()

    class Meta:
        model = ProgramElement
        fields = [
            "id",
            "code",
            "parent",
            "kind",
            "kind_label",
            "number",
            "outline_number",
            "title",
            "unit",
            "order",
            "start_year",
            "end_year",
            "legal_basis",
            "verified",
            "phase",
            "updated_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phase(self, element: ProgramElement) -> str | None:
        """The code of the phase the element belongs to (itself for a phase; null for the
        program)."""
        for code in self.context.get("phases", ()):
            if element.code == code or element.code.startswith(f"{code}."):
                return str(code)
        return None


def _programs() -> QuerySet[ProgramElement]:
    """The programs (roots of the structure): public reference data for every signed-in user."""
    return ProgramElement.objects.filter(
        kind=ProgramElement.Kind.PROGRAM, parent__isnull=True
    ).prefetch_related(
        Prefetch(
            "children",
            queryset=ProgramElement.objects.filter(kind=ProgramElement.Kind.PHASE).order_by(
                "order", "code"
            ),
            to_attr="phase_list",
        )
    )


class ProgramListApi(ApiList):
    serializer_class = ProgramOut

    @extend_schema(
        tags=[TAG_PROGRAMS],
        summary="Danh sách chương trình · Programs",
        description=doc(
            "Các chương trình (gốc của cơ cấu chương trình) và các giai đoạn của chúng; mọi người"
            " dùng đã đăng nhập đều xem được.",
            "The programs (roots of the program structure) with their phases; every signed-in"
            " user may read them.",
        ),
        parameters=[UPDATED_SINCE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[ProgramElement]:
        return _programs()


class ProgramElementListApi(ApiList):
    serializer_class = ProgramElementOut

    @extend_schema(
        tags=[TAG_PROGRAMS],
        summary="Cơ cấu của một chương trình · A program's elements",
        description=doc(
            "Cây các thành phần của chương trình (chương trình, giai đoạn, dự án, nội dung, hoạt"
            " động, chỉ tiêu), mỗi thành phần với mã của thành phần cha và của giai đoạn.",
            "The tree of the program's elements (program, phase, project, content, activity,"
            " indicator), each with its parent's code and its phase's code.",
        ),
        parameters=[
            UPDATED_SINCE,
            OpenApiParameter(
                "kind",
                str,
                enum=ProgramElement.Kind.values,
                description=doc("Loại thành phần.", "Kind of element."),
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def _program(self) -> ProgramElement:
        if not hasattr(self, "_root"):
            if not CODE.fullmatch(self.kwargs["code"]):  # no NUL or such into the query
                raise Http404
            self._root = get_object_or_404(
                ProgramElement,
                code=self.kwargs["code"],
                kind=ProgramElement.Kind.PROGRAM,
                parent__isnull=True,
            )
        return self._root

    def select(self, actor: Any) -> QuerySet[ProgramElement]:
        root = self._program()
        elements = ProgramElement.objects.filter(
            Q(pk=root.pk) | Q(code__startswith=f"{root.code}.")
        ).select_related("parent")
        kind = self.request.query_params.get("kind")
        if kind:
            if kind not in ProgramElement.Kind.values:
                raise BadRequest("kind", _("Unknown kind of element."), "invalid_choice")
            elements = elements.filter(kind=kind)
        return elements

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        root = self._program()
        context["phases"] = list(
            ProgramElement.objects.filter(
                kind=ProgramElement.Kind.PHASE, code__startswith=f"{root.code}."
            ).values_list("code", flat=True)
        )
        return context


# --- plans: reading ----------------------------------------------------------------------------


class PlanOut(serializers.ModelSerializer):
    reference = serializers.CharField(help_text=doc("Số ký hiệu: 87/KH-UBND.", "Reference."))
    status_label = serializers.CharField(source="get_status_display")
    issuing_unit_code = serializers.CharField(source="issuing_unit.code")
    issuing_unit_name = serializers.CharField(source="issuing_unit.name")
    project = serializers.SlugRelatedField[ProgramElement](slug_field="code", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "year",
            "number",
            "symbol",
            "reference",
            "issued_on",
            "title",
            "status",
            "status_label",
            "version",
            "issuing_unit",
            "issuing_unit_code",
            "issuing_unit_name",
            "issuing_body",
            "project",
            "amends",
            "in_force_from",
            "approved_at",
            "updated_at",
        ]


class PlanTargetOut(serializers.ModelSerializer):
    # plain text here: the same choices as the input's, whose enum the schema names once
    kind = serializers.CharField(
        read_only=True, help_text=doc("number, text, none, suspended", "The target's kind.")
    )
    element = serializers.SlugRelatedField[ProgramElement](slug_field="code", read_only=True)
    display = serializers.CharField(help_text=doc("Như in: 01, -, …", "As printed: 01, -, …"))

    class Meta:
        model = Target
        fields = ["id", "element", "scope", "kind", "value", "text", "display"]


class PlanAllocationColumnOut(serializers.ModelSerializer):
    element = serializers.SlugRelatedField[ProgramElement](slug_field="code", read_only=True)

    class Meta:
        model = AllocationColumn
        fields = ["id", "element", "group", "heading", "order"]


class PlanAllocationRowOut(serializers.ModelSerializer):
    class Meta:
        model = AllocationRow
        fields = [
            "id",
            "parent",
            "kind",
            "number",
            "label",
            "village",
            "difficult_villages",
            "order",
        ]


class PlanAllocationCellOut(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class PlanAllocationProblemOut(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.IntegerField(
        allow_null=True,
        help_text=doc(
            "null: cột số thôn đặc biệt khó khăn.", "null: the especially difficult villages."
        ),
    )
    message = serializers.CharField()


class PlanAllocationOut(serializers.Serializer):
    columns = PlanAllocationColumnOut(many=True)
    rows = PlanAllocationRowOut(many=True)
    cells = PlanAllocationCellOut(many=True)
    problems = PlanAllocationProblemOut(
        many=True,
        help_text=doc(
            "Các tổng không khớp với tổng các dòng con (chặn phê duyệt).",
            "Totals that differ from the sum of their rows (they block approval).",
        ),
    )


class PlanDetailOut(PlanOut):
    # plain text here: the list's enum of statuses is named once in the schema
    status = serializers.CharField(
        read_only=True, help_text=doc("draft, approved, superseded", "The plan's status.")
    )
    legal_bases = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    allocation = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()
    can_approve = serializers.SerializerMethodField()

    class Meta(PlanOut.Meta):
        fields = [
            *PlanOut.Meta.fields,
            "place",
            "parent_body",
            "proposal",
            "purposes",
            "requirements",
            "budget_text",
            "closing",
            "recipients",
            "signer_authority",
            "signer_title",
            "signer_name",
            "amendment_reason",
            "legal_bases",
            "targets",
            "allocation",
            "can_edit",
            "can_approve",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_legal_bases(self, plan: Plan) -> list[str]:
        return [str(basis.document) for basis in plan.legal_bases.select_related("document")]

    @extend_schema_field(PlanTargetOut(many=True))
    def get_targets(self, plan: Plan) -> Any:
        targets = []
        for line in plan_appendix(plan=plan):
            for target in (line.commune, line.village):
                if target is not None:
                    target.element = line.element
                    targets.append(target)
        return PlanTargetOut(targets, many=True).data

    @extend_schema_field(PlanAllocationOut)
    def get_allocation(self, plan: Plan) -> Any:
        table: AllocationTable = allocation_table(plan=plan)
        return PlanAllocationOut(
            {
                "columns": table.columns,
                "rows": table.rows,
                "cells": [
                    {"row": row.pk, "column": column.pk, "value": value}
                    for row in table.rows
                    for column, value in table.row_cells(row)
                ],
                "problems": [
                    {
                        "row": problem.row.pk,
                        "column": problem.column.pk if problem.column else None,
                        "message": problem.message,
                    }
                    for problem in table.problems
                ],
            }
        ).data

    @extend_schema_field(serializers.BooleanField())
    def get_can_edit(self, plan: Plan) -> bool:
        return plan.is_editable and can_write_plan(self.context["actor"], plan)

    @extend_schema_field(serializers.BooleanField())
    def get_can_approve(self, plan: Plan) -> bool:
        return plan.is_editable and can_approve_plan(self.context["actor"], plan)


def _plan_answer(request: Request, plan: Plan) -> Response:
    data = PlanDetailOut(plan, context={"actor": actor(request), "request": request}).data
    return with_etag(Response(data), plan.version)


class PlanListApi(ApiList):
    serializer_class = PlanOut

    @extend_schema(
        tags=[TAG_PLANS],
        summary="Danh sách kế hoạch · Plans",
        description=doc(
            "Các kế hoạch của những đơn vị mà người gọi được xem (và các đơn vị bên dưới).",
            "The plans of the units the caller may see (and of the units below them).",
        ),
        parameters=[
            UPDATED_SINCE,
            OpenApiParameter("year", int, description=doc("Năm kế hoạch.", "The plan's year.")),
            OpenApiParameter(
                "org_unit", int, description=doc("Đơn vị ban hành (id).", "Issuing unit id.")
            ),
            OpenApiParameter(
                "status",
                str,
                enum=Plan.Status.values,
                description=doc("Trạng thái.", "Status."),
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[Plan]:
        request = self.request
        plans = plans_visible(actor=actor, year=query_int(request, "year", low=1900, high=2200))
        unit = query_int(request, "org_unit")
        if unit is not None:
            plans = plans.filter(issuing_unit_id=unit)
        status = request.query_params.get("status")
        if status:
            if status not in Plan.Status.values:
                raise BadRequest("status", _("Unknown plan status."), "invalid_choice")
            plans = plans.filter(status=status)
        return plans


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


class PlanDetailApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Một kế hoạch · One plan",
        description=doc(
            "Kế hoạch với văn bản, chỉ tiêu (phụ lục 1) và bảng phân bổ (phụ lục 2: dòng, cột, ô);"
            " ETag là phiên bản, gửi lại trong If-Match khi sửa.",
            "The plan with its text, targets (appendix 1) and allocation (appendix 2: rows,"
            " columns, cells); the ETag is its version, sent back in If-Match to change it.",
        ),
        responses=PlanDetailOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _plan_answer(request, plan_get(actor=actor(request), plan_id=pk))

    @extend_schema(
        tags=[TAG_PLANS],
        summary="Sửa văn bản kế hoạch · Change the plan's text",
        description=doc(
            "Sửa phần đầu (số, ngày, nơi, cơ quan, trích yếu), nội dung (đề nghị, mục đích, yêu"
            " cầu, kinh phí, kết, nơi nhận) và chữ ký của kế hoạch dự thảo, như trang sửa văn"
            " bản; chỉ các trường gửi lên thay đổi. Có lỗi thì không lưu gì (lỗi theo trường).",
            "Change a draft plan's header (number, date, place, bodies, title), texts (proposal,"
            " purposes, requirements, budget, closing, recipients) and signature, as the text"
            " page does; only the fields sent change. Nothing is saved on any error (errors by"
            " field).",
        ),
        request=PlanTextsIn,
        responses=PlanDetailOut,
    )
    def patch(self, request: Request, pk: int) -> Response:
        plan = _writable_plan(request, pk)
        version = expected_version(request)
        incoming = PlanTextsIn(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        changes = {k: v for k, v in incoming.validated_data.items() if k != "version"}
        if isinstance(request.data, dict):  # fields it does not know: the service names them
            changes |= {k: "" for k in request.data if k not in PlanTextsIn().fields}
        plan_texts_update(
            plan=plan, actor=actor(request), expected_version=version, changes=changes
        )
        return _plan_answer(request, plan_get(actor=actor(request), plan_id=pk))


# --- plans: writing ----------------------------------------------------------------------------


def _writable_plan(request: Request, pk: int) -> Plan:
    """The plan if the caller sees it (else 404) and may write it (else 403), before the body
    is read: an outsider's write never learns whether its body was valid."""
    who = actor(request)
    plan = plan_get(actor=who, plan_id=pk)
    require_plan_write(who, plan)
    return plan


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
        plan = _writable_plan(request, pk)
        version = expected_version(request)
        incoming = PlanTargetsIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        items = _target_inputs(plan, incoming.validated_data["targets"])
        targets_set(plan=plan, items=items, actor=actor(request), expected_version=version)
        return _plan_answer(request, plan_get(actor=actor(request), plan_id=pk))


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
        plan = _writable_plan(request, pk)
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
        return _plan_answer(request, plan_get(actor=actor(request), plan_id=pk))


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
        return _plan_answer(request, plan_get(actor=who, plan_id=pk))


urlpatterns = [
    path("programs/", ProgramListApi.as_view(), name="program_list"),
    path("programs/<str:code>/elements/", ProgramElementListApi.as_view(), name="program_elements"),
    path("plans/", PlanListApi.as_view(), name="plan_list"),
    path("plans/<int:pk>/", PlanDetailApi.as_view(), name="plan_detail"),
    path("plans/<int:pk>/targets/", PlanTargetsApi.as_view(), name="plan_targets"),
    path("plans/<int:pk>/allocation/", PlanAllocationApi.as_view(), name="plan_allocation"),
    path("plans/<int:pk>/approve/", PlanApproveApi.as_view(), name="plan_approve"),
]
