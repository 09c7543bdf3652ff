"""Supervision endpoints on Ba Trang's supervision data (``_supervision(d)``: a session of the
Fatherland Front with its minutes, a finding, a recommendation to the commune due in 2030, and a
comment on the draft plan).

``writer`` is left empty on purpose: every supervision write is made by a role the matrix counts
as read-only (``READ_ONLY_ROLES``: the Fatherland Front records sessions, findings,
recommendations and plan comments and reviews answers; the commune's leader answers
recommendations), so the matrix's "read-only roles cannot write" would refuse what the pages
allow. The bodies are valid for the persona named in each comment; the read-only token and the
roles that may not write here are tested in duan8/api/tests/test_supervision.py.
"""

from tests.api_samples import ApiSample
from tests.test_access_matrix import _supervision


def _session(d: dict) -> dict:
    return {"pk": _supervision(d)["session"].pk}


def _recommendation(d: dict) -> dict:
    return {"pk": _supervision(d)["recommendation"].pk}


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
    ),
    "api:supervision_session_detail": ApiSample(_session, "fatherland_front"),
    # POST: valid for fatherland_front (who recorded the session)
    "api:supervision_finding_create": ApiSample(
        _session,
        "fatherland_front",
        body=lambda d: {"topic": "records", "text": "Sổ sinh hoạt chưa ghi đủ"},
    ),
    "api:supervision_recommendation_create": ApiSample(
        _session,
        "fatherland_front",
        body=lambda d: {
            "text": "Ghi đủ sổ sinh hoạt",
            "addressee": d["ba_trang"].pk,
            "due_on": "2030-06-30",
        },
    ),
    "api:supervision_recommendation_list": ApiSample(
        lambda d: {}, "fatherland_front", lists_data=True
    ),
    # POST: valid for commune_officer and commune_leader (supervision.answer on Ba Trang)
    "api:supervision_recommendation_answer": ApiSample(
        _recommendation, "commune_officer", body=lambda d: {"answer": "Đã bổ sung chữ ký"}
    ),
    # POST: for fatherland_front, once the recommendation is answered
    "api:supervision_recommendation_accept": ApiSample(
        _recommendation, "fatherland_front", body=lambda d: {"note": "Đã kiểm tra"}
    ),
    "api:supervision_recommendation_keep_open": ApiSample(
        _recommendation, "fatherland_front", body=lambda d: {"note": "Còn thiếu hai chữ ký"}
    ),
    # GET: readers of the plan; POST: fatherland_front (the plan is a draft)
    "api:supervision_plan_comments": ApiSample(
        lambda d: {"pk": d["plan"].pk},
        "fatherland_front",
        body=lambda d: {"body": "fatherland_front", "text": "Đề nghị thêm lớp cho thôn xa"},
    ),
}
