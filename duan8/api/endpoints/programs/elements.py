"""Programs and their elements: the program structure (programs, phases and their elements),
public reference data for every signed-in user."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiList
from duan8.api.errors import BadRequest
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.programs.models import ProgramElement

TAG_PROGRAMS = "Chương trình · Programs"
CODE = re.compile(r"[A-Za-z0-9_.-]{1,60}")  # an element's code (ProgramElement.code)


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
