"""Shared test fixtures, loaded for every test directory by the root conftest.py.

A small hand-built map around xã Ba Trang, one persona per role, the Dự án 8 structure and xã Ba
Trang's 2023 plan (Kế hoạch 87/KH-UBND). The real map (loaded from the vietnamadminunits dataset)
is tested in orgunits/tests/test_geography.py; here a few units keep every other test fast.

Shared once per session (``django_db_setup``): the program structure, beside what the migrations
load (roles, the 54 ethnic groups). Every test's transaction rolls back to that state, so a test
may change them freely. A transactional test (``transaction=True``, the live server) flushes the
database when it ends: the fixtures below load again what they find missing (pytest-django runs
those tests after all the others).
"""

import copy
import datetime
import functools
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django.apps
import pytest
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings

from duan8.accounts.models import User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.legal.models import LegalDocument
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
def _fast_password_hasher(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def default_roles_load() -> None:
    """The roles of the data migrations, again: a transactional test flushes the database (the
    migrations' rows with it) when it ends, so the tests after it would find no role."""
    for name in (
        "accounts.migrations.0002_default_roles",
        "accounts.migrations.0004_records_personal_permission",
        "accounts.migrations.0007_remove_unchecked_permissions",
        "accounts.migrations.0008_plans_assign_permission",
        "accounts.migrations.0009_national_reviewer",
        "mothers.migrations.0002_roles",
        "supervision.migrations.0002_roles",
        "finance.migrations.0002_roles",
    ):
        migration = importlib.import_module(f"duan8.{name}")
        migration.forward(django.apps.apps, None)


SHIPPED_DOCUMENTS = Path(__file__).resolve().parent / "mothers" / "data" / "package_rules.json"


@functools.cache
def _shipped_documents() -> tuple[tuple[str, str, str], ...]:
    data = json.loads(SHIPPED_DOCUMENTS.read_text(encoding="utf-8"))
    return tuple((d["kind"], d["number"], d["symbol"]) for d in data["documents"])


def legal_documents_written() -> int:
    """The register's documents other than those a migration ships (the packages' legal
    sources, mothers 0003): what a test's load or import wrote, for "nothing saved" checks."""
    documents = LegalDocument.objects.values_list("kind", "number", "symbol")
    return sum(1 for key in documents if key not in _shipped_documents())


@pytest.fixture
def default_roles_again(transactional_db: None) -> None:
    default_roles_load()


@pytest.fixture
def quang_ngai(db: None) -> OrgUnit:
    return make_unit(code="51", name="Quảng Ngãi", level=L.PROVINCE, kind="Tỉnh")


@pytest.fixture
def ba_to(quang_ngai: OrgUnit) -> OrgUnit:
    return make_unit(code="535", name="Ba Tơ", level=L.DISTRICT, kind="Huyện", parent=quang_ngai)


@pytest.fixture
def ba_trang(ba_to: OrgUnit) -> OrgUnit:
    return make_unit(code="21520", name="Ba Trang", level=L.COMMUNE, kind="Xã", parent=ba_to)


@pytest.fixture
def ba_kham(ba_to: OrgUnit) -> OrgUnit:
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
def villages(ba_trang: OrgUnit) -> dict[str, OrgUnit]:
    return {
        name: _village(ba_trang, f"21520-{i:02d}", name)
        for i, name in enumerate(["Bùi Hui", "Kon Riêng", "Nước Đang"], start=1)
    }


@pytest.fixture
def ba_kham_village(ba_kham: OrgUnit) -> OrgUnit:
    return _village(ba_kham, "21508-01", "Làng Rêu")


@pytest.fixture
def new_quang_ngai(db: None) -> OrgUnit:
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
def dang_thuy_tram(new_quang_ngai: OrgUnit) -> OrgUnit:
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


def _user(*, username: str, full_name: str) -> User:
    user: User = UserFactory.create(username=username, full_name=full_name)
    return user


@pytest.fixture
def commune_officer(ba_trang: OrgUnit) -> User:
    user = _user(username="hlhpn.batrang", full_name="Đinh Thị Hoa")
    membership(user, ba_trang, "commune_wu_officer")
    return user


@pytest.fixture
def commune_leader(ba_trang: OrgUnit) -> User:
    user = _user(username="ct.batrang", full_name="Phạm Văn Thích")
    membership(user, ba_trang, "commune_leader")
    return user


@pytest.fixture
def village_head(villages: dict[str, OrgUnit]) -> User:
    user = _user(username="tt.nuocdang", full_name="Đinh Văn Nước")
    membership(user, villages["Nước Đang"], "village_head")
    return user


@pytest.fixture
def other_commune_officer(ba_kham: OrgUnit) -> User:
    user = _user(username="hlhpn.bakham", full_name="Phạm Thị Khâm")
    membership(user, ba_kham, "commune_wu_officer")
    return user


@pytest.fixture
def district_reviewer(ba_to: OrgUnit) -> User:
    user = _user(username="hlhpn.bato", full_name="Trần Thị Tơ")
    membership(user, ba_to, "district_reviewer")
    return user


PROJECT_CODE = "1719.GD1.DA8"


@functools.cache
def _ba_trang_plan_json() -> dict[str, Any]:
    return plan_data_read(BA_TRANG_2023)


def program_structure_ensure() -> ProgramElement:
    """The Dự án 8 project element of phase I, every structure file loaded first if it is not
    there (a transactional test before this one flushed it)."""
    project = ProgramElement.objects.filter(code=PROJECT_CODE).first()
    if project is None:
        for path in program_structure_files():
            program_structure_load(path=path)
        project = ProgramElement.objects.get(code=PROJECT_CODE)
    return project


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    """The test database as the migrations leave it, plus the program structure, loaded once."""
    with django_db_blocker.unblock():
        program_structure_ensure()


@pytest.fixture
def program_structure(db: None) -> ProgramElement:
    """Every structure file loaded; returns the Dự án 8 project element of phase I."""
    return program_structure_ensure()


@pytest.fixture
def no_program_structure(db: None) -> None:
    """For the tests of the structure loader itself: this test starts without the shared
    structure (the deletion rolls back with the test)."""
    ProgramElement.objects.all().delete()


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
def _private_media(settings: Settings, tmp_path: Path) -> None:
    """Attachments go to a folder of the test, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ethnic_groups(db: None) -> dict[str, Any]:
    """The 54 ethnic groups by code ("01" Kinh, "19" Hrê, "30" Co, ...)."""
    from duan8.activities.reference import ethnic_group_by_code, ethnic_groups_load

    groups = ethnic_group_by_code()
    if len(groups) < 54:  # the migration loads them; a transactional test's flush empties them
        ethnic_groups_load()
        groups = ethnic_group_by_code()
    return groups


@pytest.fixture
def indicator_rules(program_structure: ProgramElement) -> int:
    from duan8.activities.rules import indicator_rules_load

    return indicator_rules_load()


# --- community groups, women cadres, difficulties (issue 4) -----------------------------------


@pytest.fixture
def fatherland_front(ba_trang: OrgUnit) -> User:
    """Ủy ban MTTQ xã Ba Trang: reads records and counts, never names of persons."""
    user = _user(username="mttq.batrang", full_name="Đinh Văn Mặt")
    membership(user, ba_trang, "fatherland_front")
    return user


@pytest.fixture
def bui_hui_head(villages: dict[str, OrgUnit]) -> User:
    user = _user(username="tt.buihui", full_name="Phạm Văn Hùi")
    membership(user, villages["Bùi Hui"], "village_head")
    return user


def community_samples(ba_trang: OrgUnit, villages: dict[str, OrgUnit]) -> dict[str, Any]:
    """One group (with a member), cadre and difficulty in thôn Bùi Hui, for access tests."""
    from duan8.activities.models import (
        CommunityGroup,
        CommunityGroupMember,
        CommunityGroupStatus,
        Difficulty,
        EthnicGroup,
        WomanCadre,
    )

    hre = EthnicGroup.objects.get(code="19")
    bui_hui = villages["Bùi Hui"]
    group = CommunityGroup.objects.create(
        kind=CommunityGroup.Kind.COMMUNICATION_TEAM,
        name="Tổ truyền thông cộng đồng thôn Bùi Hui",
        org_unit=bui_hui,
        founded_on=datetime.date(2023, 10, 2),
    )
    CommunityGroupStatus.objects.create(group=group, status="founded", on=group.founded_on)
    member = CommunityGroupMember.objects.create(
        group=group, full_name="Phạm Thị Bùi", sex="F", ethnic_group=hre, joined_on=group.founded_on
    )
    cadre = WomanCadre.objects.create(
        org_unit=bui_hui,
        full_name="Phạm Thị Hui",
        ethnic_group=hre,
        position="Chi hội trưởng phụ nữ thôn Bùi Hui",
        status=WomanCadre.Status.PLANNED,
        since=datetime.date(2023, 5, 1),
    )
    difficulty = Difficulty.objects.create(
        org_unit=bui_hui,
        raised_by="Thôn Bùi Hui",
        raised_on=datetime.date(2023, 11, 2),
        description="Thôn Bùi Hui thiếu loa cho buổi truyền thông",
    )
    return {"group": group, "member": member, "cadre": cadre, "difficulty": difficulty}


# --- roll-up across the 2025 map (issue 6) ----------------------------------------------------


@pytest.fixture
def ba_trang_merger(
    ba_trang: OrgUnit,
    ba_kham: OrgUnit,
    ba_to: OrgUnit,
    quang_ngai: OrgUnit,
    dang_thuy_tram: OrgUnit,
    new_quang_ngai: OrgUnit,
) -> OrgUnit:
    """The successions of 1/7/2025 around xã Ba Trang, as ``load_geography`` records them: xã
    Ba Trang + xã Ba Khâm → xã Đặng Thùy Trâm; huyện Ba Tơ and tỉnh Quảng Ngãi (old) → tỉnh
    Quảng Ngãi (new). Returns xã Đặng Thùy Trâm."""
    from duan8.orgunits.models import OrgUnitSuccession

    S = OrgUnitSuccession.Kind
    for predecessor, successor, kind in [
        (ba_trang, dang_thuy_tram, S.MERGED),
        (ba_kham, dang_thuy_tram, S.MERGED),
        (ba_to, new_quang_ngai, S.MERGED),
        (quang_ngai, new_quang_ngai, S.MERGED),
    ]:
        OrgUnitSuccession.objects.create(
            predecessor=predecessor, successor=successor, kind=kind, effective_on=REFORM
        )
    return dang_thuy_tram


# --- events (issue 4) -------------------------------------------------------------------------

# The first bytes of a real PDF: enough for the attachment type check (magic bytes).
SAMPLE_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def event_samples(plan: Plan, villages: dict[str, OrgUnit], actor: Any) -> dict[str, Any]:
    """A policy dialogue in thôn Bùi Hui (12/10/2023) with a list of two persons and its
    minutes (PDF), recorded by ``actor`` (the commune officer), for access tests."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from duan8.activities.models import EthnicGroup
    from duan8.activities.services.attachments import attachment_add
    from duan8.activities.services.events import EventInput, PersonInput, event_create

    hre = EthnicGroup.objects.get(code="19")
    event = event_create(
        actor=actor,
        data=EventInput(
            plan=plan,
            activity=ProgramElement.objects.get(code="1719.GD1.DA8.ND3.HD1.2"),
            kind="dialogue",
            title="Đối thoại chính sách thôn Bùi Hui",
            held_on=datetime.date(2023, 10, 12),
            org_unit=villages["Bùi Hui"],
            participants=[
                PersonInput("Đinh Thị Bùi", "F", hre, 1988, "Chi hội trưởng"),
                PersonInput("Phạm Văn Hui", "M", hre, 1975, "Trưởng thôn"),
            ],
        ),
    )
    attachment = attachment_add(
        actor=actor,
        upload=SimpleUploadedFile("bien-ban-bui-hui.pdf", SAMPLE_PDF, "application/pdf"),
        kind="minutes",
        event=event,
    )
    return {
        "event": event,
        "person": event.participants.order_by("pk").first(),
        "attachment": attachment,
    }


# --- reports to the level above: schedules, approval, completeness (issue 6) -------------------


@pytest.fixture
def report_schedules(db: None) -> dict[str, Any]:
    """The shipped report schedules by code, as the migration loaded them (test_schedules checks
    they are the files' rows); loaded again only after a transactional test's flush."""
    from duan8.reports.models import ReportSchedule
    from duan8.reports.schedules import schedules_load

    if not ReportSchedule.objects.exists():
        schedules_load()
    return {s.code: s for s in ReportSchedule.objects.all()}


def report_session(
    plan: Plan, unit: OrgUnit, held_on: datetime.date, actor: Any, *, women: int = 12, men: int = 3
) -> Any:
    """A communication session of ``plan`` in ``unit``, recorded through the services, with
    minority adult participants."""
    from duan8.activities.services.events import CountInput, EventInput, event_create

    counts = [CountInput("F", True, "adult", women), CountInput("M", True, "adult", men)]
    return event_create(
        actor=actor,
        data=EventInput(
            plan=plan,
            activity=ProgramElement.objects.get(code="1719.GD1.DA8.ND1.HD2.2"),
            kind="communication",
            title=f"Truyền thông phòng chống tảo hôn ({unit.name})",
            held_on=held_on,
            org_unit=unit,
            counts=[c for c in counts if c.count],
        ),
    )


def report_samples(ba_trang: OrgUnit, actor: Any) -> dict[str, Any]:
    """xã Ba Trang's Women's Union report due 15/9/2023, a draft with its narrative parts."""
    from duan8.reports.models import ReportSchedule
    from duan8.reports.schedules import schedules_load
    from duan8.reports.services import report_open, report_save

    if not ReportSchedule.objects.exists():
        schedules_load()
    report = report_open(
        actor=actor,
        schedule=ReportSchedule.objects.get(code="hlhpn-ket-qua-15-9"),
        unit=ba_trang,
        due_on=datetime.date(2023, 9, 15),
    )
    report = report_save(
        actor=actor,
        report=report,
        results="Thành lập tổ truyền thông cộng đồng thôn Bùi Hui.",
        difficulties="Thôn Kon Riêng xa, đi lại khó khăn.",
        proposals="Đề nghị Hội LHPN huyện hỗ trợ tài liệu truyền thông.",
        expected_version=report.version,
    )
    return {"report": report}


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English for the test's code outside requests (the default language is vi).

    Tests that compare English msgids use it (``pytestmark = pytest.mark.usefixtures("english")``);
    without it the language left active by an earlier test would decide.
    """
    from django.utils import translation

    with translation.override("en"):
        yield
