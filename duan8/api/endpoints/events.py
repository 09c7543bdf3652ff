"""Events (Kết quả thực hiện): the list with participant counts, recording one, one event with
its ETag, its change and deletion, and the named participants for holders of personal data.

Everything goes through the pages' selectors and services (``activities.selectors.events``,
``activities.services.events``): the same access function, checks, locks and versions.

- Counts are the cells the model keeps: sex (``F``/``M``) × ethnic minority (true/false) × age
  group (``adult``/``child``). An event given a named list has its counts derived from the list.
- Problems of the n-th person of a list are keyed ``participants.<n>.<field>`` from 0 (the index
  in the array sent), like the serializer's own.
- A period locked by an approved report refuses the write as the pages do: the service raises
  its problem (code ``locked``, on ``held_on`` for a new or changed event, on ``__all__`` for a
  delete), which the API answers **409** with code ``locked`` and the lock's message
  (``api/errors.py``), nothing saved.
- An event that looks like one already recorded (same unit, day, activity and counts: the
  pages' second-save check) is refused 409 ``duplicate`` unless ``confirm_duplicate`` is true.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_EDIT
from duan8.activities.models import (
    AgeGroup,
    CommunityGroup,
    EthnicGroup,
    Event,
    ParticipantCount,
    Sex,
)
from duan8.activities.selectors.events import (
    commune_plans,
    event_get,
    event_input_from,
    event_list,
    event_participants,
    records_unit_get,
)
from duan8.activities.services.events import (
    CountInput,
    EventInput,
    PersonInput,
    event_create,
    event_delete,
    event_duplicate_of,
    event_update,
    plan_activities,
)
from duan8.activities.services.shared import record_version_claim
from duan8.api.base import ApiList, ApiView, query_date, query_int
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core.concurrency import EditConflict
from duan8.core.problems import Invalid, Problem, problems_of
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

TAG = "Sự kiện · Events"
MAX_COUNT = 100_000
MAX_PEOPLE = 2_000

# --- output ------------------------------------------------------------------------------------


class CountOut(serializers.Serializer):
    sex = serializers.ChoiceField(choices=Sex.choices, help_text=doc("F: nữ, M: nam.", "Sex."))
    minority = serializers.BooleanField(
        help_text=doc("Người dân tộc thiểu số.", "Ethnic minority.")
    )
    age_group = serializers.ChoiceField(
        choices=AgeGroup.choices,
        help_text=doc("adult: người lớn; child: dưới 16 tuổi.", "Adult, or child under 16."),
    )
    count = serializers.IntegerField(min_value=0)


class EventOut(serializers.ModelSerializer):
    # The kinds as text (their enum is named in the input, EventInKindEnum, only once).
    kind = serializers.CharField(help_text=doc("Loại sự kiện.", "The kind of event."))
    activity_code = serializers.CharField(source="activity.code")
    org_unit_name = serializers.CharField(source="org_unit.full_name")
    cost = serializers.IntegerField(help_text=doc("Kinh phí (đồng).", "Cost in đồng."))
    counts = serializers.SerializerMethodField(
        help_text=doc("Số người tham gia theo ô.", "Participants by cell.")
    )
    participants_total = serializers.IntegerField()
    women_total = serializers.IntegerField()

    class Meta:
        model = Event
        fields = [
            "id",
            "plan",
            "activity",
            "activity_code",
            "kind",
            "title",
            "held_on",
            "ended_on",
            "org_unit",
            "org_unit_name",
            "place",
            "organiser",
            "group",
            "cost",
            "notes",
            "counts",
            "participants_total",
            "women_total",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(CountOut(many=True))
    def get_counts(self, event: Event) -> list[dict[str, Any]]:
        cells: list[dict[str, Any]] = getattr(event, "count_cells", [])
        return cells


class EventDetailOut(EventOut):
    has_participant_list = serializers.BooleanField(
        help_text=doc(
            "Có danh sách người tham gia (xem /participants/).",
            "The event has a named list (see /participants/).",
        )
    )

    class Meta(EventOut.Meta):
        fields = [*EventOut.Meta.fields, "has_participant_list"]


class ParticipantOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    sex = serializers.CharField()
    ethnic_group = serializers.CharField(source="ethnic_group.code", allow_null=True)
    ethnic_group_name = serializers.CharField(source="ethnic_group.name", allow_null=True)
    birth_year = serializers.IntegerField(allow_null=True)
    position = serializers.CharField()
    workplace = serializers.CharField()


class ParticipantListOut(serializers.Serializer):
    event = serializers.IntegerField()
    results = ParticipantOut(many=True)


# --- input -------------------------------------------------------------------------------------


class CountIn(serializers.Serializer):
    sex = serializers.ChoiceField(choices=Sex.choices)
    minority = serializers.BooleanField()
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    count = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)


class PersonIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=120)
    sex = serializers.ChoiceField(choices=Sex.choices)
    ethnic_group = serializers.CharField(
        max_length=4, help_text=doc("Mã dân tộc (QĐ 121-TCTK): 19 Hrê.", "Ethnic group code.")
    )
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    position = serializers.CharField(max_length=255, required=False, allow_blank=True)
    workplace = serializers.CharField(max_length=255, required=False, allow_blank=True)


class EventIn(serializers.Serializer):
    plan = serializers.IntegerField(help_text=doc("Kế hoạch.", "Plan id."))
    org_unit = serializers.IntegerField(help_text=doc("Xã hoặc thôn.", "Commune or village id."))
    activity = serializers.CharField(
        max_length=60,
        help_text=doc("Mã hoạt động của kế hoạch.", "The plan activity's element code."),
    )
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    title = serializers.CharField(max_length=255)
    held_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True)
    place = serializers.CharField(max_length=255, required=False, allow_blank=True)
    organiser = serializers.CharField(max_length=255, required=False, allow_blank=True)
    group = serializers.IntegerField(required=False, allow_null=True)
    cost = serializers.IntegerField(min_value=0, max_value=10**14 - 1, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    counts = CountIn(many=True, required=False)
    participants = serializers.ListField(child=PersonIn(), required=False, max_length=MAX_PEOPLE)
    confirm_duplicate = serializers.BooleanField(
        required=False,
        help_text=doc(
            "Ghi cả khi đã có sự kiện giống hệt (cùng nơi, ngày, hoạt động, số liệu).",
            "Record it even though an identical event is recorded.",
        ),
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text=doc(
            "Khi sửa: phiên bản đã đọc (hoặc If-Match).", "On a change: the version read."
        ),
    )


def counts_attach(events: list[Event]) -> list[Event]:
    """The participant cells of a page of events, in one query, as plain dicts on each event
    (``count_cells``). Not ``prefetch_related``: its model instances point back at their event,
    a reference cycle per cell that only the garbage collector's full passes reclaim (a page in
    sixteen paid ~150 ms for them in bench/api_events.py), and a nested serializer per cell took a
    third of a page's time."""
    cells: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        ParticipantCount.objects.filter(event_id__in=[event.pk for event in events])
        .order_by("event_id", "sex", "-minority", "age_group")
        .values_list("event_id", "sex", "minority", "age_group", "count")
    )
    for event_id, sex, minority, age_group, count in rows:
        cells[event_id].append(
            {"sex": sex, "minority": minority, "age_group": age_group, "count": count}
        )
    for event in events:
        event.count_cells = cells[event.pk]  # type: ignore[attr-defined]
    return events


# --- helpers -----------------------------------------------------------------------------------

_PERSON = re.compile(r"^participants\.(\d+)\.")


def _zero_based(exc: Invalid) -> Invalid:
    """The service numbers the persons of a list from 1; the API from 0, as the array sent."""
    problems = []
    for problem in problems_of(exc):
        found = _PERSON.match(problem.field)
        if found:
            number = int(found.group(1)) - 1
            problem = replace(
                problem, field=f"participants.{number}.{problem.field[found.end() :]}"
            )
        problems.append(problem)
    return Invalid(problems)


def _saved(call: Any) -> Any:
    try:
        return call()
    except EditConflict:
        raise
    except Invalid as exc:
        raise _zero_based(exc) from None


def _raw_int(data: Any, name: str) -> int | None:
    value = data.get(name) if isinstance(data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _editable_unit(user: User, unit_id: int) -> OrgUnit:
    """A unit the caller may see (else 404) and record in (else 403): checked before the body."""
    unit = records_unit_get(actor=user, unit_id=unit_id)
    require_permission(user, RECORDS_EDIT, unit)
    return unit


def _plan_of(unit: OrgUnit, plan_id: int) -> Plan:
    plan = next((p for p in commune_plans(unit=unit) if p.pk == plan_id), None)
    if plan is None:
        raise BadRequest("plan", _("Choose one of the plans of the unit's commune."), "invalid")
    return plan


def _activity_of(plan: Plan, code: str) -> ProgramElement:
    element = next((a for a in plan_activities(plan) if a.code == code.strip()), None)
    if element is None:
        raise BadRequest(
            "activity", _("Choose one of the activities of the plan."), "invalid_choice"
        )
    return element


def _group_of(plan: Plan, group_id: int | None) -> CommunityGroup | None:
    if group_id is None:
        return None
    group = (
        CommunityGroup.objects.filter(
            pk=group_id, org_unit__path__startswith=plan.issuing_unit.path
        )
        .select_related("org_unit")
        .first()
    )
    if group is None:
        raise BadRequest("group", _("Choose one of the groups of the commune."), "invalid_choice")
    return group


def _people_of(items: list[dict[str, Any]]) -> list[PersonInput]:
    codes = {item["ethnic_group"].strip() for item in items}
    groups = {g.code: g for g in EthnicGroup.objects.filter(code__in=codes)}
    problems = [
        Problem(
            f"participants.{index}.ethnic_group",
            _("“%(value)s” is not the code of an ethnic group.") % {"value": item["ethnic_group"]},
            "invalid_choice",
        )
        for index, item in enumerate(items)
        if item["ethnic_group"].strip() not in groups
    ]
    if problems:
        raise Invalid(problems)
    return [
        PersonInput(
            full_name=item["full_name"],
            sex=item["sex"],
            ethnic_group=groups[item["ethnic_group"].strip()],
            birth_year=item.get("birth_year"),
            position=item.get("position", ""),
            workplace=item.get("workplace", ""),
        )
        for item in items
    ]


def _counts_of(items: list[dict[str, Any]]) -> list[CountInput]:
    return [
        CountInput(item["sex"], item["minority"], item["age_group"], item["count"])
        for item in items
    ]


def _event_answer(user: User, event_id: int, status_code: int = 200) -> Response:
    event = event_list(actor=user).filter(pk=event_id).first()
    assert event is not None  # just read or written through the access function
    counts_attach([event])
    event.has_participant_list = event.participants.exists()  # type: ignore[attr-defined]
    response = Response(EventDetailOut(event).data, status=status_code)
    return with_etag(response, event.version)


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
        unit_id = _raw_int(request.data, "org_unit")
        # Access first: 404 / 403 for the unit before the body's checks say anything.
        checked = _editable_unit(user, unit_id) if unit_id is not None else None
        given = EventIn(data=request.data)
        given.is_valid(raise_exception=True)
        body = given.validated_data
        unit = checked if checked is not None else _editable_unit(user, body["org_unit"])
        plan = _plan_of(unit, body["plan"])
        data = EventInput(
            plan=plan,
            activity=_activity_of(plan, body["activity"]),
            kind=body["kind"],
            title=body["title"],
            held_on=body["held_on"],
            org_unit=unit,
            ended_on=body.get("ended_on"),
            place=body.get("place", ""),
            organiser=body.get("organiser", ""),
            group=_group_of(plan, body.get("group")),
            cost=Decimal(body.get("cost") or 0),
            notes=body.get("notes", ""),
            counts=_counts_of(body.get("counts", [])),
            participants=_people_of(body.get("participants", [])),
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
        event = _saved(lambda: event_create(actor=user, data=data))
        response = _event_answer(user, event.pk, status.HTTP_201_CREATED)
        response["Location"] = reverse("api:event_detail", kwargs={"pk": event.pk})
        return response


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
        return _event_answer(actor(request), event.pk)

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
            data.org_unit = _editable_unit(user, body["org_unit"])
        if "plan" in body and body["plan"] != event.plan_id:
            data.plan = _plan_of(data.org_unit, body["plan"])
        if "activity" in body:
            data.activity = _activity_of(data.plan, body["activity"])
        for name in ("kind", "title", "held_on", "ended_on", "place", "organiser", "notes"):
            if name in body:
                setattr(data, name, body[name])
        if "cost" in body:
            data.cost = Decimal(body["cost"])
        if "group" in body:
            data.group = _group_of(data.plan, body["group"])
        if "participants" in body:
            data.participants = _people_of(body["participants"])
            data.counts = _counts_of(body.get("counts", []))
        elif "counts" in body:
            data.counts = _counts_of(body["counts"])
        elif with_list:
            data.counts = []  # derived from the list again (a new date may change ages)
        _saved(lambda: event_update(actor=user, event=event, data=data, expected_version=version))
        return _event_answer(user, event.pk)

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


urlpatterns = [
    path("events/", EventListApi.as_view(), name="event_list"),
    path("events/<int:pk>/", EventDetailApi.as_view(), name="event_detail"),
    path(
        "events/<int:pk>/participants/", EventParticipantsApi.as_view(), name="event_participants"
    ),
]
