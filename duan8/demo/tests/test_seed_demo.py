"""``duan8 seed_demo`` on the real map of Quảng Ngãi (loaded by ``load_geography``)."""

import datetime
from io import StringIO

import lxml.html
import pytest
from django.core.management import call_command
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from duan8.accounts.models import Membership, User
from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    DataLock,
    Difficulty,
    Event,
    IndicatorRule,
    WomanCadre,
)
from duan8.activities.selectors.progress import plan_progress
from duan8.activities.values import SYSTEM
from duan8.core.models import AuditEvent
from duan8.demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TRIES, DEMO_USERS
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.programs.models import Plan, ProgramElement, Target
from duan8.programs.selectors import allocation_table
from duan8.reports.models import Report, ReportStep

REFORM = datetime.date(2025, 7, 1)


def work_line(what: str, created: int, existing: int) -> str:
    """A line of seed_demo's report on the demo work, in the language the command speaks."""
    return _("%(what)s: %(created)s created, %(existing)s already there.") % {
        "what": capfirst(_(what)),
        "created": created,
        "existing": existing,
    }


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
        "groups": CommunityGroup.objects.count(),
        "members": CommunityGroupMember.objects.count(),
        "events": Event.objects.count(),
        "cadres": WomanCadre.objects.count(),
        "difficulties": Difficulty.objects.count(),
        "rules": IndicatorRule.objects.count(),
        "reports": Report.objects.count(),
        "report_steps": ReportStep.objects.count(),
        "locks": DataLock.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def seeded(db) -> str:
    return seed()


def test_seed_demo_runs_twice_and_the_second_run_adds_nothing(db):
    first = seed()
    after_first = totals()

    second = seed()

    assert totals() == after_first
    assert after_first["plans"] == 3  # 87/KH-UBND; the province's 2027 and Đặng Thùy Trâm's
    assert after_first["documents"] == 11
    # thôn ĐBKK: Ba Trang's three villages until 30/6/2025, then the same three, taken over by
    # xã Đặng Thùy Trâm (demo.assignment), from 1/7/2025
    assert after_first["attributes"] == 6
    assert (after_first["reports"], after_first["locks"]) == (2, 1)
    for output in (first, second):
        assert DEMO_PASSWORD in output
        assert all(username in output for username, *_rest in DEMO_USERS)
        assert all(str(hint) in output for hint in DEMO_TRIES.values())


def test_seed_demo_loads_ba_trang_plan_complete_and_balanced(seeded):
    commune = OrgUnit.objects.get(code="21520", level=OrgUnit.Level.COMMUNE, valid_to__isnull=False)
    plan = Plan.objects.get(year=2023)

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
        # the village head's role went on in xã Đặng Thùy Trâm's thôn Nước Đang from 1/7/2025
        # (the demo's take-over moves it): the same role, twice in the login's history
        assert {m.role.code for m in user.memberships.all()} == {role_code}
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)


def test_seed_demo_places_each_login_in_its_unit(seeded):
    def unit_of(username: str) -> OrgUnit:
        return Membership.objects.get(user__username=username, valid_to__isnull=True).org_unit

    assert (unit_of("hlhpn.batrang").code, unit_of("hlhpn.batrang").name) == ("21520", "Ba Trang")
    assert unit_of("tt.nuocdang").name == "Nước Đang"
    assert (unit_of("hlhpn.bato").code, unit_of("hlhpn.bato").level) == ("535", 2)
    assert (unit_of("hlhpn.bakham").code, unit_of("hlhpn.bakham").name) == ("21508", "Ba Khâm")
    province = unit_of("hlhpn.quangngai")
    assert (province.code, province.level, province.valid_from) == ("51", 1, REFORM)


def test_seed_demo_records_ba_trang_work_and_progress_shows_on_first_run(db):
    output = seed()
    plan = Plan.objects.get(year=2023)

    lines = {line.element.code: line for line in plan_progress(actor=SYSTEM, plan=plan).lines}

    assert (Event.objects.count(), CommunityGroupMember.objects.count()) == (13, 12)
    assert Difficulty.objects.get().status == Difficulty.Status.ANSWERED
    assert lines["1719.GD1.DA8.ND1.HD1.1"].percent == 100
    assert {v.unit.name: v.actual for v in lines["1719.GD1.DA8.ND1.HD2.2"].villages} == {
        "Bùi Hui": 1,
        "Kon Riêng": 1,
        "Nước Đang": 3,
    }
    assert work_line("Communication session", 5, 0) in output
    assert work_line("Policy dialogue", 1, 0) in output
    assert work_line("members", 12, 0) in output


def test_seed_demo_second_run_reports_the_work_as_already_there(db):
    seed()

    second = seed()

    assert work_line("Communication session", 0, 5) in second
    assert work_line("difficulties", 0, 1) in second
    assert Event.objects.count() == 13


def report_line(name: str, unit: str, due: str, status: str | None = None) -> str:
    """A line of seed_demo's report on the demo reports, in the language the command speaks."""
    values = {"name": name, "unit": unit, "due": due, "status": status}
    if status is None:
        return _("Report “%(name)s” of %(unit)s, due %(due)s: created.") % values
    return (
        _("Report “%(name)s” of %(unit)s, due %(due)s: already there (%(status)s), kept.") % values
    )


def test_seed_demo_shows_ba_trangs_reports_approved_and_returned_on_first_run(db):
    output = seed()

    review = Report.objects.get(schedule__code="ubnd-so-ket-15-12")
    update = Report.objects.get(schedule__code="hlhpn-cap-nhat-31-01")
    lock = DataLock.objects.get()

    assert (review.status, review.reviewed_by.username) == ("approved", "hlhpn.bato")
    assert (update.status, update.submitted_by.username) == ("returned", "hlhpn.batrang")
    assert (lock.org_unit, lock.period_end) == (review.org_unit, datetime.date(2023, 12, 15))
    assert report_line(review.schedule.name, "Xã Ba Trang", "15/12/2023") in output
    assert report_line(update.schedule.name, "Xã Ba Trang", "31/01/2024") in output
    assert "01/01/2023–15/12/2023" in output  # the lock's line


def test_seed_demo_second_run_keeps_the_reports_and_does_not_trip_on_the_lock(db):
    seed()

    second = seed()

    review = Report.objects.get(schedule__code="ubnd-so-ket-15-12")
    approved = str(Report.Status.APPROVED.label)
    assert report_line(review.schedule.name, "Xã Ba Trang", "15/12/2023", approved) in second
    assert work_line("Communication session", 0, 5) in second


def test_the_province_reviewer_sees_ba_trangs_2023_figures_under_xa_dang_thuy_tram(client, seeded):
    client.force_login(User.objects.get(username="hlhpn.quangngai"))

    response = client.get("/tong-quan/?year=2023")  # the path printed with the login

    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content.decode())
    rows = {
        " ".join(row.xpath("./th|./td")[0].text_content().split()): [
            " ".join(cell.text_content().split()) for cell in row.xpath("./td")
        ]
        for row in tree.xpath('//section[@id="dashboard-units"]//tbody/tr')
    }
    assert "Xã Ba Trang" not in rows
    (dang_thuy_tram,) = [name for name in rows if name.startswith("Xã Đặng Thùy Trâm")]
    assert "Xã Ba Trang" in dang_thuy_tram  # "Xã Đặng Thùy Trâm (gồm …, Xã Ba Trang)"
    assert rows[dang_thuy_tram][0] == "1"  # the Nước Đang team (1.1.1), target 1
    progress = tree.xpath('//section[@id="dashboard-progress"]//tbody/tr')
    sessions = [r for r in progress if r.text_content().split()[0] == "1.2.2"]
    assert sessions[0].xpath("./td")[0].text_content().strip() == "5"
