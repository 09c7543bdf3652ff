"""Supervision's test world: xã Ba Trang's 2023 plan with a dialogue in thôn Bùi Hui (and its
minutes), a group in Bùi Hui, the MTTQ, the WU officer, the leader, and xã Ba Khâm's officer.
``world.session``: an MTTQ session of the dialogue, recorded through the service."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from duan8.accounts.models import User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan
from duan8.supervision.models import Session
from duan8.supervision.services import SessionInput, session_create
from duan8.testing import community_samples, event_samples

DAY = datetime.date(2023, 11, 20)


@dataclass
class World:
    commune: OrgUnit
    villages: dict[str, OrgUnit]
    plan: Plan
    mttq: User
    wu: User
    leader: User
    village_head: User
    other: User
    other_mttq: User
    samples: dict[str, Any]
    groups: dict[str, Any]
    session: Session


def session_input(world_event: Any, **overrides: Any) -> SessionInput:
    values: dict[str, Any] = {
        "body": Session.Body.FATHERLAND_FRONT,
        "title": "Giám sát đối thoại chính sách thôn Bùi Hui",
        "subject": Session.Subject.EVENT,
        "event": world_event,
        "starts_on": DAY,
        "members": ["Đinh Văn Mặt", "Phạm Thị Sáu"],
        "methods": ["documents", "interviews"],
    }
    values.update(overrides)
    return SessionInput(**values)


@pytest.fixture
def world(
    ba_trang: OrgUnit,
    ba_kham: OrgUnit,
    villages: dict[str, OrgUnit],
    ba_trang_plan: Plan,
    commune_officer: User,
    commune_leader: User,
    village_head: User,
    other_commune_officer: User,
    fatherland_front: User,
    ethnic_groups: Any,
) -> World:
    other_mttq = UserFactory.create(username="mttq.bakham", full_name="Phạm Văn Khâm")
    membership(other_mttq, ba_kham, "fatherland_front")
    samples = event_samples(ba_trang_plan, villages, commune_officer)
    session = session_create(
        actor=fatherland_front, unit=ba_trang, data=session_input(samples["event"])
    )
    return World(
        commune=ba_trang,
        villages=villages,
        plan=ba_trang_plan,
        mttq=fatherland_front,
        wu=commune_officer,
        leader=commune_leader,
        village_head=village_head,
        other=other_commune_officer,
        other_mttq=other_mttq,
        samples=samples,
        groups=community_samples(ba_trang, villages),
        session=session,
    )
