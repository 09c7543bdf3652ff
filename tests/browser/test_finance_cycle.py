"""Issue 14, acceptance: the money on the pages of the people who handle it.

xã Ba Trang was given 10.000.000 đ from the central budget for 2023 and has spent 6.000.000 đ.
Its accountant records, through the voucher page, the voucher paying a communication session's
cost (3.000.000 đ) and sees the disbursement move from 60% to 90%; a second voucher of
1.500.000 đ, more than the 1.000.000 đ left, is refused with the reason on the page and nothing
saved. huyện Ba Tơ's reviewer opens her unit's disbursement for 2023: one row per commune with
its figures, and no payee's name.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duan8.accounts.models import User
from duan8.finance.models import Source, Voucher
from duan8.finance.services.vouchers import voucher_record
from duan8.finance.tests.budget_fixtures import allocate, persona
from duan8.finance.tests.spending_fixtures import SpendingWorld, plan_of, spending_world_make
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ProgramElement
from tests.browser.helpers import default_roles, with_password  # noqa: F401 (autouse)
from tests.browser.mothers_steps import signed_in

PAID_BEFORE = "Phạm Thị Bí Mật"  # a payee's name: the district reviewer must never see it
BA_KHAM_PAYEE = "Đinh Văn Khâm"
PAID_ON = "2023-10-05"


def _world(ba_to: OrgUnit) -> dict[str, Any]:
    """Ba Trang: 10.000.000 given, 6.000.000 spent, a session of 3.000.000 to pay; Ba Khâm:
    5.000.000 given, 2.000.000 spent; a password for the accountant and the district reviewer."""
    world: SpendingWorld = spending_world_make()
    voucher_record(
        actor=world.accountant,
        data=world.voucher(
            number="00/2023",
            amount=Decimal(6_000_000),
            payee=PAID_BEFORE,
            paid_on=datetime.date(2023, 9, 20),
        ),
    )
    event = world.event(cost=3_000_000, title="Truyền thông phòng, chống tảo hôn thôn Bùi Hui")
    ba_kham = world.other_commune
    allocate(ba_kham, 5_000_000)
    voucher_record(
        actor=world.other_accountant,
        data=world.voucher(
            holder=ba_kham,
            plan=plan_of(ba_kham),
            number="01/2023",
            amount=Decimal(2_000_000),
            payee=BA_KHAM_PAYEE,
        ),
    )
    reviewer = persona("hlhpn.bato", ba_to, "district_reviewer")
    for user in (world.accountant, reviewer, world.province_reviewer):
        with_password(user)
    return {"spending": world, "event": event, "reviewer": reviewer, "district": ba_to}


def _disbursement(page: Page, unit: OrgUnit) -> None:
    """The unit's disbursement page, 2023 chosen in its form."""
    page.goto(reverse("finance:disbursement", args=[unit.pk]))
    page.locator("input[name=year]").fill("2023")
    page.locator("form.filter button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("2023")


def _figures(page: Page) -> tuple[str, str, str]:
    return (
        page.locator("#disbursement-allocated").inner_text(),
        page.locator("#disbursement-disbursed").inner_text(),
        page.locator("#disbursement-percent").inner_text(),
    )


def _pay_the_event(page: Page, world: SpendingWorld, event: Any) -> None:
    """From the vouchers page to the event's voucher: its unpaid cost is proposed."""
    page.goto(reverse("finance:vouchers", args=[world.commune.pk]) + "?nam=2023")
    record = page.locator(f"a[href='{reverse('finance:voucher_record', args=[world.commune.pk])}']")
    page.goto(f"{record.get_attribute('href')}?su-kien={event.pk}")
    form = page.locator("form.narrow-form")
    expect(form.locator("input[name=amount]")).to_have_value("3.000.000")
    form.locator("input[name=number]").fill("02/2023")
    form.locator("input[name=paid_on]").fill(PAID_ON)
    form.locator("input[name=payee]").fill("Chi hội Phụ nữ thôn Bùi Hui")
    form.locator("select[name=source]").select_option(Source.CENTRAL)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/chung-tu/?nam=2023")
    expect(page.locator("table.vouchers")).to_contain_text("02/2023")


def _overspend_is_refused(page: Page, world: SpendingWorld) -> None:
    page.goto(reverse("finance:voucher_record", args=[world.commune.pk]))
    form = page.locator("form.narrow-form")
    form.locator("input[name=number]").fill("03/2023")
    form.locator("input[name=paid_on]").fill(PAID_ON)
    form.locator("input[name=payee]").fill("Hội LHPN xã Ba Trang")
    form.locator("input[name=amount]").fill("1.500.000")
    form.locator("input[name=content]").fill("Chi in tờ rơi phòng, chống tảo hôn")
    form.locator("select[name=plan]").select_option(str(world.plan.pk))
    form.locator("select[name=activity]").select_option(str(world.activity.pk))
    form.locator("select[name=source]").select_option(Source.CENTRAL)
    form.locator("button[type=submit]").click()

    error = page.locator("#id_amount_error")
    expect(error).to_contain_text("1.500.000")
    expect(error).to_contain_text("1.000.000")  # what is left of the allocation
    assert not Voucher.objects.filter(number="03/2023").exists()


def test_the_accountant_pays_an_event_moves_the_disbursement_and_cannot_overspend(
    browser: Browser,
    live_server: LiveServer,
    program_structure: ProgramElement,
    ba_trang: OrgUnit,
    ba_kham: OrgUnit,
    ba_to: OrgUnit,
) -> None:
    data = _world(ba_to)
    world: SpendingWorld = data["spending"]

    with signed_in(browser, live_server, world.accountant) as page:
        _disbursement(page, world.commune)
        assert _figures(page) == ("10.000.000", "6.000.000", "60%")

        _pay_the_event(page, world, data["event"])
        _disbursement(page, world.commune)
        assert _figures(page) == ("10.000.000", "9.000.000", "90%")

        _overspend_is_refused(page, world)
        _disbursement(page, world.commune)
        assert _figures(page) == ("10.000.000", "9.000.000", "90%")

    reviewer: User = data["reviewer"]
    with signed_in(browser, live_server, reviewer) as page:
        _disbursement(page, data["district"])
        rows = page.locator("table.disbursement-units tbody tr")
        expect(rows).to_have_count(2)
        ba_trang_row = rows.filter(has_text="Ba Trang")
        for figure in ("10.000.000", "9.000.000", "90%"):
            expect(ba_trang_row).to_contain_text(figure)
        ba_kham_row = rows.filter(has_text="Ba Khâm")
        for figure in ("5.000.000", "2.000.000", "40%"):
            expect(ba_kham_row).to_contain_text(figure)
        content = page.content()
        for name in (PAID_BEFORE, BA_KHAM_PAYEE, "Chi hội Phụ nữ thôn Bùi Hui"):
            assert name not in content

    # the province reviewer: her province by district, then the district's communes, by a click
    with signed_in(browser, live_server, world.province_reviewer) as page:
        _disbursement(page, data["district"].parent)
        district_row = page.locator("table.disbursement-units tbody tr").filter(has_text="Ba Tơ")
        for figure in ("15.000.000", "11.000.000"):
            expect(district_row).to_contain_text(figure)
        district_row.locator("a").click()
        communes = page.locator("table.disbursement-units tbody tr")
        expect(communes).to_have_count(2)
        expect(communes.filter(has_text="Ba Trang")).to_contain_text("9.000.000")
        assert PAID_BEFORE not in page.content()
