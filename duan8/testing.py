"""Shared test fixtures, loaded for every test directory by the root conftest.py.

A small hand-built map around xã Ba Trang, one persona per role, the Dự án 8 structure and xã Ba
Trang's 2023 plan (Kế hoạch 87/KH-UBND). The real map (loaded from the vietnamadminunits dataset)
is tested in orgunits/tests/test_geography.py; here a few units keep every other test fast.
"""

import copy
import datetime
import functools
from typing import Any

import pytest

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.services import org_unit_save_with_path
from duan8.orgunits.tests.factories import make_unit
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.plan_data import BA_TRANG_2023, plan_data_read, plan_load
from duan8.programs.structure import program_structure_files, program_structure_load

L = OrgUnit.Level
NEW = OrgUnit.CodeScheme.QD19_2025
REFORM = datetime.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def quang_ngai(db):
    return make_unit(code="51", name="Quảng Ngãi", level=L.PROVINCE, kind="Tỉnh")


@pytest.fixture
def ba_to(quang_ngai):
    return make_unit(code="535", name="Ba Tơ", level=L.DISTRICT, kind="Huyện", parent=quang_ngai)


@pytest.fixture
def ba_trang(ba_to):
    return make_unit(code="21520", name="Ba Trang", level=L.COMMUNE, kind="Xã", parent=ba_to)


@pytest.fixture
def ba_kham(ba_to):
    return make_unit(code="21508", name="Ba Khâm", level=L.COMMUNE, kind="Xã", parent=ba_to)


def _village(commune: OrgUnit, code: str, name: str) -> OrgUnit:
    return org_unit_save_with_path(
        OrgUnit(
            code_scheme=OrgUnit.CodeScheme.LOCAL,
            code=code,
            name=name,
            level=L.VILLAGE,
            kind="Thôn",
            parent=commune,
            valid_to=commune.valid_to,
        )
    )


@pytest.fixture
def villages(ba_trang):
    return {
        name: _village(ba_trang, f"21520-{i:02d}", name)
        for i, name in enumerate(["Bùi Hui", "Kon Riêng", "Nước Đang"], start=1)
    }


@pytest.fixture
def ba_kham_village(ba_kham):
    return _village(ba_kham, "21508-01", "Làng Rêu")


@pytest.fixture
def new_quang_ngai(db):
    return make_unit(
        code="51",
        name="Quảng Ngãi",
        level=L.PROVINCE,
        kind="Tỉnh",
        scheme=NEW,
        valid_from=REFORM,
        valid_to=None,
    )


@pytest.fixture
def dang_thuy_tram(new_quang_ngai):
    return make_unit(
        code="21520",
        name="Đặng Thùy Trâm",
        level=L.COMMUNE,
        kind="Xã",
        parent=new_quang_ngai,
        scheme=NEW,
        valid_from=REFORM,
        valid_to=None,
    )


@pytest.fixture
def commune_officer(ba_trang):
    user = UserFactory(username="hlhpn.batrang", full_name="Đinh Thị Hoa")
    membership(user, ba_trang, "commune_wu_officer")
    return user


@pytest.fixture
def commune_leader(ba_trang):
    user = UserFactory(username="ct.batrang", full_name="Phạm Văn Thích")
    membership(user, ba_trang, "commune_leader")
    return user


@pytest.fixture
def village_head(villages):
    user = UserFactory(username="tt.nuocdang", full_name="Đinh Văn Nước")
    membership(user, villages["Nước Đang"], "village_head")
    return user


@pytest.fixture
def other_commune_officer(ba_kham):
    user = UserFactory(username="hlhpn.bakham", full_name="Phạm Thị Khâm")
    membership(user, ba_kham, "commune_wu_officer")
    return user


@pytest.fixture
def district_reviewer(ba_to):
    user = UserFactory(username="hlhpn.bato", full_name="Trần Thị Tơ")
    membership(user, ba_to, "district_reviewer")
    return user


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


# --- activities (issue 4) ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Attachments go to a folder of the test, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ethnic_groups(db) -> dict:
    """The 54 ethnic groups by code ("01" Kinh, "19" Hrê, "30" Co, ...)."""
    from duan8.activities.reference import ethnic_group_by_code, ethnic_groups_load

    ethnic_groups_load()  # the migration loads them; a live-server flush empties the table
    return ethnic_group_by_code()


@pytest.fixture
def indicator_rules(program_structure) -> int:
    from duan8.activities.rules import indicator_rules_load

    return indicator_rules_load()
