"""Plan approval is a confirmation page showing what the document checks found (issue 10,
point 15): errors block it, warnings are shown before the approver confirms."""

from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse

from duan8.programs.models import AllocationCell, Plan


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def _url(plan) -> str:
    return reverse("programs:plan_approve", args=[plan.pk])


def _section(html: str, section: str) -> list[str]:
    tree = lxml.html.fromstring(html)
    return [" ".join(li.text_content().split()) for li in tree.xpath(f'//*[@id="{section}"]//li')]


def _confirm_buttons(html: str, plan) -> list:
    tree = lxml.html.fromstring(html)
    return tree.xpath(f'//form[@method="post"][@action="{_url(plan)}"]//button')


def test_the_plan_page_links_to_the_confirmation_instead_of_approving(
    client, commune_leader, ba_trang_plan
):
    client.force_login(commune_leader)

    html = client.get(reverse("programs:plan_detail", args=[ba_trang_plan.pk])).content.decode()

    tree = lxml.html.fromstring(html)
    assert tree.xpath(f'//a[@href="{_url(ba_trang_plan)}"]')
    assert not _confirm_buttons(html, ba_trang_plan)  # no one-tap approval on the plan page


def test_the_confirmation_shows_the_warnings_and_the_confirmed_post_approves(
    client, commune_leader, ba_trang_plan
):
    client.force_login(commune_leader)

    page = client.get(_url(ba_trang_plan))
    html = page.content.decode()

    warnings = _section(html, "approval-warnings")
    assert warnings  # Kế hoạch 87 has warnings of the document checker (test_checks)
    assert not _section(html, "approval-errors")
    assert len(_confirm_buttons(html, ba_trang_plan)) == 1
    ba_trang_plan.refresh_from_db()
    assert ba_trang_plan.status == Plan.Status.DRAFT

    client.post(_url(ba_trang_plan), {"version": ba_trang_plan.version})

    ba_trang_plan.refresh_from_db()
    assert ba_trang_plan.status == Plan.Status.APPROVED


def test_an_error_is_shown_and_no_confirm_button_is_offered(client, commune_leader, ba_trang_plan):
    cell = AllocationCell.objects.filter(row__plan=ba_trang_plan, row__village__isnull=False)
    cell.filter(pk=cell.order_by("pk").first().pk).update(value=Decimal(99))
    client.force_login(commune_leader)

    html = client.get(_url(ba_trang_plan)).content.decode()

    errors = _section(html, "approval-errors")
    assert errors and any("99" in e or "add up" in e for e in errors), errors
    assert not _confirm_buttons(html, ba_trang_plan)


def test_the_officer_who_may_not_approve_gets_no_confirmation_page(
    client, commune_officer, other_commune_officer, ba_trang_plan
):
    client.force_login(commune_officer)
    assert client.get(_url(ba_trang_plan)).status_code == 403

    client.force_login(other_commune_officer)
    assert client.get(_url(ba_trang_plan)).status_code == 404
