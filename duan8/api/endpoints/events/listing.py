"""The events list, with participant counts and its filters, and recording an event (the
duplicate check, 409 ``duplicate`` unless ``confirm_duplicate``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.activities.models import Event
from duan8.activities.selectors.events import event_list
from duan8.activities.services.events import EventInput, event_create, event_duplicate_of
from duan8.api.base import ApiList, query_date, query_int
from duan8.api.endpoints.events.serializers import EventDetailOut, EventIn, EventOut, counts_attach
from duan8.api.endpoints.events.shared import (
    TAG,
    activity_of,
    counts_of,
    editable_unit,
    event_written_answer,
    group_of,
    people_of,
    plan_of,
    raw_int,
    saved,
)
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.who import actor
from duan8.orgunits.models import OrgUnit

# --- the list, and recording ---------------------------------------------------------------------


class EventListApi(ApiList):
    serializer_class = EventOut

    @extend_schema(
        tags=[TAG],
        summary="Danh sách sự kiện · Events",
        description=doc(
            "Các sự kiện người gọi được xem, với số người tham gia theo giới tính × dân tộc thiểu"
            " số × nhóm tuổi (không có tên người). Số truy vấn mỗi trang cố định.",
            "The events the caller may see, with participant counts by sex × minority × age"
            " group (no names). A fixed number of queries per page.",
        ),
        parameters=[
            UPDATED_SINCE,
            OpenApiParameter("plan", int, description=doc("Kế hoạch.", "Plan id.")),
            OpenApiParameter(
                "org_unit",
                int,
                description=doc("Xã hoặc thôn (và các thôn).", "Unit id (and those below)."),
            ),
            OpenApiParameter(
                "activity",
                str,
                description=doc(
                    "Mã hoạt động (và các dòng con).", "Element code (and the lines below)."
                ),
            ),
            OpenApiParameter("held_from", str, description=doc("Từ ngày.", "Held from (date).")),
            OpenApiParameter("held_to", str, description=doc("Đến ngày.", "Held until (date).")),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[Event]:
        request = self.request
        unit: OrgUnit | None = None
        unit_id = query_int(request, "org_unit")
        if unit_id is not None:
            unit = OrgUnit.objects.filter(pk=unit_id).first()
            if unit is None:
                return Event.objects.none()
        events = event_list(actor=actor, unit=unit)
        plan_id = query_int(request, "plan")
        if plan_id is not None:
            events = events.filter(plan_id=plan_id)
        code = (request.query_params.get("activity") or "").strip()[:60]
        if code:
            events = events.filter(
                Q(activity__code=code) | Q(activity__code__startswith=f"{code}.")
            )
        held_from, held_to = query_date(request, "held_from"), query_date(request, "held_to")
        if held_from is not None:
            events = events.filter(held_on__gte=held_from)
        if held_to is not None:
            events = events.filter(held_on__lte=held_to)
        return events

    def paginate_queryset(self, queryset: QuerySet[Any]) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        return None if page is None else counts_attach(list(page))

    @extend_schema(
        tags=[TAG],
        summary="Ghi một sự kiện · Record an event",
        description=doc(
            "Ghi sự kiện qua cùng dịch vụ với trang nhập: số người tham gia (`counts`) hoặc danh"
            " sách có tên (`participants`, số liệu tính từ danh sách). Kỳ đã khoá: 409 (mã"
            " `locked`). Sự kiện giống hệt đã ghi: 409 (`duplicate`) trừ khi"
            " `confirm_duplicate`.",
            "Records the event through the entry page's service: counts, or a named list (the"
            " counts derived from it). A locked period: 409 (code `locked`). An identical event"
            " already recorded: 409 (`duplicate`) unless `confirm_duplicate`.",
        ),
        request=EventIn,
        responses={201: EventDetailOut},
    )
    @idempotent
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = actor(request)
        unit_id = raw_int(request.data, "org_unit")
        # Access first: 404 / 403 for the unit before the body's checks say anything.
        checked = editable_unit(user, unit_id) if unit_id is not None else None
        given = EventIn(data=request.data)
        given.is_valid(raise_exception=True)
        body = given.validated_data
        unit = checked if checked is not None else editable_unit(user, body["org_unit"])
        plan = plan_of(unit, body["plan"])
        data = EventInput(
            plan=plan,
            activity=activity_of(plan, body["activity"]),
            kind=body["kind"],
            title=body["title"],
            held_on=body["held_on"],
            org_unit=unit,
            ended_on=body.get("ended_on"),
            place=body.get("place", ""),
            organiser=body.get("organiser", ""),
            group=group_of(plan, body.get("group")),
            cost=Decimal(body.get("cost") or 0),
            notes=body.get("notes", ""),
            counts=counts_of(body.get("counts", [])),
            participants=people_of(body.get("participants", [])),
        )
        if not body.get("confirm_duplicate"):
            similar = event_duplicate_of(data)
            if similar is not None:
                message = _(
                    "An identical event is already recorded (%(event)s, number %(id)s); send"
                    " confirm_duplicate: true to record this one too."
                ) % {"event": similar, "id": similar.pk}
                return Response(
                    {
                        "detail": message,
                        "code": "duplicate",
                        "errors": [
                            {
                                "field": "__all__",
                                "row": None,
                                "code": "duplicate",
                                "message": message,
                            }
                        ],
                        "duplicate_of": similar.pk,
                    },
                    status=status.HTTP_409_CONFLICT,
                )
        event = saved(lambda: event_create(actor=user, data=data))
        response = event_written_answer(event, data, status.HTTP_201_CREATED)
        response["Location"] = reverse("api:event_detail", kwargs={"pk": event.pk})
        return response
