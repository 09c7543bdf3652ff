"""``reports/``, ``reports/<pk>/``: the reports of the units whose records the caller reads
(``reports.selectors.report_get``'s rule), with their figures as the report page shows them
(frozen at submission)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiList, ApiView, query_int
from duan8.api.endpoints.reports.shared import TAG
from duan8.api.errors import BadRequest
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import with_etag
from duan8.api.who import actor
from duan8.orgunits.selectors import org_units_visible_to
from duan8.reports.figures import report_figures
from duan8.reports.models import Report, ReportSchedule, ReportStep
from duan8.reports.selectors import VIEW, report_get, report_steps


def _choices(choices: Any) -> str:
    return ", ".join(choices.values)


# Choice fields as plain text (their values listed): enums named "status" or "kind" would collide
# with the other areas' in the schema's components.


class ScheduleOut(serializers.ModelSerializer):
    kind = serializers.CharField(help_text=_choices(ReportSchedule.Kind))
    kind_label = serializers.CharField(source="get_kind_display")
    channel = serializers.CharField(help_text=_choices(ReportSchedule.Channel))

    class Meta:
        model = ReportSchedule
        fields = ["id", "code", "name", "kind", "kind_label", "channel", "reporter"]


class ReportOut(serializers.ModelSerializer):
    schedule = ScheduleOut()
    status = serializers.CharField(help_text=_choices(Report.Status))
    status_label = serializers.CharField(source="get_status_display")
    document_number = serializers.CharField(
        help_text=doc("Số văn bản khi đã duyệt (12/BC-UBND).", "The number once approved.")
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "schedule",
            "org_unit",
            "recipient_unit",
            "period_start",
            "period_end",
            "due_on",
            "status",
            "status_label",
            "document_number",
            "first_submitted_at",
            "submitted_at",
            "reviewed_at",
            "version",
            "updated_at",
        ]


class ReportStepOut(serializers.ModelSerializer):
    action = serializers.CharField(help_text=_choices(ReportStep.Action))
    status = serializers.CharField(help_text=_choices(Report.Status))
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = ReportStep
        fields = ["action", "action_label", "status", "comment", "created_at"]


class ReportDetailOut(ReportOut):
    figures = serializers.SerializerMethodField()
    figures_frozen = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta(ReportOut.Meta):
        fields = [
            *ReportOut.Meta.fields,
            "results",
            "difficulties",
            "proposals",
            "request_note",
            "figures",
            "figures_frozen",
            "steps",
        ]

    @extend_schema_field(
        serializers.JSONField(
            help_text=doc(
                "Số liệu của báo cáo (định dạng duan8.report_figures/1): đã chốt khi gửi; với báo"
                " cáo nháp hoặc bị trả lại: tính từ số liệu hôm nay, như trang báo cáo.",
                "The report's figures (format duan8.report_figures/1): frozen at submission; for"
                " a draft or a returned report, today's records, as the report page shows them.",
            )
        )
    )
    def get_figures(self, report: Report) -> Any:
        return self.context["figures"]

    @extend_schema_field(serializers.BooleanField())
    def get_figures_frozen(self, report: Report) -> bool:
        return report.figures is not None and report.status in (
            Report.Status.SUBMITTED,
            Report.Status.APPROVED,
        )

    @extend_schema_field(ReportStepOut(many=True))
    def get_steps(self, report: Report) -> Any:
        return ReportStepOut(self.context["steps"], many=True).data


class ReportListApi(ApiList):
    serializer_class = ReportOut

    @extend_schema(
        tags=[TAG],
        summary="Danh sách báo cáo · Reports",
        description=doc(
            "Các báo cáo của những đơn vị mà người gọi được xem số liệu (và các đơn vị bên"
            " dưới). Chỉ đọc: báo cáo được lập, gửi và duyệt trên trang web.",
            "The reports of the units whose records the caller may read (and of those below)."
            " Read only: reports are written, submitted and reviewed on the web pages.",
        ),
        parameters=[
            UPDATED_SINCE,
            OpenApiParameter(
                "org_unit", int, description=doc("Đơn vị báo cáo.", "The reporting unit's id.")
            ),
            OpenApiParameter(
                "year",
                int,
                description=doc(
                    "Năm kết thúc kỳ báo cáo.", "The year the report's period ends in."
                ),
            ),
            OpenApiParameter(
                "status",
                str,
                enum=list(Report.Status.values),
                description=doc("Trạng thái.", "Status."),
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[Report]:
        request = self.request
        reports = Report.objects.filter(
            org_unit__in=org_units_visible_to(actor, VIEW)
        ).select_related("schedule")
        unit = query_int(request, "org_unit")
        if unit is not None:
            reports = reports.filter(org_unit_id=unit)
        year = query_int(request, "year", low=2000, high=2100)
        if year is not None:
            reports = reports.filter(period_end__year=year)
        status = request.query_params.get("status")
        if status:
            if status not in Report.Status.values:
                raise BadRequest(
                    "status",
                    _("Unknown status %(status)s; choose one of %(choices)s.")
                    % {"status": status[:20], "choices": ", ".join(Report.Status.values)},
                )
            reports = reports.filter(status=status)
        return reports


class ReportDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một báo cáo · One report",
        description=doc(
            "Báo cáo, phần thuyết minh, số liệu (đã chốt khi gửi) và lịch sử; ETag là phiên"
            " bản của báo cáo.",
            "The report, its narrative, its figures (frozen at submission) and its history; the"
            " ETag is the report's version.",
        ),
        responses=ReportDetailOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        who = actor(request)
        report = report_get(actor=who, report_id=pk)
        context = {
            "figures": report_figures(actor=who, report=report),
            "steps": report_steps(report),
        }
        return with_etag(Response(ReportDetailOut(report, context=context).data), report.version)
