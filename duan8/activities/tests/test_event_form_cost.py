"""What the entry form reads: a fixed number of queries, whatever the user recorded before; a
refused POST shows the form as the GET does (the kind each activity calls for included)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duan8.activities.models import Event
from duan8.activities.tests.test_events import DIALOGUES, activity, create_url, form_data, record


def kinds_offered(html: str) -> dict[str, str]:
    select = re.search(r'<select name="activity".*?</select>', html, re.S)
    assert select is not None
    return dict(re.findall(r'<option value="(\d+)"[^>]*data-kind="(\w+)"', select.group(0)))


def test_the_entry_form_runs_a_fixed_number_of_queries(
    client, ba_trang, villages, commune_officer, ba_trang_plan, indicator_rules, ethnic_groups
):
    client.force_login(commune_officer)
    client.get(create_url(ba_trang))
    with CaptureQueriesContext(connection) as first:
        client.get(create_url(ba_trang))
    for village in villages.values():
        record(commune_officer, ba_trang_plan, village)

    with CaptureQueriesContext(connection) as later:
        html = client.get(create_url(ba_trang)).content.decode()

    assert len(later.captured_queries) == len(first.captured_queries) == ENTRY_QUERIES
    assert re.search(r'<option value="\d+" selected>Thôn ', html)  # the last event's village


# the session, the user, the memberships; the unit with its villages, the plans, the activities
# with the user's habit (kinds), the rules, the groups, the user's last event, the locks
ENTRY_QUERIES = 10  # 12 before the villages came with the unit and the habit with the activities


def test_a_refused_entry_shows_the_kinds_of_the_activities_as_the_form_does(
    client, ba_trang_plan, village_head, villages, indicator_rules
):
    nuoc_dang = villages["Nước Đang"]
    client.force_login(village_head)
    shown = client.get(create_url(nuoc_dang)).content.decode()

    refused = client.post(create_url(nuoc_dang), form_data(ba_trang_plan, nuoc_dang, title=""))

    assert refused.status_code == 200
    assert kinds_offered(refused.content.decode()) == kinds_offered(shown)
    assert kinds_offered(shown)[str(activity(DIALOGUES).pk)] == "dialogue"
    assert not Event.objects.exists()
