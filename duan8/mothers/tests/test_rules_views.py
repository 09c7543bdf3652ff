"""The rules part's pages: a case's entitlement explained, the leader's approval list and the
administrator's rules; who must not see or do them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.models import AuditEvent
from duan8.mothers.models import BenefitItem, EligibilityRule, EntitlementLine, Pregnancy
from duan8.mothers.tests.entitlement_cases import make_case, rules_world

pytestmark = pytest.mark.usefixtures("english")
S = Pregnancy.Status


@pytest.fixture
def world(mothers_world: Any) -> Any:
    rules_world(mothers_world.villages)
    admin = UserFactory.create(username="quantri")
    membership(admin, mothers_world.province, "system_admin")
    mothers_world.admin = admin
    return mothers_world


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


# --- the entitlement page ------------------------------------------------------------------------


def test_the_wu_officer_reads_why_a_case_gets_2_200_000(world: Any) -> None:
    case = make_case(world.village)

    page = client_of(world.officer).get(reverse("mothers:case_entitlement", args=[case.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Eligible." in text
    assert "2.200.000" in text
    assert "Circular số 15/2022/TT-BTC" in text
    assert "no antenatal visit is recorded" in text
    assert AuditEvent.objects.filter(
        action="mothers.case.viewed", target_id=str(case.pk), actor=world.officer
    ).exists()


def test_a_case_not_eligible_says_why_on_its_page(world: Any) -> None:
    case = make_case(world.villages["Kon Riêng"])

    page = client_of(world.leader).get(reverse("mothers:case_entitlement", args=[case.pk]))

    assert "Not eligible." in page.content.decode()
    assert "was not an especially difficult village" in page.content.decode()


@pytest.mark.parametrize(
    "who", ["other_officer", "accountant", "province_reviewer", "fatherland_front"]
)
def test_must_not_see_a_case_entitlement(world: Any, who: str) -> None:
    case = make_case(world.village)

    page = client_of(getattr(world, who)).get(reverse("mothers:case_entitlement", args=[case.pk]))

    assert page.status_code == 404


# --- the approval page ---------------------------------------------------------------------------


def test_the_leader_ticks_and_approves_verified_cases(world: Any) -> None:
    case = make_case(world.village, status=S.VERIFIED)
    kinh = make_case(world.village, status=S.VERIFIED, ethnic_code="01", name="Nguyễn Thị Kinh")
    url = reverse("mothers:approve_list", args=[world.commune.pk])
    client = client_of(world.leader)

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "2.200.000" in text
    assert "the mother is Kinh, not an ethnic minority" in text
    assert f'name="cases" value="{kinh.pk}"' not in text

    done = client.post(url, {"cases": [case.pk], f"version-{case.pk}": case.version})

    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == S.APPROVED
    total = sum(line.amount for line in EntitlementLine.objects.filter(pregnancy=case))
    assert total == Decimal(2_200_000)
    fixed = client.get(reverse("mothers:case_entitlement", args=[case.pk])).content.decode()
    assert "Fixed at approval" in fixed


def test_a_stale_page_approves_nothing_and_says_so(world: Any) -> None:
    case = make_case(world.village, status=S.VERIFIED)
    url = reverse("mothers:approve_list", args=[world.commune.pk])

    page = client_of(world.leader).post(
        url, {"cases": [case.pk], f"version-{case.pk}": case.version - 1 or 99}, follow=True
    )

    assert "was changed after you opened the page" in page.content.decode()
    case.refresh_from_db()
    assert case.status == S.VERIFIED


def test_the_approval_page_reads_a_fixed_number_of_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    for number in range(12):
        make_case(world.villages["Bùi Hui"], status=S.VERIFIED, name=f"Mẹ {number}", visits=2)
    client = client_of(world.leader)
    client.get(reverse("mothers:approve_list", args=[world.commune.pk]))

    with django_assert_max_num_queries(16):
        client.get(reverse("mothers:approve_list", args=[world.commune.pk]))


def test_the_wu_officer_must_not_approve(world: Any) -> None:
    case = make_case(world.village, status=S.VERIFIED)
    url = reverse("mothers:approve_list", args=[world.commune.pk])
    client = client_of(world.officer)

    assert client.get(url).status_code == 403
    assert client.post(url, {"cases": [case.pk], f"version-{case.pk}": 1}).status_code == 403
    case.refresh_from_db()
    assert case.status == S.VERIFIED


def test_another_communes_leader_must_not_see_the_approval_list(world: Any) -> None:
    leader = UserFactory.create(username="ct.bakham")
    membership(leader, world.other_commune, "commune_leader")
    case = make_case(world.village, status=S.VERIFIED)
    url = reverse("mothers:approve_list", args=[world.commune.pk])

    assert client_of(leader).get(url).status_code == 404
    assert client_of(leader).post(url, {"cases": [case.pk]}).status_code == 404


# --- the administrator's rules -------------------------------------------------------------------


def test_the_administrator_lists_the_rules_with_their_sources(world: Any) -> None:
    item = BenefitItem.objects.get(code="dinh-duong")

    listing = client_of(world.admin).get(reverse("mothers:rule_list"))

    text = listing.content.decode()
    assert "1.200.000" in text
    assert "Circular số 55/2023/TT-BTC" in text
    assert "not verified against the text" in text
    assert reverse("mothers:item_edit", args=[item.pk]) in text


def test_a_reader_must_not_see_nor_edit_the_rules(world: Any) -> None:
    item = BenefitItem.objects.get(code="dinh-duong")
    rule = EligibilityRule.objects.get(code="tinh-ap-dung")
    client = client_of(world.officer)

    assert client.get(reverse("mothers:rule_list")).status_code == 403
    for name, pk in [
        ("mothers:item_edit", item.pk),
        ("mothers:item_new_period", item.pk),
        ("mothers:rule_edit", rule.pk),
        ("mothers:rule_new_period", rule.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 403
        assert client.post(reverse(name, args=[pk]), {"name": "x"}).status_code == 403
    assert BenefitItem.objects.get(pk=item.pk).name == item.name


def test_someone_without_any_mothers_right_must_not_see_the_rules(world: Any) -> None:
    assert client_of(world.province_reviewer).get(reverse("mothers:rule_list")).status_code == 403


def _item_post(item: BenefitItem, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": item.version,
        "name": item.name,
        "amount": str(item.amount),
        "basis": item.basis,
        "with_carer": "on" if item.with_carer else "",
        "needs_facility_delivery": "on" if item.needs_facility_delivery else "",
        "max_days_normal": item.max_days_normal or "",
        "max_days_caesarean": item.max_days_caesarean or "",
        "max_visits": item.max_visits or "",
        "legal_source": item.legal_source_id or "",
        "legal_article": item.legal_article,
        "valid_from": item.valid_from.isoformat(),
        "valid_to": item.valid_to.isoformat() if item.valid_to else "",
        "verified": "on" if item.verified else "",
        "order": item.order,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_the_administrator_corrects_an_amount_and_approved_cases_keep_theirs(world: Any) -> None:
    from duan8.mothers.services.approval import cases_approve

    case = make_case(world.village, status=S.VERIFIED)
    cases_approve(
        actor=world.leader,
        commune=world.commune,
        pregnancies=[case],
        expected_versions={case.pk: case.version},
    )
    item = BenefitItem.objects.get(code="dinh-duong")
    url = reverse("mothers:item_edit", args=[item.pk])
    client = client_of(world.admin)

    assert client.get(url).status_code == 200
    saved = client.post(url, _item_post(item, amount="1300000"))

    assert saved.status_code == 302
    assert BenefitItem.objects.get(pk=item.pk).amount == 1_300_000
    line = EntitlementLine.objects.get(pregnancy=case, item=item)
    assert line.amount == 1_200_000
    event = AuditEvent.objects.get(action="mothers.item.updated")
    assert (event.before, event.after) == ({"amount": 1200000}, {"amount": 1300000})

    stale = client.post(url, _item_post(item, amount="1400000"))  # the version it was made on
    assert stale.status_code == 200
    assert "changed by someone else" in stale.content.decode()
    assert BenefitItem.objects.get(pk=item.pk).amount == 1_300_000


def test_the_administrator_adds_a_new_period_once(world: Any) -> None:
    item = BenefitItem.objects.get(code="dinh-duong")
    url = reverse("mothers:item_new_period", args=[item.pk])
    client = client_of(world.admin)
    form = client.get(url)
    once = form.context["form"]["once"].value()
    data = _item_post(item, amount="1500000", valid_from="2025-01-01", once=once)

    first = client.post(url, data)
    again = client.post(url, data)

    assert first.status_code == again.status_code == 302
    rows = list(BenefitItem.objects.filter(code="dinh-duong").order_by("valid_from"))
    assert [(r.valid_from, r.valid_to, int(r.amount)) for r in rows] == [
        (datetime.date(2022, 3, 4), datetime.date(2024, 12, 31), 1_200_000),
        (datetime.date(2025, 1, 1), None, 1_500_000),
    ]
    assert AuditEvent.objects.filter(action="mothers.item.created").count() == 1


def test_a_new_period_must_start_after_the_current_one(world: Any) -> None:
    item = BenefitItem.objects.get(code="dinh-duong")
    url = reverse("mothers:item_new_period", args=[item.pk])

    page = client_of(world.admin).post(url, _item_post(item, valid_from="2021-01-01"))

    assert page.status_code == 200
    assert "The new period must start after 04/03/2022" in page.content.decode()
    assert BenefitItem.objects.filter(code="dinh-duong").count() == 1


def test_the_administrator_adds_a_province_to_the_rule(world: Any, new_quang_ngai: Any) -> None:
    rule = EligibilityRule.objects.get(code="tinh-ap-dung")
    assert set(rule.provinces.all()) == {world.province}
    data = {
        "version": rule.version,
        "name": rule.name,
        "legal_source": rule.legal_source_id,
        "legal_article": rule.legal_article,
        "valid_from": rule.valid_from.isoformat(),
        "provinces": [world.province.pk, new_quang_ngai.pk],
    }

    saved = client_of(world.admin).post(reverse("mothers:rule_edit", args=[rule.pk]), data)

    assert saved.status_code == 302
    assert set(rule.provinces.all()) == {world.province, new_quang_ngai}
    rule.refresh_from_db()
    assert rule.verified is False  # unticked box: still unverified
    event = AuditEvent.objects.get(action="mothers.rule.updated")
    assert event.after["provinces"] == sorted([world.province.pk, new_quang_ngai.pk])
