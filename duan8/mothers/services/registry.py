"""Proposing, correcting, verifying and rejecting cases of the registry (issue 13, point 1)."""

from __future__ import annotations

from duan8.accounts.models import User
from duan8.mothers.models import Pregnancy
from duan8.mothers.services.inputs import CaseInput
from duan8.orgunits.models import OrgUnit


def mother_propose(*, actor: User, data: CaseInput) -> Pregnancy:
    raise NotImplementedError


def mothers_propose_many(
    *, actor: User, commune: OrgUnit, rows: list[CaseInput]
) -> list[Pregnancy]:
    raise NotImplementedError


def pregnancy_update(
    *, actor: User, pregnancy: Pregnancy, data: CaseInput, expected_version: int | None
) -> Pregnancy:
    raise NotImplementedError


def pregnancy_verify(
    *, actor: User, pregnancy: Pregnancy, expected_version: int | None
) -> Pregnancy:
    raise NotImplementedError


def pregnancy_reject(
    *, actor: User, pregnancy: Pregnancy, expected_version: int | None, reason: str
) -> Pregnancy:
    raise NotImplementedError


def case_input_of(pregnancy: Pregnancy) -> CaseInput:
    """The case as it is stored, as an input to correct (the edit page starts from it)."""
    raise NotImplementedError
