"""Fixtures for plans: the Dự án 8 structure and xã Ba Trang's 2023 plan (Kế hoạch 87/KH-UBND).

They build on the root conftest's hand-made map (``ba_trang``, ``villages``), so no geography
load is needed.
"""

import copy
import functools
from typing import Any

import pytest

from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.plan_data import BA_TRANG_2023, plan_data_read, plan_load
from duan8.programs.structure import program_structure_files, program_structure_load

PROJECT_CODE = "1719.GD1.DA8"


@functools.cache
def _ba_trang_plan_json() -> dict[str, Any]:
    return plan_data_read(BA_TRANG_2023)


@pytest.fixture
def program_structure(db) -> ProgramElement:
    """Every structure file loaded; returns the Dự án 8 project element of phase I."""
    for path in program_structure_files():
        program_structure_load(path=path)
    return ProgramElement.objects.get(code=PROJECT_CODE)


@pytest.fixture
def ba_trang_plan_data() -> dict[str, Any]:
    """The JSON of Kế hoạch 87/KH-UBND, a fresh copy each test may change."""
    return copy.deepcopy(_ba_trang_plan_json())


@pytest.fixture
def ba_trang_plan(
    program_structure: ProgramElement,
    ba_trang: OrgUnit,
    villages: dict[str, OrgUnit],
    ba_trang_plan_data: dict[str, Any],
) -> Plan:
    """Kế hoạch 87/KH-UBND ngày 25/9/2023 of xã Ba Trang, complete, as a draft."""
    return plan_load(data=ba_trang_plan_data, issuing_unit=ba_trang, villages=villages)
