"""The plan page's cost (issue 18, point 5): a fixed number of queries, whatever the plan holds,
and the appendices in the plan's own order."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.orgunits.rollup import org_unit_rollup_forget
from duan8.programs.models import AllocationRow
from duan8.programs.tests import builders


def page(client, plan):
    org_unit_rollup_forget()  # each counted from nothing kept
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("programs:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(context.captured_queries)


def test_plan_page_runs_as_many_queries_for_a_long_plan_as_for_a_short_one(
    client, commune_officer, ba_trang, villages
):
    short = builders.plan(ba_trang, list(villages.values())[:1], year=2023)
    long = builders.plan(
        ba_trang,
        list(villages.values()) + builders.extra_villages(ba_trang, 6),
        year=2024,
        extra_indicators=8,
    )
    client.force_login(commune_officer)
    page(client, short)  # the session and the caches settle on the first page

    short_html, short_queries = page(client, short)
    long_html, long_queries = page(client, long)

    assert long_queries == short_queries
    assert long_html.count('<tr class="alloc-village">') == len(villages) + 6
    assert short_html.count('<tr class="alloc-village">') == 1
    assert "Chỉ số bổ sung 9" in long_html


def test_plan_page_lists_the_allocation_rows_in_the_plan_order(
    client, commune_officer, ba_trang, villages
):
    plan = builders.plan(ba_trang, list(villages.values()))
    rows = list(AllocationRow.objects.filter(plan=plan, kind=AllocationRow.Kind.VILLAGE))
    for order, row in enumerate(reversed(rows), start=10):  # the last village row first
        row.order = order
        row.save(update_fields=["order"])
    client.force_login(commune_officer)

    html, _ = page(client, plan)

    shown = re.findall(r'<tr class="alloc-village">\s*<td[^>]*>[^<]*</td>\s*<th[^>]*>([^<]*)', html)
    assert shown == [row.label for row in reversed(rows)]


def test_the_plan_is_read_by_its_id_and_another_communes_officer_gets_not_found(
    client, commune_officer, other_commune_officer, ba_trang, villages
):
    plan = builders.plan(ba_trang, list(villages.values()))
    client.force_login(commune_officer)
    page(client, plan)  # the session and the caches settle on the first page

    with CaptureQueriesContext(connection) as context:
        client.get(reverse("programs:plan_detail", args=[plan.pk]))
    plan_reads = [q["sql"] for q in context.captured_queries if 'FROM "programs_plan"' in q["sql"]]

    # one read of the plan, without the visible units' subquery (the access function decides)
    assert len(plan_reads) == 1 and "orgunits_orgunitsuccession" not in plan_reads[0]
    client.force_login(other_commune_officer)
    assert client.get(reverse("programs:plan_detail", args=[plan.pk])).status_code == 404
