"""One event: reading it with its ETag, its change and deletion (the version required), and
its named participants for holders of personal data."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.permissions import RECORDS_EDIT
from duan8.activities.selectors.events import event_get, event_input_from, event_participants
from duan8.activities.services.events import event_delete, event_update
from duan8.activities.services.shared import record_version_claim
from duan8.api.base import ApiView
from duan8.api.endpoints.events.serializers import EventDetailOut, EventIn, ParticipantListOut
from duan8.api.endpoints.events.shared import (
    TAG,
    activity_of,
    counts_of,
    editable_unit,
    event_answer,
    group_of,
    people_of,
    plan_of,
    saved,
)
from duan8.api.schema import doc
from duan8.api.versions import expected_version
from duan8.api.who import actor
from duan8.orgunits.access import require_permission

# --- one event -----------------------------------------------------------------------------------


class EventDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một sự kiện · One event",
        description=doc(
            "Sự kiện với số người tham gia; ETag là phiên bản.",
            "The event with its counts; the ETag is its version.",
        ),
        responses=EventDetailOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        event = event_get(actor=actor(request), event_id=pk)
        return event_answer(actor(request), event.pk)

    @extend_schema(
        tags=[TAG],
        summary="Sửa một sự kiện · Change an event",
        description=doc(
            "Chỉ các trường gửi đến được đổi; cần phiên bản (If-Match hoặc `version`): đã cũ thì"
            " 409 kèm ai đã sửa. `participants` thay cả danh sách; `counts` thay số liệu (với"
            " sự kiện có danh sách: phải khớp danh sách). Kỳ đã khoá: 409 (mã `locked`).",
            "Only the fields sent change; the version is required (If-Match or `version`): a"
            " stale one is 409 with who changed it. `participants` replaces the list; `counts`"
            " the numbers (for an event with a list they must agree with it). A locked period:"
            " 409 (code `locked`).",
        ),
        request=EventIn,
        responses=EventDetailOut,
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = actor(request)
        event = event_get(actor=user, event_id=pk)
        require_permission(user, RECORDS_EDIT, event.org_unit)
        version = expected_version(request)
        given = EventIn(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        body = given.validated_data
        data = event_input_from(event)
        with_list = bool(data.participants)
        if "org_unit" in body and body["org_unit"] != event.org_unit_id:
            data.org_unit = editable_unit(user, body["org_unit"])
        if "plan" in body and body["plan"] != event.plan_id:
            data.plan = plan_of(data.org_unit, body["plan"])
        if "activity" in body:
            data.activity = activity_of(data.plan, body["activity"])
        for name in ("kind", "title", "held_on", "ended_on", "place", "organiser", "notes"):
            if name in body:
                setattr(data, name, body[name])
        if "cost" in body:
            data.cost = Decimal(body["cost"])
        if "group" in body:
            data.group = group_of(data.plan, body["group"])
        if "participants" in body:
            data.participants = people_of(body["participants"])
            data.counts = counts_of(body.get("counts", []))
        elif "counts" in body:
            data.counts = counts_of(body["counts"])
        elif with_list:
            data.counts = []  # derived from the list again (a new date may change ages)
        saved(lambda: event_update(actor=user, event=event, data=data, expected_version=version))
        return event_answer(user, event.pk)

    @extend_schema(
        tags=[TAG],
        summary="Xoá một sự kiện · Delete an event",
        description=doc(
            "Xoá sự kiện cùng số liệu, danh sách và tệp; cần phiên bản (If-Match): đã cũ thì"
            " 409. Kỳ đã khoá: 409 (mã `locked`).",
            "Deletes the event with its counts, list and files; the version is required"
            " (If-Match): a stale one is 409. A locked period: 409 (code `locked`).",
        ),
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description=doc("ETag đã đọc.", "The ETag read."),
            )
        ],
        request=None,
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        user = actor(request)
        event = event_get(actor=user, event_id=pk)
        require_permission(user, RECORDS_EDIT, event.org_unit)
        version = expected_version(request)
        with transaction.atomic():
            record_version_claim(event, version)
            event_delete(actor=user, event=event)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EventParticipantsApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Người tham gia có tên · Named participants",
        description=doc(
            "Danh sách có tên (họ tên, dân tộc, năm sinh): chỉ cho người có quyền đọc dữ liệu cá"
            " nhân của đơn vị; mỗi lần đọc được ghi nhật ký. Người khác: 403.",
            "The named list (names, ethnicity, year of birth): only for holders of the personal"
            " data right on the unit; every read is audited. Others: 403.",
        ),
        responses=ParticipantListOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        user = actor(request)
        event = event_get(actor=user, event_id=pk)
        people = event_participants(actor=user, event=event)
        if people is None:
            raise PermissionDenied(
                _("Only those who may read personal data of %(unit)s see the participants' names.")
                % {"unit": event.org_unit.full_name}
            )
        return Response(ParticipantListOut({"event": event.pk, "results": people}).data)
