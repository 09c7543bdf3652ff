"""The payment lists over the API, as the payment pages allow them (``mothers/views_payments``):
the lists of the communes whose lists the caller reads (``selectors_payments.READERS``: the
accountant, the commune leader, the registry's readers), a list with its entries (name, year of
birth, village, amounts: never ethnicity nor a health field; each read audited as
``mothers.payments.viewed``), making a list of the approved cases (the accountant or the
leader), approving it (the leader), recording a payment of an entry and reversing one (the
accountant), each through the pages' service.

Access before the body: who may not read the commune's lists gets 404, a reader without the
right 403; only then is the body read. The services check the rest, problems keyed by field."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_APPROVE, MOTHERS_PAY
from duan8.api.base import ApiList, ApiView, query_int
from duan8.api.endpoints.mothers.shared import TAG, _under
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core import audit
from duan8.mothers.models import Payment, PaymentList, PaymentListEntry
from duan8.mothers.selectors_payments import (
    MONEY,
    READERS,
    ZERO,
    payment_commune_get,
    payment_entry_get,
    payment_get,
    payment_list_get,
    payment_list_table,
)
from duan8.mothers.services.payments import (
    paid_net,
    payment_list_approve,
    payment_list_create,
    payment_record,
    payment_reverse,
)
from duan8.orgunits.access import can, held_paths, require_permission

VIEWED = "mothers.payments.viewed"  # as the payments list (payments.py)


class PaymentListOut(serializers.Serializer):
    id = serializers.IntegerField()
    commune = serializers.IntegerField(source="commune_id")
    commune_name = serializers.CharField(source="commune.full_name")
    year = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    approved_at = serializers.DateTimeField(allow_null=True)
    entry_count = serializers.IntegerField()
    due_total = serializers.IntegerField()
    paid_total = serializers.IntegerField(
        help_text=doc("Đã chi, trừ bút toán đảo.", "Paid, net of reversals.")
    )
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class EntryPaymentOut(serializers.Serializer):
    id = serializers.IntegerField()
    paid_on = serializers.DateField()
    amount = serializers.IntegerField()
    receipt = serializers.CharField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)


class EntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    case = serializers.IntegerField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField()
    village_name = serializers.CharField()
    case_status = serializers.CharField()
    amounts = serializers.ListField(child=serializers.IntegerField())
    due = serializers.IntegerField()
    paid = serializers.IntegerField()
    remaining = serializers.IntegerField()
    payments = EntryPaymentOut(many=True)


class ColumnOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PaymentListDetailOut(PaymentListOut):
    columns = ColumnOut(many=True)
    entries = EntryOut(many=True)


class PaymentListIn(serializers.Serializer):
    """As on the page that makes a list; the service checks it (problems keyed by these names)."""

    commune = serializers.IntegerField(help_text=doc("Xã (id).", "The commune (id)."))
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=255, allow_blank=True, default="")
    number = serializers.CharField(max_length=40, allow_blank=True, default="")


class ListVersionIn(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        help_text=doc(
            "Phiên bản danh sách đã đọc (hoặc gửi If-Match).",
            "The list's version read (or send If-Match).",
        ),
    )


class EntryPayIn(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = serializers.IntegerField(help_text=doc("Đồng.", "Whole đồng."))
    receipt = serializers.CharField(max_length=60, allow_blank=True, default="")


class ReverseIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


def _totals(found: QuerySet[PaymentList]) -> QuerySet[PaymentList]:
    """Entries, due and paid (net) per list, in the same query (as ``payment_lists_of``)."""
    due = (
        PaymentListEntry.objects.filter(payment_list=OuterRef("pk"))
        .values("payment_list")
        .annotate(total=Sum("amount_due"))
        .values("total")
    )
    paid = (
        Payment.objects.filter(entry__payment_list=OuterRef("pk"))
        .values("entry__payment_list")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return found.select_related("commune").annotate(
        entry_count=Count("entries"),
        due_total=Coalesce(Subquery(due, output_field=MONEY), Value(ZERO), output_field=MONEY),
        paid_total=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY),
    )


def lists_visible_to(user: User) -> QuerySet[PaymentList]:
    found = PaymentList.objects.all()
    if user.is_authenticated and user.is_active and user.is_superuser:
        return found
    paths = sorted({p for code in READERS for p in held_paths(user, code)})
    if not paths:
        return found.none()
    return found.filter(_under("commune", paths))


def _detail(user: User, payment_list: PaymentList, status: int = 200) -> Response:
    """The list with its rows (the page's table); the names read are audited."""
    found = _totals(PaymentList.objects.filter(pk=payment_list.pk)).get()
    table = payment_list_table(found)
    entries = [
        {
            "id": row.entry.pk,
            "number": row.number,
            "case": row.entry.pregnancy_id,
            "full_name": row.name,
            "birth_year": row.birth_year,
            "village_name": row.village,
            "case_status": row.status,
            "amounts": row.amounts,
            "due": row.due,
            "paid": row.paid,
            "remaining": row.remaining,
            "payments": row.payments,
        }
        for row in table.rows
    ]
    if entries:
        audit.record(
            actor=user,
            action=VIEWED,
            target=found,
            org_unit=found.commune,
            after={"count": len(entries), "payment_list": found.pk, "via": "api"},
        )
    data = PaymentListOut(found).data
    data["columns"] = ColumnOut(table.columns, many=True).data
    data["entries"] = EntryOut(entries, many=True).data
    return with_etag(Response(data, status=status), found.version)


class PaymentListsApi(ApiList):
    serializer_class = PaymentListOut

    @extend_schema(
        tags=[TAG],
        summary="Danh sách chi trả · Payment lists",
        description=doc(
            "Các danh sách chi trả của các xã mà người gọi được đọc (kế toán, chủ tịch, cán bộ"
            " đọc sổ): số mục, tổng phải chi, đã chi; không có tên.",
            "The payment lists of the communes whose lists the caller reads (the accountant,"
            " the leader, the registry's readers): entries, due and paid totals; no name.",
        ),
        parameters=[
            UPDATED_SINCE,
            OpenApiParameter("commune", int, description=doc("Xã (id).", "Commune id.")),
            OpenApiParameter("year", int, description=doc("Năm.", "Year.")),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, user: Any) -> QuerySet[PaymentList]:
        found = _totals(lists_visible_to(user))
        commune = query_int(self.request, "commune")
        if commune is not None:
            found = found.filter(commune_id=commune)
        year = query_int(self.request, "year", low=2000, high=2100)
        if year is not None:
            found = found.filter(year=year)
        return found

    @extend_schema(
        tags=[TAG],
        summary="Lập danh sách chi trả · Make a payment list",
        description=doc(
            "Kế toán (mothers.pay) hoặc chủ tịch xã (mothers.approve) lập danh sách nháp gồm các"
            " hồ sơ đã phê duyệt của năm chưa có trong danh sách nào, qua cùng dịch vụ như trang"
            " web; không còn hồ sơ nào: 400.",
            "The accountant (mothers.pay) or the commune leader (mothers.approve) makes a draft"
            " list of the year's approved cases not yet on a list, through the page's service;"
            " none left: 400.",
        ),
        request=PaymentListIn,
        responses={201: PaymentListDetailOut},
    )
    @idempotent
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = actor(request)
        raw = request.data.get("commune") if hasattr(request.data, "get") else None
        try:
            commune_id = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            commune_id = None
        if commune_id is None:
            raise BadRequest("commune", _("Give the commune (id)."), "required")
        # access first: 404 outside the commune's readers, 403 for a reader who may not make one
        commune = payment_commune_get(actor=user, commune_id=commune_id)
        if not can(user, MOTHERS_APPROVE, commune):
            require_permission(user, MOTHERS_PAY, commune)
        given = PaymentListIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        made = payment_list_create(
            actor=user,
            commune=commune,
            year=data["year"],
            title=data["title"],
            number=data["number"],
        )
        return _detail(user, made, status=201)


class PaymentListDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một danh sách chi trả · A payment list",
        description=doc(
            "Danh sách với các mục như trang của nó: họ tên, năm sinh, thôn, số tiền theo khoản,"
            " phải chi, đã chi, còn lại, các lần chi; không có dân tộc hay trường sức khoẻ. Mỗi"
            " lần đọc được ghi nhật ký (mothers.payments.viewed).",
            "The list with its entries as its page shows them: name, year of birth, village,"
            " amounts per item, due, paid, remaining, the payments; never ethnicity nor a health"
            " field. Each read is audited (mothers.payments.viewed).",
        ),
        responses={200: PaymentListDetailOut},
    )
    def get(self, request: Request, pk: int) -> Response:
        user = actor(request)
        return _detail(user, payment_list_get(actor=user, list_id=pk))


class PaymentListApproveApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Phê duyệt danh sách chi trả · Approve a payment list",
        description=doc(
            "Chủ tịch UBND xã (mothers.approve) phê duyệt danh sách nháp, qua cùng dịch vụ như"
            " trang web. Gửi phiên bản (If-Match hoặc “version”); phiên bản cũ: 409.",
            "The commune leader (mothers.approve) approves a draft list through the page's"
            " service. Send the list's version (If-Match or “version”); a stale one: 409.",
        ),
        request=ListVersionIn,
        responses={200: PaymentListDetailOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        payment_list = payment_list_get(actor=user, list_id=pk)
        require_permission(user, MOTHERS_APPROVE, payment_list.commune)
        version = expected_version(request)
        done = payment_list_approve(actor=user, payment_list=payment_list, expected_version=version)
        return _detail(user, done)


def _payment_answer(payment: Payment) -> Response:
    out = {
        "id": payment.pk,
        "entry": payment.entry_id,
        "paid_on": payment.paid_on,
        "amount": payment.amount,
        "receipt": payment.receipt,
        "reverses": payment.reverses_id,
        "remaining": payment.entry.amount_due - paid_net(payment.entry),
    }
    return Response(PaymentRecordedOut(out).data, status=201)


class PaymentRecordedOut(serializers.Serializer):
    id = serializers.IntegerField()
    entry = serializers.IntegerField()
    paid_on = serializers.DateField()
    amount = serializers.IntegerField(
        help_text=doc("Đồng; âm khi là bút toán đảo.", "Whole đồng; negative for a reversal.")
    )
    receipt = serializers.CharField()
    reverses = serializers.IntegerField(allow_null=True)
    remaining = serializers.IntegerField(
        help_text=doc("Còn phải chi cho bà mẹ.", "Still due to the mother.")
    )


class EntryPayApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Ghi một lần chi · Record a payment",
        description=doc(
            "Kế toán xã (mothers.pay) ghi một lần chi cho mục của danh sách đã phê duyệt, qua"
            " cùng dịch vụ như trang web (kèm chứng từ trong sổ kế toán của xã): không quá số"
            " còn phải chi; lỗi theo trường (paid_on, amount, receipt), không lưu gì.",
            "The commune accountant (mothers.pay) records a payment of an entry of an approved"
            " list through the page's service (with its voucher in the commune's accounts):"
            " never above what is still due; problems by field, nothing saved.",
        ),
        request=EntryPayIn,
        responses={201: PaymentRecordedOut},
    )
    @idempotent
    def post(self, request: Request, pk: int, entry_pk: int) -> Response:
        user = actor(request)
        entry = payment_entry_get(actor=user, entry_id=entry_pk)
        if entry.payment_list_id != pk:
            raise audit.NotVisible(_("Record not found."))
        require_permission(user, MOTHERS_PAY, entry.payment_list.commune)
        given = EntryPayIn(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        payment = payment_record(
            actor=user,
            entry=entry,
            paid_on=data["paid_on"],
            amount=data["amount"],
            receipt=data["receipt"],
        )
        return _payment_answer(payment)


class PaymentReverseApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Đảo một lần chi · Reverse a payment",
        description=doc(
            "Kế toán xã (mothers.pay) huỷ một lần chi bằng bút toán đảo (số âm, ngày hôm nay),"
            " nói lý do (reason), qua cùng dịch vụ như trang web; một lần chi chỉ đảo một lần.",
            "The commune accountant (mothers.pay) cancels a payment by a reversal (negative,"
            " dated today), saying why (reason), through the page's service; a payment is"
            " reversed once.",
        ),
        request=ReverseIn,
        responses={201: PaymentRecordedOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        payment = payment_get(actor=user, payment_id=pk)
        require_permission(user, MOTHERS_PAY, payment.entry.payment_list.commune)
        given = ReverseIn(data=request.data)
        given.is_valid(raise_exception=True)
        reversal = payment_reverse(
            actor=user, payment=payment, reason=given.validated_data["reason"]
        )
        return _payment_answer(reversal)
