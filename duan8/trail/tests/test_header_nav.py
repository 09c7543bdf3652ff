"""The header's links (base.html): who sees which, and links reversed once a process (duan8_nav's
``nav_url``) that still follow the script prefix and the URL patterns, and a change of rights on
the next request."""

import lxml.html
import pytest
from django.test import override_settings
from django.urls import include, path, reverse, set_script_prefix

from duan8.accounts.models import Membership
from duan8.accounts.tests.factories import UserFactory, membership

# The project's URLs under /moved/: a ROOT_URLCONF for the test that changes every link.
urlpatterns = [path("moved/", include("duan8.urls"))]

pytestmark = pytest.mark.django_db  # ordered with the database tests: the roles are there

WORK = ["Work", "Events", "Groups", "Women cadres", "Difficulties"]
SHARED = ["Progress", "Dashboard", "Safe motherhood"]


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


JOBS = reverse("jobs:job_list")  # a page of every signed-in user, with the header


def header(client) -> lxml.html.HtmlElement:
    page = client.get(JOBS)
    assert page.status_code == 200
    return lxml.html.fromstring(page.content.decode()).xpath("//header")[0]


def nav_links(client) -> dict[str, str]:
    return {a.text_content(): a.get("href") for a in header(client).xpath(".//nav/a")}


def hrefs(client) -> list[str]:
    found = header(client).xpath(".//a/@href | .//form/@action")
    assert len(found) > 3
    return found


@pytest.mark.parametrize(
    ("persona", "wanted"),
    [
        (
            "commune_officer",
            [*WORK, *SHARED, "Budget", "Entry without signal", "Users"],
        ),
        ("commune_leader", [*WORK, *SHARED, "Budget", "Audit"]),
        ("village_head", [*WORK, *SHARED, "Entry without signal"]),
        ("district_reviewer", ["Work", *SHARED, "Budget", "Audit"]),
        ("fatherland_front", [*WORK, *SHARED, "Budget", "Audit"]),
    ],
)
def test_each_persona_sees_the_links_of_its_rights_and_no_other(client, persona, wanted, request):
    client.force_login(request.getfixturevalue(persona))

    assert list(nav_links(client)) == wanted


def test_a_user_without_a_role_sees_no_links_but_the_account_ones(client):
    client.force_login(UserFactory(username="khong.vai.tro"))

    assert nav_links(client) == {}
    assert reverse("logout") in hrefs(client)


def test_a_user_who_loses_a_role_sees_no_link_on_the_next_request(client, commune_officer):
    client.force_login(commune_officer)
    assert "Users" in nav_links(client)

    Membership.objects.filter(user=commune_officer).delete()

    assert nav_links(client) == {}


def test_a_user_given_a_role_sees_its_links_on_the_next_request(client, villages):
    user = UserFactory(username="moi.vao")
    client.force_login(user)
    assert nav_links(client) == {}

    membership(user, villages["Nước Đang"], "village_head")

    links = nav_links(client)
    assert links["Work"] == reverse("activities:unit_work", args=[villages["Nước Đang"].pk])
    assert "Entry without signal" in links


def test_the_links_follow_a_change_of_the_script_prefix(client, commune_officer):
    client.force_login(commune_officer)
    plain = hrefs(client)  # reversed, so cached, under "/"

    set_script_prefix("/duan8/")
    try:
        prefixed = hrefs(client)
    finally:
        set_script_prefix("/")

    assert prefixed == ["/duan8" + href for href in plain]
    assert hrefs(client) == plain


def test_the_links_follow_a_change_of_the_url_patterns(client, commune_officer):
    client.force_login(commune_officer)
    plain = hrefs(client)

    with override_settings(ROOT_URLCONF=__name__):
        moved = client.get("/moved" + JOBS)
        found = lxml.html.fromstring(moved.content.decode()).xpath(
            "//header//a/@href | //header//form/@action"
        )

    assert moved.status_code == 200
    assert found == ["/moved" + href for href in plain]
    assert hrefs(client) == plain
