"""Paid amounts feed the plan's progress (issue 13, point 4): the commune plan's page shows the
year's mothers supported and the amount paid per village, from the payments recorded; a
reviewer above the commune sees the small counts as "<5"."""

import datetime

from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.mothers.services.payments import payment_record
from duan8.mothers.tests.payments_setup import *  # noqa: F403
from duan8.mothers.tests.payments_setup import NORMAL_BIRTH
from duan8.programs.models import Plan


def _panel(client, user, plan) -> str:
    client.force_login(user)
    page = client.get(reverse("programs:plan_detail", kwargs={"pk": plan.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    return html[html.index('id="mothers-progress"') :]


def test_the_plan_page_counts_the_mothers_paid_per_village(
    client, pay_approved_list, pay_accountant, commune_leader, ba_trang
):
    entry = pay_approved_list.entries.select_related("pregnancy__village").first()
    payment_record(
        actor=pay_accountant, entry=entry, paid_on=datetime.date.today(), amount=NORMAL_BIRTH
    )
    plan = Plan.objects.get(issuing_unit=ba_trang, year=2023)

    panel = _panel(client, commune_leader, plan)

    row = panel[panel.index(entry.pregnancy.village.name) :].split("</tr>")[0]
    cells = [c.split("</td>")[0].strip() for c in row.split('<td class="number">')[1:]]
    assert cells[2:] == ["1", "2.200.000"]  # one mother paid, 2.200.000 đ


def test_a_reviewer_above_the_commune_sees_small_counts_hidden(
    client, pay_approved_list, pay_accountant, ba_trang
):
    entry = pay_approved_list.entries.first()
    payment_record(
        actor=pay_accountant, entry=entry, paid_on=datetime.date.today(), amount=NORMAL_BIRTH
    )
    reviewer = UserFactory()
    membership(reviewer, ba_trang.parent, "district_reviewer")

    panel = _panel(client, reviewer, Plan.objects.get(issuing_unit=ba_trang, year=2023))

    assert "&lt;5" in panel
    assert "2.200.000" not in panel
