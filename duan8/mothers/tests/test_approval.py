"""The commune leader approves verified cases; their entitlement is fixed as lines (issue 13)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.models import AuditEvent
from duan8.core.problems import Invalid
from duan8.mothers.models import BenefitItem, DuplicateCandidate, EntitlementLine, Pregnancy
from duan8.mothers.services.approval import cases_approve
from duan8.mothers.tests.entitlement_cases import make_case, rules_world

pytestmark = pytest.mark.usefixtures("english")
S = Pregnancy.Status


@pytest.fixture
def world(mothers_world: Any) -> Any:
    rules_world(mothers_world.villages)
    return mothers_world


def verified(village: Any, **fields: Any) -> Pregnancy:
    return make_case(village, status=S.VERIFIED, **fields)


def approve(actor: Any, commune: Any, *cases: Pregnancy) -> list[Pregnancy]:
    return cases_approve(
        actor=actor,
        commune=commune,
        pregnancies=list(cases),
        expected_versions={case.pk: case.version for case in cases},
    )


def test_the_leader_approves_and_the_entitlement_is_fixed(world: Any) -> None:
    normal = verified(world.village)
    caesarean = verified(
        world.villages["Bùi Hui"], name="Phạm Thị Hoa", mode="caesarean", days_at_facility=5
    )

    approve(world.leader, world.commune, normal, caesarean)

    for case, total in ((normal, 2_200_000), (caesarean, 2_400_000)):
        case.refresh_from_db()
        assert case.status == S.APPROVED
        assert case.approved_by == world.leader
        lines = EntitlementLine.objects.filter(pregnancy=case)
        assert sum(line.amount for line in lines) == total
        assert all("Circular số 15/2022/TT-BTC" in line.explanation for line in lines)
    event = AuditEvent.objects.get(action="mothers.case.approved", target_id=str(normal.pk))
    assert event.after == {"status": "approved", "total": 2200000}


def test_a_later_change_of_the_amount_leaves_the_approved_lines_as_they_were(world: Any) -> None:
    case = verified(world.village)
    approve(world.leader, world.commune, case)

    BenefitItem.objects.filter(code="dinh-duong").update(amount=1_500_000)

    line = EntitlementLine.objects.get(pregnancy=case, item__code="dinh-duong")
    assert line.amount == Decimal(1_200_000)


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (S.PROPOSED, "not_verified"),
        (S.REJECTED, "rejected"),
        (S.DUPLICATE, "duplicate"),
        (S.APPROVED, "already_approved"),
    ],
)
def test_only_verified_cases_are_approved_and_nothing_is_half_done(
    world: Any, status: str, code: str
) -> None:
    good = verified(world.village)
    bad = make_case(world.village, name="Đinh Thị Bé", status=status)

    with pytest.raises(Invalid) as refused:
        approve(world.leader, world.commune, good, bad)

    (problem,) = refused.value.problems
    assert (problem.field, problem.code) == (f"cases.{bad.pk}", code)
    assert problem.message.startswith("Đinh Thị Bé: ")
    good.refresh_from_db()
    assert good.status == S.VERIFIED
    assert not EntitlementLine.objects.exists()


def test_an_open_likely_duplicate_stops_the_approval(world: Any) -> None:
    case = verified(world.village)
    other = make_case(world.villages["Bùi Hui"], name="Đinh Thị Lan")
    DuplicateCandidate.objects.create(first=other, second=case, score=80)

    with pytest.raises(Invalid) as refused:
        approve(world.leader, world.commune, case)

    assert refused.value.problems[0].code == "duplicate_open"


def test_a_case_not_eligible_is_refused_with_the_reason(world: Any) -> None:
    case = verified(world.village, ethnic_code="01")

    with pytest.raises(Invalid) as refused:
        approve(world.leader, world.commune, case)

    (problem,) = refused.value.problems
    assert problem.code == "not_eligible"
    assert "the mother is Kinh, not an ethnic minority" in problem.message


def test_a_case_without_consent_in_force_is_refused(world: Any) -> None:
    case = verified(world.village, consent=False)

    with pytest.raises(Invalid) as refused:
        approve(world.leader, world.commune, case)

    (problem,) = refused.value.problems
    assert problem.code == "consent"
    case.refresh_from_db()
    assert case.status == Pregnancy.Status.VERIFIED
    assert not case.entitlements.exists()


def test_a_case_changed_since_the_page_was_opened_is_refused(world: Any) -> None:
    case = verified(world.village)
    stale = case.version
    Pregnancy.objects.filter(pk=case.pk).update(version=stale + 1)

    with pytest.raises(Invalid) as refused:
        cases_approve(
            actor=world.leader,
            commune=world.commune,
            pregnancies=[case],
            expected_versions={case.pk: stale},
        )

    assert refused.value.problems[0].code == "conflict"


def test_a_case_of_another_commune_is_refused(world: Any) -> None:
    case = verified(world.other_village)

    with pytest.raises(Invalid):
        approve(world.leader, world.commune, case)


def test_the_wu_officer_must_not_approve(world: Any) -> None:
    case = verified(world.village)

    with pytest.raises(PermissionDenied):
        approve(world.officer, world.commune, case)

    case.refresh_from_db()
    assert case.status == S.VERIFIED


def test_another_communes_leader_must_not_approve(world: Any) -> None:
    leader = UserFactory.create(username="ct.bakham")
    membership(leader, world.other_commune, "commune_leader")
    case = verified(world.village)

    with pytest.raises(PermissionDenied):
        approve(leader, world.commune, case)
    with pytest.raises(Invalid):  # her own commune's page cannot take it either
        approve(leader, world.other_commune, case)
