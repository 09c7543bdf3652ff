"""The offline entry page's server side (issue 17): the data a phone keeps (only the user's own
reference lists, nobody's names), the page's access, the service worker and the manifest."""

from __future__ import annotations

import datetime
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from duan8.accounts.models import User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import Event
from duan8.offline import worker
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan
from duan8.testing import community_samples, event_samples

PAGE = "/nhap-ngoai-tuyen/"
DATA = "/nhap-ngoai-tuyen/du-lieu.json"
WORKER = "/sw.js"
MANIFEST = "/manifest.webmanifest"
BEFORE_REFORM = datetime.datetime(2025, 4, 1, 9, 0, tzinfo=datetime.UTC)
# The data of a user (session, memberships, plans, activities, groups): the same whatever the user
# records in, one village or a commune and its villages.
DATA_QUERIES = 12

# Names of people recorded by others (event_samples, community_samples, the mother below).
OTHER_PEOPLE = [
    "Đinh Thị Bùi",  # a participant of the Bùi Hui dialogue
    "Phạm Văn Hui",  # another participant
    "Phạm Thị Bùi",  # a member of Bùi Hui's communication team
    "Phạm Thị Hui",  # a woman cadre of Bùi Hui
    "Đinh Thị Lan",  # a mother proposed in Nước Đang, the head's own village
    "Đinh Văn Lũy",  # her carer
    "051198001234",  # her ID number
    "0905123456",  # her phone
    "Đinh Thị Hoa",  # the commune officer (a user)
]


def data_of(client: Client, user: User) -> dict[str, Any]:
    client.force_login(user)
    response = client.get(DATA)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    result: dict[str, Any] = response.json()
    return result


def person(username: str, full_name: str, unit: OrgUnit, role: str) -> User:
    user: User = UserFactory.create(username=username, full_name=full_name)
    membership(user, unit, role)
    return user


def propose_a_mother(ba_trang: OrgUnit) -> None:
    """Đinh Thị Lan of thôn Nước Đang, proposed by the commune's health station in April 2025."""
    from duan8.mothers.services.registry import mother_propose
    from duan8.mothers.tests.conftest import case_input

    station = person("tyt.batrang", "Trạm y tế xã Ba Trang", ba_trang, "commune_health_station")
    with time_machine.travel(BEFORE_REFORM, tick=False):
        mother_propose(actor=station, data=case_input())


# --- the data the phone keeps ----------------------------------------------------------------


def test_a_village_head_gets_his_village_the_plan_and_the_groups_and_nobody_s_names(
    client: Client,
    village_head: User,
    commune_officer: User,
    other_commune_officer: User,
    ba_trang_plan: Plan,
    villages: dict[str, OrgUnit],
    ba_kham_village: OrgUnit,
    ethnic_groups: dict[str, Any],
) -> None:
    event_samples(ba_trang_plan, villages, commune_officer)
    nuoc_dang = villages["Nước Đang"]
    community_samples(nuoc_dang.parent, villages)
    propose_a_mother(nuoc_dang.parent)

    client.force_login(village_head)
    text = client.get(DATA).content.decode()
    data = json.loads(text)

    events = data["events"]
    assert events["units"] == [
        {"id": nuoc_dang.pk, "name": "Thôn Nước Đang", "commune": nuoc_dang.parent_id}
    ]
    assert [(p["id"], p["year"], p["commune"]) for p in events["plans"]] == [
        (ba_trang_plan.pk, 2023, nuoc_dang.parent_id)
    ]
    codes = [a["code"] for a in events["plans"][0]["activities"]]
    assert "1719.GD1.DA8.ND1.HD2.2" in codes and "1719.GD1.DA8.ND3.HD1.2" in codes
    assert {"communication", "dialogue"} <= {value for value, _label in events["kinds"]}
    groups = data["ethnic_groups"]
    assert len(groups) == 54 and len({g["code"] for g in groups}) == 54
    assert {"code": "19", "name": "Hrê", "minority": True} in groups
    assert {"code": "01", "name": "Kinh", "minority": False} in groups
    assert events["rules"], "the entry rules of an event travel with the data"
    assert data["cases"] is None  # a village head proposes no mother
    for name in ["Bùi Hui", "Kon Riêng", "Ba Khâm", "Làng Rêu", *OTHER_PEOPLE]:
        assert name not in text, name


def test_an_officer_of_another_commune_gets_nothing_of_ba_trang(
    client: Client,
    other_commune_officer: User,
    ba_trang_plan: Plan,
    ba_kham_village: OrgUnit,
) -> None:
    text = json.dumps(data_of(client, other_commune_officer), ensure_ascii=False)
    data = json.loads(text)

    units = {unit["name"] for unit in data["events"]["units"]}
    assert "Xã Ba Khâm" in units and units <= {"Xã Ba Khâm", "Thôn Làng Rêu"}
    assert all(plan["id"] != ba_trang_plan.pk for plan in data["events"]["plans"])
    for name in ["Ba Trang", "Nước Đang", "Bùi Hui", "Kon Riêng"]:
        assert name not in text, name


def test_a_village_health_worker_gets_the_mothers_part_for_his_village_only(
    client: Client, villages: dict[str, OrgUnit], ethnic_groups: dict[str, Any]
) -> None:
    propose_a_mother(villages["Nước Đang"].parent)
    worker_user = person(
        "yt.nuocdang", "Đinh Thị Y", villages["Nước Đang"], "village_health_worker"
    )

    with time_machine.travel(BEFORE_REFORM, tick=False):
        client.force_login(worker_user)
        text = client.get(DATA).content.decode()
    data = json.loads(text)

    ba_trang = villages["Nước Đang"].parent
    (commune,) = data["cases"]["communes"]
    assert (commune["id"], commune["name"]) == (ba_trang.pk, "Xã Ba Trang")
    assert commune["villages"] == [{"id": villages["Nước Đang"].pk, "name": "Thôn Nước Đang"}]
    assert data["cases"]["rules"], "the entry rules of a proposal travel with the data"
    assert data["events"] is None  # a health worker records no event
    for name in ["Bùi Hui", "Kon Riêng", *OTHER_PEOPLE]:
        assert name not in text, name


def test_a_front_member_who_records_nothing_gets_no_events_nor_cases(
    client: Client, fatherland_front: User, ba_trang_plan: Plan, ethnic_groups: dict[str, Any]
) -> None:
    data = data_of(client, fatherland_front)

    assert data["events"] is None
    assert data["cases"] is None
    assert len(data["ethnic_groups"]) == 54


@pytest.mark.parametrize("persona", ["village_head", "commune_officer"])
def test_the_data_s_queries_are_bounded_however_many_villages(
    client: Client,
    persona: str,
    request: pytest.FixtureRequest,
    ba_trang_plan: Plan,
    villages: dict[str, OrgUnit],
    django_assert_max_num_queries: Any,
) -> None:
    user = request.getfixturevalue(persona)  # one village, or the commune and its three
    client.force_login(user)
    client.get(PAGE)  # the session is loaded once before

    with django_assert_max_num_queries(DATA_QUERIES):
        response = client.get(DATA)

    assert response.status_code == 200


def test_the_data_s_csrf_token_lets_the_page_send_an_entry(
    village_head: User, ba_trang_plan: Plan, villages: dict[str, OrgUnit]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(village_head)
    token = client.get(DATA).json()["csrf"]
    body = {
        "plan": ba_trang_plan.pk,
        "org_unit": villages["Nước Đang"].pk,
        "activity": "1719.GD1.DA8.ND1.HD2.2",
        "kind": "communication",
        "title": "Truyền thông ngoài vùng sóng",
        "held_on": "2023-11-20",
        "counts": [{"sex": "F", "minority": True, "age_group": "adult", "count": 12}],
    }

    def send(headers: dict[str, str]) -> tuple[int, str]:
        response = client.post(
            "/api/v1/events/",
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": "offline-0001", **headers},
        )
        return response.status_code, response.json().get("code", "")

    # without the token: refused with a code of its own (the page then reads a fresh token)
    assert send({}) == (403, "csrf_failed")
    assert not Event.objects.exists()
    assert send({"X-CSRFToken": token})[0] == 201
    assert Event.objects.get().title == "Truyền thông ngoài vùng sóng"


# --- the page and who may open it -------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, DATA])
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "nhap-ngoai-tuyen" in response["Location"]  # and comes back after


def test_the_page_links_the_manifest_and_loads_its_scripts(
    client: Client, village_head: User
) -> None:
    client.force_login(village_head)

    html = client.get(PAGE).content.decode()

    assert f'<link rel="manifest" href="{MANIFEST}">' in html
    assert 'id="offline-app"' in html and f'data-worker-url="{WORKER}"' in html
    for name in ("offline/rules.js", "offline/app.js"):
        assert f'src="{settings.STATIC_URL}{name}"' in html


def nav_label() -> str:
    with translation.override("vi"):
        return gettext("Entry without signal")


def test_the_menu_offers_entry_without_signal_to_a_village_head(
    client: Client, village_head: User
) -> None:
    client.force_login(village_head)

    html = client.get("/", follow=True).content.decode()

    assert re.search(rf'<a href="{PAGE}">\s*{re.escape(nav_label())}\s*</a>', html)


def test_the_menu_does_not_offer_it_to_a_front_member(
    client: Client, fatherland_front: User
) -> None:
    client.force_login(fatherland_front)

    html = client.get("/", follow=True).content.decode()

    assert f'href="{PAGE}"' not in html
    assert nav_label() not in html


# --- the service worker and the manifest ------------------------------------------------------


def version_of(script: str) -> str:
    found = re.search(r'var VERSION = "([0-9a-f]+)";', script)
    assert found, "the worker names its version"
    return found.group(1)


def worker_text(client: Client) -> str:
    worker._version_cached.cache_clear()  # as a new deployment's process starts
    response = client.get(WORKER)
    assert response.status_code == 200
    return response.content.decode()


def test_the_worker_is_public_and_may_control_the_whole_site(client: Client) -> None:
    response = client.get(WORKER)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    script = response.content.decode()
    assert "{{" not in script  # every constant filled in
    assert f'"{PAGE}"' in script and f'"{DATA}"' in script
    assert f'"{settings.STATIC_URL}offline/app.js"' in script


def test_the_worker_keeps_every_static_file_the_page_loads(
    client: Client, village_head: User
) -> None:
    client.force_login(village_head)
    html = client.get(PAGE).content.decode()
    script = client.get(WORKER).content.decode()

    loaded = set(re.findall(rf'(?:src|href)="({re.escape(settings.STATIC_URL)}[^"]+)"', html))
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", script).group(1))  # type: ignore[union-attr]

    assert any(url.endswith("offline/app.js") for url in loaded)
    assert loaded <= set(precache), "a file the page needs would be missing without a signal"


def test_the_worker_s_version_changes_when_a_cached_file_changes(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    before = version_of(worker_text(client))
    assert version_of(worker_text(client)) == before  # the same files: the same version

    # a new app.js, found before the app's own (the project's folders come first)
    changed = tmp_path / "offline" / "app.js"
    changed.parent.mkdir()
    original = Path(finders.find("offline/app.js"))  # type: ignore[arg-type]
    changed.write_text(original.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    settings.STATICFILES_DIRS = [str(tmp_path), *settings.STATICFILES_DIRS]

    assert version_of(worker_text(client)) != before


def test_the_manifest_is_public_and_makes_the_page_installable(client: Client) -> None:
    response = client.get(MANIFEST)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] and manifest["short_name"]
    assert len(manifest["short_name"]) <= 12  # fits under an icon on a home screen
    assert manifest["start_url"] == PAGE
    assert manifest["display"] == "standalone"
    sizes = {}
    for icon in manifest["icons"]:
        assert icon["src"].startswith(settings.STATIC_URL)
        found = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        assert found, icon["src"]
        with Image.open(io.BytesIO(Path(found).read_bytes())) as image:  # type: ignore[arg-type]
            assert image.format == "PNG"
            sizes[icon["sizes"]] = image.size
        assert icon["type"] == "image/png"
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_the_home_screen_name_and_the_sign_out_warning_are_in_vietnamese(
    client: Client, village_head: User
) -> None:
    """What a Vietnamese phone shows: the name under the icon, and the question before the
    unsent entries are deleted (translated, not the English of the code)."""
    client.force_login(village_head)

    manifest = client.get(MANIFEST, HTTP_ACCEPT_LANGUAGE="vi").json()
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert manifest["name"] != "Project 8 — entry without signal"
    assert manifest["short_name"] != "Project 8"
    assert manifest["description"] != "Record events and proposals where there is no signal."
    found = re.search(r'data-unsent-warning="([^"]+)"', html)
    assert found and "{count}" in found.group(1)
    assert not found.group(1).startswith("Entries typed on this phone")
