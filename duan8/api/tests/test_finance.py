"""The money over the API (issue 16 on issue 14): allocations with what is left, vouchers and
their reversals, payment requests, the disbursement; payees only for the commune's money roles;
refusals with nothing saved; fixed queries per page; one voucher however many retries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.finance.models import Allocation, PaymentRequest, Source, Voucher
from duan8.finance.services.requests import RequestInput, request_propose
from duan8.finance.services.vouchers import voucher_record
from duan8.finance.spent import remaining
from duan8.finance.tests.budget_fixtures import allocate
from duan8.finance.tests.spending_fixtures import (  # noqa: F401 (fixture)
    PAID_ON,
    SpendingWorld,
    spending_fixture,
)

pytestmark = pytest.mark.django_db

ALLOCATIONS = reverse("api:finance_allocation_list")
VOUCHERS = reverse("api:finance_voucher_list")
REQUESTS = reverse("api:finance_payment_request_list")
PAYEE = "Hồ Văn Nhận"  # a person's name: figures-only readers must never read it


def _key(n: int = 1) -> dict[str, str]:
    return {"Idempotency-Key": f"k-finance-{n:08d}"}


def _body(spending: SpendingWorld, **changes) -> dict:
    data = {
        "holder": spending.commune.pk,
        "plan": spending.plan.pk,
        "activity": spending.activity.pk,
        "number": "01/2023",
        "paid_on": PAID_ON.isoformat(),
        "payee": PAYEE,
        "amount": 1_200_000,
        "content": "Chi hội nghị truyền thông thôn Nước Đang",
        "source": Source.CENTRAL,
    }
    data.update(changes)
    return data


def _voucher(spending: SpendingWorld, **changes) -> Voucher:
    return voucher_record(actor=spending.accountant, data=spending.voucher(payee=PAYEE, **changes))


def _request(spending: SpendingWorld) -> PaymentRequest:
    return request_propose(
        actor=spending.officer,
        data=RequestInput(
            holder=spending.commune,
            plan=spending.plan,
            activity=spending.activity,
            payee=PAYEE,
            content="Đề nghị thanh toán hội nghị truyền thông",
            amount=Decimal(800_000),
            source=Source.CENTRAL,
        ),
    )


# --- allocations ------------------------------------------------------------------------------


def test_allocations_carry_allocated_spent_and_left_as_the_vouchers_check_computes_them(
    api, spending
):
    _voucher(spending)
    client = api(spending.accountant)

    rows = client.get(ALLOCATIONS).json()["results"]

    assert len(rows) == 1
    left = remaining(holder=spending.commune, year=2023, source=Source.CENTRAL)
    assert rows[0]["balance"] == {"allocated": 10_000_000, "spent": 1_200_000, "left": int(left)}
    assert rows[0]["amount"] == 10_000_000 and rows[0]["element_code"] == "1719.GD1.DA8"
    assert client.get(ALLOCATIONS, {"year": 2022}).json()["results"] == []
    other = {"org_unit": spending.other_commune.pk}
    assert client.get(ALLOCATIONS, other).json()["results"] == []
    assert client.get(ALLOCATIONS, {"org_unit": spending.commune.pk}).json()["results"]


def test_a_reduction_subtracts_from_the_balance(api, spending):
    allocate(spending.commune, 3_000_000, kind=Allocation.Kind.REDUCTION)

    rows = api(spending.leader).get(ALLOCATIONS).json()["results"]

    assert {row["signed_amount"] for row in rows} == {10_000_000, -3_000_000}
    assert {row["balance"]["left"] for row in rows} == {7_000_000}


def test_a_bad_year_is_a_400_naming_the_parameter(api, spending):
    response = api(spending.accountant).get(ALLOCATIONS, {"year": "hai nghìn"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "year"


def test_the_list_pages_cost_a_fixed_number_of_queries(api, spending, django_assert_num_queries):
    client = api(spending.accountant)
    client.get(ALLOCATIONS)  # the token's first use is recorded once
    counts = []
    for extra in (1, 4):
        for n in range(extra):
            allocate(spending.commune, 1_000_000 + n, kind=Allocation.Kind.SUPPLEMENT)
            _voucher(spending, number=f"{len(counts)}-{n}", amount=Decimal(10_000))
            _request(spending)
        with CaptureQueriesContext(connection) as allocations:
            assert client.get(ALLOCATIONS).status_code == 200
        with CaptureQueriesContext(connection) as vouchers:
            assert len(client.get(VOUCHERS).json()["results"]) in (1, 5)
        with CaptureQueriesContext(connection) as requests:
            assert len(client.get(REQUESTS).json()["results"]) in (1, 5)
        counts.append((len(allocations), len(vouchers), len(requests)))

    assert counts[0] == counts[1], counts
    # the token, the memberships, the page (units as a subquery), the balances (2), the token's
    # use audited
    with django_assert_num_queries(6):
        client.get(ALLOCATIONS)
    # the token, the memberships, the page, the payees' read audited, the token's use audited
    with django_assert_num_queries(5):
        client.get(VOUCHERS)
    # as the vouchers, and the vouchers that paid the requests
    with django_assert_num_queries(6):
        client.get(REQUESTS)


# --- vouchers: reading ------------------------------------------------------------------------


def test_the_accountant_and_the_leader_read_payees_and_each_read_is_audited(api, spending):
    voucher = _voucher(spending)

    for reader in (spending.accountant, spending.leader, spending.officer):
        rows = api(reader).get(VOUCHERS).json()["results"]
        assert [row["payee"] for row in rows] == [PAYEE]
    detail = api(spending.accountant).get(reverse("api:finance_voucher_detail", args=[voucher.pk]))

    assert detail.json()["payee"] == PAYEE and detail.json()["amount"] == 1_200_000
    assert AuditEvent.objects.filter(action="activities.personal.viewed").count() == 4


@pytest.mark.parametrize("reader", ["district_reviewer", "fatherland_front", "province_reviewer"])
def test_must_not_see_reviewers_above_and_the_front_read_figures_without_payee_or_receipt(
    api, spending, request, reader
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from duan8.testing import SAMPLE_PDF

    upload = SimpleUploadedFile("bien-lai.pdf", SAMPLE_PDF, content_type="application/pdf")
    voucher = _voucher(spending, receipt=upload)
    payment_request = _request(spending)
    user = getattr(spending, reader, None) or request.getfixturevalue(reader)
    client = api(user)

    listed = client.get(VOUCHERS)
    detail = client.get(reverse("api:finance_voucher_detail", args=[voucher.pk]))
    requests_listed = client.get(REQUESTS)
    request_detail = client.get(
        reverse("api:finance_payment_request_detail", args=[payment_request.pk])
    )

    for response in (listed, detail, requests_listed, request_detail):
        assert response.status_code == 200
        assert PAYEE not in response.content.decode()
        assert "bien-lai" not in response.content.decode()
    row = listed.json()["results"][0]
    assert row["payee"] is None and row["receipt"] is None and row["amount"] == 1_200_000
    assert detail.json()["payee"] is None and detail.json()["receipt"] is None
    assert requests_listed.json()["results"][0]["payee"] is None
    assert request_detail.json()["payee"] is None
    assert not AuditEvent.objects.filter(action="activities.personal.viewed").exists()
    # the accountant gets the receipt's link (the page's, which checks the same rule)
    mine = api(spending.accountant).get(reverse("api:finance_voucher_detail", args=[voucher.pk]))
    assert mine.json()["receipt"].endswith(reverse("finance:voucher_receipt", args=[voucher.pk]))


def test_outsiders_see_no_voucher_request_allocation_or_disbursement(api, spending):
    voucher = _voucher(spending)
    payment_request = _request(spending)
    client = api(spending.other_accountant)

    assert client.get(VOUCHERS).json()["results"] == []
    assert client.get(ALLOCATIONS).json()["results"] == []
    assert client.get(REQUESTS).json()["results"] == []
    for url in (
        reverse("api:finance_voucher_detail", args=[voucher.pk]),
        reverse("api:finance_payment_request_detail", args=[payment_request.pk]),
        reverse("api:finance_disbursement", args=[spending.commune.pk]) + "?year=2023",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert PAYEE not in response.content.decode()


# --- vouchers: writing ------------------------------------------------------------------------


def test_the_accountant_records_a_voucher_and_a_retry_creates_no_second(api, spending):
    client = api(spending.accountant)

    first = client.post(VOUCHERS, _body(spending), format="json", headers=_key())
    retries = [
        client.post(VOUCHERS, _body(spending), format="json", headers=_key()) for _ in range(10)
    ]

    assert first.status_code == 201, first.content
    assert first.json()["payee"] == PAYEE and first.json()["number"] == "01/2023"
    assert first["Location"].endswith(
        reverse("api:finance_voucher_detail", args=[first.json()["id"]])
    )
    assert {r.status_code for r in retries} == {201}
    assert all(r["Idempotent-Replayed"] == "true" for r in retries)
    assert Voucher.objects.count() == 1
    assert AuditEvent.objects.filter(action="finance.voucher.recorded").count() == 1


def test_overspending_is_refused_on_the_amount_and_nothing_is_saved(api, spending):
    client = api(spending.accountant, language="en")

    response = client.post(
        VOUCHERS, _body(spending, amount=20_000_000), format="json", headers=_key()
    )

    assert response.status_code == 400
    problems = response.json()["errors"]
    assert [(p["field"], p["code"]) for p in problems] == [("amount", "above_allocation")]
    assert "more than the" in problems[0]["message"]
    assert Voucher.objects.count() == 0
    # the corrected request may reuse the key: a refusal claimed nothing
    fixed = client.post(VOUCHERS, _body(spending), format="json", headers=_key())
    assert fixed.status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"plan": 999_999}, "plan"),
        ({"paid_on": "2021-05-01"}, "paid_on"),
        ({"source": "usd"}, "source"),
        ({"payee": ""}, "payee"),
        ({"holder": "Ba Trang"}, "holder"),
    ],
)
def test_bad_voucher_fields_are_400_by_field_with_nothing_saved(api, spending, changes, field):
    response = api(spending.accountant).post(
        VOUCHERS, _body(spending, **changes), format="json", headers=_key()
    )

    assert response.status_code == 400, response.content
    assert field in {p["field"] for p in response.json()["errors"]}
    assert Voucher.objects.count() == 0


def test_a_used_number_is_refused(api, spending):
    _voucher(spending)

    response = api(spending.accountant).post(
        VOUCHERS, _body(spending, amount=10_000), format="json", headers=_key()
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "number"
    assert Voucher.objects.count() == 1


@pytest.mark.parametrize("writer", ["leader", "officer", "province_reviewer", "fatherland_front"])
def test_readers_of_the_money_may_not_record_a_voucher(api, spending, request, writer):
    user = getattr(spending, writer, None) or request.getfixturevalue(writer)

    response = api(user).post(VOUCHERS, _body(spending), format="json", headers=_key())

    assert response.status_code == 403
    assert Voucher.objects.count() == 0


def test_an_outsiders_voucher_is_404_even_when_its_body_is_bad(api, spending):
    client = api(spending.other_accountant)

    good = client.post(VOUCHERS, _body(spending), format="json", headers=_key(1))
    bad = client.post(VOUCHERS, _body(spending, amount="x"), format="json", headers=_key(2))

    assert good.status_code == bad.status_code == 404
    assert Voucher.objects.count() == 0


def test_the_accountant_reverses_a_voucher_once(api, spending):
    voucher = _voucher(spending)
    url = reverse("api:finance_voucher_reverse", args=[voucher.pk])
    client = api(spending.accountant)

    missing = client.post(url, {}, format="json", headers=_key(1))
    reversed_ = client.post(url, {"reason": "Ghi nhầm số tiền"}, format="json", headers=_key(2))
    again = client.post(url, {"reason": "Lần nữa"}, format="json", headers=_key(3))

    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "reason"
    assert reversed_.status_code == 201, reversed_.content
    assert reversed_.json()["amount"] == -1_200_000
    assert reversed_.json()["reverses"] == voucher.pk
    assert again.status_code == 400
    assert Voucher.objects.count() == 2
    detail = client.get(reverse("api:finance_voucher_detail", args=[voucher.pk])).json()
    assert detail["reversed_by"] == reversed_.json()["id"]


def test_a_reader_may_not_reverse_and_an_outsider_gets_404(api, spending):
    voucher = _voucher(spending)
    url = reverse("api:finance_voucher_reverse", args=[voucher.pk])
    body = {"reason": "Ghi nhầm"}

    leader = api(spending.leader).post(url, body, format="json", headers=_key(1))
    outsider = api(spending.other_accountant).post(url, {}, format="json", headers=_key(2))

    assert leader.status_code == 403
    assert outsider.status_code == 404
    assert Voucher.objects.count() == 1


# --- payment requests -------------------------------------------------------------------------


def _request_body(spending: SpendingWorld, **changes) -> dict:
    data = {
        "holder": spending.commune.pk,
        "plan": spending.plan.pk,
        "activity": spending.activity.pk,
        "payee": PAYEE,
        "content": "Đề nghị thanh toán hội nghị",
        "amount": 800_000,
        "source": Source.CENTRAL,
    }
    data.update(changes)
    return data


def test_the_officer_proposes_the_accountant_pays_by_a_voucher(api, spending):
    proposed = api(spending.officer).post(
        REQUESTS, _request_body(spending), format="json", headers=_key(1)
    )
    assert proposed.status_code == 201, proposed.content
    made = proposed.json()
    assert made["status"] == "proposed" and made["payee"] == PAYEE
    assert proposed["ETag"] == f'"{made["version"]}"'

    paid = api(spending.accountant).post(
        VOUCHERS,
        _body(spending, amount=800_000, request=made["id"], request_version=made["version"]),
        format="json",
        headers=_key(2),
    )

    assert paid.status_code == 201, paid.content
    assert paid.json()["request"] == made["id"]
    detail = api(spending.accountant).get(
        reverse("api:finance_payment_request_detail", args=[made["id"]])
    )
    assert detail.json()["status"] == "paid"
    assert detail.json()["vouchers"] == [paid.json()["id"]]


def test_the_accountant_pays_a_request_once_with_its_version(api, spending):
    payment_request = _request(spending)
    url = reverse("api:finance_payment_request_pay", args=[payment_request.pk])
    body = {"number": "05/2023", "paid_on": PAID_ON.isoformat()}
    client = api(spending.accountant)

    stale = client.post(url, body, format="json", headers={**_key(1), "If-Match": '"7"'})
    paid = client.post(url, body, format="json", headers={**_key(2), "If-Match": '"1"'})
    again = client.post(
        url, {**body, "number": "06/2023"}, format="json", headers={**_key(3), "If-Match": '"2"'}
    )

    assert stale.status_code == 409
    assert paid.status_code == 201, paid.content
    assert paid.json()["amount"] == 800_000 and paid.json()["payee"] == PAYEE
    assert paid.json()["request"] == payment_request.pk
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "request"
    assert Voucher.objects.get().request_id == payment_request.pk
    assert PaymentRequest.objects.get().status == PaymentRequest.Status.PAID


def test_only_the_accountant_pays_and_an_outsider_gets_404(api, spending):
    payment_request = _request(spending)
    url = reverse("api:finance_payment_request_pay", args=[payment_request.pk])
    headers = {"If-Match": '"1"'}
    body = {"number": "05/2023", "paid_on": PAID_ON.isoformat()}

    answers = {
        name: api(user).post(url, body, format="json", headers={**_key(n), **headers})
        for n, (name, user) in enumerate(
            [
                ("officer", spending.officer),
                ("leader", spending.leader),
                ("province_reviewer", spending.province_reviewer),
                ("other_accountant", spending.other_accountant),
            ]
        )
    }

    assert {name: r.status_code for name, r in answers.items()} == {
        "officer": 403,
        "leader": 403,
        "province_reviewer": 403,
        "other_accountant": 404,
    }
    assert Voucher.objects.count() == 0
    assert PaymentRequest.objects.get().status == PaymentRequest.Status.PROPOSED


def test_a_request_is_refused_by_the_accountant_with_a_reason_and_its_version(api, spending):
    payment_request = _request(spending)
    url = reverse("api:finance_payment_request_refuse", args=[payment_request.pk])
    client = api(spending.accountant)

    no_version = client.post(url, {"reason": "Thiếu chứng từ"}, format="json", headers=_key(1))
    stale = client.post(
        url, {"reason": "Thiếu chứng từ"}, format="json", headers={**_key(2), "If-Match": '"9"'}
    )
    refused = client.post(
        url, {"reason": "Thiếu chứng từ"}, format="json", headers={**_key(3), "If-Match": '"1"'}
    )

    assert no_version.status_code == 428
    assert stale.status_code == 409
    assert refused.status_code == 200, refused.content
    assert refused.json()["status"] == "refused"
    assert PaymentRequest.objects.get().status == PaymentRequest.Status.REFUSED


def test_payment_requests_are_filtered_by_year_and_status(api, spending):
    _request(spending)
    client = api(spending.accountant)

    assert len(client.get(REQUESTS, {"year": 2023}).json()["results"]) == 1
    assert client.get(REQUESTS, {"year": 2022}).json()["results"] == []
    assert client.get(REQUESTS, {"status": "paid"}).json()["results"] == []
    bad = client.get(REQUESTS, {"status": "approved"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "status"


def test_a_proposal_is_refused_by_field_and_for_those_who_may_not_propose(api, spending):
    bad = api(spending.officer).post(
        REQUESTS, _request_body(spending, amount=0), format="json", headers=_key(1)
    )
    leader = api(spending.leader).post(
        REQUESTS, _request_body(spending), format="json", headers=_key(2)
    )
    refuse = api(spending.officer).post(
        reverse("api:finance_payment_request_refuse", args=[_request(spending).pk]),
        {"reason": "x"},
        format="json",
        headers={**_key(3), "If-Match": '"1"'},
    )

    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "amount"
    assert leader.status_code == 403
    assert refuse.status_code == 403
    assert PaymentRequest.objects.get().status == PaymentRequest.Status.PROPOSED


# --- disbursement -----------------------------------------------------------------------------


def test_the_disbursement_is_the_pages_roll_up(api, spending):
    _voucher(spending)
    client = api(spending.accountant)

    url = reverse("api:finance_disbursement", args=[spending.commune.pk])
    data = client.get(url, {"year": 2023}).json()

    assert data["total"] == {
        "allocated": 10_000_000,
        "disbursed": 1_200_000,
        "remaining": 8_800_000,
        "percent": 12,
    }
    assert data["as_of"] == "2023-12-31"
    october = data["months"][9]
    assert october["figures"]["disbursed"] == 1_200_000
    assert october["cumulative"]["disbursed"] == 1_200_000
    assert {row["key"]: row["figures"]["disbursed"] for row in data["sources"]} == {
        "nstw": 1_200_000,
        "nsdp": 0,
    }


def test_the_province_reviewer_reads_its_communes_figures(api, spending):
    _voucher(spending)
    province = spending.province_reviewer.memberships.get().org_unit

    data = (
        api(spending.province_reviewer)
        .get(
            reverse("api:finance_disbursement", args=[province.pk]),
            {"year": 2023, "as_of": "2023-12-31"},
        )
        .json()
    )

    assert data["total"]["disbursed"] == 1_200_000
    assert sum(row["figures"]["disbursed"] for row in data["units"]) == 1_200_000
    assert PAYEE not in str(data)


def test_the_disbursement_refuses_bad_parameters_by_name(api, spending):
    client = api(spending.accountant, language="en")
    url = reverse("api:finance_disbursement", args=[spending.commune.pk])

    bad_year = client.get(url, {"year": "1990"})
    bad_day = client.get(url, {"as_of": "31/12/2023"})

    assert bad_year.status_code == 400
    assert bad_year.json()["errors"][0]["field"] == "year"
    assert bad_day.status_code == 400
    assert bad_day.json()["errors"][0]["field"] == "as_of"


def test_a_voucher_without_its_holder_is_named_in_the_callers_language(api, spending):
    body = _body(spending)
    del body["holder"]

    vietnamese = api(spending.accountant).post(VOUCHERS, body, format="json", headers=_key(1))
    english = api(spending.accountant, language="en").post(
        VOUCHERS, body, format="json", headers=_key(2)
    )

    assert vietnamese.status_code == english.status_code == 400
    assert vietnamese.json()["errors"][0]["field"] == "holder"
    assert "đơn vị dự toán" in vietnamese.json()["detail"]
    assert "budget holder" in english.json()["detail"]
    assert Voucher.objects.count() == 0


def test_cursor_pages_and_updated_since_for_a_sync(api, spending):
    allocate(spending.commune, 2_000_000, kind=Allocation.Kind.SUPPLEMENT)
    _voucher(spending)
    client = api(spending.accountant)

    first = client.get(ALLOCATIONS, {"page_size": 1}).json()
    second = client.get(first["next"]).json()
    later = {"updated_since": "2999-01-01T00:00:00+07:00"}

    assert len(first["results"]) == len(second["results"]) == 1
    assert first["results"][0]["id"] != second["results"][0]["id"]
    assert second["results"][0]["balance"]["allocated"] == 12_000_000
    assert second["next"] is None
    assert client.get(ALLOCATIONS, later).json()["results"] == []
    assert client.get(VOUCHERS, later).json()["results"] == []
    assert len(client.get(VOUCHERS, {"updated_since": "2020-01-01"}).json()["results"]) == 1
