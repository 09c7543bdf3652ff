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
