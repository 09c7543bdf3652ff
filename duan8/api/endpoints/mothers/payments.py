"""The payments, for the commune's payment readers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.api.base import ApiList, query_int
from duan8.api.endpoints.mothers.shared import TAG, _under
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.who import actor
from duan8.core import audit
from duan8.mothers.models import Payment
from duan8.mothers.selectors_payments import READERS
from duan8.orgunits.access import held_paths
from duan8.orgunits.models import OrgUnit


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
        response = super().get(request, *args, **kwargs)
        rows = getattr(self, "rows", None) or []
        if rows:  # names of mothers with the money paid for their births: personal, audited
            communes = sorted({p.entry.payment_list.commune_id for p in rows})
            audit.record(
                actor=actor(request),
                action="mothers.payments.viewed",
                org_unit=rows[0].entry.payment_list.commune if len(communes) == 1 else None,
                after={"count": len(rows), "communes": communes, "via": "api"},
            )
        return response

    def paginate_queryset(self, queryset: Any) -> Any:
        self.rows = super().paginate_queryset(queryset)
        return self.rows

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
