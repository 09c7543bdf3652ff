"""The mothers' registry's endpoints (issue 16) pointed at xã Ba Trang's registry, built on first
use by ``_mothers`` (tests/mothers_samples.py): a proposed case of thôn Nước Đang, an approved
and paid one on a payment list."""

from tests.api_samples import ApiSample
from tests.test_access_matrix import _mothers


def _proposal(d: dict) -> dict:
    """A valid proposal by xã Ba Trang's health station (Ba Trang ended 30/6/2025: a delivery
    before that, in thôn Nước Đang)."""
    _mothers(d)  # the 54 ethnic groups and the packages' rules
    return {
        "commune": d["ba_trang"].pk,
        "village": d["villages"]["Nước Đang"].pk,
        "full_name": "Hồ Thị Mẫu",
        "birth_year": 1999,
        "ethnic_code": "19",
        "id_number": "051199004321",
        "delivered_on": "2025-05-02",
        "place": "facility",
        "mode": "normal",
        "babies": 1,
        "days_at_facility": 2,
        "children": [{"sex": "M"}],
    }


SAMPLES = {
    "api:mothers_case_list": ApiSample(
        lambda d: _mothers(d) and {},
        "health_station",
        lists_data=True,
        body=_proposal,
        writer="health_station",
    ),
    "api:mothers_case_detail": ApiSample(
        lambda d: {"pk": _mothers(d)["case"].pk}, "health_station"
    ),
    "api:mothers_payment_list": ApiSample(
        lambda d: _mothers(d) and {}, "accountant", lists_data=True
    ),
    # no org_unit: the caller's own unit (an outsider reads its own commune's counts)
    "api:mothers_counts": ApiSample(
        lambda d: _mothers(d) and {}, "commune_officer", lists_data=True
    ),
}


# --- the workflow (duan8/api/endpoints/mothers/workflow.py): Đinh Thị Lan's proposed case -------


def _case_kwargs(d: dict) -> dict:
    return {"pk": _mothers(d)["case"].pk}


def _consent(d: dict) -> dict:
    return {"given_on": "2025-03-10", "channel": "paper", "signer": "mother"}


_NOT_VERIFIERS = (
    "fatherland_front",
    "commune_leader",
    "district_reviewer",
    "health_station",
    "accountant",
)

SAMPLES.update(
    {
        "api:mothers_case_consent": ApiSample(
            _case_kwargs,
            "health_station",
            body=_consent,
            writer="health_station",
            readers=("fatherland_front", "commune_leader", "district_reviewer", "accountant"),
        ),
        "api:mothers_case_verify": ApiSample(
            _case_kwargs,
            "commune_officer",
            body=lambda d: {"version": 1},
            writer="commune_officer",
            readers=_NOT_VERIFIERS,
        ),
        "api:mothers_case_reject": ApiSample(
            _case_kwargs,
            "commune_officer",
            body=lambda d: {"version": 1, "reason": "Không sinh tại xã"},
            writer="commune_officer",
            readers=_NOT_VERIFIERS,
        ),
        # the leader's approval of a proposed case is refused 400 by the service (not verified):
        # the matrix asks only who is refused 403/404
        "api:mothers_case_approve": ApiSample(
            _case_kwargs,
            "commune_leader",
            body=lambda d: {"version": 1},
            writer="commune_leader",
            readers=(
                "fatherland_front",
                "district_reviewer",
                "commune_officer",
                "health_station",
                "accountant",
            ),
        ),
    }
)

SAMPLES["api:mothers_consent_withdraw"] = ApiSample(
    lambda d: {"pk": _mothers(d)["consent"].pk},
    "health_station",
    body=lambda d: {"withdrawn_on": "2025-04-01", "version": 1},
    writer="health_station",
    readers=("fatherland_front", "commune_leader", "district_reviewer", "accountant"),
)


# --- the payment lists (duan8/api/endpoints/mothers/payment_lists.py): the approved 2025 list --
# The sample list is approved and holds every approved case: the writers' bodies may be refused
# 400 by the services (nothing left to list, already approved, no allocation): the matrix asks
# only who is refused 403/404.


def _list_kwargs(d: dict) -> dict:
    return {"pk": _mothers(d)["list"].pk}


_NOT_PAYERS = (
    "commune_leader",
    "commune_officer",
    "health_station",
    "fatherland_front",
    "district_reviewer",
)

SAMPLES.update(
    {
        "api:mothers_payment_lists": ApiSample(
            lambda d: _mothers(d) and {},
            "accountant",
            lists_data=True,
            body=lambda d: {"commune": d["ba_trang"].pk, "year": 2025, "title": "Chi trả 2025"},
            writer="accountant",
            readers=("commune_officer", "health_station", "fatherland_front", "district_reviewer"),
        ),
        "api:mothers_payment_list_detail": ApiSample(_list_kwargs, "accountant"),
        "api:mothers_payment_list_approve": ApiSample(
            _list_kwargs,
            "commune_leader",
            body=lambda d: {"version": 1},
            writer="commune_leader",
            readers=(
                "accountant",
                "commune_officer",
                "health_station",
                "fatherland_front",
                "district_reviewer",
            ),
        ),
        "api:mothers_payment_entry_pay": ApiSample(
            lambda d: {"pk": _mothers(d)["list"].pk, "entry_pk": _mothers(d)["entry"].pk},
            "accountant",
            body=lambda d: {"paid_on": "2025-04-02", "amount": 1000},
            writer="accountant",
            readers=_NOT_PAYERS,
        ),
        "api:mothers_payment_reverse": ApiSample(
            lambda d: {"pk": _mothers(d)["payment"].pk},
            "accountant",
            body=lambda d: {"reason": "Ghi nhầm"},
            writer="accountant",
            readers=_NOT_PAYERS,
        ),
    }
)
