"""What outsiders and supervisors get in a real browser."""

from playwright.sync_api import Page, expect

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.programs.models import AllocationCell, Plan
from tests.browser.helpers import (
    csrf_token,
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)


def test_village_head_cannot_open_another_villages_page(page: Page, village_head, villages) -> None:
    with_password(village_head)
    sign_in(page, village_head.username)

    response = page.goto(f"/don-vi/{villages['Bùi Hui'].pk}/")

    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_count(1)
    assert "Bùi Hui" not in page.content()


def test_fatherland_front_reads_the_plan_but_a_forged_edit_is_refused(
    page: Page, ba_trang_plan, ba_trang
) -> None:
    front = with_password(UserFactory(username="mttq.batrang"))
    membership(front, ba_trang, "fatherland_front")
    cells = list(AllocationCell.objects.order_by("pk").values_list("pk", "value"))
    version = ba_trang_plan.version
    sign_in(page, front.username)

    page.goto(f"/ke-hoach/{ba_trang_plan.pk}/")
    expect(page.locator("#phu-luc-2")).to_contain_text("Thôn Nước Đang")
    expect(page.locator(f'a[href="/ke-hoach/{ba_trang_plan.pk}/phan-bo/"]')).to_have_count(0)
    expect(page.locator(f'a[href="/ke-hoach/{ba_trang_plan.pk}/chi-tieu/"]')).to_have_count(0)
    expect(page.locator(f'form[action="/ke-hoach/{ba_trang_plan.pk}/phe-duyet/"]')).to_have_count(0)

    token = csrf_token(page)
    forged = page.request.post(
        f"/ke-hoach/{ba_trang_plan.pk}/phan-bo/",
        form={"csrfmiddlewaretoken": token, "version": str(version), "cell-1-1": "9"},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )

    assert forged.status == 403
    assert list(AllocationCell.objects.order_by("pk").values_list("pk", "value")) == cells
    assert Plan.objects.get(pk=ba_trang_plan.pk).version == version
