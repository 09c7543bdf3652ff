"""Issue 12's acceptance, third part: the province assigns a 2027 target to xã Đặng Thùy Trâm in
its plan's allocation table and approves it; Đặng Thùy Trâm's officer starts her 2027 draft from
the assignment and sees the assigned value, in the panel and as her commune's target.

The province's user holds the default ``province_reviewer`` role: its ``plans.assign`` lets it
write and approve the province's own plan, never its communes' plans (programs.plan_access)."""

import datetime
import importlib

import django.apps
import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duan8.accounts.models import User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import AllocationRow, Plan, ProgramElement, Target
from duan8.programs.plan_edit import plan_update
from duan8.programs.plan_new import EMPTY, plan_new
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

YEAR = 2027
ASSIGNED_VALUE = "12"


def _page(browser: Browser, live_server: LiveServer, username: str) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, username)
    return page


@pytest.fixture(autouse=True)
def plans_assign_role(request: pytest.FixtureRequest) -> None:
    """accounts 0008 again after the roles' reload (a live-server test flushes the database, and
    duan8.testing.default_roles_load does not replay 0008)."""
    request.getfixturevalue("default_roles")  # first: it rewrites the roles' permissions
    migration = importlib.import_module("duan8.accounts.migrations.0008_plans_assign_permission")
    migration.forward(django.apps.apps, None)


def _province_user(province: OrgUnit) -> User:
    user = with_password(UserFactory.create(username="hlhpn.quangngai", full_name="Lê Thị Ngãi"))
    membership(user, province, "province_reviewer")
    return user


def _province_draft(province: OrgUnit, commune: OrgUnit, actor: User) -> tuple[Plan, AllocationRow]:
    """The province's 2027 draft with its number and date; ``plan_new`` gave it an empty row for
    each of its communes under the year's total: the commune's row is returned."""
    plan = plan_new(actor=actor, unit=province, year=YEAR, source=EMPTY).plan
    plan = plan_update(
        plan=plan,
        actor=actor,
        expected_version=plan.version,
        number=141,
        issued_on=datetime.date(2026, 12, 1),
    )
    return plan, plan.allocation_rows.get(village=commune)


def test_the_province_assigns_a_2027_target_and_the_commune_draft_starts_from_it(
    browser: Browser,
    live_server: LiveServer,
    program_structure: ProgramElement,
    new_quang_ngai: OrgUnit,
    dang_thuy_tram: OrgUnit,
) -> None:
    province_user = _province_user(new_quang_ngai)
    officer_user = with_password(
        UserFactory.create(username="hlhpn.dangthuytram", full_name="Hồ Thị Trâm")
    )
    membership(officer_user, dang_thuy_tram, "commune_wu_officer")
    plan, row = _province_draft(new_quang_ngai, dang_thuy_tram, province_user)
    column = plan.allocation_columns.select_related("element").order_by("order").first()
    assert column is not None
    total = row.parent
    assert total is not None

    province = _page(browser, live_server, province_user.username)
    officer = _page(browser, live_server, officer_user.username)
    try:
        # The province enters Đặng Thùy Trâm's value (and the total) and approves its plan.
        province.goto(f"/ke-hoach/{plan.pk}/")
        province.locator(f"a[href='/ke-hoach/{plan.pk}/phan-bo/']").click()
        province.wait_for_url(f"**/ke-hoach/{plan.pk}/phan-bo/")
        province.fill(f"input[name=cell-{row.pk}-{column.pk}]", ASSIGNED_VALUE)
        province.fill(f"input[name=cell-{total.pk}-{column.pk}]", ASSIGNED_VALUE)
        province.locator("form[method=post] button.button-primary").click()
        province.wait_for_url(f"**/ke-hoach/{plan.pk}/")
        expect(province.get_by_text("Đã lưu bảng phân bổ.")).to_be_visible()
        province.goto(f"/ke-hoach/{plan.pk}/phe-duyet/")
        province.locator("form[method=post] button.button-primary").click()
        province.wait_for_url(f"**/ke-hoach/{plan.pk}/")
        expect(province.locator(".alert-error")).to_have_count(0)
        plan.refresh_from_db()
        assert plan.status == Plan.Status.APPROVED

        # Đặng Thùy Trâm's officer starts her 2027 draft from the assignment.
        officer.goto(f"/don-vi/{dang_thuy_tram.pk}/ke-hoach-moi/")
        officer.fill("input[name=year]", str(YEAR))
        officer.locator("input[name=source][value=assigned]").check()
        officer.locator("form[method=post] button.button-primary").click()
        officer.wait_for_url("**/ke-hoach/*/")
        draft = Plan.objects.get(issuing_unit=dang_thuy_tram, year=YEAR)
        assert draft.status == Plan.Status.DRAFT

        # She sees the assigned value, in the panel and as her commune's target.
        panel = officer.locator("#assigned-targets")
        expect(panel).to_contain_text(plan.reference)
        line = panel.locator("tbody tr").filter(
            has=officer.get_by_role("rowheader", name=column.heading, exact=True)
        )
        expect(line.locator("td").nth(0)).to_have_text(ASSIGNED_VALUE)
        expect(line.locator("td").nth(1)).to_have_text(ASSIGNED_VALUE)
        appendix_row = officer.locator("#phu-luc-1 tbody tr").filter(
            has=officer.get_by_role("cell", name=column.element.title, exact=True)
        )
        expect(appendix_row.locator("td.target").first).to_have_text(ASSIGNED_VALUE)
        target = draft.targets.get(element=column.element, scope=Target.Scope.COMMUNE)
        assert target.display == ASSIGNED_VALUE

        # The province reads her draft but has no button to change or approve it.
        province.goto(f"/ke-hoach/{draft.pk}/")
        expect(province.locator("#assigned-targets")).to_contain_text(plan.reference)
        expect(province.locator(f"a[href='/ke-hoach/{draft.pk}/phan-bo/']")).to_have_count(0)
        expect(province.locator(f"a[href='/ke-hoach/{draft.pk}/phe-duyet/']")).to_have_count(0)
    finally:
        province.context.close()
        officer.context.close()
