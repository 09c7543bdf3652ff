"""Supervision endpoints on Ba Trang's supervision data (``_supervision(d)``: a session of the
Fatherland Front with its minutes, a finding, a recommendation to the commune due in 2030, and a
comment on the draft plan).

Here the Fatherland Front writes (it records sessions, findings, recommendations and plan comments
and reviews answers) and the commune answers, so each sample names its writer and the roles that
must not write there (``readers``). The bodies are valid for the writer.
"""

from tests.api_samples import ApiSample
from tests.test_access_matrix import _supervision


def _session(d: dict) -> dict:
    return {"pk": _supervision(d)["session"].pk}


def _recommendation(d: dict) -> dict:
    return {"pk": _supervision(d)["recommendation"].pk}


# the supervised commune and the district above: they may not record or review a supervision
SUPERVISED = ("commune_officer", "commune_leader", "district_reviewer")

SAMPLES = {
    # POST: valid for fatherland_front and commune_officer (supervision.record on Ba Trang)
    "api:supervision_session_list": ApiSample(
        lambda d: {},
        "fatherland_front",
        lists_data=True,
        body=lambda d: {
            "org_unit": d["ba_trang"].pk,
            "body": "fatherland_front",
            "title": "Giám sát chính sách hỗ trợ phụ nữ",
            "subject": "policy",
            "policy": "Quyết định 1719/QĐ-TTg, Dự án 8",
            "starts_on": "2023-12-04",
            "members": ["Đinh Văn Mặt"],
            "methods": ["documents"],
        },
        writer="fatherland_front",
        readers=("commune_leader", "district_reviewer"),
    ),
    "api:supervision_session_detail": ApiSample(_session, "fatherland_front"),
    # POST: valid for fatherland_front (who recorded the session)
    "api:supervision_finding_create": ApiSample(
        _session,
        "fatherland_front",
        body=lambda d: {"topic": "records", "text": "Sổ sinh hoạt chưa ghi đủ"},
        writer="fatherland_front",
        readers=SUPERVISED,
    ),
    "api:supervision_recommendation_create": ApiSample(
        _session,
        "fatherland_front",
        body=lambda d: {
            "text": "Ghi đủ sổ sinh hoạt",
            "addressee": d["ba_trang"].pk,
            "due_on": "2030-06-30",
        },
        writer="fatherland_front",
        readers=SUPERVISED,
    ),
    "api:supervision_recommendation_list": ApiSample(
        lambda d: {}, "fatherland_front", lists_data=True
    ),
    # POST: valid for commune_officer and commune_leader (supervision.answer on Ba Trang)
    "api:supervision_recommendation_answer": ApiSample(
        _recommendation,
        "commune_officer",
        body=lambda d: {"answer": "Đã bổ sung chữ ký"},
        writer="commune_officer",
        readers=("fatherland_front", "district_reviewer"),
    ),
    # POST: for fatherland_front, once the recommendation is answered
    "api:supervision_recommendation_accept": ApiSample(
        _recommendation,
        "fatherland_front",
        body=lambda d: {"note": "Đã kiểm tra"},
        writer="fatherland_front",
        readers=SUPERVISED,
    ),
    "api:supervision_recommendation_keep_open": ApiSample(
        _recommendation,
        "fatherland_front",
        body=lambda d: {"note": "Còn thiếu hai chữ ký"},
        writer="fatherland_front",
        readers=SUPERVISED,
    ),
    # GET: readers of the plan; POST: fatherland_front (the plan is a draft)
    "api:supervision_plan_comments": ApiSample(
        lambda d: {"pk": d["plan"].pk},
        "fatherland_front",
        body=lambda d: {"body": "fatherland_front", "text": "Đề nghị thêm lớp cho thôn xa"},
        writer="fatherland_front",
        readers=("commune_leader", "district_reviewer"),
    ),
}
