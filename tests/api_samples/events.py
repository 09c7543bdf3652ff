"""The events endpoints (duan8/api/endpoints/events/) on Ba Trang's data: the policy dialogue of
thôn Bùi Hui (``event_samples``), recorded by the commune officer, who may write there."""

from tests.api_samples import ApiSample


def _new_event(d: dict) -> dict:
    """A valid new event of the 2023 plan, in thôn Bùi Hui, given by counts."""
    return {
        "plan": d["plan"].pk,
        "org_unit": d["villages"]["Bùi Hui"].pk,
        "activity": "1719.GD1.DA8.ND3.HD1.2",
        "kind": "communication",
        "title": "Truyền thông xóa bỏ tảo hôn",
        "held_on": "2023-11-20",
        "counts": [
            {"sex": "F", "minority": True, "age_group": "adult", "count": 12},
            {"sex": "M", "minority": True, "age_group": "adult", "count": 3},
        ],
    }


def _change(d: dict) -> dict:
    return {"title": "Đối thoại chính sách (đã sửa)", "version": d["events"]["event"].version}


SAMPLES = {
    "api:event_list": ApiSample(
        lambda d: {}, "commune_officer", lists_data=True, body=_new_event, writer="commune_officer"
    ),
    "api:event_detail": ApiSample(
        lambda d: {"pk": d["events"]["event"].pk},
        "commune_officer",
        body=_change,
        writer="commune_officer",
    ),
    "api:event_participants": ApiSample(
        lambda d: {"pk": d["events"]["event"].pk}, "commune_officer"
    ),
}
