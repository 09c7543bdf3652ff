"""Supervision's API: the sessions (list, one, record) and their findings."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_VIEW, SUPERVISION_RECORD
from duan8.api.base import ApiList, ApiView, query_int
from duan8.api.endpoints.supervision.recommendations import RecommendationOut
from duan8.api.endpoints.supervision.shared import (
    _LIST,
    TAG,
    Choice,
    Day,
    ElementRefOut,
    EventRefOut,
    GroupRefOut,
    Items,
    Number,
    PaymentListRefOut,
    Ref,
    Text,
    UnitRefOut,
    _field_queryset,
    _unit_filter,
    _valid,
)
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import with_etag
from duan8.api.who import actor
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import ProgramElement
from duan8.supervision.models import Finding, Session
from duan8.supervision.selectors import (
    evidence_events,
    evidence_groups,
    evidence_payment_lists,
    members_visible,
    session_findings,
    session_get,
    session_list,
    session_recommendations,
    supervision_unit_get,
)
from duan8.supervision.services import (
    FindingInput,
    SessionInput,
    finding_create,
    require_supervisor,
    session_create,
)

# --- output ------------------------------------------------------------------------------------


class MinutesOut(serializers.Serializer):
    name = serializers.CharField(source="minutes_name")
    type = serializers.CharField(source="minutes_type")
    size = serializers.IntegerField(source="minutes_size")
    sha256 = serializers.CharField(source="minutes_sha256")
    download = serializers.SerializerMethodField(
        help_text=doc(
            "Trang tải về của biên bản (đăng nhập trên trang web; mỗi lần tải được ghi nhật ký).",
            "The page's download of the minutes (signed in on the site; each download audited).",
        )
    )

    def get_download(self, session: Session) -> str:
        return reverse("supervision:minutes_download", args=[session.pk])


class SessionOut(serializers.ModelSerializer):
    org_unit = UnitRefOut()
    # a plain string in the schema: an enum here would collide with other areas' ``status``
    status = serializers.CharField(
        help_text=doc("`planned` (dự kiến) hoặc `held` (đã tiến hành).", "`planned` or `held`.")
    )
    body_label = serializers.CharField(source="get_body_display")
    subject_label = serializers.CharField(source="get_subject_display")
    status_label = serializers.CharField(source="get_status_display")
    methods = serializers.ListField(child=serializers.CharField())
    findings = serializers.IntegerField(source="findings_count", read_only=True)
    recommendations = serializers.IntegerField(source="recommendations_count", read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "org_unit",
            "body",
            "body_label",
            "title",
            "subject",
            "subject_label",
            "starts_on",
            "ends_on",
            "methods",
            "status",
            "status_label",
            "findings",
            "recommendations",
            "updated_at",
            "version",
        ]


class FindingOut(serializers.ModelSerializer):
    topic_label = serializers.CharField(source="get_topic_display")
    events = EventRefOut(many=True)
    groups = GroupRefOut(many=True)
    payment_lists = PaymentListRefOut(many=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "session",
            "topic",
            "topic_label",
            "text",
            "events",
            "groups",
            "payment_lists",
            "updated_at",
            "version",
        ]


class SessionDetailOut(SessionOut):
    activity = ElementRefOut(allow_null=True)
    event = EventRefOut(allow_null=True)
    payment_list = PaymentListRefOut(allow_null=True)
    members = serializers.SerializerMethodField(
        help_text=doc(
            "Tên thành viên: cho người giám sát và người được xem tên người; nếu không: null.",
            "The members' names: for the supervisors and readers of persons' names; else null.",
        )
    )
    members_count = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()  # type: ignore[assignment]
    recommendations = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta(SessionOut.Meta):
        fields = [
            *SessionOut.Meta.fields,
            "activity",
            "event",
            "payment_list",
            "policy",
            "members",
            "members_count",
            "minutes",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_members(self, session: Session) -> list[str] | None:
        return session.member_list if self.context.get("show_members") else None

    def get_members_count(self, session: Session) -> int:
        return len(session.member_list)

    @extend_schema_field(MinutesOut(allow_null=True))
    def get_minutes(self, session: Session) -> Any:
        return MinutesOut(session).data if session.minutes else None

    @extend_schema_field(FindingOut(many=True))
    def get_findings(self, session: Session) -> Any:
        return FindingOut(self.context.get("findings", []), many=True).data

    @extend_schema_field(RecommendationOut(many=True))
    def get_recommendations(self, session: Session) -> Any:
        return RecommendationOut(self.context.get("recommendations", []), many=True).data


# --- input -------------------------------------------------------------------------------------


class SessionIn(serializers.Serializer):
    org_unit = Number(
        help_text=doc("Xã hoặc thôn được giám sát.", "The commune or village supervised.")
    )
    body = Choice(choices=Session.Body.choices)
    title = Text(max_length=255)
    subject = Choice(choices=Session.Subject.choices)
    activity = Ref(queryset=ProgramElement.objects.none(), required=False, allow_null=True)
    event = Ref(queryset=ProgramElement.objects.none(), required=False, allow_null=True)
    payment_list = Ref(queryset=ProgramElement.objects.none(), required=False, allow_null=True)
    policy = Text(max_length=2000, required=False, allow_blank=True, default="")
    starts_on = Day()
    ends_on = Day(required=False, allow_null=True, default=None)
    members = Items(
        child=Text(max_length=255, allow_blank=True),
        max_length=100,
        required=False,
        default=list,
        help_text=doc("Một người một dòng: tên và chức vụ.", "One person each: name and position."),
    )
    methods = Items(child=Choice(choices=Session.Method.choices), max_length=10)

    def __init__(
        self, *args: Any, actor: User | None = None, unit: OrgUnit | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if actor is None or unit is None:
            return  # the schema's instance
        _field_queryset(
            self, "activity", ProgramElement.objects.filter(kind=ProgramElement.Kind.ACTIVITY)
        )
        _field_queryset(self, "event", evidence_events(actor=actor, unit=unit))
        _field_queryset(self, "payment_list", evidence_payment_lists(actor=actor, unit=unit))

    def to_input(self) -> SessionInput:
        d = self.validated_data
        return SessionInput(
            body=d["body"],
            title=d["title"],
            subject=d["subject"],
            starts_on=d["starts_on"],
            ends_on=d.get("ends_on"),
            activity=d.get("activity"),
            event=d.get("event"),
            payment_list=d.get("payment_list"),
            policy=d.get("policy", ""),
            members=list(d.get("members", [])),
            methods=list(d["methods"]),
        )


class FindingIn(serializers.Serializer):
    topic = Choice(choices=Finding.Topic.choices)
    text = Text(max_length=4000)
    events = Ref(
        queryset=ProgramElement.objects.none(),
        many=True,
        error_messages=_LIST,
        required=False,
        default=list,
    )
    groups = Ref(
        queryset=ProgramElement.objects.none(),
        many=True,
        error_messages=_LIST,
        required=False,
        default=list,
    )
    payment_lists = Ref(
        queryset=ProgramElement.objects.none(),
        many=True,
        error_messages=_LIST,
        required=False,
        default=list,
    )

    def __init__(
        self, *args: Any, actor: User | None = None, session: Session | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if actor is None or session is None:
            return  # the schema's instance
        unit = session.org_unit
        _field_queryset(self, "events", evidence_events(actor=actor, unit=unit))
        _field_queryset(self, "groups", evidence_groups(actor=actor, unit=unit))
        _field_queryset(self, "payment_lists", evidence_payment_lists(actor=actor, unit=unit))


# --- helpers -----------------------------------------------------------------------------------


def _unit_of_body(request: Request) -> OrgUnit:
    """The unit a new session supervises, read first, so an outsider learns nothing from the
    body's errors."""
    data: Any = request.data
    raw = data.get("org_unit") if isinstance(data, dict) else None
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise BadRequest(
            "org_unit", _("Give the id of the commune or village supervised."), "required"
        )
    return supervision_unit_get(actor=actor(request), unit_id=raw)


def _session_answer(request: Request, session: Session, status: int = 200) -> Response:
    user = actor(request)
    context: dict[str, Any] = {
        "show_members": members_visible(user, session),
        "findings": session_findings(session),
        "recommendations": session_recommendations(session),
    }
    session.findings_count = len(context["findings"])  # type: ignore[attr-defined]
    session.recommendations_count = len(context["recommendations"])  # type: ignore[attr-defined]
    response = Response(SessionDetailOut(session, context=context).data, status=status)
    if status == 201:
        response["Location"] = reverse("api:supervision_session_detail", args=[session.pk])
    return with_etag(response, session.version)


# --- sessions ----------------------------------------------------------------------------------

YEAR = OpenApiParameter("year", int, description=doc("Năm (ngày bắt đầu).", "Year (start)."))
ORG_UNIT = OpenApiParameter(
    "org_unit",
    int,
    description=doc(
        "Xã hoặc thôn (và các thôn của xã).", "A commune or village (and the commune's villages)."
    ),
)


class SessionListApi(ApiList):
    serializer_class = SessionOut

    @extend_schema(
        tags=[TAG],
        summary="Các cuộc giám sát · Supervision sessions",
        description=doc(
            "Các cuộc giám sát ở các đơn vị người gọi được xem, với số phát hiện và kiến nghị.",
            "The supervision sessions of the units the caller may read, with their numbers of"
            " findings and recommendations.",
        ),
        parameters=[ORG_UNIT, YEAR, UPDATED_SINCE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[Session]:
        request = self.request
        year = query_int(request, "year", low=2000, high=2100)
        unit = _unit_filter(request, actor)
        if unit is False:
            return Session.objects.none()
        if isinstance(unit, OrgUnit):
            sessions = session_list(actor=actor, unit=unit, year=year)
        else:
            sessions = Session.objects.filter(
                org_unit__in=org_units_visible_to(actor, RECORDS_VIEW)
            ).select_related("org_unit")
            if year is not None:
                sessions = sessions.filter(starts_on__year=year)
        return sessions.annotate(
            findings_count=Count("findings", distinct=True),
            recommendations_count=Count("recommendations", distinct=True),
        )

    @extend_schema(
        tags=[TAG],
        summary="Ghi một cuộc giám sát · Record a supervision session",
        description=doc(
            "Cho MTTQ, Hội LHPN hoặc ban giám sát cộng đồng (quyền `supervision.record` ở đơn vị"
            " được giám sát); như trang “Cuộc giám sát mới”. Biên bản được thêm trên trang web.",
            "For the Fatherland Front, the Women's Union or a community board"
            " (`supervision.record` on the unit supervised); as the “New session” page. The"
            " minutes are added on the web page.",
        ),
        request=SessionIn,
        responses={201: SessionDetailOut},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = actor(request)
        unit = _unit_of_body(request)
        require_permission(user, SUPERVISION_RECORD, unit)
        serializer = SessionIn(data=request.data, actor=user, unit=unit)
        _valid(serializer)
        session = session_create(actor=user, unit=unit, data=serializer.to_input())
        return _session_answer(request, session_get(actor=user, session_id=session.pk), 201)


class SessionDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một cuộc giám sát · One supervision session",
        description=doc(
            "Cuộc giám sát với các phát hiện (và bằng chứng) và kiến nghị. Tên thành viên chỉ"
            " hiện cho người giám sát và người được xem tên người; biên bản: liên kết tới trang tải"
            " về của trang web.",
            "The session with its findings (and their evidence) and recommendations. Members'"
            " names only for the supervisors and readers of persons' names; the minutes: a link"
            " to the web page's download.",
        ),
        responses=SessionDetailOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _session_answer(request, session_get(actor=actor(request), session_id=pk))


class FindingCreateApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Thêm phát hiện · Add a finding",
        description=doc(
            "Cho người giám sát đã ghi cuộc giám sát; bằng chứng: sự kiện, nhóm, danh sách chi trả"
            " mà họ được xem trong xã.",
            "For the supervisors who recorded the session; evidence: events, groups and payment"
            " lists of the commune they may read.",
        ),
        request=FindingIn,
        responses={201: FindingOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        session = session_get(actor=user, session_id=pk)
        require_supervisor(user, session)
        d = _valid(FindingIn(data=request.data, actor=user, session=session))
        finding = finding_create(
            actor=user,
            session=session,
            data=FindingInput(
                topic=d["topic"],
                text=d["text"],
                events=list(d.get("events", [])),
                groups=list(d.get("groups", [])),
                payment_lists=list(d.get("payment_lists", [])),
            ),
        )
        finding = (
            Finding.objects.prefetch_related("events", "groups", "payment_lists")
            .filter(pk=finding.pk)
            .get()
        )
        response = Response(FindingOut(finding).data, status=201)
        response["Location"] = reverse("api:supervision_session_detail", args=[session.pk])
        return with_etag(response, finding.version)
