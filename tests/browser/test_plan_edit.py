"""The WU officer replaces a legal basis of the draft plan and finds it in the .docx she downloads
(issue 12, point 2)."""

import docx
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)


def test_officer_replaces_a_legal_basis_and_downloads_it_in_the_docx(
    page: Page, ba_trang_plan, commune_officer, tmp_path
) -> None:
    with_password(commune_officer)
    first = ba_trang_plan.legal_bases.first().document
    n = ba_trang_plan.legal_bases.count()

    sign_in(page, commune_officer.username)
    page.get_by_role("link", name=ba_trang_plan.reference).click()
    page.get_by_role("link", name="Sửa văn bản kế hoạch").click()
    page.get_by_role("link", name="Căn cứ").click()
    page.locator('[name="rows-0-DELETE"]').check()
    page.locator(f'[name="rows-{n}-kind"]').select_option("quyet_dinh")
    page.locator(f'[name="rows-{n}-number"]').fill("77")
    page.locator(f'[name="rows-{n}-symbol"]').fill("QĐ-UBND")
    page.locator(f'[name="rows-{n}-issued_on"]').fill("2023-05-02")
    page.locator(f'[name="rows-{n}-issuer"]').fill("Ủy ban nhân dân huyện Ba Tơ")
    page.locator(f'[name="rows-{n}-title"]').fill("về việc giao chỉ tiêu Dự án 8 năm 2023")
    page.locator(f'[name="rows-{n}-ORDER"]').fill("0")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_text("Đã lưu văn bản kế hoạch.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Word").click()
    path = tmp_path / "plan.docx"
    download.value.save_as(path)
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    bases = [p for p in paragraphs if p.startswith("Căn cứ")]
    assert "77/QĐ-UBND" in bases[0] and "giao chỉ tiêu Dự án 8 năm 2023" in bases[0]
    assert not [b for b in bases if first.reference in b]
    assert len(bases) == n


@pytest.mark.parametrize(
    "name",
    [
        "programs:plan_text_edit",
        "programs:plan_legal_bases_edit",
        "programs:plan_focus_edit",
        "programs:plan_responsibilities_edit",
    ],
)
def test_the_plan_text_pages_fit_a_phone(
    phone_page: Page, ba_trang_plan, commune_officer, name
) -> None:
    with_password(commune_officer)
    sign_in(phone_page, commune_officer.username)

    phone_page.goto(reverse(name, args=[ba_trang_plan.pk]))

    expect(phone_page.get_by_role("button", name="Lưu")).to_be_visible()
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
