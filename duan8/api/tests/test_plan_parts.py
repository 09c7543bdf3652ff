"""The plan's legal bases, focus contents (section III) and responsibilities (section V) through
the API: the same services and rule as their pages (``plan_legal_bases_set``, ``plan_focus_set``,
``plan_responsibilities_set``; ``plan_access``), with the plan's version."""

import pytest
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.programs.models import AllocationCell, Plan, Target

ND1 = "1719.GD1.DA8.ND1"
ND4 = "1719.GD1.DA8.ND4"
DAY = "2023-01-10"


def _url(name: str, plan: Plan) -> str:
    return reverse(f"api:{name}", kwargs={"pk": plan.pk})


def _fields(response) -> set[str]:
    return {problem["field"] for problem in response.json().get("errors", [])}


def _codes(response) -> set[str]:
    return {problem["code"] for problem in response.json().get("errors", [])}


def _if_match(plan: Plan) -> dict[str, str]:
    return {"If-Match": f'"{plan.version}"'}


def _bases(plan: Plan) -> list[int]:
    return list(plan.legal_bases.order_by("order").values_list("document_id", flat=True))


def _focus_rows(plan: Plan) -> list[dict[str, str]]:
    return [
        {"content": f.content.code, "body": f.body}
        for f in plan.focuses.select_related("content").order_by("order")
    ]


# --- legal bases ---------------------------------------------------------------------------------


def test_a_reader_reads_the_legal_bases_with_the_version(api, ba_trang_plan, fatherland_front):
    response = api(fatherland_front).get(_url("plan_legal_bases", ba_trang_plan))

    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{ba_trang_plan.version}"'
    assert [row["document"] for row in response.json()["legal_bases"]] == _bases(ba_trang_plan)
    assert response.json()["legal_bases"][0]["reference"]


def test_the_officer_reorders_and_adds_a_new_document(api, ba_trang_plan, commune_officer):
    old = _bases(ba_trang_plan)
    new = {
        "kind": "quyet_dinh",
        "number": "12",
        "symbol": "QĐ-UBND",
        "issued_on": "2023-01-10",
        "issuer": "UBND huyện Ba Tơ",
        "title": "Giao chỉ tiêu",
    }
    body = {"legal_bases": [{"document": pk} for pk in reversed(old)] + [new]}

    response = api(commune_officer).put(
        _url("plan_legal_bases", ba_trang_plan),
        body,
        format="json",
        headers=_if_match(ba_trang_plan),
    )

    ba_trang_plan.refresh_from_db()
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{ba_trang_plan.version}"'
    assert _bases(ba_trang_plan)[:4] == list(reversed(old))
    assert len(_bases(ba_trang_plan)) == 5
    assert response.json()["legal_bases"][4]["number"] == "12"
    assert AuditEvent.objects.filter(action="programs.plan.legal_bases_changed").count() == 1


def test_a_bad_legal_basis_is_a_400_by_row_and_nothing_is_saved(
    api, ba_trang_plan, commune_officer
):
    old, version = _bases(ba_trang_plan), ba_trang_plan.version
    body = {
        "legal_bases": [
            {"document": old[0]},
            {"kind": "quyet_dinh", "number": "5"},
            {"kind": "nonsense", "number": "6", "symbol": "QĐ", "issuer": "X", "issued_on": DAY},
        ],
        "version": version,
    }

    response = api(commune_officer).put(
        _url("plan_legal_bases", ba_trang_plan), body, format="json"
    )

    ba_trang_plan.refresh_from_db()
    assert response.status_code == 400, response.content
    assert {"legal_bases.1.symbol", "legal_bases.1.issued_on"} <= _fields(response)
    assert "legal_bases.2.kind" in _fields(response)
    assert _bases(ba_trang_plan) == old and ba_trang_plan.version == version


def test_a_document_dated_after_the_plan_is_refused(api, ba_trang_plan, commune_officer):
    late = {
        "kind": "quyet_dinh",
        "number": "9",
        "symbol": "QĐ-UBND",
        "issued_on": "2023-12-01",
        "issuer": "UBND xã",
    }
    response = api(commune_officer).put(
        _url("plan_legal_bases", ba_trang_plan),
        {"legal_bases": [late], "version": ba_trang_plan.version},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert "legal_bases.0.issued_on" in _fields(response)
    assert "after_plan" in _codes(response)


# --- focus contents ------------------------------------------------------------------------------


def test_the_officer_changes_a_focus_text(api, ba_trang_plan, commune_officer):
    rows = _focus_rows(ba_trang_plan)
    rows[0]["body"] = "Tuyên truyền\nTập huấn"

    response = api(commune_officer).put(
        _url("plan_focus", ba_trang_plan),
        {"focuses": rows, "version": ba_trang_plan.version},
        format="json",
    )

    ba_trang_plan.refresh_from_db()
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{ba_trang_plan.version}"'
    focus = ba_trang_plan.focuses.get(content__code=ND1)
    assert focus.body == "Tuyên truyền\nTập huấn"
    assert response.json()["focuses"][0] == {
        "content": ND1,
        "name": response.json()["focuses"][0]["name"],
        "body": "Tuyên truyền\nTập huấn",
    }


def test_a_content_holding_data_is_not_taken_out(api, ba_trang_plan, commune_officer):
    rows, version = _focus_rows(ba_trang_plan), ba_trang_plan.version
    kept = [row for row in rows if row["content"] != ND4]

    response = api(commune_officer).put(
        _url("plan_focus", ba_trang_plan), {"focuses": kept, "version": version}, format="json"
    )

    ba_trang_plan.refresh_from_db()
    assert response.status_code == 400, response.content
    assert f"focuses.{ND4}" in _fields(response) and "has_data" in _codes(response)
    assert _focus_rows(ba_trang_plan) == rows and ba_trang_plan.version == version


def test_an_empty_text_unknown_or_repeated_content_is_a_400(api, ba_trang_plan, commune_officer):
    rows, version = _focus_rows(ba_trang_plan), ba_trang_plan.version
    client = api(commune_officer)
    url = _url("plan_focus", ba_trang_plan)

    empty = [dict(rows[0], body="  "), *rows[1:]]
    unknown = [*rows, {"content": "NO.SUCH", "body": "x"}]
    twice = [*rows, rows[0]]
    answers = [
        client.put(url, {"focuses": body, "version": version}, format="json")
        for body in (empty, unknown, twice)
    ]

    assert [a.status_code for a in answers] == [400, 400, 400]
    assert f"focuses.{ND1}" in _fields(answers[0])
    assert f"focuses.{len(rows)}.content" in _fields(answers[1])
    assert f"focuses.{len(rows)}.content" in _fields(answers[2])
    ba_trang_plan.refresh_from_db()
    assert _focus_rows(ba_trang_plan) == rows and ba_trang_plan.version == version


# --- responsibilities ----------------------------------------------------------------------------


def test_the_officer_sets_the_responsibilities(api, ba_trang_plan, commune_officer):
    body = {
        "responsibilities": [
            {"agency": "Hội LHPN xã", "body": "Chủ trì\n\n Báo cáo "},
            {"agency": "Trạm Y tế xã", "body": "Phối hợp"},
        ]
    }

    response = api(commune_officer).put(
        _url("plan_responsibilities", ba_trang_plan),
        body,
        format="json",
        headers=_if_match(ba_trang_plan),
    )

    ba_trang_plan.refresh_from_db()
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{ba_trang_plan.version}"'
    assert response.json()["responsibilities"] == [
        {"agency": "Hội LHPN xã", "body": "Chủ trì\nBáo cáo"},
        {"agency": "Trạm Y tế xã", "body": "Phối hợp"},
    ]
    assert ba_trang_plan.responsibilities.count() == 2


def test_a_responsibility_without_agency_is_a_400_and_nothing_saved(
    api, ba_trang_plan, commune_officer
):
    before, version = (
        list(ba_trang_plan.responsibilities.values_list("agency", "body")),
        (ba_trang_plan.version),
    )
    response = api(commune_officer).put(
        _url("plan_responsibilities", ba_trang_plan),
        {"responsibilities": [{"agency": "", "body": "Việc"}], "version": version},
        format="json",
    )

    ba_trang_plan.refresh_from_db()
    assert response.status_code == 400, response.content
    assert "responsibilities.0.agency" in _fields(response)
    assert list(ba_trang_plan.responsibilities.values_list("agency", "body")) == before
    assert ba_trang_plan.version == version


# --- access and versions (all three) -------------------------------------------------------------

PARTS = ["plan_legal_bases", "plan_focus", "plan_responsibilities"]


@pytest.mark.parametrize("name", PARTS)
def test_readers_and_the_district_are_refused_before_the_body(
    api, ba_trang_plan, fatherland_front, commune_leader, district_reviewer, name
):
    version = ba_trang_plan.version
    for persona in (fatherland_front, commune_leader, district_reviewer):
        response = api(persona).put(_url(name, ba_trang_plan), {"nonsense": True}, format="json")
        assert response.status_code == 403, (persona, response.content)
    ba_trang_plan.refresh_from_db()
    assert ba_trang_plan.version == version


@pytest.mark.parametrize("name", PARTS)
def test_an_outsider_gets_404_reading_or_writing(api, ba_trang_plan, other_commune_officer, name):
    client = api(other_commune_officer)
    assert client.get(_url(name, ba_trang_plan)).status_code == 404
    response = client.put(_url(name, ba_trang_plan), {"nonsense": True}, format="json")
    assert response.status_code == 404


def _valid_body(name: str, plan: Plan) -> dict:
    if name == "plan_legal_bases":
        return {"legal_bases": [{"document": pk} for pk in reversed(_bases(plan))]}
    if name == "plan_focus":
        rows = _focus_rows(plan)
        rows[0]["body"] = "Văn bản mới"
        return {"focuses": rows}
    return {"responsibilities": [{"agency": "UBND xã", "body": "Chỉ đạo"}]}


@pytest.mark.parametrize("name", PARTS)
def test_without_a_version_428_and_a_stale_one_409(api, ba_trang_plan, commune_officer, name):
    client = api(commune_officer)
    url = _url(name, ba_trang_plan)
    body = _valid_body(name, ba_trang_plan)
    stale = ba_trang_plan.version
    Plan.objects.filter(pk=ba_trang_plan.pk).update(version=stale + 1)

    missing = client.put(url, body, format="json")
    conflict = client.put(url, {**body, "version": stale}, format="json")

    assert missing.status_code == 428, missing.content
    assert conflict.status_code == 409, conflict.content
    ba_trang_plan.refresh_from_db()
    assert ba_trang_plan.version == stale + 1


def test_an_approved_plan_is_refused(api, ba_trang_plan, commune_officer):
    Plan.objects.filter(pk=ba_trang_plan.pk).update(status=Plan.Status.APPROVED)
    response = api(commune_officer).put(
        _url("plan_responsibilities", ba_trang_plan),
        {"responsibilities": [], "version": ba_trang_plan.version},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert ba_trang_plan.responsibilities.count() == 4


def test_an_unknown_content_is_named_in_english(api, ba_trang_plan, commune_officer):
    rows = [*_focus_rows(ba_trang_plan), {"content": "NO.SUCH", "body": "x"}]
    response = api(commune_officer, language="en").put(
        _url("plan_focus", ba_trang_plan),
        {"focuses": rows, "version": ba_trang_plan.version},
        format="json",
    )

    assert response.status_code == 400, response.content
    messages = [p["message"] for p in response.json()["errors"]]
    assert "No content of the program has the code “NO.SUCH”." in messages


def test_a_content_without_data_is_taken_out_and_added_back(api, ba_trang_plan, commune_officer):
    prefix = f"{ND4}."
    Target.objects.filter(plan=ba_trang_plan, element__code__startswith=prefix).delete()
    AllocationCell.objects.filter(
        row__plan=ba_trang_plan, column__element__code__startswith=prefix
    ).update(value=0)
    ba_trang_plan.events.filter(activity__code__startswith=prefix).delete()
    rows = _focus_rows(ba_trang_plan)
    client = api(commune_officer)
    url = _url("plan_focus", ba_trang_plan)

    out = client.put(
        url,
        {"focuses": [r for r in rows if r["content"] != ND4], "version": ba_trang_plan.version},
        format="json",
    )

    assert out.status_code == 200, out.content
    assert ND4 not in [f["content"] for f in out.json()["focuses"]]
    assert ND4 in [c["content"] for c in out.json()["available"]]
    back = client.put(url, {"focuses": rows}, format="json", headers={"If-Match": out["ETag"]})
    assert back.status_code == 200, back.content
    assert [f["content"] for f in back.json()["focuses"]] == [r["content"] for r in rows]
    assert back.json()["available"] == []
