"""Payment requests: the WU officer proposes, the accountant pays (a voucher) or refuses with a
reason; versions checked; who may do what."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duan8.core.concurrency import EditConflict
from duan8.finance.models import PaymentRequest, Source, Voucher
from duan8.finance.services.requests import RequestInput, request_propose, request_refuse
from duan8.finance.services.vouchers import voucher_record
from duan8.finance.tests.spending_fixtures import (  # noqa: F401 (fixture)
    SpendingWorld,
    spending_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _input(spending: SpendingWorld, **changes: object) -> RequestInput:
    values: dict[str, object] = {
        "holder": spending.commune,
        "plan": spending.plan,
        "activity": spending.activity,
        "payee": "Đinh Thị Hoa",
        "content": "Nước uống hội nghị truyền thông",
        "amount": Decimal(500_000),
        "source": Source.CENTRAL,
    }
    values.update(changes)
    return RequestInput(**values)  # type: ignore[arg-type]


def test_the_officer_proposes_and_the_accountant_pays(spending: SpendingWorld) -> None:
    request = request_propose(actor=spending.officer, data=_input(spending))

    voucher = voucher_record(
        actor=spending.accountant,
        data=spending.voucher(
            amount=request.amount, request=request, request_version=request.version
        ),
    )

    request.refresh_from_db()
    assert request.status == PaymentRequest.Status.PAID
    assert voucher.request == request
    with pytest.raises(ValidationError, match="cannot be paid"):
        voucher_record(
            actor=spending.accountant,
            data=spending.voucher(number="02", request=request, request_version=request.version),
        )


def test_the_accountant_refuses_with_a_reason(spending: SpendingWorld) -> None:
    request = request_propose(actor=spending.officer, data=_input(spending))

    with pytest.raises(ValidationError, match="Say why"):
        request_refuse(actor=spending.accountant, request=request, reason="", expected_version=1)
    request_refuse(
        actor=spending.accountant, request=request, reason="Thiếu hóa đơn", expected_version=1
    )

    request.refresh_from_db()
    assert request.status == PaymentRequest.Status.REFUSED
    assert request.status_reason == "Thiếu hóa đơn"
    assert not Voucher.objects.exists()


def test_a_stale_version_is_refused(spending: SpendingWorld) -> None:
    request = request_propose(actor=spending.officer, data=_input(spending))
    stale = PaymentRequest.objects.get(pk=request.pk)
    request_refuse(actor=spending.accountant, request=request, reason="x", expected_version=1)
    stale.status = PaymentRequest.Status.PROPOSED

    with pytest.raises(EditConflict):
        request_refuse(actor=spending.accountant, request=stale, reason="y", expected_version=1)


def test_bad_requests_are_refused_by_field(spending: SpendingWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        request_propose(
            actor=spending.officer, data=_input(spending, amount="12,5", payee="", source="x")
        )

    assert set(refused.value.message_dict) == {"amount", "payee", "source"}
    assert not PaymentRequest.objects.exists()


def test_must_not_do_who_may_propose_and_refuse(spending: SpendingWorld) -> None:
    for actor in [spending.accountant, spending.leader, spending.province_reviewer]:
        with pytest.raises(PermissionDenied):
            request_propose(actor=actor, data=_input(spending))
    request = request_propose(actor=spending.officer, data=_input(spending))
    for actor in [spending.officer, spending.other_accountant, spending.province_reviewer]:
        with pytest.raises(PermissionDenied):
            request_refuse(actor=actor, request=request, reason="x", expected_version=1)
