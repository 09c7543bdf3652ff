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
  form), problems keyed by field; consent is asked at verification;
- the workflow (``workflow.py``): the mother's consent recorded or withdrawn, the case verified or
  rejected by the WU officer, approved by the chairman, through the pages' services and rights;
- payments: for the commune's payment readers (``selectors_payments.READERS``): names, village,
  amounts; never ethnicity nor a health field;
- payment lists (``payment_lists.py``): read by the same readers (a list's entries with names,
  audited), made by the accountant or the leader, approved by the leader, an entry paid and a
  payment reversed by the accountant, through the payment pages' services;
- counts: ``counts.mothers_counts``, small cells shown as "<5" outside the commune.
"""

from django.urls import path

from duan8.api.endpoints.mothers.cases import CaseDetailApi, CaseListApi
from duan8.api.endpoints.mothers.counts import CountsApi
from duan8.api.endpoints.mothers.payment_lists import (
    EntryPayApi,
    PaymentListApproveApi,
    PaymentListDetailApi,
    PaymentListsApi,
    PaymentReverseApi,
)
from duan8.api.endpoints.mothers.payments import PaymentListApi
from duan8.api.endpoints.mothers.workflow import (
    CaseApproveApi,
    CaseConsentApi,
    CaseRejectApi,
    CaseVerifyApi,
    ConsentWithdrawApi,
)

urlpatterns = [
    path("mothers/cases/", CaseListApi.as_view(), name="mothers_case_list"),
    path("mothers/cases/<int:pk>/", CaseDetailApi.as_view(), name="mothers_case_detail"),
    path("mothers/cases/<int:pk>/consent/", CaseConsentApi.as_view(), name="mothers_case_consent"),
    path("mothers/cases/<int:pk>/verify/", CaseVerifyApi.as_view(), name="mothers_case_verify"),
    path("mothers/cases/<int:pk>/reject/", CaseRejectApi.as_view(), name="mothers_case_reject"),
    path("mothers/cases/<int:pk>/approve/", CaseApproveApi.as_view(), name="mothers_case_approve"),
    path(
        "mothers/consents/<int:pk>/withdraw/",
        ConsentWithdrawApi.as_view(),
        name="mothers_consent_withdraw",
    ),
    path("mothers/payments/", PaymentListApi.as_view(), name="mothers_payment_list"),
    path("mothers/counts/", CountsApi.as_view(), name="mothers_counts"),
    path("mothers/payment-lists/", PaymentListsApi.as_view(), name="mothers_payment_lists"),
    path(
        "mothers/payment-lists/<int:pk>/",
        PaymentListDetailApi.as_view(),
        name="mothers_payment_list_detail",
    ),
    path(
        "mothers/payment-lists/<int:pk>/approve/",
        PaymentListApproveApi.as_view(),
        name="mothers_payment_list_approve",
    ),
    path(
        "mothers/payment-lists/<int:pk>/entries/<int:entry_pk>/pay/",
        EntryPayApi.as_view(),
        name="mothers_payment_entry_pay",
    ),
    path(
        "mothers/payments/<int:pk>/reverse/",
        PaymentReverseApi.as_view(),
        name="mothers_payment_reverse",
    ),
]
