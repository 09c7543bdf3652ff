"""Amendment pages (issue 12, point 4): start one from the plan page, see the versions and what
changed, both versions readable with their .docx."""

import datetime

import pytest
from django.urls import reverse

from duan8.core.tests.test_field_partial import missing_pointers
from duan8.programs.amendments import plan_amend
from duan8.programs.models import Plan, Target
from duan8.programs.plan_edit import plan_update
from duan8.programs.services import TargetInput, plan_approve, targets_set

DAY = datetime.date(2023, 11, 1)


@pytest.fixture
def approved(ba_trang_plan, commune_leader):
    return plan_approve(
        plan=ba_trang_plan, actor=commune_leader, expected_version=ba_trang_plan.version
    )


def test_the_officer_starts_an_amendment_once_from_the_plan_page(client, approved, commune_officer):
    client.force_login(commune_officer)
    page = client.get(reverse("programs:plan_detail", kwargs={"pk": approved.pk}))
    url = reverse("programs:plan_amend", kwargs={"pk": approved.pk})
    assert url in page.content.decode()

    form = client.get(url)
    once = form.context["form"]["once"].value()
    data = {"once": once, "reason": "Tăng số lớp", "in_force_from": "2023-11-01"}
    first = client.post(url, data)
    again = client.post(url, data)

    draft = Plan.objects.get(amends=approved)
    assert first.status_code == 302 and first["Location"] == reverse(
        "programs:plan_detail", kwargs={"pk": draft.pk}
    )
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Plan.objects.count() == 2
    shown = client.get(first["Location"]).content.decode()
    assert "Tăng số lớp" in shown  # the versions, with the reason
    assert reverse("programs:plan_targets_edit", kwargs={"pk": draft.pk}) in shown


def test_empty_reason_is_shown_beside_the_field(client, approved, commune_officer):
    client.force_login(commune_officer)
    url = reverse("programs:plan_amend", kwargs={"pk": approved.pk})

    response = client.post(url, {"reason": " ", "in_force_from": "2023-11-01"})

    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert missing_pointers(response.content.decode()) == []  # aria-describedby leads to it
    assert not Plan.objects.filter(amends=approved).exists()


def test_a_second_amendment_links_the_open_one(client, approved, commune_officer):
    draft = plan_amend(actor=commune_officer, plan=approved, reason="Lý do", in_force_from=DAY)
    client.force_login(commune_officer)

    response = client.post(
        reverse("programs:plan_amend", kwargs={"pk": approved.pk}),
        {"reason": "Khác", "in_force_from": "2023-11-01"},
    )

    assert response.status_code == 400
    assert reverse("programs:plan_detail", kwargs={"pk": draft.pk}) in response.content.decode()


def test_after_approval_both_versions_are_readable_and_the_changes_page_lists_the_target(
    client, approved, commune_officer, commune_leader
):
    draft = plan_amend(actor=commune_officer, plan=approved, reason="Lý do", in_force_from=DAY)
    target = draft.targets.filter(kind=Target.Kind.NUMBER, scope=Target.Scope.COMMUNE).exclude(
        element__in=draft.allocation_columns.values("element")
    )[0]
    targets_set(
        plan=draft,
        items=[TargetInput(element=target.element, scope=target.scope, kind="number", value="77")],
        actor=commune_officer,
        expected_version=draft.version,
    )
    draft.refresh_from_db()
    plan_update(
        plan=draft,
        actor=commune_officer,
        expected_version=draft.version,
        number=120,
        issued_on=datetime.date(2023, 10, 30),
    )
    plan_approve(plan=draft, actor=commune_leader, expected_version=draft.version)
    client.force_login(commune_officer)

    changes = client.get(reverse("programs:plan_changes", kwargs={"pk": draft.pk}))
    old_page = client.get(reverse("programs:plan_detail", kwargs={"pk": approved.pk}))

    assert changes.status_code == 200
    row = next(c for c in changes.context["changes"] if c.new == "77")
    assert row.old == target.display
    assert "77" in changes.content.decode()
    assert old_page.status_code == 200
    assert reverse("programs:plan_amend", kwargs={"pk": approved.pk}) not in (
        old_page.content.decode()
    )  # a superseded version is not amended again
    for plan in (approved, draft):
        docx = client.get(reverse("documents:plan_docx", kwargs={"pk": plan.pk}))
        assert docx.status_code == 200
