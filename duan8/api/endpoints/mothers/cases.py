"""The cases: the list (audited per page), a proposal (POST on the list), one case (audited)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiList, ApiView, query_int
from duan8.api.endpoints.mothers.case_out import CaseDetailOut, CaseOut
from duan8.api.endpoints.mothers.proposal import (
    CaseIn,
    _case_input,
    _commune_of_body,
    _require_proposer,
)
from duan8.api.endpoints.mothers.shared import (
    LISTED,
    TAG,
    _parts,
    _reads_cases,
    _Seen,
    cases_visible_to,
)
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import with_etag
from duan8.api.who import actor
from duan8.core import audit
from duan8.mothers.models import Pregnancy
from duan8.mothers.services.registry import case_viewed, mother_propose
from duan8.mothers.visibility import case_get
from duan8.orgunits.models import OrgUnit


class CaseListApi(ApiList):
    serializer_class = CaseOut

    @extend_schema(
        tags=[TAG],
        summary="Danh sách hồ sơ bà mẹ · Mothers' cases",
        description=doc(
            "Các hồ sơ (lần mang thai và bà mẹ) ở các xã/thôn mà người gọi có quyền xem sổ"
            " (mothers.view); người khác nhận danh sách rỗng. Trường sức khoẻ chỉ với quyền"
            " mothers.health; không có số định danh. Mỗi trang được ghi nhật ký.",
            "The cases (a pregnancy with its mother) in the communes/villages where the caller"
            " reads the registry (mothers.view); others get an empty list. Health fields only"
            " with mothers.health; no ID number. Every page read is audited.",
        ),
        parameters=[
            UPDATED_SINCE,
            OpenApiParameter(
                "org_unit", int, description=doc("Xã hoặc thôn (id).", "A commune or village id.")
            ),
            OpenApiParameter(
                "status",
                str,
                enum=Pregnancy.Status.values,
                description=doc("Trạng thái.", "Status."),
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.seen = _Seen(actor(request))
        response = super().get(request, *args, **kwargs)
        rows: list[Pregnancy] = getattr(self, "rows", [])
        shown = sorted({part for case in rows for part in _parts(self.seen(case))})
        communes = sorted({case.commune_id for case in rows})
        audit.record(
            actor=actor(request),
            action=LISTED,
            org_unit=rows[0].commune if len(communes) == 1 else None,
            after={"shown": shown, "count": len(rows), "communes": communes, "via": "api"},
        )
        return response

    def paginate_queryset(self, queryset: Any) -> Any:
        self.rows = super().paginate_queryset(queryset)
        return self.rows

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "visible": self.seen}

    def select(self, user: Any) -> QuerySet[Pregnancy]:
        cases = cases_visible_to(user).select_related(
            "mother", "mother__ethnic_group", "village", "commune"
        )
        unit_id = query_int(self.request, "org_unit")
        if unit_id is not None:
            unit = OrgUnit.objects.filter(pk=unit_id).first()
            if unit is None:
                return cases.none()
            cases = cases.filter(Q(commune__path__startswith=unit.path) | Q(village=unit))
        status = self.request.query_params.get("status")
        if status:
            if status not in Pregnancy.Status.values:
                raise BadRequest(
                    "status",
                    _("Status must be one of: %(values)s.")
                    % {"values": ", ".join(Pregnancy.Status.values)},
                )
            cases = cases.filter(status=status)
        return cases

    @extend_schema(
        tags=[TAG],
        summary="Đề nghị hỗ trợ một bà mẹ · Propose a mother",
        description=doc(
            "Trạm y tế xã hoặc nhân viên y tế thôn đề nghị một hồ sơ, qua cùng dịch vụ và cùng"
            " kiểm tra như trang web (dân tộc, thôn của xã vào ngày sinh, các ngày, số định"
            " danh); lỗi theo trường, không lưu gì. Sự đồng ý được ghi ở trang riêng và được"
            " hỏi khi xác minh.",
            "The commune health station or a village health worker proposes a case, through the"
            " same service and checks as the page (ethnicity, a village of the commune on the"
            " date, dates, ID number form); problems by field, nothing saved. Consent is"
            " recorded on its own page and asked at verification.",
        ),
        request=CaseIn,
        responses={201: CaseDetailOut},
    )
    @idempotent
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = actor(request)
        commune = _commune_of_body(request)
        _require_proposer(user, commune)
        given = CaseIn(data=request.data)
        given.is_valid(raise_exception=True)
        case = mother_propose(actor=user, data=_case_input(commune, given.validated_data))
        case = case_get(user, case.pk)[0]
        answer = CaseDetailOut(case, context={"visible": _Seen(user)}).data
        response = Response(answer, status=201)
        response["Location"] = reverse("api:mothers_case_detail", kwargs={"pk": case.pk})
        return with_etag(response, case.version)


class CaseDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một hồ sơ bà mẹ · One case",
        description=doc(
            "Hồ sơ, các lần khám thai và trường sức khoẻ (quyền mothers.health), các con; số"
            " định danh che trừ 4 số cuối. 404 cho người ngoài phạm vi. Mỗi lần đọc được ghi"
            " nhật ký (mothers.case.viewed).",
            "The case, its antenatal visits and health fields (mothers.health), its children;"
            " the ID number masked but for its last 4 digits. 404 for anyone outside. Every"
            " read is audited (mothers.case.viewed).",
        ),
        responses=CaseDetailOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        user = actor(request)
        try:
            case, visible = case_get(user, pk)
        except Http404:
            raise audit.NotVisible from None
        if not _reads_cases(visible):
            raise audit.NotVisible
        case_viewed(actor=user, pregnancy=case, parts=_parts(visible))
        answer = CaseDetailOut(case, context={"visible": lambda _case: visible}).data
        return with_etag(Response(answer), case.version)
