"""Issue 12's acceptance, first part: the WU officer of Ba Trang makes the 2024 plan from the 2023
one, gives it its number and date, changes a legal basis and a village's target, downloads the
.docx and finds both changes; the chairman then approves it."""

from decimal import Decimal

import docx
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duan8.programs.models import AllocationCell, AllocationRow, Plan
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

NEW_BASIS = "về việc giao chỉ tiêu Dự án 8 năm 2024"


def _page(browser: Browser, live_server: LiveServer, username: str) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, username)
    return page


def _village_change(plan: Plan, village_name: str, new_value: Decimal) -> dict[str, str]:
    """The inputs to fill on the allocation page: the village's first non-zero cell set to
    ``new_value``, and every row above it (subtotals, total) moved by the same amount."""
    row = AllocationRow.objects.get(plan=plan, village__name=village_name)
    cell = (
        AllocationCell.objects.filter(row=row, value__gt=0).select_related("column").first()
        or AllocationCell.objects.filter(row=row).select_related("column").first()
    )
    assert cell is not None
    assert not AllocationCell.objects.filter(row=row, value=new_value).exists()
    delta = new_value - cell.value
    fill = {f"cell-{row.pk}-{cell.column_id}": str(new_value)}
    parent = row.parent
    while parent is not None:
        above = AllocationCell.objects.filter(row=parent, column=cell.column).first()
        old = above.value if above else Decimal(0)
        fill[f"cell-{parent.pk}-{cell.column_id}"] = str(old + delta)
        parent = parent.parent
    total = AllocationRow.objects.filter(plan=plan, kind="total").first()
    name = f"cell-{total.pk}-{cell.column_id}" if total else None
    if total is not None and name not in fill:
        above = AllocationCell.objects.filter(row=total, column=cell.column).first()
        fill[name] = str((above.value if above else Decimal(0)) + delta)
    return fill


def test_the_2024_plan_from_2023_edited_downloaded_and_approved(
    browser: Browser,
    live_server: LiveServer,
    ba_trang,
    ba_trang_plan,
    commune_officer,
    commune_leader,
    tmp_path,
) -> None:
    for user in (commune_officer, commune_leader):
        with_password(user)
    officer = _page(browser, live_server, commune_officer.username)
    leader = _page(browser, live_server, commune_leader.username)
    try:
        # A new draft from the unit page, from last year's plan, targets carried.
        officer.goto(f"/don-vi/{ba_trang.pk}/")
        officer.locator(f'a[href="/don-vi/{ba_trang.pk}/ke-hoach-moi/"]').click()
        officer.fill("input[name=year]", "2024")
        officer.locator("input[name=source][value=previous]").check()
        officer.locator("input[name=carry_targets]").check()
        officer.locator("form[method=post] button.button-primary").click()
        officer.wait_for_url("**/ke-hoach/*/")
        plan = Plan.objects.get(issuing_unit=ba_trang, year=2024)
        assert plan.status == Plan.Status.DRAFT

        # Its number and date, as issued.
        officer.goto(f"/ke-hoach/{plan.pk}/van-ban/")
        officer.fill("input[name=number]", "12")
        officer.fill("input[name=issued_on]", "2024-03-15")
        officer.get_by_role("button", name="Lưu").click()
        expect(officer.get_by_text("Đã lưu văn bản kế hoạch.")).to_be_visible()

        # A new legal basis, first in the list.
        officer.goto(f"/ke-hoach/{plan.pk}/can-cu/")
        n = plan.legal_bases.count()
        officer.locator(f'[name="rows-{n}-kind"]').select_option("quyet_dinh")
        officer.locator(f'[name="rows-{n}-number"]').fill("45")
        officer.locator(f'[name="rows-{n}-symbol"]').fill("QĐ-UBND")
        officer.locator(f'[name="rows-{n}-issued_on"]').fill("2024-02-20")
        officer.locator(f'[name="rows-{n}-issuer"]').fill("Ủy ban nhân dân huyện Ba Tơ")
        officer.locator(f'[name="rows-{n}-title"]').fill(NEW_BASIS)
        officer.locator(f'[name="rows-{n}-ORDER"]').fill("0")
        officer.get_by_role("button", name="Lưu").click()
        expect(officer.get_by_text("Đã lưu văn bản kế hoạch.")).to_be_visible()

        # Nước Đang's target in the allocation table, with the totals above it.
        officer.goto(f"/ke-hoach/{plan.pk}/phan-bo/")
        for name, value in _village_change(plan, "Nước Đang", Decimal(13)).items():
            officer.fill(f"input[name={name}]", value)
        officer.locator("form[method=post] button.button-primary").click()
        expect(officer.locator(".alert-error")).to_have_count(0)

        # The .docx she downloads holds both changes.
        officer.goto(f"/ke-hoach/{plan.pk}/")
        with officer.expect_download() as download:
            officer.get_by_role("link", name="Word").click()
        path = tmp_path / "plan-2024.docx"
        download.value.save_as(path)
        document = docx.Document(str(path))
        bases = [p.text for p in document.paragraphs if p.text.startswith("Căn cứ")]
        assert "45/QĐ-UBND" in bases[0] and NEW_BASIS in bases[0]
        rows = [
            [cell.text.strip() for cell in row.cells]
            for table in document.tables
            for row in table.rows
        ]
        village_rows = [r for r in rows if any("Nước Đang" in c for c in r)]
        assert village_rows and "13" in village_rows[0]

        # The chairman approves it.
        leader.goto(f"/ke-hoach/{plan.pk}/phe-duyet/")
        leader.locator("form[method=post] button.button-primary").click()
        leader.wait_for_url(f"**/ke-hoach/{plan.pk}/")
        plan.refresh_from_db()
        assert plan.status == Plan.Status.APPROVED
        assert Plan.objects.get(pk=ba_trang_plan.pk).year == 2023  # last year's stays as it was
    finally:
        officer.context.close()
        leader.context.close()
