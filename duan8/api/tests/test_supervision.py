"""Supervision over the API: sessions with findings and recommendations, recommendations followed
to their answer, and the social feedback on a draft plan, through the pages' services."""

import datetime
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.programs.models import Plan
from duan8.supervision.models import Finding, PlanComment, Recommendation, Session
from duan8.supervision.services import SessionInput, session_create
from duan8.supervision.tests.samples import supervision_samples
from duan8.testing import event_samples

SESSIONS = "/api/v1/supervision/sessions/"
RECOMMENDATIONS = "/api/v1/supervision/recommendations/"
KEY = {"Idempotency-Key": "k-12345678"}


@pytest.fixture
def sup(
    ba_trang,
    ba_kham,
    villages,
    ba_trang_plan,
    commune_officer,
    commune_leader,
    other_commune_officer,
    district_reviewer,
    fatherland_front,
    ethnic_groups,
) -> dict[str, Any]:
    d: dict[str, Any] = {
        "ba_trang": ba_trang,
        "ba_kham": ba_kham,
        "villages": villages,
        "plan": ba_trang_plan,
        "events": event_samples(ba_trang_plan, villages, commune_officer),
        "personas": {"fatherland_front": fatherland_front},
    }
    d.update(supervision_samples(d))
    return d


def _session_body(sup: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body = {
        "org_unit": sup["ba_trang"].pk,
        "body": "fatherland_front",
        "title": "Giám sát chính sách hỗ trợ phụ nữ",
        "subject": "policy",
        "policy": "Dự án 8",
        "starts_on": "2023-12-04",
        "members": ["Đinh Văn Mặt", "Phạm Thị Sáu"],
        "methods": ["documents", "interviews"],
    }
    body.update(overrides)
    return body


def _fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


# --- sessions: read ----------------------------------------------------------------------------


def test_the_front_lists_its_sessions_with_counts_and_no_names(api, sup, fatherland_front):
    response = api(fatherland_front).get(SESSIONS)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == sup["session"].pk
    assert row["org_unit"]["id"] == sup["ba_trang"].pk
    assert (row["status"], row["findings"], row["recommendations"]) == ("held", 1, 1)
    assert "members" not in row
    assert "Đinh Văn Mặt" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("year=2023", 1),
        ("year=2024", 0),
        ("org_unit={ba_trang}", 1),
        ("org_unit={village}", 0),
        ("org_unit={ba_kham}", 0),
        ("updated_since=2100-01-01", 0),
    ],
)
def test_the_session_list_filters(api, sup, fatherland_front, query, count):
    query = query.format(
        ba_trang=sup["ba_trang"].pk,
        village=sup["villages"]["Bùi Hui"].pk,
        ba_kham=sup["ba_kham"].pk,
    )

    response = api(fatherland_front).get(f"{SESSIONS}?{query}")

    assert response.status_code == 200
    assert len(response.json()["results"]) == count


def test_a_bad_year_is_a_400_naming_it(api, sup, fatherland_front):
    response = api(fatherland_front).get(f"{SESSIONS}?year=twenty")

    assert response.status_code == 400
    assert _fields(response) == {"year"}


def test_another_commune_sees_no_session(api, sup, other_commune_officer):
    listed = api(other_commune_officer).get(SESSIONS)
    detail = api(other_commune_officer).get(f"{SESSIONS}{sup['session'].pk}/")

    assert listed.status_code == 200 and listed.json()["results"] == []
    assert detail.status_code == 404
    assert "Bùi Hui" not in detail.content.decode()


def test_the_session_list_pages_in_a_fixed_number_of_queries(
    api, sup, fatherland_front, django_assert_num_queries
):
    client = api(fatherland_front)
    client.get(SESSIONS)  # once, so that the caches of the first request are filled
    with CaptureQueriesContext(connection) as one:
        client.get(SESSIONS)
    for n in range(4):
        session_create(
            actor=fatherland_front,
            unit=sup["villages"]["Nước Đang"],
            data=SessionInput(
                body="fatherland_front",
                title=f"Giám sát {n}",
                subject="policy",
                policy="Dự án 8",
                starts_on=datetime.date(2023, 10, 1 + n),
                methods=["documents"],
            ),
        )

    with django_assert_num_queries(len(one)):
        response = client.get(SESSIONS)

    assert len(response.json()["results"]) == 5


def test_the_session_shows_findings_recommendations_and_the_minutes_link(
    api, sup, fatherland_front
):
    response = api(fatherland_front).get(f"{SESSIONS}{sup['session'].pk}/")

    assert response.status_code == 200
    data = response.json()
    assert response["ETag"] == f'"{sup["session"].version}"'
    assert data["members"] == ["Đinh Văn Mặt"] and data["members_count"] == 1
    assert data["event"]["id"] == sup["events"]["event"].pk
    assert [f["text"] for f in data["findings"]] == ["Thôn Bùi Hui: danh sách thiếu chữ ký"]
    [recommendation] = data["recommendations"]
    assert recommendation["addressee"]["id"] == sup["ba_trang"].pk
    assert (recommendation["status"], recommendation["overdue"]) == ("open", False)
    assert data["minutes"]["name"] == "bien-ban.pdf"
    assert data["minutes"]["download"] == reverse(
        "supervision:minutes_download", args=[sup["session"].pk]
    )
    assert "file" not in data["minutes"]


def test_a_reader_without_the_personal_right_gets_the_members_count_only(api, sup, commune_leader):
    response = api(commune_leader).get(f"{SESSIONS}{sup['session'].pk}/")

    assert response.status_code == 200
    assert response.json()["members"] is None
    assert response.json()["members_count"] == 1
    assert "Đinh Văn Mặt" not in response.content.decode()


# --- sessions: write ---------------------------------------------------------------------------


def test_the_front_records_a_session_once_however_often_it_is_sent(api, sup, fatherland_front):
    client = api(fatherland_front)

    first = client.post(SESSIONS, _session_body(sup), format="json", headers=KEY)
    again = client.post(SESSIONS, _session_body(sup), format="json", headers=KEY)

    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert Session.objects.filter(title="Giám sát chính sách hỗ trợ phụ nữ").count() == 1
    assert first["Location"] == f"{SESSIONS}{first.json()['id']}/"
    assert first.json()["members"] == ["Đinh Văn Mặt", "Phạm Thị Sáu"]
    assert AuditEvent.objects.filter(action="supervision.session.created").count() == 2


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"title": "", "methods": []}, {"title"}),
        ({"methods": ["singing"]}, {"methods.0"}),
        ({"starts_on": "04/12/2023"}, {"starts_on"}),
        ({"subject": "event", "event": None}, {"event"}),
        ({"subject": "event", "event": 999999}, {"event"}),
        ({"methods": []}, {"methods"}),
        ({"ends_on": "2023-01-01"}, {"ends_on"}),
    ],
)
def test_a_bad_session_is_a_400_by_field_and_nothing_is_saved(
    api, sup, fatherland_front, change, fields
):
    before = Session.objects.count()

    response = api(fatherland_front).post(
        SESSIONS, _session_body(sup, **change), format="json", headers=KEY
    )

    assert response.status_code == 400, response.content
    assert fields <= _fields(response)
    assert Session.objects.count() == before


def test_the_unit_is_checked_before_the_body(api, sup, other_commune_officer):
    before = Session.objects.count()

    unknown = api(other_commune_officer).post(
        SESSIONS, {"org_unit": sup["ba_trang"].pk, "title": ""}, format="json", headers=KEY
    )
    no_unit = api(other_commune_officer).post(SESSIONS, {}, format="json", headers=KEY)

    assert unknown.status_code == 404
    assert no_unit.status_code == 400 and _fields(no_unit) == {"org_unit"}
    assert Session.objects.count() == before


def test_the_commune_leader_cannot_record_a_supervision(api, sup, commune_leader):
    before = Session.objects.count()

    response = api(commune_leader, language="en").post(
        SESSIONS, _session_body(sup), format="json", headers=KEY
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Session.objects.count() == before


def test_a_read_only_token_cannot_record(api, sup, fatherland_front):
    before = Session.objects.count()

    response = api(fatherland_front, read_only=True).post(
        SESSIONS, _session_body(sup), format="json", headers=KEY
    )

    assert response.status_code == 403
    assert Session.objects.count() == before


def test_the_front_adds_a_finding_with_its_evidence(api, sup, fatherland_front):
    url = reverse("api:supervision_finding_create", args=[sup["session"].pk])
    event = sup["events"]["event"]

    response = api(fatherland_front).post(
        url,
        {"topic": "participation", "text": "Ít phụ nữ tham gia", "events": [event.pk]},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 201, response.content
    assert response.json()["events"] == [
        {"id": event.pk, "title": event.title, "held_on": event.held_on.isoformat()}
    ]
    assert Finding.objects.filter(session=sup["session"]).count() == 2


def test_a_finding_citing_an_unknown_event_is_refused(api, sup, fatherland_front):
    url = reverse("api:supervision_finding_create", args=[sup["session"].pk])

    response = api(fatherland_front).post(
        url, {"topic": "other", "text": "x", "events": [999999]}, format="json", headers=KEY
    )

    assert response.status_code == 400 and _fields(response) == {"events"}
    assert Finding.objects.filter(session=sup["session"]).count() == 1


def test_the_commune_officer_cannot_write_in_the_fronts_session(api, sup, commune_officer):
    # she supervises too (the WU), but is among the supervised: only her own sessions change
    client = api(commune_officer)
    session = sup["session"].pk

    finding = client.post(
        reverse("api:supervision_finding_create", args=[session]),
        {"topic": "other", "text": "x"},
        format="json",
        headers=KEY,
    )
    recommendation = client.post(
        reverse("api:supervision_recommendation_create", args=[session]),
        {"text": "x", "addressee": sup["ba_trang"].pk, "due_on": "2030-01-01"},
        format="json",
        headers={"Idempotency-Key": "k-other-123"},
    )

    assert finding.status_code == recommendation.status_code == 403
    assert Finding.objects.filter(session=sup["session"]).count() == 1
    assert Recommendation.objects.filter(session=sup["session"]).count() == 1


def test_the_front_makes_a_recommendation_to_a_village(api, sup, fatherland_front):
    url = reverse("api:supervision_recommendation_create", args=[sup["session"].pk])
    village = sup["villages"]["Bùi Hui"]

    response = api(fatherland_front).post(
        url,
        {
            "text": "Họp thôn công khai danh sách",
            "addressee": village.pk,
            "addressee_body": "Trưởng thôn",
            "due_on": "2030-03-31",
            "finding": sup["finding"].pk,
        },
        format="json",
        headers=KEY,
    )

    assert response.status_code == 201, response.content
    assert response.json()["addressee"]["id"] == village.pk
    assert response.json()["finding"] == sup["finding"].pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_on": "2020-01-01"}, "due_on"),
        ({"addressee": "ba_kham"}, "addressee"),
        ({"text": ""}, "text"),
    ],
)
def test_a_bad_recommendation_is_a_400_by_field(api, sup, fatherland_front, change, field):
    url = reverse("api:supervision_recommendation_create", args=[sup["session"].pk])
    body = {"text": "Bổ sung", "addressee": sup["ba_trang"].pk, "due_on": "2030-01-01"}
    body.update(change)
    if body["addressee"] == "ba_kham":
        body["addressee"] = sup["ba_kham"].pk

    response = api(fatherland_front).post(url, body, format="json", headers=KEY)

    assert response.status_code == 400
    assert _fields(response) == {field}
    assert Recommendation.objects.count() == 1


# --- recommendations ---------------------------------------------------------------------------


def test_the_recommendations_are_listed_to_both_sides(api, sup, fatherland_front, commune_officer):
    mine = api(commune_officer).get(RECOMMENDATIONS).json()["results"]
    front = api(fatherland_front).get(RECOMMENDATIONS).json()["results"]

    assert [r["id"] for r in mine] == [r["id"] for r in front] == [sup["recommendation"].pk]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("status=open", 1),
        ("status=accepted", 0),
        ("overdue=true", 1),
        ("overdue=false", 0),
        ("org_unit={ba_trang}", 1),
        ("org_unit={ba_kham}", 0),
    ],
)
def test_the_recommendation_list_filters(api, sup, fatherland_front, query, count):
    Recommendation.objects.update(due_on=datetime.date(2024, 1, 31))  # past: overdue

    response = api(fatherland_front).get(
        f"{RECOMMENDATIONS}?" + query.format(ba_trang=sup["ba_trang"].pk, ba_kham=sup["ba_kham"].pk)
    )

    assert response.status_code == 200
    assert len(response.json()["results"]) == count
    if count:
        assert response.json()["results"][0]["overdue"] is True


@pytest.mark.parametrize("query", ["status=closed", "overdue=maybe", "org_unit=x"])
def test_a_bad_recommendation_filter_is_a_400_naming_it(api, sup, fatherland_front, query):
    response = api(fatherland_front).get(f"{RECOMMENDATIONS}?{query}")

    assert response.status_code == 400
    assert _fields(response) == {query.split("=")[0]}


def test_another_commune_lists_no_recommendation(api, sup, other_commune_officer):
    response = api(other_commune_officer).get(RECOMMENDATIONS)

    assert response.status_code == 200 and response.json()["results"] == []


def test_the_recommendation_list_pages_in_a_fixed_number_of_queries(
    api, sup, fatherland_front, django_assert_num_queries
):
    client = api(fatherland_front)
    client.get(RECOMMENDATIONS)  # once, so that the caches of the first request are filled
    with CaptureQueriesContext(connection) as one:
        client.get(RECOMMENDATIONS)
    for n in range(4):
        Recommendation.objects.create(
            session=sup["session"],
            text=f"Kiến nghị {n}",
            addressee=sup["villages"]["Bùi Hui"],
            due_on=datetime.date(2030, 1, 1 + n),
        )

    with django_assert_num_queries(len(one)):
        response = client.get(RECOMMENDATIONS)

    assert len(response.json()["results"]) == 5


def _answer_url(sup: dict[str, Any]) -> str:
    return reverse("api:supervision_recommendation_answer", args=[sup["recommendation"].pk])


def test_the_addressee_answers_once_however_often_it_is_sent(api, sup, commune_officer):
    client = api(commune_officer)
    body = {"answer": "Đã bổ sung chữ ký", "version": 1}

    first = client.post(_answer_url(sup), body, format="json", headers=KEY)
    again = client.post(_answer_url(sup), body, format="json", headers=KEY)

    assert first.status_code == again.status_code == 200, first.content
    assert again["Idempotent-Replayed"] == "true"
    recommendation = Recommendation.objects.get(pk=sup["recommendation"].pk)
    assert (recommendation.status, recommendation.answered_by) == ("answered", commune_officer)
    assert AuditEvent.objects.filter(action="supervision.recommendation.answered").count() == 1
    assert first["ETag"] == f'"{recommendation.version}"'


@pytest.mark.parametrize("who", ["fatherland_front", "district_reviewer", "other_commune_officer"])
def test_only_the_addressee_answers(api, sup, request, who):
    response = api(request.getfixturevalue(who)).post(
        _answer_url(sup), {"answer": "Xong", "version": 1}, format="json", headers=KEY
    )

    assert response.status_code == (404 if who == "other_commune_officer" else 403)
    assert Recommendation.objects.get(pk=sup["recommendation"].pk).status == "open"


def test_an_empty_answer_is_a_400_and_a_stale_version_a_409(api, sup, commune_officer):
    client = api(commune_officer)

    empty = client.post(_answer_url(sup), {"answer": "", "version": 1}, format="json", headers=KEY)
    unsaid = client.post(
        _answer_url(sup), {"answer": "Xong"}, format="json", headers={"Idempotency-Key": "k-v-0001"}
    )
    stale = client.post(
        _answer_url(sup),
        {"answer": "Xong", "version": 7},
        format="json",
        headers={"Idempotency-Key": "k-stale-123"},
    )

    assert empty.status_code == 400 and _fields(empty) == {"answer"}
    assert unsaid.status_code == 428
    assert stale.status_code == 409
    assert Recommendation.objects.get(pk=sup["recommendation"].pk).status == "open"


def _post(client: Any, url: str, body: dict[str, Any], version: int) -> Any:
    return client.post(
        url,
        body,
        format="json",
        headers={"Idempotency-Key": f"k-{uuid.uuid4().hex}", "If-Match": f'"{version}"'},
    )


def test_the_front_keeps_an_answer_open_with_a_reason_then_accepts(
    api, sup, fatherland_front, commune_officer
):
    pk = sup["recommendation"].pk
    front, officer = api(fatherland_front), api(commune_officer)
    keep = reverse("api:supervision_recommendation_keep_open", args=[pk])
    accept = reverse("api:supervision_recommendation_accept", args=[pk])
    answered = _post(officer, _answer_url(sup), {"answer": "Đã xong"}, 1)

    silent = _post(front, keep, {}, 2)
    kept = _post(front, keep, {"note": "Còn thiếu"}, 2)
    again = _post(officer, _answer_url(sup), {"answer": "Đã đủ"}, 3)
    accepted = _post(front, accept, {}, 4)

    assert answered.status_code == 200 and answered["ETag"] == '"2"'
    assert silent.status_code == 400 and _fields(silent) == {"note"}
    assert kept.status_code == 200 and kept.json()["status"] == "open"
    assert again.status_code == 200
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert Recommendation.objects.get(pk=pk).status == "accepted"


def test_the_addressee_cannot_accept_its_own_answer(api, sup, commune_officer):
    client = api(commune_officer)
    _post(client, _answer_url(sup), {"answer": "Đã xong"}, 1)
    accept = reverse("api:supervision_recommendation_accept", args=[sup["recommendation"].pk])

    response = _post(client, accept, {}, 2)

    assert response.status_code == 403
    assert Recommendation.objects.get(pk=sup["recommendation"].pk).status == "answered"


# --- social feedback on the draft plan ---------------------------------------------------------


def _comments_url(sup: dict[str, Any]) -> str:
    return reverse("api:supervision_plan_comments", args=[sup["plan"].pk])


def test_the_plan_readers_see_its_comments(api, sup, commune_officer):
    response = api(commune_officer).get(_comments_url(sup))

    assert response.status_code == 200
    [comment] = response.json()["results"]
    assert (comment["body"], comment["handling"]) == ("fatherland_front", "waiting")
    assert comment["text"] == "Góp ý dự thảo 87/KH-UBND"


def test_the_front_comments_on_the_draft_once(api, sup, fatherland_front):
    client = api(fatherland_front)
    body = {"body": "fatherland_front", "text": "Thêm lớp cho thôn xa"}

    first = client.post(_comments_url(sup), body, format="json", headers=KEY)
    again = client.post(_comments_url(sup), body, format="json", headers=KEY)

    assert first.status_code == again.status_code == 201, first.content
    assert PlanComment.objects.filter(text="Thêm lớp cho thôn xa").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [({"body": "fatherland_front", "text": ""}, "text"), ({"body": "ubnd", "text": "x"}, "body")],
)
def test_a_bad_comment_is_a_400_by_field(api, sup, fatherland_front, body, field):
    response = api(fatherland_front).post(_comments_url(sup), body, format="json", headers=KEY)

    assert response.status_code == 400 and _fields(response) == {field}
    assert PlanComment.objects.count() == 1


def test_comments_are_taken_on_a_draft_only(api, sup, fatherland_front):
    Plan.objects.filter(pk=sup["plan"].pk).update(status=Plan.Status.APPROVED)

    response = api(fatherland_front, language="en").post(
        _comments_url(sup), {"body": "fatherland_front", "text": "Muộn"}, format="json", headers=KEY
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Comments are taken on a draft")
    assert PlanComment.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"), [("commune_leader", 403), ("other_commune_officer", 404)]
)
def test_others_cannot_comment(api, sup, request, who, status):
    response = api(request.getfixturevalue(who)).post(
        _comments_url(sup), {"body": "fatherland_front", "text": "x"}, format="json", headers=KEY
    )
    read = api(request.getfixturevalue(who)).get(_comments_url(sup))

    assert response.status_code == status
    assert read.status_code == (200 if who == "commune_leader" else 404)
    assert PlanComment.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "text"), [(None, "Ghi true hoặc false."), ("en", "true or false")]
)
def test_a_bad_filter_is_explained_in_the_callers_language(
    api, sup, fatherland_front, language, text
):
    response = api(fatherland_front, language=language).get(f"{RECOMMENDATIONS}?overdue=maybe")

    assert response.status_code == 400
    assert text in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            None,
            {"Trường này không được để trống.", "Không có bản ghi 999999 mà bạn được chọn ở đây."},
        ),
        ("en", {"This field may not be empty.", "No record 999999 that you may choose here."}),
    ],
)
def test_a_bad_body_is_explained_in_the_callers_language(
    api, sup, fatherland_front, language, texts
):
    body = _session_body(sup, title="", subject="event", event=999999)

    response = api(fatherland_front, language=language).post(
        SESSIONS, body, format="json", headers=KEY
    )

    assert response.status_code == 400
    assert {e["message"] for e in response.json()["errors"]} == texts
