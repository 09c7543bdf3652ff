"""Community groups, members, women cadres and difficulties (api/endpoints/community/): the
samples of thôn Bùi Hui (``d["community"]``, duan8/testing.py community_samples)."""

from tests.api_samples import ApiSample


def _group(d: dict) -> dict:
    return {"pk": d["community"]["group"].pk}


def _cadre(d: dict) -> dict:
    return {"pk": d["community"]["cadre"].pk}


def _difficulty(d: dict) -> dict:
    return {"pk": d["community"]["difficulty"].pk}


def _bui_hui(d: dict) -> int:
    return d["villages"]["Bùi Hui"].pk


SAMPLES = {
    "api:community_group_list": ApiSample(
        lambda d: {},
        "commune_officer",
        lists_data=True,
        writer="commune_officer",
        body=lambda d: {
            "kind": "change_club",
            "name": "CLB Thủ lĩnh của sự thay đổi thôn Bùi Hui",
            "org_unit": _bui_hui(d),
            "founded_on": "2023-11-15",
        },
    ),
    "api:community_group_detail": ApiSample(
        _group,
        "commune_officer",
        writer="commune_officer",
        body=lambda d: {"name": "Tổ truyền thông thôn Bùi Hui (đổi tên)", "version": 1},
    ),
    "api:community_group_members": ApiSample(
        _group,
        "commune_officer",
        writer="commune_officer",
        body=lambda d: {
            "members": [
                {
                    "full_name": "Đinh Thị Lan",
                    "sex": "F",
                    "ethnic_group": "19",
                    "birth_year": 1990,
                    "joined_on": "2023-11-15",
                }
            ]
        },
    ),
    "api:woman_cadre_list": ApiSample(
        lambda d: {},
        "commune_officer",
        lists_data=True,
        writer="commune_officer",
        body=lambda d: {
            "org_unit": _bui_hui(d),
            "full_name": "Đinh Thị Mai",
            "ethnic_group": "19",
            "position": "Chi hội phó phụ nữ thôn Bùi Hui",
            "status": "planned",
            "since": "2023-06-01",
        },
    ),
    "api:woman_cadre_detail": ApiSample(
        _cadre,
        "commune_officer",
        writer="commune_officer",
        body=lambda d: {"status": "in_position", "version": 1},
    ),
    "api:difficulty_list": ApiSample(
        lambda d: {},
        "commune_officer",
        lists_data=True,
        writer="commune_officer",
        body=lambda d: {
            "org_unit": _bui_hui(d),
            "raised_by": "Thôn Bùi Hui",
            "raised_on": "2023-11-20",
            "description": "Thôn Bùi Hui chưa có tài liệu tiếng Hrê",
        },
    ),
    "api:difficulty_detail": ApiSample(
        _difficulty,
        "commune_officer",
        writer="commune_officer",
        body=lambda d: {
            "answer": "Hội LHPN xã cho mượn loa",
            "answered_by": "Đinh Thị Hoa, Chủ tịch Hội LHPN xã",
            "on": "2023-11-10",
            "version": 1,
        },
    ),
    "api:difficulty_escalate": ApiSample(
        _difficulty,
        "commune_officer",
        writer="commune_officer",
        body=lambda d: {"on": "2023-11-05", "version": 1},
    ),
}


def _member(d: dict) -> dict:
    return {"pk": d["community"]["group"].pk, "member_pk": d["community"]["member"].pk}


SAMPLES.update(
    {
        "api:community_member_leave": ApiSample(
            _member,
            "commune_officer",
            writer="commune_officer",
            body=lambda d: {"left_on": "2024-03-01", "version": 1},
        ),
        "api:community_group_status": ApiSample(
            _group,
            "commune_officer",
            writer="commune_officer",
            body=lambda d: {"status": "maintained", "on": "2024-06-01", "note": "Họp đều"},
        ),
    }
)
