"""The money's endpoints on xã Ba Trang's 2023 money (``_finance``: an allocation of 10.000.000 đ
from QĐ 73, voucher 01/2023 of 1.200.000 đ with its receipt, a proposed payment request)."""

from tests.api_samples import ApiSample
from tests.finance_samples import ACTIVITY
from tests.test_access_matrix import _finance


def _money(d: dict) -> dict:
    """No URL argument; Ba Trang's money made."""
    _finance(d)
    return {}


def _activity_id() -> int:
    from duan8.programs.models import ProgramElement

    return ProgramElement.objects.get(code=ACTIVITY).pk


def _voucher_body(d: dict) -> dict:
    """Valid for the accountant: 500.000 đ of the 8.800.000 đ left, a new number."""
    return {
        "holder": d["ba_trang"].pk,
        "plan": d["plan"].pk,
        "activity": _activity_id(),
        "number": "02/2023",
        "paid_on": "2023-10-06",
        "payee": "Đinh Thị Hoa",
        "amount": 500_000,
        "content": "Chi sinh hoạt truyền thông",
        "source": "nstw",
    }


def _request_body(d: dict) -> dict:
    """Valid for the WU officer."""
    return {
        "holder": d["ba_trang"].pk,
        "plan": d["plan"].pk,
        "activity": _activity_id(),
        "payee": "Đinh Thị Hoa",
        "content": "Đề nghị thanh toán sinh hoạt truyền thông",
        "amount": 300_000,
        "source": "nstw",
    }


def _estimate_line_body(d: dict) -> dict:
    """Valid for the WU officer: 500.000 đ more within the 10.000.000 đ allocated."""
    return {
        "version": 1,
        "activity": _activity_id(),
        "source": "nstw",
        "quantity": 1,
        "unit_amount": 500_000,
        "description": "Sinh hoạt truyền thông thôn Đắk Rô",
    }


def _allocation_body(d: dict) -> dict:
    from duan8.finance.tests.budget_fixtures import qd73

    _finance(d)
    return {
        "holder": d["ba_trang"].pk,
        "document": qd73().pk,
        "allocator": d["ba_trang"].parent_id,
        "year": 2023,
        "element": "1719.GD1.DA8",
        "source": "nstw",
        "kind": "supplement",
        "amount": 1_000_000,
    }


SAMPLES = {
    # POST: the commune's accountant records an allocation from a decision of the register
    "api:finance_allocation_list": ApiSample(
        _money, "accountant", lists_data=True, body=_allocation_body, writer="accountant"
    ),
    "api:finance_voucher_list": ApiSample(
        _money, "accountant", lists_data=True, body=_voucher_body, writer="accountant"
    ),
    "api:finance_voucher_detail": ApiSample(
        lambda d: {"pk": _finance(d)["voucher"].pk}, "accountant"
    ),
    "api:finance_voucher_reverse": ApiSample(
        lambda d: {"pk": _finance(d)["voucher"].pk},
        "accountant",
        body=lambda d: {"reason": "Ghi nhầm số tiền"},
        writer="accountant",
    ),
    "api:finance_payment_request_list": ApiSample(
        _money, "accountant", lists_data=True, body=_request_body, writer="commune_officer"
    ),
    "api:finance_payment_request_detail": ApiSample(
        lambda d: {"pk": _finance(d)["request"].pk}, "accountant"
    ),
    "api:finance_payment_request_refuse": ApiSample(
        lambda d: {"pk": _finance(d)["request"].pk},
        "accountant",
        body=lambda d: {"reason": "Thiếu hoá đơn", "version": 1},
        writer="accountant",
    ),
    "api:finance_payment_request_pay": ApiSample(
        lambda d: {"pk": _finance(d)["request"].pk},
        "accountant",
        body=lambda d: {"number": "03/2023", "paid_on": "2023-10-07", "version": 1},
        writer="accountant",
    ),
    "api:finance_disbursement": ApiSample(
        lambda d: {"pk": _finance(d) and d["ba_trang"].pk}, "accountant"
    ),
    # a plan's estimate (issue 16, third round): one draft line of 1.000.000 đ, version 1
    "api:finance_estimate_detail": ApiSample(
        lambda d: {"pk": _finance(d) and d["plan"].pk}, "accountant"
    ),
    "api:finance_estimate_line_add": ApiSample(
        lambda d: {"pk": _finance(d) and d["plan"].pk},
        "accountant",
        body=_estimate_line_body,
        writer="commune_officer",
    ),
    "api:finance_estimate_line_remove": ApiSample(
        lambda d: {"pk": _finance(d)["line"].pk},
        "accountant",
        body=lambda d: {"version": 1},
        writer="commune_officer",
    ),
    "api:finance_estimate_approve": ApiSample(
        lambda d: {"pk": _finance(d) and d["plan"].pk},
        "accountant",
        body=lambda d: {"version": 1},
        writer="commune_leader",
        readers=("fatherland_front", "commune_officer", "district_reviewer"),
    ),
    # spending norms are national: every reader of some unit's money lists them (lists_data:
    # outsiders get 200 and none of Ba Trang's data); only the norms' administrator changes them
    # (a norm's URL is PATCH only, GET 405)
    "api:finance_norm_list": ApiSample(_money, "accountant", lists_data=True),
    "api:finance_norm_detail": ApiSample(
        lambda d: {"pk": _finance(d)["norm"].pk},
        "accountant",
        body=lambda d: {"name": "Buổi truyền thông", "version": 1},
        writer="system_admin",
    ),
    "api:finance_norm_new_period": ApiSample(
        lambda d: {"pk": _finance(d)["norm"].pk},
        "accountant",
        body=lambda d: {"version": 1, "valid_from": "2030-01-01"},
        writer="system_admin",
    ),
    # the year's settlement: Ba Trang's draft of 2023 (version 1)
    "api:finance_settlement_detail": ApiSample(
        lambda d: {"pk": _finance(d) and d["ba_trang"].pk, "year": d["plan"].year}, "accountant"
    ),
    "api:finance_settlement_draft": ApiSample(
        lambda d: {"pk": _finance(d) and d["ba_trang"].pk, "year": d["plan"].year},
        "accountant",
        body=lambda d: {"version": 1},
        writer="accountant",
    ),
    "api:finance_settlement_approve": ApiSample(
        lambda d: {"pk": _finance(d) and d["ba_trang"].pk, "year": d["plan"].year},
        "accountant",
        body=lambda d: {"version": 1},
        writer="commune_leader",
        readers=("fatherland_front", "accountant", "district_reviewer"),
    ),
}
