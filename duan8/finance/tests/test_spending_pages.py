"""The spending pages: the accountant records (once) and reverses vouchers, the list filters and
totals them in a fixed number of queries, the WU officer proposes payments; who may not see or
do it gets 404 or 403, with nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.finance.models import PaymentRequest, Source, Voucher
from duan8.finance.services.vouchers import voucher_record
from duan8.finance.tests.spending_fixtures import (  # noqa: F401 (fixture)
    PAID_ON,
    SpendingWorld,
    spending_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def _post_voucher(client, spending: SpendingWorld, once: str = "v" * 24, **changes):
    data = {
        "number": "01/2023",
        "paid_on": PAID_ON.isoformat(),
        "amount": "1.200.000",
        "payee": "Đinh Thị Hoa",
        "content": "Chi hội nghị truyền thông",
        "plan": spending.plan.pk,
        "activity": spending.activity.pk,
        "source": Source.CENTRAL,
        "once": once,
    }
    data.update(changes)
    return client.post(reverse("finance:voucher_record", args=[spending.commune.pk]), data)


def test_the_accountant_records_a_voucher_once_and_sees_it_listed(client, spending):
    client.force_login(spending.accountant)

    first = _post_voucher(client, spending)
    again = _post_voucher(client, spending)

    assert first.status_code == 302
    assert again.status_code == 302
    assert Voucher.objects.count() == 1
    page = client.get(first["Location"]).content.decode()
    assert "01/2023" in page
    assert "1.200.000" in page


def test_an_overspending_voucher_is_refused_on_the_page(client, spending):
    client.force_login(spending.accountant)

    response = _post_voucher(client, spending, amount="10.000.001")

    assert response.status_code == 200
    assert "10.000.001 đ is more than the 10.000.000 đ left of the allocation" in (
        response.content.decode()
    )
    assert not Voucher.objects.exists()


def test_decimals_of_dong_are_refused_on_the_page(client, spending):
    client.force_login(spending.accountant)

    response = _post_voucher(client, spending, amount="1.200.000,5")

    assert "no decimals" in response.content.decode()
    assert not Voucher.objects.exists()


def test_the_voucher_form_proposes_the_events_unpaid_cost(client, spending):
    event = spending.event(cost=3_000_000)
    voucher_record(actor=spending.accountant, data=spending.voucher(event=event))
    client.force_login(spending.accountant)

    response = client.get(
        reverse("finance:voucher_record", args=[spending.commune.pk]) + f"?su-kien={event.pk}"
    )

    assert 'value="1.800.000"' in response.content.decode()


def test_the_list_filters_totals_and_reads_a_fixed_number_of_queries(client, spending):
    client.force_login(spending.accountant)
    url = reverse("finance:vouchers", args=[spending.commune.pk])
    voucher_record(actor=spending.accountant, data=spending.voucher())
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"nam": 2023})
    for n in range(2, 7):
        voucher_record(
            actor=spending.accountant,
            data=spending.voucher(number=f"{n:02d}", paid_on=datetime.date(2023, 11, n)),
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"nam": 2023}).content.decode()

    assert len(many) == len(few)
    assert "7.200.000" in page  # 6 × 1.200.000
    november = client.get(url, {"nam": 2023, "thang": 11}).content.decode()
    assert "6.000.000" in november
    assert "01/2023" not in november


def test_the_accountant_reverses_a_voucher_with_a_reason(client, spending):
    voucher = voucher_record(actor=spending.accountant, data=spending.voucher())
    client.force_login(spending.accountant)
    url = reverse("finance:voucher_reverse", args=[voucher.pk])

    refused = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": "Sai số tiền"})

    assert refused.status_code == 200
    assert done.status_code == 302
    assert Voucher.objects.filter(reverses=voucher, amount=Decimal(-1_200_000)).exists()


def test_the_officer_proposes_and_the_accountant_refuses(client, spending):
    client.force_login(spending.officer)
    response = client.post(
        reverse("finance:request_propose", args=[spending.commune.pk]),
        {
            "payee": "Đinh Thị Hoa",
            "content": "Nước uống",
            "amount": "300.000",
            "plan": spending.plan.pk,
            "activity": spending.activity.pk,
            "source": Source.CENTRAL,
            "once": "r" * 24,
        },
    )
    assert response.status_code == 302
    request = PaymentRequest.objects.get()

    client.force_login(spending.accountant)
    listed = client.get(reverse("finance:requests", args=[spending.commune.pk])).content.decode()
    assert f"?de-nghi={request.pk}" in listed
    form = client.get(
        reverse("finance:voucher_record", args=[spending.commune.pk]) + f"?de-nghi={request.pk}"
    ).content.decode()
    assert 'value="300.000"' in form
    refused = client.post(
        reverse("finance:request_refuse", args=[request.pk]),
        {"reason": "Thiếu hóa đơn", "version": request.version},
    )
    assert refused.status_code == 302
    request.refresh_from_db()
    assert request.status == PaymentRequest.Status.REFUSED


def test_must_not_see_another_communes_accountant_gets_404(client, spending):
    voucher = voucher_record(actor=spending.accountant, data=spending.voucher())
    client.force_login(spending.other_accountant)

    for url in [
        reverse("finance:vouchers", args=[spending.commune.pk]),
        reverse("finance:voucher_record", args=[spending.commune.pk]),
        reverse("finance:voucher_reverse", args=[voucher.pk]),
        reverse("finance:requests", args=[spending.commune.pk]),
    ]:
        assert client.get(url).status_code == 404
    assert _post_voucher(client, spending, number="02").status_code == 404
    assert Voucher.objects.count() == 1


def test_must_not_do_the_officer_and_the_leader_may_not_record(client, spending):
    for actor in [spending.officer, spending.leader]:
        client.force_login(actor)
        assert (
            client.get(reverse("finance:vouchers", args=[spending.commune.pk])).status_code == 200
        )
        assert _post_voucher(client, spending, once="x" * 24).status_code == 403
    assert not Voucher.objects.exists()


def test_must_not_do_the_province_reviewer_reads_but_may_not_write(client, spending):
    voucher = voucher_record(actor=spending.accountant, data=spending.voucher())
    client.force_login(spending.province_reviewer)

    page = client.get(reverse("finance:vouchers", args=[spending.commune.pk]), {"nam": 2023})

    assert page.status_code == 200
    assert "01/2023" in page.content.decode()
    assert "Đinh Thị Hoa" not in page.content.decode()  # the payee: figures only above
    assert "Record a voucher" not in page.content.decode()
    assert _post_voucher(client, spending, number="02").status_code == 403
    reverse_url = reverse("finance:voucher_reverse", args=[voucher.pk])
    assert client.post(reverse_url, {"reason": "x"}).status_code == 403
    propose_url = reverse("finance:request_propose", args=[spending.commune.pk])
    assert client.get(propose_url).status_code == 403
    assert Voucher.objects.count() == 1


def test_the_receipt_is_read_by_the_communes_money_roles_only(client, spending):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from duan8.testing import SAMPLE_PDF

    upload = SimpleUploadedFile("bien-lai.pdf", SAMPLE_PDF, content_type="application/pdf")
    voucher = voucher_record(actor=spending.accountant, data=spending.voucher(receipt=upload))
    url = reverse("finance:voucher_receipt", args=[voucher.pk])

    client.force_login(spending.leader)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SAMPLE_PDF
    # a receipt carries the payee's name and signature: not for the reviewers above
    client.force_login(spending.province_reviewer)
    assert client.get(url).status_code == 403
    client.force_login(spending.other_accountant)
    assert client.get(url).status_code == 404
