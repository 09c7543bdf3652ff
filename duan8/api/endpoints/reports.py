"""Reports to the level above (read), a plan's aggregate values, and the exchange formats.

- ``reports/``, ``reports/<pk>/``: the reports of the units whose records the caller reads
  (``reports.selectors.report_get``'s rule), with their figures as the report page shows them
  (frozen at submission);
- ``values/?plan=``: the plan's indicators, for the commune and each village, from the one
  engine (``activities.values.indicator_values``, called as the plan's progress page calls it);
- ``dataValueSets`` and ``dataValueSets/adx``: DHIS2 dataValueSets JSON and ADX XML, the bytes
  ``reports.exports.data_export`` writes (the ``data_export`` command's and the download page's
  function), on the map of ``as_of``. Like DHIS2's own paths, they have no trailing slash (only
  that form is registered; nothing redirects to it).
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.permissions import RECORDS_VIEW
from duan8.activities.models import IndicatorRule
from duan8.activities.rule_filters import Period
from duan8.activities.values import (
    Breakdown,
    IndicatorValues,
    Measure,
    as_of_within,
    indicator_values,
)
from duan8.api.base import ApiList, ApiView, query_date, query_int
from duan8.api.errors import BadRequest
from duan8.api.schema import AS_OF, UPDATED_SINCE, doc
from duan8.api.versions import with_etag
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.selectors import plan_get
from duan8.reports.exports import ExportFile, data_export
from duan8.reports.exports.codes import DATA_SET, org_unit_code, org_unit_from_code
from duan8.reports.exports.periods import dhis2_period
from duan8.reports.figures import report_figures
from duan8.reports.models import Report, ReportSchedule, ReportStep
from duan8.reports.selectors import VIEW, report_get, report_steps

TAG = "Báo cáo và số liệu · Reports and figures"

# --- reports ------------------------------------------------------------------------------------


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


# --- a plan's values ----------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A count or a target: a whole number as an integer, else a decimal number."""

    def to_representation(self, value: Any) -> int | float:
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        return int(value)


class ValueOut(serializers.Serializer):
    element = serializers.CharField(help_text=doc("Mã chỉ tiêu.", "The indicator's code."))
    title = serializers.CharField()
    measure_unit = serializers.CharField(help_text=doc("Đơn vị tính.", "Unit of measure."))
    org_unit = serializers.IntegerField(help_text=doc("Đơn vị hành chính.", "Unit id."))
    org_unit_code = serializers.CharField(
        help_text=doc("Mã ổn định (VN-QD124-21520).", "Stable code (VN-QD124-21520).")
    )
    period = serializers.CharField(help_text=doc("Năm (2023).", "The year (2023)."))
    value = NumberField(help_text=doc("Kết quả.", "The result."))
    target = NumberField(allow_null=True, help_text=doc("Chỉ tiêu.", "The target, if any."))


class ValuesOut(serializers.Serializer):
    plan = serializers.IntegerField()
    org_unit = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    as_of = serializers.DateField()
    results = ValueOut(many=True)


def _value_rows(data: IndicatorValues) -> list[dict[str, Any]]:
    period = str(data.period.start.year)
    rows = []
    for unit in data.units:
        code = org_unit_code(unit)
        for element in data.elements:
            rows.append(
                {
                    "element": element.code,
                    "title": element.title,
                    "measure_unit": element.unit,
                    "org_unit": unit.pk,
                    "org_unit_code": code,
                    "period": period,
                    "value": data.values.get((unit.pk, element.pk, Measure.VALUE, None), 0),
                    "target": data.values.get((unit.pk, element.pk, Measure.TARGET, None)),
                }
            )
    return rows


class ValueListApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Số liệu của một kế hoạch · A plan's values",
        description=doc(
            "Kết quả thực hiện từng chỉ tiêu của kế hoạch, cho xã và từng thôn, bên cạnh chỉ"
            " tiêu: cùng cách tính với trang tiến độ của kế hoạch (trên bản đồ của ngày cuối năm"
            " kế hoạch, trong thời gian đơn vị còn tồn tại, nếu không có `as_of`). Chỉ dành cho"
            " người được xem số liệu của xã.",
            "Each indicator's result in the plan's year, for the commune and each village, beside"
            " its target: computed as the plan's progress page computes them (on the map of the"
            " year's last day within the unit's lifetime, unless `as_of` says). For those who may"
            " read the commune's records.",
        ),
        parameters=[
            OpenApiParameter(
                "plan", int, required=True, description=doc("Kế hoạch.", "The plan's id.")
            ),
            AS_OF,
        ],
        responses=ValuesOut,
    )
    def get(self, request: Request) -> Response:
        plan_id = query_int(request, "plan")
        if plan_id is None:
            raise BadRequest("plan", _("Say which plan: plan=<id>."), "required")
        day = query_date(request, "as_of")
        who = actor(request)
        plan = plan_get(actor=who, plan_id=plan_id)
        unit = plan.issuing_unit
        if not can(who, RECORDS_VIEW, unit):
            raise NotVisible(_("Plan not found."))
        period = Period.year(plan.year)
        as_of = day or as_of_within(unit, period)
        try:
            data = indicator_values(
                actor=who,
                unit=unit,
                period=period,
                as_of=as_of,
                breakdown=Breakdown.CHILDREN,
                participants=False,
            )
        except PermissionDenied:
            raise NotVisible(_("Plan not found.")) from None
        except ValidationError as exc:
            raise BadRequest("as_of", " ".join(exc.messages)) from None
        answer = {
            "plan": plan.pk,
            "org_unit": unit.pk,
            "period_start": period.start,
            "period_end": period.end,
            "as_of": as_of,
            "results": _value_rows(data),
        }
        return Response(ValuesOut(answer).data)


# --- DHIS2 dataValueSets and ADX ----------------------------------------------------------------


class AdxRenderer(BaseRenderer):
    """ADX XML: lets a client that accepts only ``application/adx+xml`` through the content
    negotiation; the document is the bytes ``data_export`` wrote (errors are rendered as JSON,
    ``DataValueSetsAdxApi.finalize_response``)."""

    media_type = "application/adx+xml"
    format = "adx"
    charset = None

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")
_CODE = re.compile(r"^[A-Za-z0-9-]{1,40}$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)


def _year(text: str) -> int:
    year = int(text)
    if not 2000 <= year <= 2100:
        raise ValueError(text)
    return year


def period_from_query(text: str) -> Period:
    """DHIS2's ISO periods ``2023``, ``2023Q3``, ``202309``, or days ``2023-10-01..2023-12-31``.
    ValueError for anything else."""
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return Period.year(_year(text))
    if found := _QUARTER.match(text):
        year, first = _year(found.group(1)), int(found.group(2)) * 3 - 2
        return Period(datetime.date(year, first, 1), _month_end(year, first + 2))
    if found := _MONTH.match(text):
        year, month = _year(found.group(1)), int(found.group(2))
        return Period(datetime.date(year, month, 1), _month_end(year, month))
    if found := _RANGE.match(text):
        start = datetime.date.fromisoformat(found.group(1))
        end = datetime.date.fromisoformat(found.group(2))
        if end < start or not (start.year >= 2000 and end.year <= 2100):
            raise ValueError(text)
        return Period(start, end)
    raise ValueError(text)


def _flag(request: Request, name: str, default: bool) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise BadRequest(name, _("Give true or false."))


def _export(request: Request, format: str) -> ExportFile:
    """The file ``data_export`` writes for the query: dataSet, period, orgUnit, as_of, children.

    Bad parameters are 400s naming them; a unit that does not exist or that the caller may not
    read is a 404 (its existence is not confirmed)."""
    data_set = request.query_params.get("dataSet", "")
    if not data_set:
        raise BadRequest(
            "dataSet", _("Say which data set: %(name)s.") % {"name": DATA_SET}, "required"
        )
    if data_set != DATA_SET:
        raise BadRequest(
            "dataSet",
            _("Unknown data set %(given)s; the only one is %(name)s.")
            % {"given": data_set[:40], "name": DATA_SET},
        )
    raw_period = request.query_params.get("period", "")
    if not raw_period:
        raise BadRequest("period", _("Say which period: a year such as 2023."), "required")
    try:
        period = period_from_query(raw_period)
        if format == "dhis2":
            dhis2_period(period)  # a span DHIS2 has no period type for is refused here
    except (ValueError, ValidationError) as exc:
        message = (
            " ".join(exc.messages)
            if isinstance(exc, ValidationError)
            else _(
                "Give a year (2023), a quarter (2023Q3), a month (202309) or two dates "
                "(2023-10-01..2023-12-31)."
            )
        )
        raise BadRequest("period", message) from None
    day = query_date(request, "as_of")
    children = _flag(request, "children", True)
    code = request.query_params.get("orgUnit", "")
    if not code:
        raise BadRequest(
            "orgUnit", _("Say which unit: its code, such as VN-QD124-21520."), "required"
        )
    if not _CODE.match(code):
        raise BadRequest(
            "orgUnit", _("A unit's code is letters, digits and dashes, such as VN-QD124-21520.")
        )
    who = actor(request)
    try:
        unit = org_unit_from_code(code, on=day or period.end)
    except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned):
        raise NotVisible(_("Administrative unit not found.")) from None
    if not org_units_visible_to(who, RECORDS_VIEW).filter(pk=unit.pk).exists():
        raise NotVisible(_("Administrative unit not found."))
    try:
        return data_export(
            actor=who,
            unit=unit,
            period=period,
            as_of=day or as_of_within(unit, period),
            format=format,
            children=children,
        )
    except PermissionDenied:
        raise NotVisible(_("Administrative unit not found.")) from None
    except ValidationError as exc:
        field = "as_of" if IndicatorRule.objects.exists() else "dataSet"
        raise BadRequest(field, " ".join(exc.messages)) from None


class DataValueOut(serializers.Serializer):
    dataElement = serializers.CharField()
    period = serializers.CharField()
    orgUnit = serializers.CharField()
    categoryOptionCombo = serializers.CharField()
    value = serializers.CharField(help_text=doc("Luôn là chuỗi.", "Always a string."))


class DataValueSetOut(serializers.Serializer):
    idScheme = serializers.CharField()
    dataSet = serializers.CharField()
    period = serializers.CharField()
    orgUnit = serializers.CharField()
    dataValues = DataValueOut(many=True)


EXCHANGE_PARAMETERS = [
    OpenApiParameter(
        "dataSet",
        str,
        required=True,
        enum=[DATA_SET],
        description=doc("Bộ dữ liệu.", "The data set."),
    ),
    OpenApiParameter(
        "period",
        str,
        required=True,
        pattern=r"^(\d{4}(Q[1-4]|0[1-9]|1[0-2])?|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$",
        description=doc(
            "Kỳ: năm (2023), quý (2023Q3), tháng (202309) hoặc hai ngày (2023-10-01..2023-12-31,"
            " chỉ ADX).",
            "The period: a year (2023), a quarter (2023Q3), a month (202309) or two dates"
            " (2023-10-01..2023-12-31, ADX only).",
        ),
    ),
    OpenApiParameter(
        "orgUnit",
        str,
        required=True,
        description=doc(
            "Mã ổn định của đơn vị (VN-QD124-21520: xã Ba Trang; VN-QD19-21520: xã Đặng Thùy"
            " Trâm), hoặc mã chính thức tại ngày `as_of` (21520).",
            "The unit's stable code (VN-QD124-21520: xã Ba Trang; VN-QD19-21520: xã Đặng Thùy"
            " Trâm), or its official code as it stood on `as_of` (21520).",
        ),
    ),
    OpenApiParameter(
        "as_of",
        OpenApiTypes.DATE,
        description=doc(
            "Bản đồ hành chính tại ngày này (mặc định: ngày cuối kỳ, trong thời gian đơn vị còn"
            " tồn tại).",
            "The administrative map as of this date (default: the period's last day, within the"
            " unit's lifetime).",
        ),
    ),
    OpenApiParameter(
        "children",
        bool,
        description=doc(
            "Kèm một dòng cho mỗi đơn vị trực thuộc (mặc định: có).",
            "With a row per unit under it (default: true).",
        ),
    ),
]


class DataValueSetsApi(ApiView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        tags=[TAG],
        summary="DHIS2 dataValueSets",
        description=doc(
            "Số liệu tổng hợp của đơn vị (và các đơn vị trực thuộc) theo định dạng DHIS2"
            " dataValueSets JSON, đúng như lệnh `data_export --format dhis2` ghi ra, trên bản đồ"
            " của ngày `as_of`.",
            "The unit's aggregate data (and its children's) as DHIS2 dataValueSets JSON, exactly"
            " as `data_export --format dhis2` writes it, on the map of `as_of`.",
        ),
        parameters=EXCHANGE_PARAMETERS,
        responses=DataValueSetOut,
    )
    def get(self, request: Request) -> HttpResponse:
        export = _export(request, "dhis2")
        return HttpResponse(export.content, content_type=export.content_type)


class DataValueSetsAdxApi(ApiView):
    renderer_classes = [JSONRenderer, AdxRenderer]

    @extend_schema(
        tags=[TAG],
        summary="ADX",
        description=doc(
            "Cùng số liệu theo định dạng IHE ADX (XML, application/adx+xml), đúng như lệnh"
            " `data_export --format adx` ghi ra. Lỗi vẫn trả lời bằng JSON.",
            "The same data as IHE ADX (XML, application/adx+xml), exactly as `data_export"
            " --format adx` writes it. Errors are answered in JSON.",
        ),
        # the format suffix DRF offers with two renderers is not part of this API
        parameters=[*EXCHANGE_PARAMETERS, OpenApiParameter("format", exclude=True)],
        responses={
            (200, "application/adx+xml"): OpenApiResponse(
                response=OpenApiTypes.STR,
                description=doc(
                    "Tài liệu ADX (urn:ihe:qrph:adx:2015).",
                    "An ADX document (urn:ihe:qrph:adx:2015).",
                ),
            )
        },
    )
    def get(self, request: Request) -> HttpResponse:
        export = _export(request, "adx")
        return HttpResponse(export.content, content_type=export.content_type)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        """An error is JSON, even for a client that accepts only ADX (the document is not)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


urlpatterns = [
    path("reports/", ReportListApi.as_view(), name="report_list"),
    path("reports/<int:pk>/", ReportDetailApi.as_view(), name="report_detail"),
    path("values/", ValueListApi.as_view(), name="value_list"),
    path("dataValueSets", DataValueSetsApi.as_view(), name="data_value_sets"),
    path("dataValueSets/adx", DataValueSetsAdxApi.as_view(), name="data_value_sets_adx"),
]
