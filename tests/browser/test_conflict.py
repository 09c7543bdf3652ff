"""Two people edit the same allocation: the second save is refused and told what changed."""

from decimal import Decimal

from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from duan8.programs.models import AllocationCell, AllocationColumn, AllocationRow
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

ND2 = "1719.GD1.DA8.ND2.HD1.1"  # livelihood groups
ND3 = "1719.GD1.DA8.ND3.HD1.2"  # policy dialogues


def test_the_second_save_sees_the_first_change_and_is_not_saved(
    browser: Browser, live_server: LiveServer, ba_trang_plan, commune_officer
) -> None:
    with_password(commune_officer)
    plan = ba_trang_plan
    union = AllocationRow.objects.get(plan=plan, label="Hội LHPN xã")
    total = AllocationRow.objects.get(plan=plan, kind="total")
    col2 = AllocationColumn.objects.get(plan=plan, element__code=ND2)
    col3 = AllocationColumn.objects.get(plan=plan, element__code=ND3)

    contexts = [browser.new_context(base_url=live_server.url, locale="vi-VN") for _ in range(2)]
    try:
        first, second = (context.new_page() for context in contexts)
        for page in (first, second):
            page.set_default_timeout(10_000)
            sign_in(page, commune_officer.username)
            page.goto(f"/ke-hoach/{plan.pk}/phan-bo/")

        # Each total must add up, so each change sets a row and the total above it.
        first.fill(f"input[name=cell-{union.pk}-{col2.pk}]", "2")
        first.fill(f"input[name=cell-{total.pk}-{col2.pk}]", "2")
        first.locator("form[method=post] button.button-primary").click()
        first.wait_for_url(f"**/ke-hoach/{plan.pk}/")

        second.fill(f"input[name=cell-{union.pk}-{col3.pk}]", "5")
        second.fill(f"input[name=cell-{total.pk}-{col3.pk}]", "5")
        second.locator("form[method=post] button.button-primary").click()

        alert = second.locator(".alert-error")
        expect(alert).to_contain_text("Hội LHPN xã")
        expect(alert).to_contain_text(col2.heading[:40])
        expect(alert).to_contain_text(commune_officer.username)
    finally:
        for context in contexts:
            context.close()

    values = {
        (c.row_id, c.column_id): c.value
        for c in AllocationCell.objects.filter(row__plan=plan, row__in=[union, total])
    }
    assert values[(union.pk, col2.pk)] == Decimal(2)
    assert values[(total.pk, col2.pk)] == Decimal(2)
    assert values.get((union.pk, col3.pk), Decimal(0)) == Decimal(0)
    assert values.get((total.pk, col3.pk), Decimal(0)) == Decimal(0)
