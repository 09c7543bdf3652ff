"""Every URL of the project, for every role: outsiders get 403/404 and none of the data.

The walker lists every URL pattern from the resolver. Each one must have an entry in SAMPLES
(how to point it at Ba Trang's data) or in PUBLIC; a URL added without either fails the first
test, and a view added without an access rule fails the outsider tests.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.models import AuditEvent
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.programs.models import AllocationCell, Plan, Target

# Reachable without login, and showing no project data.
PUBLIC = {"login", "language", "logout", "set_language"}
# Django's own admin is for superusers only (staff flag); it is not part of the walk.
SKIPPED_NAMESPACES = {"admin"}
# Words that only Ba Trang's data contains, per outsider: the head of thôn Nước Đang may read
# the name of their own village and commune, but nothing of the plan or of the other villages.
MARKERS = {
    "other_commune_officer": ("Ba Trang", "87/KH-UBND", "Nước Đang", "Bùi Hui", "Kon Riêng"),
    "village_head": ("87/KH-UBND", "Bùi Hui", "Kon Riêng"),
}


@dataclass
class Sample:
    kwargs: Callable[[dict], dict]
    owner: str  # a persona who may open it (proves the sample points at real data)
    lists_data: bool = False  # a list page: outsiders get 200 but must see none of the data


SAMPLES: dict[str, Sample] = {
    "home": Sample(lambda d: {}, "commune_officer", lists_data=True),
    "orgunits:unit_detail": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "orgunits:village_create": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "orgunits:village_mark_difficult": Sample(
        lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"
    ),
    "programs:plan_detail": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "programs:plan_targets_edit": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "programs:plan_allocation_edit": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "programs:plan_approve": Sample(lambda d: {"pk": d["plan"].pk}, "commune_leader"),
    "core:audit_list": Sample(lambda d: {}, "commune_leader", lists_data=True),
    "core:plan_history": Sample(lambda d: {"pk": d["plan"].pk}, "commune_officer"),
    "core:unit_history": Sample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
    "user_list": Sample(lambda d: {}, "commune_officer", lists_data=True),
    "user_create": Sample(lambda d: {}, "commune_officer", lists_data=True),
    "user_detail": Sample(lambda d: {"pk": _head(d).pk}, "commune_officer"),
    "role_grant": Sample(lambda d: {"pk": _head(d).pk}, "commune_officer"),
    "role_end": Sample(
        lambda d: {"pk": _head(d).pk, "membership_pk": _head(d).memberships.get().pk},
        "commune_officer",
    ),
    "password_reset": Sample(lambda d: {"pk": _head(d).pk}, "commune_officer"),
    "user_deactivate": Sample(lambda d: {"pk": _head(d).pk}, "commune_officer"),
}


def _head(d: dict):  # the head of thôn Nước Đang, a user Ba Trang's officer manages
    return d["personas"]["village_head"]


def _walk(patterns, namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


URL_NAMES = sorted(set(_walk(get_resolver().url_patterns)))
GUARDED = [name for name in URL_NAMES if name not in PUBLIC and name in SAMPLES]


def test_every_url_has_an_access_sample_or_is_public():
    missing = [name for name in URL_NAMES if name not in PUBLIC and name not in SAMPLES]

    assert not missing, f"URLs without an access rule sample in this test: {missing}"


def _fingerprint() -> tuple:
    return (
        tuple(Target.objects.order_by("pk").values_list("pk", "kind", "value", "text")),
        tuple(AllocationCell.objects.order_by("pk").values_list("pk", "value")),
        tuple(Plan.objects.order_by("pk").values_list("pk", "status", "version", "title")),
        OrgUnit.objects.count(),
        OrgUnitAttribute.objects.count(),
    )


@pytest.fixture
def world(
    ba_trang_plan,
    ba_trang,
    villages,
    ba_kham,
    commune_officer,
    commune_leader,
    village_head,
    other_commune_officer,
    district_reviewer,
):
    bui_hui_head = UserFactory(username="tt.buihui")
    membership(bui_hui_head, villages["Bùi Hui"], "village_head")
    front = UserFactory(username="mttq.batrang")
    membership(front, ba_trang, "fatherland_front")
    return {
        "plan": ba_trang_plan,
        "ba_trang": ba_trang,
        "villages": villages,
        "personas": {
            "commune_officer": commune_officer,
            "commune_leader": commune_leader,
            "village_head": village_head,
            "bui_hui_head": bui_hui_head,
            "fatherland_front": front,
            "district_reviewer": district_reviewer,
            "other_commune_officer": other_commune_officer,
        },
    }


OUTSIDERS = list(MARKERS)


@pytest.mark.parametrize("name", GUARDED)
def test_the_owner_can_open_the_page(client, world, name):
    sample = SAMPLES[name]
    client.force_login(world["personas"][sample.owner])

    response = client.get(reverse(name, kwargs=sample.kwargs(world)))

    assert response.status_code in (200, 405), response.status_code


@pytest.mark.parametrize("outsider", OUTSIDERS)
@pytest.mark.parametrize("name", GUARDED)
def test_a_user_of_another_commune_or_village_gets_nothing(client, world, name, outsider):
    sample = SAMPLES[name]
    url = reverse(name, kwargs=sample.kwargs(world))
    client.force_login(world["personas"][outsider])
    before = _fingerprint()

    got = client.get(url)
    posted = client.post(url, {"name": "Thôn Giả", "cell-1-1": "9", "version": "1"})

    body = got.content.decode() + posted.content.decode()
    if sample.lists_data:
        assert got.status_code == 200
    else:
        assert got.status_code in (403, 404, 405)  # 405: a POST-only action
        assert posted.status_code in (403, 404, 405)
    assert not [m for m in MARKERS[outsider] if m in body]
    assert _fingerprint() == before


@pytest.mark.parametrize("name", GUARDED)
def test_anonymous_visitors_are_sent_to_the_login_page(client, world, name):
    url = reverse(name, kwargs=SAMPLES[name].kwargs(world))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_head_of_one_village_cannot_open_another_village(client, world):
    client.force_login(world["personas"]["bui_hui_head"])

    own = client.get(
        reverse("orgunits:unit_detail", kwargs={"pk": world["villages"]["Bùi Hui"].pk})
    )
    other = client.get(
        reverse("orgunits:unit_detail", kwargs={"pk": world["villages"]["Nước Đang"].pk})
    )

    assert own.status_code == 200
    assert other.status_code == 404
    assert "Nước Đang" not in other.content.decode()


def test_the_fatherland_front_reads_the_plan_but_cannot_change_it(client, world):
    client.force_login(world["personas"]["fatherland_front"])
    plan = world["plan"]
    before = _fingerprint()

    page = client.get(reverse("programs:plan_detail", kwargs={"pk": plan.pk}))
    forged = client.post(
        reverse("programs:plan_allocation_edit", kwargs={"pk": plan.pk}), {"version": plan.version}
    )
    approve = client.post(reverse("programs:plan_approve", kwargs={"pk": plan.pk}))

    assert page.status_code == 200 and "Nước Đang" in page.content.decode()
    assert reverse("programs:plan_allocation_edit", kwargs={"pk": plan.pk}) not in (
        page.content.decode()
    )
    assert forged.status_code == 403
    assert approve.status_code == 403
    assert _fingerprint() == before
    assert AuditEvent.objects.filter(action="access.denied").count() == 2
