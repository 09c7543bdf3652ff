"""The year's settlement (quyết toán) of a budget holder: read it, compute its draft (again),
approve it, through the services the settlement page calls (``settlement_draft``,
``settlement_approve``). Reading needs ``finance.view`` on the unit (404 otherwise,
``disbursement_unit_get`` as the page); computing ``finance.edit`` (the accountant), approving
``finance.approve`` (the commune leader): 403 for other readers, before the body. Once
approved, the lines are frozen and the holder's vouchers of that year are locked."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.permissions import FINANCE_APPROVE, FINANCE_EDIT
from duan8.api.base import ApiView
from duan8.api.endpoints.finance.planning import IF_MATCH, EstimateVersionIn
from duan8.api.endpoints.finance.shared import TAG, _amount, _created
from duan8.api.idempotency import idempotent
from duan8.api.schema import doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.finance.disbursement import disbursement_unit_get
from duan8.finance.models import Settlement, SettlementLine
from duan8.finance.services.settlement import (
    settlement_approve,
    settlement_draft,
    settlement_totals,
)
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit


class SettlementLineOut(serializers.ModelSerializer):
    element_code = serializers.CharField(source="element.code")
    element_kind = serializers.CharField(source="element.kind")
    allocated = _amount()
    spent = _amount()
    carried_over = _amount()

    class Meta:
        model = SettlementLine
        fields = [
            "element",
            "element_code",
            "element_kind",
            "source",
            "allocated",
            "spent",
            "carried_over",
        ]


class SettlementTotalsOut(serializers.Serializer):
    allocated = _amount()
    spent = _amount()
    carried_over = _amount()


class SettlementOut(serializers.Serializer):
    holder = serializers.IntegerField()
    year = serializers.IntegerField()
    status = serializers.CharField(help_text=doc("draft | approved", "draft | approved"))
    version = serializers.IntegerField()
    approved_at = serializers.DateTimeField(allow_null=True)
    lines = SettlementLineOut(many=True)
    totals = SettlementTotalsOut()


def _settlement(unit: OrgUnit, year: int) -> Settlement:
    found = Settlement.objects.filter(holder=unit, year=year).first()
    if found is None:
        raise NotVisible(_("No settlement for this year."))
    return found


def _answer(
    settlement: Settlement, *, status: int = 200, url: str = "", request: Any = None
) -> Response:
    lines = list(settlement.lines.select_related("element"))
    allocated, spent, carried = settlement_totals(lines)
    data = {
        "holder": settlement.holder_id,
        "year": settlement.year,
        "status": settlement.status,
        "version": settlement.version,
        "approved_at": serializers.DateTimeField().to_representation(settlement.approved_at)
        if settlement.approved_at
        else None,
        "lines": SettlementLineOut(lines, many=True).data,
        "totals": {"allocated": int(allocated), "spent": int(spent), "carried_over": int(carried)},
    }
    response = _created(request, data, url) if status == 201 else Response(data)
    return with_etag(response, settlement.version)


class SettlementDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Quyết toán năm · The year's settlement",
        description=doc(
            "Các dòng theo dự án/nội dung và nguồn vốn (dòng hoạt động là chi tiết), tổng. 404"
            " khi chưa lập.",
            "The lines per project/content and source (activities' lines are their detail),"
            " the totals. 404 when not drafted yet.",
        ),
        responses=SettlementOut,
    )
    def get(self, request: Request, pk: int, year: int) -> Response:
        unit = disbursement_unit_get(actor=actor(request), unit_id=pk)
        return _answer(_settlement(unit, year))


class SettlementDraftApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Lập dự thảo quyết toán · Compute the settlement's draft",
        description=doc(
            "Kế toán lập (hoặc lập lại) dự thảo từ phân bổ và chứng từ của năm; lập lại cần"
            " phiên bản đã đọc. Đã duyệt: 400 (`__all__`).",
            "The accountant computes (again) the draft from the year's allocations and"
            " vouchers; computing again takes the version read. Approved: 400.",
        ),
        parameters=[IF_MATCH],
        request=EstimateVersionIn,
        responses={201: SettlementOut},
    )
    @idempotent
    def post(self, request: Request, pk: int, year: int) -> Response:
        user = actor(request)
        unit = disbursement_unit_get(actor=user, unit_id=pk)
        require_permission(user, FINANCE_EDIT, unit)
        exists = Settlement.objects.filter(holder=unit, year=year).exists()
        version = expected_version(request) if exists else None
        settlement = settlement_draft(actor=user, holder=unit, year=year, version=version)
        url = reverse("api:finance_settlement_detail", args=[unit.pk, year])
        return _answer(settlement, status=201, url=url, request=request)


class SettlementApproveApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Duyệt quyết toán · Approve the settlement",
        description=doc(
            "Lãnh đạo xã duyệt dự thảo: các dòng cố định, chứng từ của năm bị khoá. Bị từ chối"
            " (400) khi số liệu đã đổi từ lúc lập dự thảo.",
            "The commune leader approves the draft: its lines are frozen and the year's"
            " vouchers locked. Refused (400) when the figures changed since the draft.",
        ),
        parameters=[IF_MATCH],
        request=EstimateVersionIn,
        responses={200: SettlementOut},
    )
    @idempotent
    def post(self, request: Request, pk: int, year: int) -> Response:
        user = actor(request)
        unit = disbursement_unit_get(actor=user, unit_id=pk)
        require_permission(user, FINANCE_APPROVE, unit)
        settlement = _settlement(unit, year)
        version = expected_version(request)
        settlement = settlement_approve(actor=user, settlement=settlement, version=version)
        return _answer(settlement)
