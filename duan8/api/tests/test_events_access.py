"""Who may record an event through the API, as the unit is checked before the body: a unit the
caller cannot see is 404, one they may read but not record in is 403, both before anything is
written. Read rights reach a merged unit's predecessors; the right to record does not."""

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import Event
from duan8.api.tests.test_events import new_body, post


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
