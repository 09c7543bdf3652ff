"""The money (issue 14) over the API: allocations received with what is left of them, vouchers
and their reversals, payment requests (proposed, refused, paid by a voucher), and the
disbursement roll-up of a unit.

Reading needs ``finance.view`` on the budget holder (``selectors_budget.holder_get``: 404
otherwise); lists are filtered through ``org_units_visible_to(actor, "finance.view")``. Writing
goes through the services the pages call (``voucher_record``, also to pay a payment request,
``voucher_reverse``, ``request_propose``, ``request_refuse``), which check ``finance.edit`` /
``finance.propose``. No request is "approved": the accountant pays it or refuses it.

Payees are often persons, and receipts carry their names and signatures: they are shown as the
pages decide (``views_spending.may_see_payees``: the commune's money roles and readers of
persons' names); the reviewers above and the Fatherland Front read the figures only (``payee``
and ``receipt`` are null). Each read of payees is written to the audit trail.
"""

from __future__ import annotations

from django.urls import path

from duan8.api.endpoints.finance.allocations import AllocationListApi
from duan8.api.endpoints.finance.disbursement import DisbursementApi
from duan8.api.endpoints.finance.norms import NormDetailApi, NormListApi, NormNewPeriodApi
from duan8.api.endpoints.finance.payment_requests import (
    PaymentRequestDetailApi,
    PaymentRequestListApi,
    PaymentRequestPayApi,
    PaymentRequestRefuseApi,
)
from duan8.api.endpoints.finance.planning import (
    EstimateApproveApi,
    EstimateDetailApi,
    EstimateLineAddApi,
    EstimateLineRemoveApi,
)
from duan8.api.endpoints.finance.settlements import (
    SettlementApproveApi,
    SettlementDetailApi,
    SettlementDraftApi,
)
from duan8.api.endpoints.finance.vouchers import VoucherDetailApi, VoucherListApi, VoucherReverseApi

urlpatterns = [
    path("finance/allocations/", AllocationListApi.as_view(), name="finance_allocation_list"),
    path("finance/vouchers/", VoucherListApi.as_view(), name="finance_voucher_list"),
    path("finance/vouchers/<int:pk>/", VoucherDetailApi.as_view(), name="finance_voucher_detail"),
    path(
        "finance/vouchers/<int:pk>/reverse/",
        VoucherReverseApi.as_view(),
        name="finance_voucher_reverse",
    ),
    path(
        "finance/payment-requests/",
        PaymentRequestListApi.as_view(),
        name="finance_payment_request_list",
    ),
    path(
        "finance/payment-requests/<int:pk>/",
        PaymentRequestDetailApi.as_view(),
        name="finance_payment_request_detail",
    ),
    path(
        "finance/payment-requests/<int:pk>/refuse/",
        PaymentRequestRefuseApi.as_view(),
        name="finance_payment_request_refuse",
    ),
    path(
        "finance/payment-requests/<int:pk>/pay/",
        PaymentRequestPayApi.as_view(),
        name="finance_payment_request_pay",
    ),
    path("finance/disbursement/<int:pk>/", DisbursementApi.as_view(), name="finance_disbursement"),
    path(
        "finance/estimates/<int:pk>/", EstimateDetailApi.as_view(), name="finance_estimate_detail"
    ),
    path(
        "finance/estimates/<int:pk>/lines/",
        EstimateLineAddApi.as_view(),
        name="finance_estimate_line_add",
    ),
    path(
        "finance/estimate-lines/<int:pk>/",
        EstimateLineRemoveApi.as_view(),
        name="finance_estimate_line_remove",
    ),
    path(
        "finance/estimates/<int:pk>/approve/",
        EstimateApproveApi.as_view(),
        name="finance_estimate_approve",
    ),
    path("finance/norms/", NormListApi.as_view(), name="finance_norm_list"),
    path("finance/norms/<int:pk>/", NormDetailApi.as_view(), name="finance_norm_detail"),
    path(
        "finance/norms/<int:pk>/new-period/",
        NormNewPeriodApi.as_view(),
        name="finance_norm_new_period",
    ),
    path(
        "finance/settlements/<int:pk>/<int:year>/",
        SettlementDetailApi.as_view(),
        name="finance_settlement_detail",
    ),
    path(
        "finance/settlements/<int:pk>/<int:year>/draft/",
        SettlementDraftApi.as_view(),
        name="finance_settlement_draft",
    ),
    path(
        "finance/settlements/<int:pk>/<int:year>/approve/",
        SettlementApproveApi.as_view(),
        name="finance_settlement_approve",
    ),
]
