"""Plans, the rest of the printed text: the legal bases (căn cứ), the focus contents of the year
(section III) and the responsibilities (section V), read and replaced as their pages do, through
the same services (``plan_legal_bases_set``, ``plan_focus_set``, ``plan_responsibilities_set``)
and the same rule (``plan_access``). Each answer carries the plan's version as the ETag; each
PUT sends it (If-Match or ``version``: 428 without, 409 when stale)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiView
from duan8.api.endpoints.programs.shared import TAG_PLANS, writable_plan
from duan8.api.schema import doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core.problems import Problems
from duan8.legal.models import LegalDocument
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.plan_edit import (
    LONG_LIMIT,
    FocusInput,
    LegalBasisInput,
    ResponsibilityInput,
    plan_focus_set,
    plan_legal_bases_set,
    plan_responsibilities_set,
)
from duan8.programs.plan_focus import content_label, focus_contents_available
from duan8.programs.selectors import plan_get


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=0, help_text=doc("Hoặc If-Match.", "Or If-Match.")
    )


def _fresh(request: Request, pk: int) -> Plan:
    return plan_get(actor=actor(request), plan_id=pk)


# --- legal bases ---------------------------------------------------------------------------------


class LegalBasisOut(serializers.Serializer):
    document = serializers.IntegerField(source="document.pk")
    reference = serializers.CharField(source="document.reference")
    kind = serializers.CharField(source="document.kind")
    number = serializers.CharField(source="document.number")
    symbol = serializers.CharField(source="document.symbol")
    issued_on = serializers.DateField(source="document.issued_on")
    issuer = serializers.CharField(source="document.issuer")
    title = serializers.CharField(source="document.title")


class PlanLegalBasesOut(serializers.Serializer):
    version = serializers.IntegerField()
    legal_bases = LegalBasisOut(many=True)


KINDS = ", ".join(LegalDocument.Kind.values)


class LegalBasisIn(serializers.Serializer):
    document = serializers.PrimaryKeyRelatedField(
        queryset=LegalDocument.objects.all(),
        required=False,
        allow_null=True,
        help_text=doc(
            "Văn bản trong sổ (id); hoặc bỏ trống và ghi các phần của văn bản mới.",
            "A document of the register (id); or leave it out and give a new one's parts.",
        ),
    )
    # plain text: the service checks it (400 at ``legal_bases.<index>.kind``), and the schema
    # names the register's enum of kinds once, elsewhere
    kind = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=doc(
            f"Loại văn bản mới: {KINDS}.",
            f"The new document's type: {KINDS}.",
        ),
    )
    number = serializers.CharField(max_length=200, required=False, allow_blank=True)
    symbol = serializers.CharField(max_length=200, required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    issuer = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    title = serializers.CharField(max_length=LONG_LIMIT, required=False, allow_blank=True)


class PlanLegalBasesIn(serializers.Serializer):
    legal_bases = LegalBasisIn(many=True, max_length=200)  # type: ignore[call-arg]
    version = _version_field()


def _legal_bases_answer(plan: Plan) -> Response:
    data = PlanLegalBasesOut(
        {
            "version": plan.version,
            "legal_bases": list(plan.legal_bases.select_related("document")),
        }
    ).data
    return with_etag(Response(data), plan.version)


class PlanLegalBasesApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Căn cứ của kế hoạch · A plan's legal bases",
        description=doc(
            "Các căn cứ pháp lý của kế hoạch, theo thứ tự in.",
            "The plan's legal bases, in their printed order.",
        ),
        responses=PlanLegalBasesOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _legal_bases_answer(_fresh(request, pk))

    @extend_schema(
        tags=[TAG_PLANS],
        summary="Đặt căn cứ · Set the legal bases",
        description=doc(
            "Thay toàn bộ căn cứ của kế hoạch dự thảo, theo thứ tự gửi, như trang sửa căn cứ: mỗi"
            " dòng là một văn bản trong sổ (`document`) hoặc một văn bản mới (kind, number,"
            " symbol, issued_on, issuer, title: vào sổ, hoặc khớp văn bản đã có). Lỗi theo dòng:"
            " `legal_bases.<thứ tự>.<trường>`; có lỗi thì không lưu gì.",
            "Replace the draft plan's legal bases, in the order sent, as the legal bases page"
            " does: each row is a document of the register (`document`) or a new one (kind,"
            " number, symbol, issued_on, issuer, title: it joins the register, or matches the one"
            " there). Errors by row: `legal_bases.<index>.<field>`; nothing is saved on any"
            " error.",
        ),
        request=PlanLegalBasesIn,
        responses=PlanLegalBasesOut,
    )
    def put(self, request: Request, pk: int) -> Response:
        plan = writable_plan(request, pk)
        version = expected_version(request)
        incoming = PlanLegalBasesIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        items = [
            LegalBasisInput(
                document=row.get("document"),
                kind=row.get("kind") or "",
                number=row.get("number") or "",
                symbol=row.get("symbol") or "",
                issued_on=row.get("issued_on"),
                issuer=row.get("issuer") or "",
                title=row.get("title") or "",
            )
            for row in incoming.validated_data["legal_bases"]
        ]
        plan_legal_bases_set(plan=plan, actor=actor(request), expected_version=version, items=items)
        return _legal_bases_answer(_fresh(request, pk))


# --- focus contents ------------------------------------------------------------------------------


class FocusOut(serializers.Serializer):
    content = serializers.CharField(source="content.code")
    name = serializers.CharField(help_text=doc("Số và tên nội dung.", "Number and title."))
    body = serializers.CharField(help_text=doc("Mỗi dòng một ý.", "One item per line."))


class FocusAvailableOut(serializers.Serializer):
    content = serializers.CharField(source="code")
    name = serializers.CharField(help_text=doc("Số và tên nội dung.", "Number and title."))


class PlanFocusOut(serializers.Serializer):
    version = serializers.IntegerField()
    focuses = FocusOut(many=True)
    available = FocusAvailableOut(
        many=True,
        help_text=doc(
            "Các nội dung có thể thêm (của dự án, còn hiệu lực trong năm).",
            "The contents that may be added (of the project, in force in the year).",
        ),
    )


class FocusIn(serializers.Serializer):
    content = serializers.CharField(
        max_length=60, help_text=doc("Mã nội dung.", "The content's code.")
    )
    body = serializers.CharField(
        max_length=LONG_LIMIT,
        allow_blank=True,
        trim_whitespace=False,
        help_text=doc("Mỗi dòng một ý.", "One item per line."),
    )


class PlanFocusIn(serializers.Serializer):
    focuses = FocusIn(many=True, max_length=200)  # type: ignore[call-arg]
    version = _version_field()


def _focus_answer(plan: Plan) -> Response:
    focuses = list(plan.focuses.select_related("content"))
    for focus in focuses:
        focus.name = content_label(focus.content)  # type: ignore[attr-defined]
    available = focus_contents_available(plan)
    for content in available:
        content.name = content_label(content)  # type: ignore[attr-defined]
    data = PlanFocusOut({"version": plan.version, "focuses": focuses, "available": available}).data
    return with_etag(Response(data), plan.version)


def _focus_changes(plan: Plan, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The service's arguments for making ``rows`` the plan's focus contents: texts of the
    contents there, the contents left out removed, the new ones added. Unknown or repeated
    codes: 400 by row."""
    present = {focus.content.code: focus for focus in plan.focuses.select_related("content")}
    codes = {row["content"] for row in rows} - set(present)
    elements = {
        e.code: e
        for e in ProgramElement.objects.filter(code__in=codes, kind=ProgramElement.Kind.CONTENT)
    }
    problems, seen = Problems(), set()
    bodies: dict[int, str] = {}
    add: list[FocusInput] = []
    for index, row in enumerate(rows):
        code = row["content"]
        if code in seen:
            problems.add(
                f"focuses.{index}.content",
                _("This content is given twice in the request."),
                "duplicate",
            )
            continue
        seen.add(code)
        if code in present:
            bodies[present[code].pk] = row["body"]
        elif code in elements:
            add.append(FocusInput(content=elements[code], body=row["body"]))
        else:
            problems.add(
                f"focuses.{index}.content",
                _("No content of the program has the code “%(code)s”.") % {"code": code},
                "unknown",
            )
    problems.raise_if_any()
    remove = [focus.pk for code, focus in present.items() if code not in seen]
    return {"bodies": bodies, "remove": remove, "add": add}


class PlanFocusApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Trọng tâm của kế hoạch · A plan's focus contents",
        description=doc(
            "Mục III của kế hoạch: mỗi nội dung với trọng tâm của năm; và các nội dung có thể"
            " thêm.",
            "Section III of the plan: each content with its focus text of the year; and the"
            " contents that may be added.",
        ),
        responses=PlanFocusOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _focus_answer(_fresh(request, pk))

    @extend_schema(
        tags=[TAG_PLANS],
        summary="Đặt trọng tâm · Set the focus contents",
        description=doc(
            "Thay mục III của kế hoạch dự thảo, như trang sửa trọng tâm: nội dung đã có thì đổi"
            " văn bản, nội dung mới thì thêm (phải thuộc dự án, còn hiệu lực trong năm), nội dung"
            " không gửi thì bỏ; nội dung mà hoạt động hoặc chỉ tiêu đã có số liệu thì không bỏ"
            " được (400, `focuses.<mã>`, mã lỗi `has_data`). Lỗi khác: `focuses.<thứ"
            " tự>.content`, `focuses.<mã>`, `focuses.add.content|body`; có lỗi thì không lưu gì.",
            "Replace section III of the draft plan, as the focus page does: a content already"
            " there gets its text changed, a new one is added (a content of the project in force"
            " in the year), one not sent is taken out; a content whose activities or targets"
            " hold data cannot be taken out (400, `focuses.<code>`, code `has_data`). Other"
            " errors: `focuses.<index>.content`, `focuses.<code>`, `focuses.add.content|body`;"
            " nothing is saved on any error.",
        ),
        request=PlanFocusIn,
        responses=PlanFocusOut,
    )
    def put(self, request: Request, pk: int) -> Response:
        plan = writable_plan(request, pk)
        version = expected_version(request)
        incoming = PlanFocusIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        changes = _focus_changes(plan, incoming.validated_data["focuses"])
        plan_focus_set(plan=plan, actor=actor(request), expected_version=version, **changes)
        return _focus_answer(_fresh(request, pk))


# --- responsibilities ----------------------------------------------------------------------------


class ResponsibilityOut(serializers.Serializer):
    agency = serializers.CharField()
    body = serializers.CharField(help_text=doc("Mỗi dòng một việc.", "One task per line."))


class PlanResponsibilitiesOut(serializers.Serializer):
    version = serializers.IntegerField()
    responsibilities = ResponsibilityOut(many=True)


class ResponsibilityIn(serializers.Serializer):
    agency = serializers.CharField(max_length=1000, allow_blank=True)
    body = serializers.CharField(max_length=LONG_LIMIT, allow_blank=True, trim_whitespace=False)


class PlanResponsibilitiesIn(serializers.Serializer):
    responsibilities = ResponsibilityIn(many=True, max_length=200)  # type: ignore[call-arg]
    version = _version_field()


def _responsibilities_answer(plan: Plan) -> Response:
    data = PlanResponsibilitiesOut(
        {"version": plan.version, "responsibilities": list(plan.responsibilities.all())}
    ).data
    return with_etag(Response(data), plan.version)


class PlanResponsibilitiesApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Trách nhiệm thực hiện · A plan's responsibilities",
        description=doc(
            "Mục V của kế hoạch: việc của từng cơ quan, theo thứ tự in.",
            "Section V of the plan: each agency's tasks, in their printed order.",
        ),
        responses=PlanResponsibilitiesOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _responsibilities_answer(_fresh(request, pk))

    @extend_schema(
        tags=[TAG_PLANS],
        summary="Đặt trách nhiệm · Set the responsibilities",
        description=doc(
            "Thay mục V của kế hoạch dự thảo, theo thứ tự gửi, như trang sửa trách nhiệm. Lỗi"
            " theo dòng: `responsibilities.<thứ tự>.agency|body`; có lỗi thì không lưu gì.",
            "Replace section V of the draft plan, in the order sent, as the responsibilities"
            " page does. Errors by row: `responsibilities.<index>.agency|body`; nothing is saved"
            " on any error.",
        ),
        request=PlanResponsibilitiesIn,
        responses=PlanResponsibilitiesOut,
    )
    def put(self, request: Request, pk: int) -> Response:
        plan = writable_plan(request, pk)
        version = expected_version(request)
        incoming = PlanResponsibilitiesIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        items = [
            ResponsibilityInput(agency=row["agency"], body=row["body"])
            for row in incoming.validated_data["responsibilities"]
        ]
        plan_responsibilities_set(
            plan=plan, actor=actor(request), expected_version=version, items=items
        )
        return _responsibilities_answer(_fresh(request, pk))
