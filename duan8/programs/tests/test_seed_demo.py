"""``duan8 seed_demo`` on the real map of Quảng Ngãi (loaded by ``load_geography``)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from duan8.accounts.models import Membership, User
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.programs.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS
from duan8.programs.models import Plan, ProgramElement, Target
from duan8.programs.selectors import allocation_table


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def totals() -> dict[str, int]:
    return {
        "units": OrgUnit.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "documents": LegalDocument.objects.count(),
        "elements": ProgramElement.objects.count(),
        "plans": Plan.objects.count(),
        "targets": Target.objects.count(),
        "attributes": OrgUnitAttribute.objects.count(),
    }


@pytest.fixture
def seeded(db) -> str:
    return seed()


def test_seed_demo_runs_twice_and_the_second_run_adds_nothing(db):
    first = seed()
    after_first = totals()

    second = seed()

    assert totals() == after_first
    assert after_first["plans"] == 1
    assert after_first["documents"] == 11
    assert after_first["attributes"] == 3
    for output in (first, second):
        assert DEMO_PASSWORD in output
        assert all(username in output for username, *_rest in DEMO_USERS)


def test_seed_demo_loads_ba_trang_plan_complete_and_balanced(seeded):
    commune = OrgUnit.objects.get(code="21520", level=OrgUnit.Level.COMMUNE, valid_to__isnull=False)
    plan = Plan.objects.get()

    assert plan.issuing_unit == commune
    assert plan.reference == "87/KH-UBND"
    assert plan.targets.count() == 45
    assert allocation_table(plan=plan).problems == []


def test_seed_demo_creates_the_villages_as_especially_difficult(seeded):
    commune = OrgUnit.objects.get(code="21520", level=OrgUnit.Level.COMMUNE, valid_to__isnull=False)

    villages = list(commune.children.order_by("code"))

    assert [(v.code, v.name, v.kind) for v in villages] == [
        ("21520-01", "Bùi Hui", "Thôn"),
        ("21520-02", "Kon Riêng", "Thôn"),
        ("21520-03", "Nước Đang", "Thôn"),
    ]
    for village in villages:
        assert village.code_scheme == OrgUnit.CodeScheme.LOCAL
        assert village.valid_to == commune.valid_to
        assert village.path.startswith(commune.path)
        attribute = village.attributes.get()
        assert attribute.key == OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE
        assert attribute.valid_from == datetime.date(2021, 9, 16)
        assert attribute.decision.reference == "612/QĐ-UBDT"


def test_seed_demo_creates_the_demo_logins_with_their_roles(seeded):
    for username, full_name, role_code, _unit in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.full_name == full_name
        assert user.check_password(DEMO_PASSWORD)
        assert not user.is_superuser
        assert [m.role.code for m in user.memberships.all()] == [role_code]
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)


def test_seed_demo_places_each_login_in_its_unit(seeded):
    def unit_of(username: str) -> OrgUnit:
        return Membership.objects.get(user__username=username).org_unit

    assert (unit_of("hlhpn.batrang").code, unit_of("hlhpn.batrang").name) == ("21520", "Ba Trang")
    assert unit_of("tt.nuocdang").name == "Nước Đang"
    assert (unit_of("hlhpn.bato").code, unit_of("hlhpn.bato").level) == ("535", 2)
    assert (unit_of("hlhpn.bakham").code, unit_of("hlhpn.bakham").name) == ("21508", "Ba Khâm")
