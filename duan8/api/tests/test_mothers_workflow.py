"""The registry's workflow over the API (issue 16): the mother's consent, verification by the
commune WU officer, approval by the commune leader, rejection; through the pages' services,
access before the body, once per Idempotency-Key, a stale version refused 409."""

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.models import AuditEvent
from duan8.mothers.models import Consent, ConsentText, EntitlementLine, Pregnancy
from duan8.mothers.tests.entitlement_cases import make_case, rules_world

S = Pregnancy.Status
TODAY_CONSENT = {"given_on": "2025-03-10", "channel": Consent.Channel.PAPER.value}


def _url(action: str, case: Pregnancy) -> str:
    return reverse(f"api:mothers_case_{action}", kwargs={"pk": case.pk})


def _key(name: str) -> dict[str, str]:
    return {"Idempotency-Key": f"k-{name}-0001"}


def _version(case: Pregnancy, name: str) -> dict[str, str]:
    case.refresh_from_db()
    return {**_key(name), "If-Match": f'"{case.version}"'}


def _person(username: str, unit: Any, role: str) -> Any:
    user = UserFactory(username=username)
    membership(user, unit, role)
    return user


@pytest.fixture
def flow(
    ba_trang,
    villages,
    ethnic_groups,
    commune_officer,
    commune_leader,
    village_head,
    other_commune_officer,
    district_reviewer,
    fatherland_front,
):
    """A proposed case of thôn Nước Đang (ĐBKK, a Hrê mother) without a consent yet; one user
    per role."""
    rules_world(villages)
    case = make_case(villages["Nước Đang"], name="Phạm Thị Hiền", consent=False)
    return SimpleNamespace(
        case=case,
        health_station=_person("tyt.batrang", ba_trang, "commune_health_station"),
        accountant=_person("kt.batrang", ba_trang, "commune_accountant"),
        officer=commune_officer,
        leader=commune_leader,
        village_head=village_head,
        other_officer=other_commune_officer,
        district_reviewer=district_reviewer,
        fatherland_front=fatherland_front,
    )


def _consent(signer: str = Consent.Signer.MOTHER.value, **changes: Any) -> dict[str, Any]:
    return {**TODAY_CONSENT, "signer": signer, **changes}


def _state(case: Pregnancy) -> tuple:
    case.refresh_from_db()
    return (case.status, case.version, EntitlementLine.objects.filter(pregnancy=case).count())


def test_the_cycle_consent_verify_approve(api, flow):
    case = flow.case

    consent = api(flow.health_station).post(
        _url("consent", case), _consent(), format="json", headers=_key("consent")
    )
    verify = api(flow.officer).post(
        _url("verify", case), {}, format="json", headers=_version(case, "verify")
    )
    approve = api(flow.leader).post(
        _url("approve", case), {}, format="json", headers=_version(case, "approve")
    )

    assert consent.status_code == 201, consent.content
    assert consent.json()["in_force"] is True
    assert verify.status_code == 200, verify.content
    assert verify.json()["status"] == S.VERIFIED
    assert approve.status_code == 200, approve.content
    case.refresh_from_db()
    assert approve.json() == {"id": case.pk, "status": S.APPROVED, "version": case.version}
    assert approve["ETag"] == f'"{case.version}"'
    assert case.status == S.APPROVED and case.approved_by == flow.leader
    assert case.verified_by == flow.officer
    assert EntitlementLine.objects.filter(pregnancy=case).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"mothers.consent.recorded", "mothers.case.verified", "mothers.case.approved"} <= actions


def test_the_version_may_be_sent_in_the_body(api, flow):
    make_consent = api(flow.officer).post(
        _url("consent", flow.case), _consent(), format="json", headers=_key("consent")
    )
    response = api(flow.officer).post(
        _url("verify", flow.case), {"version": flow.case.version}, format="json", headers=_key("v")
    )

    assert make_consent.status_code == 201
    assert response.status_code == 200, response.content


def test_verification_without_consent_is_refused_and_nothing_changes(api, flow):
    before = _state(flow.case)

    response = api(flow.officer).post(
        _url("verify", flow.case), {}, format="json", headers=_version(flow.case, "verify")
    )

    assert response.status_code == 400
    problems = response.json()["errors"]
    assert [p["code"] for p in problems] == ["consent"]
    assert _state(flow.case) == before


def test_approval_without_consent_is_refused_by_field_and_nothing_changes(api, flow):
    Pregnancy.objects.filter(pk=flow.case.pk).update(status=S.VERIFIED)
    before = _state(flow.case)

    response = api(flow.leader).post(
        _url("approve", flow.case), {}, format="json", headers=_version(flow.case, "approve")
    )

    assert response.status_code == 400
    problems = response.json()["errors"]
    assert [(p["field"], p["code"]) for p in problems] == [(f"cases.{flow.case.pk}", "consent")]
    assert _state(flow.case) == before


def test_a_bad_consent_is_refused_by_field_and_nothing_is_saved(api, flow):
    body = _consent(signer=Consent.Signer.GUARDIAN.value, given_on="2999-01-01", channel="pigeon")

    response = api(flow.health_station).post(
        _url("consent", flow.case), body, format="json", headers=_key("consent")
    )

    assert response.status_code == 400
    fields = {p["field"] for p in response.json()["errors"]}
    assert {"given_on", "channel", "signer_name"} <= fields
    assert not Consent.objects.filter(mother=flow.case.mother).exists()


def test_a_problem_is_in_english_when_asked(api, flow):
    response = api(flow.officer, language="en").post(
        _url("verify", flow.case), {}, format="json", headers=_version(flow.case, "verify")
    )

    assert response.status_code == 400
    assert "has no consent recorded" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("action", "who", "status"),
    [
        ("verify", "other_officer", 404),
        ("verify", "village_head", 404),
        ("verify", "fatherland_front", 404),
        ("verify", "district_reviewer", 404),
        ("verify", "accountant", 404),
        ("verify", "leader", 403),
        ("verify", "health_station", 403),
        ("reject", "leader", 403),
        ("reject", "other_officer", 404),
        ("approve", "officer", 403),
        ("approve", "health_station", 403),
        ("approve", "other_officer", 404),
        ("approve", "fatherland_front", 404),
        ("consent", "leader", 403),
        ("consent", "other_officer", 404),
        ("consent", "village_head", 404),
    ],
)
def test_wrong_roles_are_refused_before_the_body_is_read(api, flow, action, who, status):
    Consent.objects.create(
        mother=flow.case.mother,
        text=ConsentText.objects.order_by("valid_from").first(),
        given_on="2025-03-10",
        channel=Consent.Channel.PAPER,
        signer=Consent.Signer.MOTHER,
    )
    consents = Consent.objects.count()
    before = _state(flow.case)

    # a body the service would refuse, and no version: the answer is about the right only
    response = api(getattr(flow, who)).post(
        _url(action, flow.case), {"channel": "pigeon"}, format="json", headers=_key(action)
    )

    assert response.status_code == status, response.content
    assert _state(flow.case) == before
    assert Consent.objects.count() == consents
    if status == 404:
        assert "Phạm Thị Hiền" not in response.content.decode()
        assert "Ba Trang" not in response.content.decode()


def test_a_retry_with_the_same_key_acts_once(api, flow):
    client = api(flow.officer)
    first = client.post(_url("consent", flow.case), _consent(), format="json", headers=_key("c"))
    again = client.post(_url("consent", flow.case), _consent(), format="json", headers=_key("c"))
    headers = _version(flow.case, "verify")
    verified = client.post(_url("verify", flow.case), {}, format="json", headers=headers)
    replayed = client.post(_url("verify", flow.case), {}, format="json", headers=headers)

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Consent.objects.filter(mother=flow.case.mother).count() == 1
    assert verified.status_code == replayed.status_code == 200
    assert replayed["Idempotent-Replayed"] == "true"
    assert replayed.json() == verified.json()
    assert AuditEvent.objects.filter(action="mothers.case.verified").count() == 1


def test_a_stale_version_is_a_conflict_and_nothing_changes(api, flow):
    api(flow.officer).post(
        _url("consent", flow.case), _consent(), format="json", headers=_key("consent")
    )
    stale = flow.case.version
    Pregnancy.objects.filter(pk=flow.case.pk).update(version=stale + 1)
    before = _state(flow.case)

    verify = api(flow.officer).post(
        _url("verify", flow.case),
        {},
        format="json",
        headers={**_key("v"), "If-Match": f'"{stale}"'},
    )

    assert verify.status_code == 409, verify.content
    assert _state(flow.case) == before
    Pregnancy.objects.filter(pk=flow.case.pk).update(status=S.VERIFIED)
    before = _state(flow.case)
    approve = api(flow.leader).post(
        _url("approve", flow.case),
        {},
        format="json",
        headers={**_key("a"), "If-Match": f'"{stale}"'},
    )
    assert approve.status_code == 409, approve.content
    assert _state(flow.case) == before


def test_a_missing_version_is_428(api, flow):
    response = api(flow.officer).post(
        _url("verify", flow.case), {}, format="json", headers=_key("v")
    )

    assert response.status_code == 428


def test_the_officer_rejects_saying_why(api, flow):
    client = api(flow.officer)
    silent = client.post(
        _url("reject", flow.case), {}, format="json", headers=_version(flow.case, "r1")
    )
    unchanged = _state(flow.case)
    said = client.post(
        _url("reject", flow.case),
        {"reason": "Không sinh tại xã"},
        format="json",
        headers=_version(flow.case, "r2"),
    )

    assert silent.status_code == 400
    assert [p["field"] for p in silent.json()["errors"]] == ["reason"]
    assert unchanged[0] == S.PROPOSED
    assert said.status_code == 200, said.content
    flow.case.refresh_from_db()
    assert flow.case.status == S.REJECTED and flow.case.status_reason == "Không sinh tại xã"


# --- withdrawing a consent -----------------------------------------------------------------------


def _withdraw_url(consent: Consent) -> str:
    return reverse("api:mothers_consent_withdraw", kwargs={"pk": consent.pk})


def _given(flow: Any) -> Consent:
    return Consent.objects.create(
        mother=flow.case.mother,
        text=ConsentText.objects.order_by("valid_from").first(),
        given_on="2025-03-10",
        channel=Consent.Channel.PAPER,
        signer=Consent.Signer.MOTHER,
    )


def test_a_withdrawn_consent_stops_the_verification(api, flow):
    consent = _given(flow)
    client = api(flow.officer)

    withdrawn = client.post(
        _withdraw_url(consent),
        {"withdrawn_on": "2025-04-01"},
        format="json",
        headers={**_key("w"), "If-Match": f'"{consent.version}"'},
    )
    verify = client.post(
        _url("verify", flow.case), {}, format="json", headers=_version(flow.case, "v")
    )

    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["in_force"] is False
    assert withdrawn.json()["withdrawn_on"] == "2025-04-01"
    assert verify.status_code == 400
    assert [p["code"] for p in verify.json()["errors"]] == ["consent"]


def test_a_withdrawal_is_checked_by_field_and_versioned(api, flow):
    consent = _given(flow)
    client = api(flow.health_station)

    early = client.post(
        _withdraw_url(consent),
        {"withdrawn_on": "2025-01-01", "version": consent.version},
        format="json",
        headers=_key("w1"),
    )
    stale = client.post(
        _withdraw_url(consent),
        {"withdrawn_on": "2025-04-01", "version": consent.version + 5},
        format="json",
        headers=_key("w2"),
    )

    assert early.status_code == 400
    assert [p["field"] for p in early.json()["errors"]] == ["withdrawn_on"]
    assert stale.status_code == 409
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 403), ("other_officer", 404), ("village_head", 404), ("accountant", 404)],
)
def test_a_withdrawal_by_a_wrong_role_is_refused_before_the_body(api, flow, who, status):
    consent = _given(flow)

    response = api(getattr(flow, who)).post(
        _withdraw_url(consent), {"withdrawn_on": "bad"}, format="json", headers=_key("w")
    )

    assert response.status_code == status
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
