"""Social feedback on a draft plan: the MTTQ comments on a line, the plan's writer handles it,
the plan page and the approval page show them, the plan's history keeps them."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.programs.models import Plan, ProgramElement
from duan8.supervision.feedback import plan_comment_create, plan_comment_handle
from duan8.supervision.models import PlanComment

TEXT = "Đề nghị bổ sung chỉ tiêu thành lập tổ truyền thông ở thôn Bùi Hui"


@pytest.fixture
def line(ba_trang_plan):
    return (
        ProgramElement.objects.filter(
            code__startswith=f"{ba_trang_plan.project.code}.", kind="activity"
        )
        .order_by("code")
        .first()
    )


@pytest.fixture
def comment(ba_trang_plan, fatherland_front, line):
    return plan_comment_create(
        actor=fatherland_front, plan=ba_trang_plan, body="fatherland_front", text=TEXT, line=line
    )


def test_the_mttq_comments_and_the_writer_explains_and_the_history_keeps_both(
    comment, commune_officer, ba_trang_plan
):
    with pytest.raises(ValidationError) as exc:
        plan_comment_handle(
            actor=commune_officer,
            comment=comment,
            handling="explained",
            reply="",
            expected_version=1,
        )
    assert set(exc.value.message_dict) == {"reply"}

    plan_comment_handle(
        actor=commune_officer,
        comment=comment,
        handling="explained",
        reply="Thôn Bùi Hui chưa đủ điều kiện năm 2023; đưa vào kế hoạch 2024.",
        expected_version=1,
    )

    comment.refresh_from_db()
    assert comment.handling == PlanComment.Handling.EXPLAINED
    history = AuditEvent.objects.filter(
        target_type="programs.plan", target_id=str(ba_trang_plan.pk)
    ).values_list("action", flat=True)
    assert {"supervision.plan_comment.created", "supervision.plan_comment.handled"} <= set(history)


def test_the_supervisor_cannot_handle_and_the_leader_cannot_comment(
    comment, fatherland_front, commune_leader, ba_trang_plan
):
    with pytest.raises(PermissionDenied):
        plan_comment_handle(
            actor=fatherland_front,
            comment=comment,
            handling="accepted",
            reply="",
            expected_version=1,
        )
    with pytest.raises(PermissionDenied):
        plan_comment_create(
            actor=commune_leader, plan=ba_trang_plan, body="fatherland_front", text="x"
        )


def test_an_approved_plan_takes_no_comment(ba_trang_plan, fatherland_front):
    Plan.objects.filter(pk=ba_trang_plan.pk).update(status=Plan.Status.APPROVED)
    ba_trang_plan.refresh_from_db()

    with pytest.raises(ValidationError):
        plan_comment_create(
            actor=fatherland_front, plan=ba_trang_plan, body="fatherland_front", text="x"
        )


def test_the_plan_page_shows_the_comment_and_the_mttq_may_comment(
    client, comment, fatherland_front, commune_officer, ba_trang_plan
):
    url = reverse("programs:plan_detail", args=[ba_trang_plan.pk])
    client.force_login(fatherland_front)
    page = client.get(url).content.decode()
    assert TEXT in page
    assert reverse("supervision:plan_comment_create", args=[ba_trang_plan.pk]) in page

    client.force_login(commune_officer)
    page = client.get(url).content.decode()

    assert reverse("supervision:plan_comment_handle", args=[comment.pk]) in page


def test_the_approval_page_shows_the_comments(client, comment, commune_leader, ba_trang_plan):
    client.force_login(commune_leader)

    page = client.get(reverse("programs:plan_approve", args=[ba_trang_plan.pk])).content.decode()

    assert TEXT in page


def test_comment_pages_refuse_other_communes_and_read_only_roles(
    client, comment, ba_trang_plan, other_commune_officer, commune_leader, fatherland_front
):
    create = reverse("supervision:plan_comment_create", args=[ba_trang_plan.pk])
    handle = reverse("supervision:plan_comment_handle", args=[comment.pk])
    client.force_login(other_commune_officer)
    assert client.post(create, {"body": "fatherland_front", "text": "x"}).status_code == 404
    assert client.post(handle, {"handling": "accepted"}).status_code == 404
    client.force_login(commune_leader)
    assert client.post(create, {"body": "fatherland_front", "text": "x"}).status_code == 403
    assert client.post(handle, {"handling": "accepted", "version": 1}).status_code == 403
    client.force_login(fatherland_front)
    assert client.post(handle, {"handling": "accepted", "version": 1}).status_code == 403
    assert client.get(create).status_code == 405

    response = client.post(create, {"body": "fatherland_front", "text": "Góp ý mới"})

    assert response.status_code == 302
    assert PlanComment.objects.count() == 2


def test_the_comment_form_offers_the_plans_contents_and_activities_and_saves_the_line_chosen(
    client, ba_trang_plan, fatherland_front, line
):
    url = reverse("programs:plan_detail", args=[ba_trang_plan.pk])
    client.force_login(fatherland_front)
    page = client.get(url).content.decode()
    select = page[page.index('<select name="line"') : page.index("</select>", page.index('"line"'))]
    offered = re.findall(r'<option value="(\d*)"', select)
    lines = ProgramElement.objects.filter(
        code__startswith=f"{ba_trang_plan.project.code}.", kind__in=["content", "activity"]
    ).order_by("code")

    assert offered == ["", *(str(e.pk) for e in lines)]
    assert f'<option value="{line.pk}">{line.number or line.code} — ' in select

    form = page[page.index(reverse("supervision:plan_comment_create", args=[ba_trang_plan.pk])) :]
    posted = client.post(
        reverse("supervision:plan_comment_create", args=[ba_trang_plan.pk]),
        {
            "body": "fatherland_front",
            "line": line.pk,
            "text": TEXT,
            "once": re.search(r'name="once" value="([^"]+)"', form).group(1),
        },
    )

    assert posted.status_code == 302
    assert PlanComment.objects.get(plan=ba_trang_plan).line == line
