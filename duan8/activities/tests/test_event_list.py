"""The list of events of a commune, as its readers see it: each line's cells, who is offered
"Record an event", and a fixed number of queries whatever the number of events."""

import datetime

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.programs.models import ProgramElement

SESSIONS = "1719.GD1.DA8.ND1.HD2.2"
# The session, the user and the memberships (each request), then the unit, its plans, its
# villages, the plan's activities, the count and the page of events.
LIST_QUERIES = 9


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def record(
    actor, plan, unit, *, title="Truyền thông xóa bỏ tảo hôn", on=datetime.date(2023, 11, 5)
):
    return event_create(
        actor=actor,
        data=EventInput(
            plan=plan,
            activity=ProgramElement.objects.get(code=SESSIONS),
            kind="communication",
            title=title,
            held_on=on,
            org_unit=unit,
            counts=[CountInput("F", True, "adult", 20), CountInput("M", True, "adult", 8)],
            cost=1500000,
        ),
    )


def list_page(client, unit):
    return client.get(reverse("activities:event_list", kwargs={"pk": unit.pk}) + "?year=2023")


def test_each_line_shows_the_event_with_its_totals(
    client, commune_officer, ba_trang, villages, ba_trang_plan
):
    event = record(commune_officer, ba_trang_plan, villages["Nước Đang"], title="Tảo hôn <b>")

    client.force_login(commune_officer)
    html = list_page(client, ba_trang).content.decode()

    (line,) = lxml.html.fromstring(html).xpath("//table[contains(@class, 'events')]/tbody/tr")
    cells = {td.get("data-label"): " ".join(td.text_content().split()) for td in line}
    assert cells == {
        "Date held": "05/11/2023",
        "Held in": "Thôn Nước Đang",
        "Kind of event": "Communication session",
        "Title": "Tảo hôn <b>",  # shown as typed, not as markup
        "Plan activity": cells["Plan activity"],
        "Participants (women/men)": "28 (20/8)",
        "Cost (đồng)": "1.500.000",
        "Files": "0",
    }
    assert cells["Plan activity"].startswith("1.2.2 ")
    assert line.xpath(".//a/@href") == [reverse("activities:event_detail", args=[event.pk])]


def test_only_those_who_may_record_are_offered_to(
    client, commune_officer, fatherland_front, ba_trang, villages, ba_trang_plan
):
    record(commune_officer, ba_trang_plan, villages["Bùi Hui"])
    create = reverse("activities:event_create", kwargs={"pk": ba_trang.pk})

    client.force_login(commune_officer)
    officer = list_page(client, ba_trang).content.decode()
    client.force_login(fatherland_front)
    front = list_page(client, ba_trang)

    assert create in officer and "Record an event" in officer
    assert front.status_code == 200 and "Truyền thông xóa bỏ tảo hôn" in front.content.decode()
    assert create not in front.content.decode()  # the Front reads, never records


def test_a_page_of_the_list_runs_a_fixed_number_of_queries(
    client, commune_officer, ba_trang, villages, ba_trang_plan, settings
):
    settings.PAGE_SIZE = 10
    record(commune_officer, ba_trang_plan, villages["Bùi Hui"])
    client.force_login(commune_officer)
    with CaptureQueriesContext(connection) as one:
        list_page(client, ba_trang)
    for day in range(1, 25):
        on = datetime.date(2023, 10, day)
        record(commune_officer, ba_trang_plan, villages["Kon Riêng"], on=on)

    with CaptureQueriesContext(connection) as many:
        response = list_page(client, ba_trang)

    assert len(response.context["page"].object_list) == 10
    assert len(one.captured_queries) == len(many.captured_queries) == LIST_QUERIES
