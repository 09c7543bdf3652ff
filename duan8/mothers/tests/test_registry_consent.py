"""A mother's record is processed only with her consent in force (Law 91/2025/QH15; NĐ 13/2023
before 2026): without it the WU officer cannot verify her case, and once she withdraws it her
case is neither corrected nor verified."""

import datetime

import pytest
from django.utils import translation

from duan8.core.problems import Invalid
from duan8.mothers.models import Consent, Pregnancy
from duan8.mothers.services.consent import consent_withdraw
from duan8.mothers.services.registry import case_input_of, pregnancy_update, pregnancy_verify


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the catalogue translates them for users)."""
    with translation.override("en"):
        yield


def test_a_case_without_consent_is_not_verified(mothers_world, proposed_case):
    with pytest.raises(Invalid) as caught:
        pregnancy_verify(
            actor=mothers_world.officer,
            pregnancy=proposed_case,
            expected_version=proposed_case.version,
        )

    assert "consent" in " ".join(caught.value.messages)
    proposed_case.refresh_from_db()
    assert proposed_case.status == Pregnancy.Status.PROPOSED


def test_after_she_withdraws_her_case_is_neither_corrected_nor_verified(
    mothers_world, consented_case
):
    consent = Consent.objects.get(mother=consented_case.mother)
    consent_withdraw(
        actor=mothers_world.officer,
        consent=consent,
        withdrawn_on=datetime.date(2025, 4, 1),
        note="",
        expected_version=consent.version,
    )
    data = case_input_of(consented_case)
    data.phone = "0905000000"

    with pytest.raises(Invalid) as corrected:
        pregnancy_update(
            actor=mothers_world.health_station,
            pregnancy=consented_case,
            data=data,
            expected_version=consented_case.version,
        )
    with pytest.raises(Invalid) as verified:
        pregnancy_verify(
            actor=mothers_world.officer,
            pregnancy=consented_case,
            expected_version=consented_case.version,
        )

    assert "withdrew" in " ".join(corrected.value.messages)
    assert "withdrew" in " ".join(verified.value.messages)
    consented_case.mother.refresh_from_db()
    assert consented_case.mother.phone != "0905000000"
