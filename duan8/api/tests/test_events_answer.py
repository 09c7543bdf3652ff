"""The answer to recording an event is built from what was written, not read back: it must be the
event as GET /api/v1/events/<id>/ gives it, byte for byte, with the same ETag."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duan8.activities.models import Event
from duan8.api.tests.test_events import detail, new_body, post
from duan8.core.models import AuditEvent


def recorded_and_read(client, body):
    created = post(client, body, key="k-answer-0001")
    assert created.status_code == 201, created.content
    read = client.get(detail(Event.objects.get(pk=created.json()["id"])))
    return created, read


def test_the_answer_is_the_event_as_read_with_its_counts_in_order(
    api, ba_trang_plan, villages, commune_officer
):
    client = api(commune_officer)
    body = new_body(
        ba_trang_plan,
        villages["Bùi Hui"],
        title="  Truyền thông <phòng> & chống  ",
        notes="Ghi chú",
        ended_on="2023-11-21",
        counts=[
            {"sex": "M", "minority": False, "age_group": "child", "count": 2},
            {"sex": "F", "minority": False, "age_group": "adult", "count": 5},
            {"sex": "F", "minority": True, "age_group": "child", "count": 4},
            {"sex": "F", "minority": True, "age_group": "adult", "count": 0},
            {"sex": "M", "minority": True, "age_group": "adult", "count": 3},
            {"sex": "M", "minority": True, "age_group": "adult", "count": 1},
        ],
    )

    created, read = recorded_and_read(client, body)

    assert created.json() == read.json()
    assert created["ETag"] == read["ETag"]
    assert created.json()["title"] == "Truyền thông <phòng> & chống"
    assert [(c["sex"], c["minority"], c["age_group"]) for c in created.json()["counts"]] == [
        ("F", True, "child"),
        ("F", False, "adult"),
        ("M", True, "adult"),
        ("M", False, "child"),
    ]
    assert created.json()["participants_total"] == 15
    assert created.json()["women_total"] == 9


def test_the_answer_of_a_named_list_is_the_event_as_read(
    api, ba_trang_plan, villages, commune_officer, ethnic_groups
):
    people = [
        {"full_name": "Đinh Thị Bùi", "sex": "F", "ethnic_group": "19", "birth_year": 1988},
        {"full_name": "Phạm Văn Hui", "sex": "M", "ethnic_group": "19", "birth_year": 2012},
        {"full_name": "Nguyễn Thị Lan", "sex": "F", "ethnic_group": "01"},
    ]
    body = new_body(
        ba_trang_plan, villages["Nước Đang"], kind="training", counts=[], participants=people
    )

    created, read = recorded_and_read(api(commune_officer), body)

    assert created.json() == read.json()
    assert created.json()["has_participant_list"] is True


def test_recording_reads_nothing_back_after_writing(api, ba_trang_plan, villages, commune_officer):
    client = api(commune_officer)
    post(client, new_body(ba_trang_plan, villages["Nước Đang"]), key="k-answer-warm")

    with CaptureQueriesContext(connection) as queries:
        created = post(client, new_body(ba_trang_plan, villages["Bùi Hui"]), key="k-answer-0002")

    assert created.status_code == 201
    sql = [q["sql"] for q in queries.captured_queries]
    written = max(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "activities_event"'))
    # neither the answer nor the audit entry (its participants: those just written) reads back
    assert [s for s in sql[written:] if s.startswith("SELECT")] == []


def test_the_audit_entry_of_a_recorded_event_counts_its_participants(
    api, ba_trang_plan, villages, commune_officer, ethnic_groups
):
    client = api(commune_officer)
    counts = [
        {"sex": "F", "minority": True, "age_group": "adult", "count": 12},
        {"sex": "M", "minority": False, "age_group": "child", "count": 0},
        {"sex": "M", "minority": True, "age_group": "adult", "count": 5},
    ]
    people = [
        {"full_name": "Đinh Thị Bùi", "sex": "F", "ethnic_group": "19", "birth_year": 1988},
        {"full_name": "Phạm Văn Hui", "sex": "M", "ethnic_group": "19", "birth_year": 2012},
    ]

    by_counts = post(
        client, new_body(ba_trang_plan, villages["Bùi Hui"], counts=counts), key="k-audit-0001"
    )
    by_list = post(
        client,
        new_body(
            ba_trang_plan, villages["Nước Đang"], kind="training", counts=[], participants=people
        ),
        key="k-audit-0002",
    )

    for answer, total in ((by_counts, 17), (by_list, 2)):
        assert answer.status_code == 201, answer.content
        entry = AuditEvent.objects.get(
            action="activities.event.created", target_id=str(answer.json()["id"])
        )
        assert entry.after["participants"] == total == answer.json()["participants_total"]


def test_each_answer_is_built_with_its_own_fields(api, ba_trang_plan, villages, commune_officer):
    from duan8.activities.selectors.events import event_list
    from duan8.api.endpoints.events.serializers import EventDetailOut, EventOut, counts_attach

    client = api(commune_officer)
    first = post(
        client,
        new_body(ba_trang_plan, villages["Bùi Hui"], title="Truyền thông buổi một"),
        key="k-own-0001",
    )
    second = post(
        client,
        new_body(ba_trang_plan, villages["Nước Đang"], title="Truyền thông buổi hai"),
        key="k-own-0002",
    )
    events = counts_attach(list(event_list(actor=commune_officer).order_by("pk")))
    for event in events:
        event.has_participant_list = False

    one, two = EventDetailOut(events[0]), EventDetailOut(events[1])

    assert one.fields["title"] is not two.fields["title"]
    assert one.fields["title"].parent is one and two.fields["title"].parent is two
    assert (one.data["title"], two.data["title"]) == (
        "Truyền thông buổi một",
        "Truyền thông buổi hai",
    )
    assert one.data == first.json() and two.data == second.json()
    assert "has_participant_list" not in EventOut(events[0]).data
