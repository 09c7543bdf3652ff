"""Issue 13, acceptance: one mother through the whole cycle of the safe-motherhood packages,
each step on the pages of the person who does it.

xã Ba Trang's health station proposes Đinh Thị Lan on a phone; thôn Nước Đang's village health
worker had proposed her too (without diacritics, without ID number): the WU officer cannot verify
while that likely duplicate is open, confirms it, then verifies; the chairman approves (2,200,000
VND: a normal birth at a facility, 3 days, with a carer); the accountant makes the payment list,
the chairman approves it, the accountant records the payment and downloads the .xlsx; the
province reviewer sees counts only, "<5" for Ba Trang, and no name, and cannot open the case.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duan8.mothers.models import DuplicateCandidate, Pregnancy
from duan8.mothers.services.registry import mother_propose
from duan8.mothers.tests.conftest import case_input, mothers_world  # noqa: F401 (fixture)
from tests.browser.helpers import default_roles  # noqa: F401 (autouse)
from tests.browser.mothers_steps import (  # noqa: F401 (mothers_cycle_fixture)
    NO_SIDEWAYS_SCROLL,
    in_vietnamese,
    mothers_cycle_fixture,
    signed_in,
    xlsx_cells,
)

NAME = "Đinh Thị Lan"
DELIVERED = datetime.date(2025, 3, 10)  # xã Ba Trang (old code) lasted to 30/6/2025
DUE = "2.200.000"  # travel 2 × 100,000, kit 500,000, meals 3 days × 2 × 50,000, nutrition 1.2M


def _propose_on_a_phone(page: Page, world: Any) -> Pregnancy:
    """Step 1: the health station, from the menu's page to a saved case; a double tap."""
    page.goto("/me-an-toan/")
    page.wait_for_url(f"**{reverse('mothers:case_list', args=[world.commune.pk])}")
    page.locator(f"a[href='{reverse('mothers:case_propose', args=[world.commune.pk])}']").click()

    form = page.locator("form.narrow-form")
    form.locator("select[name=village]").select_option(str(world.village.pk))
    form.locator("input[name=full_name]").fill(NAME)
    form.locator("input[name=birth_year]").fill("1998")
    form.locator("input[name=id_number]").fill("051198001234")
    form.locator("select[name=ethnic_code]").select_option("19")  # Hrê
    form.locator("input[name=delivered_on]").fill(DELIVERED.isoformat())
    form.locator("select[name=place]").select_option("facility")
    form.locator("input[name=facility]").fill("Trạm y tế xã Ba Trang")
    form.locator("select[name=mode]").select_option("normal")
    form.locator("input[name=babies]").fill("1")
    form.locator("input[name=days_at_facility]").fill("3")
    form.locator("input[name=girls]").fill("1")
    form.locator("input[name=has_carer]").check()
    form.locator("input[name=carer_name]").fill("Đinh Văn Lũy")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    form.locator("button[type=submit]").dblclick()  # a double tap on a slow network

    page.wait_for_url("**/ho-so/*/")
    expect(page.locator("h1")).to_have_text(NAME)
    expect(page.locator(".status.status-case-proposed")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert Pregnancy.objects.count() == 1  # saved once

    # her signed consent, from the case's page (nothing is processed without it)
    page.locator("nav.subnav a[href$='/dong-y/']").click()
    consent = page.locator("form:has(input[name=given_on])")
    consent.locator("input[name=given_on]").fill(DELIVERED.isoformat())
    consent.locator("select[name=channel]").select_option("paper")
    consent.locator("select[name=signer]").select_option("mother")
    consent.locator("input[name=signer_name]").fill(NAME)
    consent.locator("button[type=submit]").click()
    expect(page.locator("[role=status]")).to_be_visible()
    case = Pregnancy.objects.select_related("mother").get()
    assert case.mother.consents.count() == 1
    assert (case.mother.full_name, case.village, case.delivered_on, case.days_at_facility) == (
        NAME,
        world.village,
        DELIVERED,
        3,
    )
    return case


def _the_village_worker_proposes_her_again(world: Any) -> Pregnancy:
    """Not a step of the pages: the second proposal, by the service."""
    again = mother_propose(
        actor=world.health_worker,
        data=case_input(full_name="Dinh Thi Lan", id_number="", phone="", visits=[]),
    )
    assert DuplicateCandidate.objects.filter(
        second=again, status=DuplicateCandidate.Status.OPEN
    ).exists()
    return again


def _verify(page: Page, case: Pregnancy) -> None:
    page.goto(reverse("mothers:case_detail", args=[case.pk]))
    page.locator(f"form[action='{reverse('mothers:case_verify', args=[case.pk])}'] button").click()
    page.wait_for_url(f"**{reverse('mothers:case_detail', args=[case.pk])}")


def _officer_resolves_and_verifies(
    page: Page, world: Any, case: Pregnancy, again: Pregnancy
) -> None:
    """Steps 2 and 3: the WU officer tries to verify, decides on the duplicate, verifies."""
    page.goto("/me-an-toan/")
    page.wait_for_url(f"**{reverse('mothers:case_list', args=[world.commune.pk])}")
    expect(page.locator("table.mothers-cases")).to_contain_text("Dinh Thi Lan")

    _verify(page, case)
    expect(page.locator("[role=alert]")).to_contain_text(
        in_vietnamese(
            "This case may be a duplicate of another one: decide on the likely duplicate first."
        )
    )
    expect(page.locator(".status.status-case-proposed")).to_be_visible()

    page.locator("p.notice a").click()  # the case says a likely duplicate is open
    page.wait_for_url(f"**{reverse('mothers:duplicate_list', args=[world.commune.pk])}")
    pair = DuplicateCandidate.objects.get(second=again)
    section = page.locator(f"#pair-{pair.pk}")
    expect(section).to_contain_text(NAME)
    expect(section).to_contain_text("Dinh Thi Lan")
    assert "051198001234" not in section.inner_text()  # masked
    section.locator(f"#confirm-note-{pair.pk}").fill("Cùng một người: y tế thôn đề xuất lại")
    section.locator(
        f"form[action='{reverse('mothers:duplicate_confirm', args=[pair.pk])}'] button"
    ).click()
    page.wait_for_url(f"**{reverse('mothers:duplicate_list', args=[world.commune.pk])}")
    expect(page.locator("[role=status]")).to_be_visible()
    expect(page.locator(".duplicate-pair")).to_have_count(0)
    expect(page.locator(".duplicate-decided")).to_contain_text("y tế thôn đề xuất lại")

    page.goto(reverse("mothers:case_detail", args=[again.pk]))
    expect(page.locator(".status.status-case-duplicate")).to_be_visible()

    _verify(page, case)
    expect(page.locator(".status.status-case-verified")).to_be_visible()
    case.refresh_from_db()
    again.refresh_from_db()
    assert (case.status, again.status) == (Pregnancy.Status.VERIFIED, Pregnancy.Status.DUPLICATE)


def _chairman_approves(page: Page, world: Any, case: Pregnancy) -> None:
    """Step 4: the leader ticks the case on the approval page; its entitlement is fixed."""
    page.goto("/me-an-toan/")
    page.locator("nav.subnav a[href$='/phe-duyet/']").click()
    page.wait_for_url(f"**{reverse('mothers:approve_list', args=[world.commune.pk])}")
    row = page.locator(f"#case-{case.pk}")
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text(DUE)
    expect(page.locator("table.mothers-approve tbody tr")).to_have_count(1)  # not the duplicate
    row.locator("input[name=cases]").check()
    page.locator("form:has(table.mothers-approve) button[type=submit]").click()
    expect(page.locator("[role=status]")).to_be_visible()
    expect(page.locator(f"#case-{case.pk}")).to_have_count(0)

    page.goto(reverse("mothers:case_entitlement", args=[case.pk]))
    expect(page.locator(".status.status-case-approved")).to_be_visible()
    expect(page.locator(".entitlement-total")).to_have_text(DUE)
    case.refresh_from_db()
    assert case.status == Pregnancy.Status.APPROVED


def _accountant_makes_the_list(page: Page, world: Any) -> str:
    """Step 5a: from the menu's page to a draft list of 2025; returns its URL."""
    page.goto("/me-an-toan/")
    page.wait_for_url(f"**{reverse('mothers:payment_lists', args=[world.commune.pk])}")
    page.locator(
        f"a[href='{reverse('mothers:payment_list_create', args=[world.commune.pk])}']"
    ).click()
    form = page.locator("form.narrow-form")
    form.locator("input[name=year]").fill("2025")
    form.locator("input[name=number]").fill("01/DS-UBND")
    form.locator("input[name=title]").fill(
        "Danh sách chi trả hỗ trợ phụ nữ dân tộc thiểu số sinh đẻ an toàn năm 2025"
    )
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/danh-sach-chi-tra/*/")
    expect(page.locator(".status.status-payment-list-draft")).to_be_visible()
    expect(page.locator("table.payment-entries")).to_contain_text(NAME)
    expect(page.locator(".list-due")).to_have_text(DUE)
    expect(page.locator("a[href*='/muc/']")).to_have_count(0)  # nothing paid before approval
    return page.url


def _accountant_pays(page: Page, list_url: str) -> None:
    """Step 5c: the payment recorded from the approved list; the list shows it paid."""
    page.goto(list_url)
    expect(page.locator(".status.status-payment-list-approved")).to_be_visible()
    page.locator("table.payment-entries a[href*='/muc/']").click()
    form = page.locator("form.narrow-form")
    expect(form.locator("input[name=amount]")).to_have_value(DUE)
    form.locator("input[name=receipt]").fill("PT-01/2025")
    form.locator("button[type=submit]").dblclick()
    page.wait_for_url("**/danh-sach-chi-tra/*/**")
    expect(page.locator(".list-paid")).to_have_text(DUE)
    expect(page.locator(".list-remaining")).to_have_text("0")
    expect(page.locator("table.payment-entries ul.payments li")).to_have_count(1)  # once


def _downloaded_xlsx(page: Page) -> list[list[object]]:
    with page.expect_download() as download:
        page.locator("p.downloads a[href$='/xlsx/']").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    return xlsx_cells(Path(download.value.path()).read_bytes())


def _province_sees_counts_only(page: Page, world: Any, case: Pregnancy) -> None:
    """Step 6: the province reviewer lands on counts, 2025: "<5" for Ba Trang, no name."""
    page.goto("/me-an-toan/")
    page.wait_for_url(f"**{reverse('mothers:counts', args=[world.province.pk])}")
    page.locator("select#year").select_option("2025")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("2025")
    row = page.locator("table.mothers-counts tbody tr").filter(has_text="Ba Trang")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("<5")
    content = page.content()
    for name in (NAME, "Dinh Thi Lan", "Đinh Văn Lũy"):
        assert name not in content

    response = page.goto(reverse("mothers:case_detail", args=[case.pk]))
    assert response is not None and response.status in (403, 404)
    assert NAME not in page.content()


def test_a_mother_goes_from_the_phone_proposal_to_the_payment_and_the_province_sees_counts(
    browser: Browser, live_server: LiveServer, mothers_cycle: Any
) -> None:
    world = mothers_cycle

    with signed_in(browser, live_server, world.health_station, phone=True) as phone:
        case = _propose_on_a_phone(phone, world)
    again = _the_village_worker_proposes_her_again(world)

    with signed_in(browser, live_server, world.officer) as page:
        _officer_resolves_and_verifies(page, world, case, again)

    with signed_in(browser, live_server, world.leader) as page:
        _chairman_approves(page, world, case)

    with signed_in(browser, live_server, world.accountant) as accountant:
        list_url = _accountant_makes_the_list(accountant, world)
        with signed_in(browser, live_server, world.leader) as leader:
            leader.goto(list_url)
            leader.locator("form[action$='/phe-duyet/'] button[type=submit]").click()
            expect(leader.locator(".status.status-payment-list-approved")).to_be_visible()
        _accountant_pays(accountant, list_url)
        rows = _downloaded_xlsx(accountant)

    header = next(row for row in rows if row[0] == "STT")
    assert header[1:4] == ["Họ và tên mẹ", "Năm sinh", "Thôn"]
    mother = next(row for row in rows if row[1] == NAME)
    assert 2_200_000 in mother
    headers = rows[rows.index(header) : rows.index(header) + 2]
    assert not any("dân tộc" in str(cell).lower() for row in headers for cell in row)
    assert not any("Hrê" in str(cell) for row in rows for cell in row)  # no ethnicity column

    with signed_in(browser, live_server, world.province_reviewer) as page:
        _province_sees_counts_only(page, world, case)
