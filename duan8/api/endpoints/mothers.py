"""The safe-motherhood registry (issue 13) over the API: cases, proposals, payments, counts.

The registry holds the most sensitive data of duan8 (ethnicity, health, pregnancy, ID numbers;
NĐ 13/2023, Law 91/2025; docs/personal-data.md). The endpoints ask what the pages ask:

- cases: in the units where the caller holds ``mothers.view`` (a village health worker: her
  villages; the rights of a case are those of its village, ``visibility.area_of``); the health
  fields only with ``mothers.health`` there (``visibility.fields_visible``); the ID number never
  in a list, masked but for its last four digits in a case; each list page and each case read is
  written to the audit trail as the pages write it (``mothers.cases.viewed``,
  ``mothers.case.viewed`` through ``services.registry.case_viewed``). The accountant, reviewers
  above the commune and the Fatherland Front read no case (empty list, 404);
- a proposal: the health station or a village health worker, through ``mother_propose`` and its
  checks (ethnicity, the village of the commune on the delivery's date, dates, the ID number's
  form), problems keyed by field; consent is recorded on its own page and asked at verification;
- payments: for the commune's payment readers (``selectors_payments.READERS``): names, village,
  amounts; never ethnicity nor a health field;
- counts: ``counts.mothers_counts``, small cells shown as "<5" outside the commune.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import (
    MOTHERS_PROPOSE,
    MOTHERS_VIEW,
    PLANS_VIEW,
    REPORTS_REVIEW,
)
from duan8.api.base import ApiList, ApiView, query_int
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import with_etag
from duan8.api.who import actor
from duan8.core import audit
from duan8.core.problems import Invalid, Problem
from duan8.mothers.counts import CountsRow, counts_legend, mothers_counts
from duan8.mothers.models import Payment, Pregnancy
from duan8.mothers.selectors_payments import READERS
from duan8.mothers.services.consent import consent_in_force
from duan8.mothers.services.inputs import CaseInput, ChildInput, VisitInput
from duan8.mothers.services.registry import case_viewed, mother_propose
from duan8.mothers.visibility import (
    Visible,
    area_of,
    case_get,
    case_scope,
    fields_visible,
    id_masked,
)
from duan8.orgunits.access import active_memberships, can, held_paths
from duan8.orgunits.inherited import villages_on
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to

TAG = "Làm mẹ an toàn · Safe motherhood"
LISTED = "mothers.cases.viewed"  # the pages' action (mothers/actions/registry.py)


def _parts(visible: Visible) -> list[str]:
    return [name for name in ("identity", "health", "payment") if getattr(visible, name)]


def _reads_cases(visible: Visible) -> bool:
    """The API's cases are for the registry's readers (``mothers.view``, and the health fields'
    holders): the accountant reads payments only."""
    return visible.identity or visible.health


def _under(field: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for unit_path in paths:
        condition |= Q(**{f"{field}__path__startswith": unit_path})
    return condition


def cases_visible_to(user: User) -> QuerySet[Pregnancy]:
    """The cases whose area (``area_of``: the village when it is the commune's own, else the
    commune) lies where the user holds ``mothers.view``."""
    found = Pregnancy.objects.all()
    if user.is_authenticated and user.is_active and user.is_superuser:
        return found
    paths = held_paths(user, MOTHERS_VIEW)
    if not paths:
        return found.none()
    own_village = Q(village__parent_id=F("commune_id"))
    return found.filter(_under("commune", paths) | (own_village & _under("village", paths)))


# --- output --------------------------------------------------------------------------------------


class EthnicityOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class HealthOut(serializers.Serializer):
    expected_on = serializers.DateField(allow_null=True)
    place = serializers.CharField(
        help_text=doc("facility, home hoặc rỗng.", "facility, home or ''.")
    )
    facility = serializers.CharField()
    mode = serializers.CharField(
        help_text=doc("normal, caesarean hoặc rỗng.", "normal, caesarean.")
    )
    babies = serializers.IntegerField(allow_null=True)
    days_at_facility = serializers.IntegerField(allow_null=True)


class VisitOut(serializers.Serializer):
    visited_on = serializers.DateField()
    facility = serializers.CharField()


class ChildOut(serializers.Serializer):
    sex = serializers.CharField(help_text=doc("F: nữ, M: nam.", "F: female, M: male."))
    born_on = serializers.DateField()


def _visible(serializer: serializers.Serializer, case: Pregnancy) -> Visible:
    seen: Visible = serializer.context["visible"](case)
    return seen


class CaseOut(serializers.Serializer):
    """A case (one pregnancy with its mother), as the caller may see it."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    commune = serializers.IntegerField(source="commune_id")
    commune_name = serializers.CharField(source="commune.full_name")
    village = serializers.IntegerField(source="village_id")
    village_name = serializers.CharField(source="village.full_name")
    mother = serializers.IntegerField(source="mother_id")
    full_name = serializers.CharField(source="mother.full_name")
    birth_year = serializers.IntegerField(source="mother.birth_year")
    ethnicity = serializers.SerializerMethodField()
    delivered_on = serializers.DateField(allow_null=True)
    has_carer = serializers.BooleanField()
    carer_name = serializers.CharField()
    health = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(EthnicityOut(allow_null=True))
    def get_ethnicity(self, case: Pregnancy) -> Any:
        if not _visible(self, case).identity:
            return None
        group = case.mother.ethnic_group
        return {"code": group.code, "name": group.name}

    @extend_schema_field(
        HealthOut(
            allow_null=True,
            help_text=doc(
                "Chỉ cho người có quyền mothers.health; null với người khác.",
                "Only for holders of mothers.health; null for others.",
            ),
        )
    )
    def get_health(self, case: Pregnancy) -> Any:
        if not _visible(self, case).health:
            return None
        return {
            "expected_on": case.expected_on,
            "place": case.place or "",
            "facility": case.facility or "",
            "mode": case.mode or "",
            "babies": case.babies,
            "days_at_facility": case.days_at_facility,
        }


class CaseDetailOut(CaseOut):
    id_number_masked = serializers.SerializerMethodField(
        help_text=doc(
            "Số định danh, chỉ hiện 4 số cuối.", "The ID number, all but its last 4 digits hidden."
        )
    )
    phone = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()
    status_reason = serializers.CharField()
    consent_in_force = serializers.SerializerMethodField()
    visits = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_id_number_masked(self, case: Pregnancy) -> str | None:
        if not _visible(self, case).identity:
            return None
        return id_masked(case.mother.id_number or "")

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, case: Pregnancy) -> str | None:
        return case.mother.phone if _visible(self, case).identity else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_household(self, case: Pregnancy) -> str | None:
        return case.mother.household if _visible(self, case).identity else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_consent_in_force(self, case: Pregnancy) -> bool:
        return consent_in_force(case.mother)

    @extend_schema_field(VisitOut(many=True, allow_null=True))
    def get_visits(self, case: Pregnancy) -> Any:
        if not _visible(self, case).health:
            return None
        return [
            {"visited_on": v.visited_on, "facility": v.facility or ""}
            for v in case.antenatal_visits.all()
        ]

    @extend_schema_field(ChildOut(many=True, allow_null=True))
    def get_children(self, case: Pregnancy) -> Any:
        if not _visible(self, case).identity:
            return None
        return [{"sex": c.sex, "born_on": c.born_on} for c in case.children.all()]


# --- input ---------------------------------------------------------------------------------------


class VisitIn(serializers.Serializer):
    visited_on = serializers.DateField(allow_null=True)
    facility = serializers.CharField(max_length=200, allow_blank=True, default="")


class ChildIn(serializers.Serializer):
    sex = serializers.CharField(max_length=1, help_text=doc("F hoặc M.", "F or M."))
    born_on = serializers.DateField(allow_null=True, default=None)


def _text(length: int, help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        max_length=length, allow_blank=True, default="", help_text=help_text
    )


def _number() -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, default=None)


def _date() -> serializers.DateField:
    return serializers.DateField(allow_null=True, default=None)


class CaseIn(serializers.Serializer):
    """A proposal, as on the phone form; the registry's service checks it (its problems are
    keyed by these names; the items of ``visits`` and ``children`` are numbered from 1)."""

    commune = serializers.IntegerField(help_text=doc("Xã.", "The commune's id."))
    village = serializers.IntegerField(
        help_text=doc(
            "Thôn của xã vào ngày sinh (hoặc ngày dự sinh).",
            "A village of the commune on the delivery's (or expected) date.",
        )
    )
    full_name = _text(120)
    birth_year = _number()
    birth_date = _date()
    ethnic_code = _text(
        10, doc("Mã dân tộc (54 dân tộc, QĐ 121-TCTK).", "Ethnic group code (QĐ 121-TCTK).")
    )
    id_number = _text(30, doc("12 số (CCCD) hoặc 9 số (CMND).", "12 digits, or 9 (old card)."))
    phone = _text(20)
    household = _text(10, doc("poor, near_poor, other hoặc rỗng.", "poor, near_poor, other."))
    expected_on = _date()
    delivered_on = _date()
    place = _text(20, doc("facility hoặc home.", "facility or home."))
    facility = _text(200)
    mode = _text(20, doc("normal hoặc caesarean.", "normal or caesarean."))
    babies = _number()
    days_at_facility = _number()
    has_carer = serializers.BooleanField(default=False)
    carer_name = _text(120)
    visits = VisitIn(many=True, default=list)
    children = ChildIn(many=True, default=list)


def _commune_of_body(request: Request) -> OrgUnit:
    """The commune named by the body, or a 404 (an outsider learns nothing from the answer)."""
    data: Any = request.data
    raw = data.get("commune") if isinstance(data, dict) else None
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not _is_id(str(raw)):
        raise BadRequest("commune", _("Give the commune's id."), "required")
    commune = OrgUnit.objects.filter(pk=int(raw), level=OrgUnit.Level.COMMUNE).first()
    if commune is None:
        raise audit.NotVisible(_("Administrative unit not found."))
    return commune


def _villages_for(user: User, commune: OrgUnit) -> list[OrgUnit]:
    """The villages of the commune (on its last day, or today) where the user proposes: what the
    proposal page offers (views_registry)."""
    day = timezone.localdate()
    if commune.valid_to is not None and commune.valid_to < day:
        day = commune.valid_to
    return [
        village
        for village in villages_on(commune=commune, on=day)
        if can(user, MOTHERS_PROPOSE, area_of(commune, village))
    ]


def _require_proposer(user: User, commune: OrgUnit) -> None:
    """As the proposal page: 404 for those who may not see the commune's cases, 403 for its
    readers who do not propose."""
    if _villages_for(user, commune):
        return
    try:
        case_scope(user, commune)
    except Http404:
        raise audit.NotVisible(_("Administrative unit not found.")) from None
    raise PermissionDenied(_("You may not propose mothers in %(unit)s.") % {"unit": commune})


def _case_input(commune: OrgUnit, data: dict[str, Any]) -> CaseInput:
    village = OrgUnit.objects.filter(pk=data["village"], level=OrgUnit.Level.VILLAGE).first()
    if village is None:
        raise Invalid([Problem("village", _("Choose the mother's village."), "invalid_choice")])
    return CaseInput(
        commune=commune,
        village=village,
        full_name=data["full_name"],
        birth_year=data["birth_year"],
        birth_date=data["birth_date"],
        ethnic_code=data["ethnic_code"],
        id_number=data["id_number"],
        phone=data["phone"],
        household=data["household"],
        expected_on=data["expected_on"],
        delivered_on=data["delivered_on"],
        place=data["place"],
        facility=data["facility"],
        mode=data["mode"],
        babies=data["babies"],
        days_at_facility=data["days_at_facility"],
        has_carer=data["has_carer"],
        carer_name=data["carer_name"],
        visits=[
            VisitInput(visited_on=v["visited_on"], facility=v["facility"]) for v in data["visits"]
        ],
        children=[ChildInput(sex=c["sex"], born_on=c["born_on"]) for c in data["children"]],
    )


# --- cases ---------------------------------------------------------------------------------------


class _Seen:
    """What the user may see of each case, computed once per area (rights are in memory)."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._by_area: dict[int, Visible] = {}

    def __call__(self, case: Pregnancy) -> Visible:
        area = area_of(case.commune, case.village)
        if area.pk not in self._by_area:
            self._by_area[area.pk] = fields_visible(self.user, area)
        return self._by_area[area.pk]


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


# --- payments ------------------------------------------------------------------------------------


class PaymentOut(serializers.Serializer):
    id = serializers.IntegerField()
    paid_on = serializers.DateField()
    amount = serializers.IntegerField(
        help_text=doc("Đồng; âm khi là bút toán đảo.", "Whole đồng; negative for a reversal.")
    )
    receipt = serializers.CharField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    entry = serializers.IntegerField(source="entry_id")
    amount_due = serializers.IntegerField(source="entry.amount_due")
    payment_list = serializers.IntegerField(source="entry.payment_list_id")
    payment_list_title = serializers.CharField(source="entry.payment_list.title")
    year = serializers.IntegerField(source="entry.payment_list.year")
    commune = serializers.IntegerField(source="entry.payment_list.commune_id")
    commune_name = serializers.CharField(source="entry.payment_list.commune.full_name")
    case = serializers.IntegerField(source="entry.pregnancy_id")
    full_name = serializers.CharField(source="entry.pregnancy.mother.full_name")
    birth_year = serializers.IntegerField(source="entry.pregnancy.mother.birth_year")
    village_name = serializers.CharField(source="entry.pregnancy.village.full_name")
    created_at = serializers.DateTimeField()


def payments_visible_to(user: User) -> QuerySet[Payment]:
    """Payments of the communes whose payment lists the user reads (``READERS``, held in the
    commune or above: the pages' ``payments_readable``)."""
    found = Payment.objects.all()
    if user.is_authenticated and user.is_active and user.is_superuser:
        return found
    paths = sorted({p for code in READERS for p in held_paths(user, code)})
    if not paths:
        return found.none()
    return found.filter(_under("entry__payment_list__commune", paths))


class PaymentListApi(ApiList):
    serializer_class = PaymentOut
    updated_field = "created_at"  # payments are final: recorded once, never changed

    @extend_schema(
        tags=[TAG],
        summary="Các khoản chi trả · Payments",
        description=doc(
            "Các khoản đã chi (và bút toán đảo) của các xã mà người gọi được đọc danh sách chi"
            " trả (kế toán, chủ tịch, cán bộ đọc sổ): tên, năm sinh, thôn, số tiền; không có"
            " dân tộc hay trường sức khoẻ.",
            "The payments (and reversals) of the communes whose payment lists the caller reads"
            " (the accountant, the leader, the registry's readers): name, year of birth,"
            " village, amounts; never ethnicity nor a health field.",
        ),
        parameters=[
            UPDATED_SINCE,
            OpenApiParameter(
                "org_unit", int, description=doc("Xã hoặc cấp trên (id).", "A unit id.")
            ),
            OpenApiParameter("year", int, description=doc("Năm của danh sách.", "List year.")),
            OpenApiParameter(
                "payment_list", int, description=doc("Danh sách chi trả.", "Payment list id.")
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, user: Any) -> QuerySet[Payment]:
        found = payments_visible_to(user).select_related(
            "entry__payment_list__commune", "entry__pregnancy__mother", "entry__pregnancy__village"
        )
        unit_id = query_int(self.request, "org_unit")
        if unit_id is not None:
            unit = OrgUnit.objects.filter(pk=unit_id).first()
            if unit is None:
                return found.none()
            found = found.filter(entry__payment_list__commune__path__startswith=unit.path)
        year = query_int(self.request, "year", low=2000, high=2100)
        if year is not None:
            found = found.filter(entry__payment_list__year=year)
        list_id = query_int(self.request, "payment_list")
        if list_id is not None:
            found = found.filter(entry__payment_list_id=list_id)
        return found


# --- counts --------------------------------------------------------------------------------------


class CellOut(serializers.Serializer):
    value = serializers.IntegerField(
        allow_null=True,
        help_text=doc("null khi bị ẩn.", "null when hidden."),
    )
    text = serializers.CharField(help_text=doc("“<5”, “×” hoặc số.", "“<5”, “×” or the figure."))
    hidden = serializers.BooleanField()


class CountsRowOut(serializers.Serializer):
    unit = serializers.IntegerField(allow_null=True, help_text=doc("null: tổng.", "null: total."))
    unit_name = serializers.CharField()
    exact = serializers.BooleanField()
    proposed = CellOut()
    approved = CellOut()
    paid = CellOut()
    amount = CellOut()


class CountsOut(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    year = serializers.IntegerField()
    by_village = serializers.BooleanField()
    legend = serializers.CharField()
    rows = CountsRowOut(many=True)
    total = CountsRowOut(allow_null=True)


def _row(row: CountsRow) -> dict[str, Any]:
    cells = {
        name: {
            "value": None if cell.hidden else cell.value,
            "text": cell.text,
            "hidden": cell.hidden,
        }
        for name, cell in row.cells.items()
    }
    return {
        "unit": row.unit.pk if row.unit else None,
        "unit_name": row.unit.full_name if row.unit else _("Total"),
        "exact": row.exact,
        **cells,
    }


def _counts_unit(user: User, unit_id: int | None) -> OrgUnit:
    """As the counts page: a unit the user reads (plans or reviews), else 404; without
    ``org_unit``, the highest unit where the user holds either right."""
    if unit_id is None:
        held = sorted(
            (
                m.org_unit
                for m in active_memberships(user)
                if PLANS_VIEW in m.role.permissions or REPORTS_REVIEW in m.role.permissions
            ),
            key=lambda unit: (len(unit.path), unit.pk),
        )
        if not held:
            raise BadRequest("org_unit", _("Give the unit's id."), "required")
        return held[0]
    unit = org_units_visible_to(user).filter(pk=unit_id).first()
    if unit is None:
        unit = org_units_visible_to(user, REPORTS_REVIEW).filter(pk=unit_id).first()
    if unit is None:
        raise audit.NotVisible(_("Administrative unit not found."))
    if not (can(user, REPORTS_REVIEW, unit) or can(user, PLANS_VIEW, unit)):
        raise PermissionDenied(_("You may not read these counts."))
    return unit


class CountsApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Số liệu bà mẹ · Counts",
        description=doc(
            "Số bà mẹ được đề nghị, được duyệt, được chi trả và số tiền, theo xã (theo thôn với"
            " một xã), cho các hồ sơ của năm. Với người không đọc được sổ của xã: số từ 1 đến 4"
            " hiện “<5”, các ô có thể suy ra chúng hiện “×” (value null). Không có tên.",
            "Mothers proposed, approved, paid and the amount paid, per commune (per village for"
            " a commune), for the year's cases. For readers who may not read the commune's"
            " registry: counts 1–4 show “<5”, cells that would give them away “×” (value null)."
            " No names.",
        ),
        parameters=[
            OpenApiParameter(
                "org_unit",
                int,
                description=doc(
                    "Đơn vị (mặc định: đơn vị cao nhất của người gọi).",
                    "The unit (default: the caller's highest unit).",
                ),
            ),
            OpenApiParameter(
                "year", int, description=doc("Năm (mặc định: năm nay).", "Year (default: this).")
            ),
        ],
        responses=CountsOut,
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        unit = _counts_unit(user, query_int(request, "org_unit"))
        year = query_int(request, "year", low=2000, high=2100) or timezone.localdate().year
        table = mothers_counts(user, unit, year)
        answer = {
            "unit": unit.pk,
            "unit_name": unit.full_name,
            "year": year,
            "by_village": table.by_village,
            "legend": counts_legend(),
            "rows": [_row(row) for row in table.rows],
            "total": _row(table.total) if table.total else None,
        }
        return Response(CountsOut(answer).data)


urlpatterns = [
    path("mothers/cases/", CaseListApi.as_view(), name="mothers_case_list"),
    path("mothers/cases/<int:pk>/", CaseDetailApi.as_view(), name="mothers_case_detail"),
    path("mothers/payments/", PaymentListApi.as_view(), name="mothers_payment_list"),
    path("mothers/counts/", CountsApi.as_view(), name="mothers_counts"),
]


def _is_id(text: str) -> bool:
    """An id: ASCII digits ("²" is a digit to Python, not to int()), within a bigint."""
    return text.isascii() and text.isdigit() and len(text) <= 18
