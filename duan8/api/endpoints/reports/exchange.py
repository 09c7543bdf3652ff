"""``dataValueSets`` and ``dataValueSets/adx``: DHIS2 dataValueSets JSON and ADX XML, the bytes
``reports.exports.data_export`` writes (the ``data_export`` command's and the download page's
function), on the map of ``as_of``. Like DHIS2's own paths, they have no trailing slash (only that
form is registered; nothing redirects to it).

Both answer with a streaming response: the document is written as it is sent, one value at a
time (``ExportFile.chunks``), so a large unit's file takes little memory; every check (the
parameters, the unit, the caller's right, the period) is made before the first byte."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.permissions import RECORDS_VIEW
from duan8.activities.models import IndicatorRule
from duan8.activities.rule_filters import Period
from duan8.activities.values import as_of_within
from duan8.api.base import ApiView, query_date
from duan8.api.endpoints.reports.shared import TAG
from duan8.api.errors import BadRequest
from duan8.api.schema import doc
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.reports.exports import ExportFile, data_export
from duan8.reports.exports.codes import DATA_SET, org_unit_from_code
from duan8.reports.exports.periods import dhis2_period


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
    def get(self, request: Request) -> StreamingHttpResponse:
        export = _export(request, "dhis2")
        return StreamingHttpResponse(export.chunks(), content_type=export.content_type)


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
    def get(self, request: Request) -> StreamingHttpResponse:
        export = _export(request, "adx")
        return StreamingHttpResponse(export.chunks(), content_type=export.content_type)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        """An error is JSON, even for a client that accepts only ADX (the document is not)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response
