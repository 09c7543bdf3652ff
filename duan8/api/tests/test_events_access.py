"""Who may record an event through the API, as the unit is checked before the body: a unit the
caller cannot see is 404, one they may read but not record in is 403, both before anything is
written. Read rights reach a merged unit's predecessors; the right to record does not."""

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import Event
from duan8.api.tests.test_events import new_body, post
from duan8.programs.models import Plan, ProgramElement


def test_the_officer_of_the_merged_commune_reads_ba_trang_but_may_not_record_there(
    api, ba_trang_plan, villages, ba_trang_merger
):
    officer = UserFactory(username="hlhpn.dangthuytram")
    membership(officer, ba_trang_merger, "commune_wu_officer")

    answer = post(api(officer), new_body(ba_trang_plan, villages["Bùi Hui"]))

    assert answer.status_code == 403
    assert not Event.objects.exists()


def test_an_officer_of_an_unrelated_commune_does_not_see_ba_trang(
    api, ba_trang_plan, villages, ba_trang_merger, other_commune_officer
):
    answer = post(api(other_commune_officer), new_body(ba_trang_plan, villages["Bùi Hui"]))

    assert answer.status_code == 404
    assert not Event.objects.exists()


def test_a_unit_above_a_commune_is_not_found_even_by_one_who_reads_it(
    api, ba_trang_plan, ba_to, district_reviewer
):
    answer = post(api(district_reviewer), new_body(ba_trang_plan, ba_to))

    assert answer.status_code == 404
    assert not Event.objects.exists()


# --- the plan, the unit and the activity, each read by what the body names -------------------


def test_an_id_no_column_can_hold_is_not_found_and_nothing_is_written(
    api, ba_trang_plan, villages, commune_officer
):
    client = api(commune_officer)
    huge_unit = new_body(ba_trang_plan, villages["Bùi Hui"]) | {"org_unit": 10**30}
    huge_plan = new_body(ba_trang_plan, villages["Bùi Hui"]) | {"plan": 10**30}

    unit = post(client, huge_unit)
    plan = post(client, huge_plan, key="k-events-0002")

    assert unit.status_code == 404
    assert plan.status_code == 400 and plan.json()["errors"][0]["field"] == "plan"
    assert not Event.objects.exists()


def test_a_plan_of_another_commune_is_refused(
    api, ba_trang_plan, villages, commune_officer, ba_kham
):
    other_plan = Plan.objects.create(
        project=ba_trang_plan.project, issuing_unit=ba_kham, year=2023, title="Kế hoạch"
    )

    answer = post(api(commune_officer), new_body(other_plan, villages["Bùi Hui"]))

    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "plan"
    assert not Event.objects.exists()


def test_an_activity_outside_the_plans_project_or_unknown_is_refused(
    api, ba_trang_plan, villages, commune_officer
):
    programme = ba_trang_plan.project.parent
    ProgramElement.objects.create(
        parent=programme, kind="activity", code="1719.GD1.DA1.HD1", title="Hoạt động khác"
    )
    client = api(commune_officer)

    elsewhere = post(
        client, new_body(ba_trang_plan, villages["Bùi Hui"], activity="1719.GD1.DA1.HD1")
    )
    unknown = post(
        client,
        new_body(ba_trang_plan, villages["Bùi Hui"], activity="1719.GD1.DA8.ND9"),
        key="k-events-0002",
    )
    known = post(client, new_body(ba_trang_plan, villages["Bùi Hui"]), key="k-events-0003")

    for answer in (elsewhere, unknown):
        assert answer.status_code == 400
        assert answer.json()["errors"][0]["field"] == "activity"
    assert known.status_code == 201
    assert Event.objects.count() == 1
