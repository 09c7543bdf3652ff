"""Supervision (giám sát) by the Fatherland Front, the Women's Union or a community board: sessions
with their findings and recommendations, the recommendations followed to their answer, and the
social feedback (phản biện xã hội) on a draft plan.

Reads go through ``supervision.selectors`` (``records.view`` on the supervised unit, or
``supervision.answer`` on a recommendation's responsible unit); writes through the services the
pages call, which check ``supervision.record`` / ``supervision.answer`` and audit. The members'
names appear only to those the page shows them to (``members_visible``); the minutes are not served
here: the session carries a link to the page's guarded (and audited) download.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import (
    PLANS_VIEW,
    RECORDS_VIEW,
    SUPERVISION_ANSWER,
    SUPERVISION_RECORD,
)
from duan8.api.base import ApiList, ApiView, query_int
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.selectors import plan_get
from duan8.supervision.feedback import plan_comment_create, plan_lines
from duan8.supervision.follow_up import (
    recommendation_answer,
    recommendation_create,
    recommendation_review,
)
from duan8.supervision.models import Finding, PlanComment, Recommendation, Session
from duan8.supervision.selectors import (
    addressee_units,
    evidence_events,
    evidence_groups,
    evidence_payment_lists,
    members_visible,
    recommendation_get,
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

TAG = "Giám sát · Supervision"
TAG_FEEDBACK = "Phản biện xã hội · Social feedback"


# --- output ------------------------------------------------------------------------------------


class UnitRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class EventRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    held_on = serializers.DateField()


class GroupRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PaymentListRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField()


class ElementRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()


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


class RecommendationOut(serializers.ModelSerializer):
    addressee = UnitRefOut()
    status_label = serializers.CharField(source="get_status_display")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "session",
            "finding",
            "text",
            "addressee",
            "addressee_body",
            "due_on",
            "status",
            "status_label",
            "overdue",
            "answer",
            "answered_on",
            "review_note",
            "reviewed_on",
            "updated_at",
            "version",
        ]

    def get_overdue(self, recommendation: Recommendation) -> bool:
        return recommendation.is_overdue(timezone.localdate())


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


class PlanCommentOut(serializers.ModelSerializer):
    line = ElementRefOut(allow_null=True)
    body_label = serializers.CharField(source="get_body_display")
    handling_label = serializers.CharField(source="get_handling_display")

    class Meta:
        model = PlanComment
        fields = [
            "id",
            "plan",
            "line",
            "body",
            "body_label",
            "text",
            "handling",
            "handling_label",
            "reply",
            "created_at",
            "updated_at",
            "version",
        ]


# --- input -------------------------------------------------------------------------------------


def _field_queryset(serializer: serializers.Serializer, name: str, queryset: QuerySet[Any]) -> None:
    field: Any = serializer.fields[name]
    if isinstance(field, serializers.ManyRelatedField):
        field.child_relation.queryset = queryset
    else:
        field.queryset = queryset


# Input fields with their refusals in the project's catalogue (Vietnamese, or English with
# ``Accept-Language: en``): DRF's own Vietnamese catalogue leaves these messages untranslated.
_REQUIRED = {
    "required": gettext_lazy("This field is required."),
    "null": gettext_lazy("This field may not be empty."),
}


class Text(serializers.CharField):
    default_error_messages = {
        **_REQUIRED,
        "invalid": gettext_lazy("Give a text."),
        "blank": gettext_lazy("This field may not be empty."),
        "max_length": gettext_lazy("Write at most {max_length} characters."),
        "null_characters_not_allowed": gettext_lazy("The text holds a null character."),
    }


class Choice(serializers.ChoiceField):
    default_error_messages = {
        **_REQUIRED,
        "invalid_choice": gettext_lazy("“{input}” is not one of the choices."),
    }


class Day(serializers.DateField):
    default_error_messages = {
        **_REQUIRED,
        "invalid": gettext_lazy("Give a date as YYYY-MM-DD."),
        "datetime": gettext_lazy("Give a date as YYYY-MM-DD."),
    }


class Number(serializers.IntegerField):
    default_error_messages = {
        **_REQUIRED,
        "invalid": gettext_lazy("Give a whole number."),
        "max_string_length": gettext_lazy("Give a whole number."),
        "max_value": gettext_lazy("Give a whole number."),
        "min_value": gettext_lazy("Give a whole number."),
    }


class Ref(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        **_REQUIRED,
        "does_not_exist": gettext_lazy("No record {pk_value} that you may choose here."),
        "incorrect_type": gettext_lazy("Give the record's id, a whole number."),
    }


_LIST: dict[str, Any] = {
    "not_a_list": gettext_lazy("Give a list."),
    "empty": gettext_lazy("Give at least one."),
}


class Items(serializers.ListField):
    default_error_messages = {
        **_REQUIRED,
        **_LIST,
        "max_length": gettext_lazy("Give at most {max_length}."),
        "min_length": gettext_lazy("Give at least {min_length}."),
    }


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


class RecommendationIn(serializers.Serializer):
    text = Text(max_length=4000)
    addressee = Ref(
        queryset=OrgUnit.objects.none(),
        help_text=doc("Đơn vị chịu trách nhiệm trả lời.", "The unit responsible for answering."),
    )
    addressee_body = Text(max_length=255, required=False, allow_blank=True, default="")
    due_on = Day(help_text=doc("Hạn trả lời.", "Deadline for the answer."))
    finding = Ref(queryset=Finding.objects.none(), required=False, allow_null=True, default=None)

    def __init__(
        self, *args: Any, actor: User | None = None, session: Session | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if actor is None or session is None:
            return  # the schema's instance
        _field_queryset(self, "addressee", addressee_units(actor=actor, unit=session.org_unit))
        _field_queryset(self, "finding", session.findings.all())


class AnswerIn(serializers.Serializer):
    answer = Text(max_length=4000)
    version = Number(
        required=False,
        help_text=doc(
            "Phiên bản đã đọc (hoặc gửi If-Match); thiếu cả hai: 428.",
            "The version read (or send If-Match); without either: 428.",
        ),
    )


class ReviewIn(serializers.Serializer):
    note = Text(max_length=2000, required=False, allow_blank=True, default="")
    version = Number(
        required=False,
        help_text=doc(
            "Phiên bản đã đọc (hoặc gửi If-Match); thiếu cả hai: 428.",
            "The version read (or send If-Match); without either: 428.",
        ),
    )


class PlanCommentIn(serializers.Serializer):
    body = Choice(choices=Session.Body.choices)
    text = Text(max_length=4000)
    line = Ref(
        queryset=ProgramElement.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=doc("Dòng của kế hoạch (không có: cả kế hoạch).", "The plan line (none: all)."),
    )

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plan is None:
            return  # the schema's instance
        _field_queryset(self, "line", plan_lines(plan))


# --- helpers -----------------------------------------------------------------------------------


def _valid(serializer: serializers.Serializer) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


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


def _query_bool(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    if raw.lower() in ("true", "1", "yes"):
        return True
    if raw.lower() in ("false", "0", "no"):
        return False
    raise BadRequest(name, _("Give true or false."))


def _query_choice(request: Request, name: str, choices: list[str]) -> str | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    if raw not in choices:
        raise BadRequest(
            name, _("Give one of: %(choices)s.") % {"choices": ", ".join(choices)}, "invalid_choice"
        )
    return raw


def _unit_filter(request: Request, user: User) -> OrgUnit | None | bool:
    """The ``org_unit`` filter: the unit (if visible), ``False`` when it is not one the caller
    may read (the list is then empty: nothing is confirmed), ``None`` without a filter."""
    unit_id = query_int(request, "org_unit")
    if unit_id is None:
        return None
    try:
        return supervision_unit_get(actor=user, unit_id=unit_id)
    except NotVisible:
        return False


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


def _recommendation_answer(recommendation: Recommendation, status: int = 200) -> Response:
    return with_etag(
        Response(RecommendationOut(recommendation).data, status=status), recommendation.version
    )


def _recommendation_reviewed(request: Request, pk: int, *, accept: bool) -> Response:
    user = actor(request)
    recommendation = recommendation_get(actor=user, recommendation_id=pk)
    require_supervisor(user, recommendation.session)
    data = _valid(ReviewIn(data=request.data))
    recommendation = recommendation_review(
        actor=user,
        recommendation=recommendation,
        accept=accept,
        note=data.get("note", ""),
        expected_version=expected_version(request),
    )
    return _recommendation_answer(recommendation)


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


class RecommendationCreateApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Thêm kiến nghị · Add a recommendation",
        description=doc(
            "Cho người giám sát đã ghi cuộc giám sát: gửi tới xã hoặc một thôn của xã, với hạn"
            " trả lời.",
            "For the supervisors who recorded the session: to the commune or one of its villages,"
            " with a deadline.",
        ),
        request=RecommendationIn,
        responses={201: RecommendationOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        session = session_get(actor=user, session_id=pk)
        require_supervisor(user, session)
        d = _valid(RecommendationIn(data=request.data, actor=user, session=session))
        recommendation = recommendation_create(
            actor=user,
            session=session,
            finding=d.get("finding"),
            text=d["text"],
            addressee=d["addressee"],
            addressee_body=d.get("addressee_body", ""),
            due_on=d["due_on"],
        )
        response = _recommendation_answer(recommendation, 201)
        response["Location"] = reverse("api:supervision_session_detail", args=[session.pk])
        return response


# --- recommendations ---------------------------------------------------------------------------


class RecommendationListApi(ApiList):
    serializer_class = RecommendationOut

    @extend_schema(
        tags=[TAG],
        summary="Các kiến nghị · Recommendations",
        description=doc(
            "Kiến nghị của các cuộc giám sát người gọi được xem, và kiến nghị gửi tới đơn vị"
            " của người gọi (để trả lời). `overdue=true`: còn chờ trả lời và quá hạn.",
            "Recommendations of the sessions the caller may read, and those addressed to the"
            " caller's units (to answer). `overdue=true`: waiting for an answer, past deadline.",
        ),
        parameters=[
            OpenApiParameter("status", str, enum=Recommendation.Status.values),
            OpenApiParameter("overdue", OpenApiTypes.BOOL),
            OpenApiParameter(
                "org_unit",
                int,
                description=doc(
                    "Đơn vị được giám sát hoặc đơn vị trả lời (và các thôn).",
                    "The unit supervised or the responsible unit (and its villages).",
                ),
            ),
            UPDATED_SINCE,
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[Recommendation]:
        request = self.request
        status = _query_choice(request, "status", Recommendation.Status.values)
        overdue = _query_bool(request, "overdue")
        unit = _unit_filter(request, actor)
        if unit is False:
            return Recommendation.objects.none()
        # the rule of ``recommendation_get``: the session's readers, and the responsible unit
        found = Recommendation.objects.filter(
            Q(session__org_unit__in=org_units_visible_to(actor, RECORDS_VIEW))
            | Q(addressee__in=org_units_visible_to(actor, SUPERVISION_ANSWER))
        ).select_related("addressee")
        if isinstance(unit, OrgUnit):
            found = found.filter(
                Q(session__org_unit__path__startswith=unit.path)
                | Q(addressee__path__startswith=unit.path)
            )
        if status is not None:
            found = found.filter(status=status)
        today = timezone.localdate()
        overdue_q = Q(status=Recommendation.Status.OPEN, due_on__lt=today)
        if overdue is True:
            found = found.filter(overdue_q)
        elif overdue is False:
            found = found.exclude(overdue_q)
        return found


class RecommendationAnswerApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Trả lời kiến nghị · Answer a recommendation",
        description=doc(
            "Chỉ đơn vị chịu trách nhiệm (quyền `supervision.answer` ở đơn vị đó), như trang"
            " “Trả lời”; kiến nghị phải đang chờ trả lời.",
            "Only the responsible unit (`supervision.answer` there), as the “Answer” page; the"
            " recommendation must be waiting for an answer.",
        ),
        request=AnswerIn,
        responses=RecommendationOut,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        recommendation = recommendation_get(actor=user, recommendation_id=pk)
        require_permission(user, SUPERVISION_ANSWER, recommendation.addressee)
        data = _valid(AnswerIn(data=request.data))
        recommendation = recommendation_answer(
            actor=user,
            recommendation=recommendation,
            answer=data["answer"],
            expected_version=expected_version(request),
        )
        return _recommendation_answer(recommendation)


class RecommendationAcceptApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Chấp nhận câu trả lời · Accept the answer",
        description=doc(
            "Người giám sát đã ghi cuộc giám sát chấp nhận câu trả lời.",
            "The supervisors who recorded the session accept the answer.",
        ),
        request=ReviewIn,
        responses=RecommendationOut,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        return _recommendation_reviewed(request, pk, accept=True)


class RecommendationKeepOpenApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Giữ kiến nghị mở · Keep it open",
        description=doc(
            "Người giám sát không chấp nhận câu trả lời: kiến nghị chờ trả lời lại; nêu lý do"
            " (`note`).",
            "The supervisors do not accept the answer: the recommendation waits for a new answer;"
            " say why (`note`).",
        ),
        request=ReviewIn,
        responses=RecommendationOut,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        return _recommendation_reviewed(request, pk, accept=False)


# --- social feedback on a draft plan -----------------------------------------------------------


def _plan_readable(user: User, pk: int) -> Plan:
    """The plan, as its page's feedback panel shows it: to readers of the plan."""
    plan = plan_get(actor=user, plan_id=pk)
    if not can(user, PLANS_VIEW, plan.issuing_unit):
        raise NotVisible(_("Plan not found."))
    return plan


class PlanCommentsApi(ApiList):
    serializer_class = PlanCommentOut

    @extend_schema(
        tags=[TAG_FEEDBACK],
        summary="Góp ý phản biện của một kế hoạch · A plan's social feedback",
        description=doc(
            "Góp ý của MTTQ và Hội LHPN về dự thảo kế hoạch, và cách xử lý.",
            "The Fatherland Front's and the Women's Union's comments on the draft plan, and how"
            " they were handled.",
        ),
        parameters=[UPDATED_SINCE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[PlanComment]:
        plan = _plan_readable(actor, self.kwargs["pk"])
        return PlanComment.objects.filter(plan_id=plan.pk).select_related("line")

    @extend_schema(
        tags=[TAG_FEEDBACK],
        summary="Góp ý dự thảo kế hoạch · Comment on a draft plan",
        description=doc(
            "Cho MTTQ và Hội LHPN (quyền `supervision.record` ở đơn vị ban hành), khi kế hoạch"
            " còn là dự thảo; như khung “Phản biện xã hội” của trang kế hoạch.",
            "For the Fatherland Front and the Women's Union (`supervision.record` on the issuing"
            " unit) while the plan is a draft; as the plan page's “Social feedback” panel.",
        ),
        request=PlanCommentIn,
        responses={201: PlanCommentOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        plan = _plan_readable(user, pk)
        require_permission(user, SUPERVISION_RECORD, plan.issuing_unit)
        d = _valid(PlanCommentIn(data=request.data, plan=plan))
        comment = plan_comment_create(
            actor=user, plan=plan, body=d["body"], text=d["text"], line=d.get("line")
        )
        response = Response(PlanCommentOut(comment).data, status=201)
        response["Location"] = reverse("api:supervision_plan_comments", args=[plan.pk])
        return with_etag(response, comment.version)


urlpatterns = [
    path("supervision/sessions/", SessionListApi.as_view(), name="supervision_session_list"),
    path(
        "supervision/sessions/<int:pk>/",
        SessionDetailApi.as_view(),
        name="supervision_session_detail",
    ),
    path(
        "supervision/sessions/<int:pk>/findings/",
        FindingCreateApi.as_view(),
        name="supervision_finding_create",
    ),
    path(
        "supervision/sessions/<int:pk>/recommendations/",
        RecommendationCreateApi.as_view(),
        name="supervision_recommendation_create",
    ),
    path(
        "supervision/recommendations/",
        RecommendationListApi.as_view(),
        name="supervision_recommendation_list",
    ),
    path(
        "supervision/recommendations/<int:pk>/answer/",
        RecommendationAnswerApi.as_view(),
        name="supervision_recommendation_answer",
    ),
    path(
        "supervision/recommendations/<int:pk>/accept/",
        RecommendationAcceptApi.as_view(),
        name="supervision_recommendation_accept",
    ),
    path(
        "supervision/recommendations/<int:pk>/keep-open/",
        RecommendationKeepOpenApi.as_view(),
        name="supervision_recommendation_keep_open",
    ),
    path("plans/<int:pk>/comments/", PlanCommentsApi.as_view(), name="supervision_plan_comments"),
]
