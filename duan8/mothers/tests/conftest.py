"""The mothers' registry's test world, shared by every part's tests (registry, rules, duplicates,
payments, privacy).

``mothers_world``: xã Ba Trang (old code, ended 30/6/2025) with thôn Nước Đang, Bùi Hui and Kon
Riêng, xã Ba Khâm next door, and one user per role around them. ``case_input(**overrides)``: a
valid proposal (a Hrê mother of thôn Nước Đang who gave birth at a facility in March 2025), to
change one field at a time. ``proposed_case``: that proposal, saved by the health station.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from duan8.accounts.models import User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.models import OrgUnit

DELIVERED = datetime.date(2025, 3, 10)


@dataclass
class MothersWorld:
    commune: OrgUnit  # xã Ba Trang
    villages: dict[str, OrgUnit]  # "Nước Đang", "Bùi Hui", "Kon Riêng"
    other_commune: OrgUnit  # xã Ba Khâm
    other_village: OrgUnit  # thôn Làng Rêu of xã Ba Khâm
    province: OrgUnit
    health_station: User  # trạm y tế xã Ba Trang: proposes, reads health fields
    health_worker: User  # nhân viên y tế thôn Nước Đang: proposes there only
    other_health_worker: User  # nhân viên y tế thôn Bùi Hui
    officer: User  # cán bộ Hội LHPN xã Ba Trang: verifies, rejects
    leader: User  # chủ tịch UBND xã Ba Trang: approves
    accountant: User  # kế toán xã Ba Trang: payments only, no ethnicity, no health
    province_reviewer: User  # counts only
    fatherland_front: User  # counts only
    other_officer: User  # cán bộ Hội LHPN xã Ba Khâm
    other_health_station: User  # trạm y tế xã Ba Khâm
    ethnic_groups: dict[str, Any]

    @property
    def village(self) -> OrgUnit:
        """Thôn Nước Đang, where the sample case lives."""
        return self.villages["Nước Đang"]


def _person(username: str, full_name: str, unit: OrgUnit, role: str) -> User:
    user: User = UserFactory.create(username=username, full_name=full_name)
    membership(user, unit, role)
    return user


@pytest.fixture
def mothers_world(
    ba_trang: OrgUnit,
    villages: dict[str, OrgUnit],
    ba_kham: OrgUnit,
    ba_kham_village: OrgUnit,
    quang_ngai: OrgUnit,
    commune_officer: User,
    commune_leader: User,
    other_commune_officer: User,
    fatherland_front: User,
    ethnic_groups: dict[str, Any],
) -> MothersWorld:
    return MothersWorld(
        commune=ba_trang,
        villages=villages,
        other_commune=ba_kham,
        other_village=ba_kham_village,
        province=quang_ngai,
        health_station=_person(
            "tyt.batrang", "Trạm y tế xã Ba Trang", ba_trang, "commune_health_station"
        ),
        health_worker=_person(
            "yt.nuocdang", "Đinh Thị Y", villages["Nước Đang"], "village_health_worker"
        ),
        other_health_worker=_person(
            "yt.buihui", "Phạm Thị Bùi", villages["Bùi Hui"], "village_health_worker"
        ),
        officer=commune_officer,
        leader=commune_leader,
        accountant=_person("kt.batrang", "Hồ Thị Kế", ba_trang, "commune_accountant"),
        province_reviewer=_person(
            "hlhpn.quangngai", "Nguyễn Thị Tỉnh", quang_ngai, "province_reviewer"
        ),
        fatherland_front=fatherland_front,
        other_officer=other_commune_officer,
        other_health_station=_person(
            "tyt.bakham", "Trạm y tế xã Ba Khâm", ba_kham, "commune_health_station"
        ),
        ethnic_groups=ethnic_groups,
    )


def _village_of(commune: OrgUnit) -> OrgUnit | None:
    """Thôn Nước Đang for xã Ba Trang and for a commune that inherited it (xã Đặng Thùy Trâm),
    else the commune's first village."""
    villages = OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE).order_by("name", "pk")
    own = villages.filter(parent=commune)
    return (
        own.filter(name="Nước Đang").first()
        or own.first()
        or villages.filter(name="Nước Đang").first()
    )


def case_input(**overrides: Any) -> Any:
    """A valid proposal for thôn Nước Đang of xã Ba Trang (``mothers_world`` must exist);
    ``overrides`` replace any field of ``CaseInput``."""
    from duan8.mothers.services.inputs import CaseInput, ChildInput, VisitInput

    commune = overrides.pop("commune", None) or OrgUnit.objects.get(
        level=OrgUnit.Level.COMMUNE, name="Ba Trang"
    )
    village = overrides.pop("village") if "village" in overrides else _village_of(commune)
    values: dict[str, Any] = {
        "commune": commune,
        "village": village,
        "full_name": "Đinh Thị Lan",
        "birth_year": 1998,
        "ethnic_code": "19",  # Hrê
        "id_number": "051198001234",
        "phone": "0905123456",
        "household": "poor",
        "expected_on": datetime.date(2025, 3, 15),
        "delivered_on": DELIVERED,
        "place": "facility",
        "facility": "Trạm y tế xã Ba Trang",
        "mode": "normal",
        "babies": 1,
        "days_at_facility": 3,
        "has_carer": True,
        "carer_name": "Đinh Văn Lũy",
        "visits": [
            VisitInput(visited_on=datetime.date(2024, 10, 1), facility="Trạm y tế xã Ba Trang"),
            VisitInput(visited_on=datetime.date(2024, 12, 2), facility="Trạm y tế xã Ba Trang"),
            VisitInput(visited_on=datetime.date(2025, 2, 3), facility="Trạm y tế xã Ba Trang"),
        ],
        "children": [ChildInput(sex="F", born_on=DELIVERED)],
    }
    values.update(overrides)
    return CaseInput(**values)


@pytest.fixture
def proposed_case(mothers_world: MothersWorld) -> Any:
    """The sample case, proposed by xã Ba Trang's health station (status "proposed")."""
    from duan8.mothers.services.registry import mother_propose

    return mother_propose(actor=mothers_world.health_station, data=case_input())


@pytest.fixture
def consented_case(mothers_world: MothersWorld, proposed_case: Any) -> Any:
    """The sample case with the mother's signed consent, recorded on the day of the delivery:
    her record may be processed (verified, approved, paid)."""
    from duan8.mothers.services.consent import consent_record, consent_texts_load

    case = proposed_case
    consent_texts_load()
    consent_record(
        actor=mothers_world.health_station,
        mother=case.mother,
        given_on=DELIVERED,
        channel="paper",
        signer="mother",
        signer_name=case.mother.full_name,
    )
    return case
