"""Social feedback (phản biện xã hội) on a draft plan: the Fatherland Front and the Women's Union
comment on the plan's lines before approval; the plan's writers handle each comment (accepted, or
not taken with an explanation). Comments and their handling are recorded in the plan's own audit
history (target: the plan), shown on the plan page (``settings.PLAN_PAGE_PANELS``) and on the
approval page (``settings.PLAN_APPROVAL_CHECKS``, as warnings that do not block)."""

import unicodedata

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import SUPERVISION_RECORD
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import Problems
from duan8.documents.checks.problem import DocumentProblem, warning
from duan8.orgunits.access import require_permission
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.plan_access import require_plan_write
from duan8.supervision.models import PlanComment, Session
from duan8.supervision.selectors import plan_comments

H = PlanComment.Handling


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def plan_lines(plan: Plan) -> QuerySet[ProgramElement]:
    """The lines a comment may name: the contents and activities of the plan's project."""
    return ProgramElement.objects.filter(
        code__startswith=f"{plan.project.code}.",
        kind__in=[ProgramElement.Kind.CONTENT, ProgramElement.Kind.ACTIVITY],
    ).order_by("code")


@transaction.atomic
def plan_comment_create(
    *, actor: User, plan: Plan, body: str, text: str, line: ProgramElement | None = None
) -> PlanComment:
    require_permission(actor, SUPERVISION_RECORD, plan.issuing_unit)
    problems = Problems()
    if plan.status != Plan.Status.DRAFT:
        problems.add(
            "text", _("Comments are taken on a draft plan, before its approval."), "status"
        )
    if body not in Session.Body.values:
        problems.add("body", _("Choose who comments."))
    if not _text(text):
        problems.add("text", _("Write the comment."), "required")
    if line is not None and not line.code.startswith(f"{plan.project.code}."):
        problems.add("line", _("This line is not one of the plan's."))
    problems.raise_if_any()
    comment = PlanComment.objects.create(
        plan=plan, line=line, body=body, text=_text(text), created_by=actor
    )
    audit.record(
        actor=actor,
        action="supervision.plan_comment.created",
        target=plan,
        org_unit=plan.issuing_unit,
        after={
            "comment": comment.pk,
            "by": body,
            "line": line.code if line else "",
            "text": comment.text,
        },
    )
    return comment


@transaction.atomic
def plan_comment_handle(
    *,
    actor: User,
    comment: PlanComment,
    handling: str,
    reply: str,
    expected_version: int | None,
) -> PlanComment:
    """The plan's writers accept a comment or explain why it is not taken."""
    plan = comment.plan
    require_plan_write(actor, plan)
    problems = Problems()
    if plan.status != Plan.Status.DRAFT:
        problems.add("reply", _("The plan is approved: its comments can no longer be handled."))
    if handling not in (H.ACCEPTED, H.EXPLAINED):
        problems.add("handling", _("Choose: accepted, or not taken with an explanation."))
    if handling == H.EXPLAINED and not _text(reply):
        problems.add("reply", _("Explain why the comment is not taken."), "required")
    problems.raise_if_any()
    before = {"handling": comment.handling, "reply": comment.reply}
    claim_version(comment, expected_version)
    comment.handling, comment.reply, comment.handled_by = handling, _text(reply), actor
    comment.save()
    audit.record(
        actor=actor,
        action="supervision.plan_comment.handled",
        target=plan,
        org_unit=plan.issuing_unit,
        before={"comment": comment.pk, **before},
        after={"comment": comment.pk, "handling": handling, "reply": comment.reply},
    )
    return comment


def handling_text(comment: PlanComment) -> str:
    if comment.handling == H.WAITING:
        return _("not yet handled")
    return (
        f"{comment.get_handling_display()}: {comment.reply}"
        if comment.reply
        else str(comment.get_handling_display())
    )


def plan_feedback_check(plan: Plan) -> list[DocumentProblem]:
    """For the approval page: every comment of the social feedback with its handling, as a
    warning (the approver reads them; they do not block)."""
    return [
        warning(
            f"feedback.{c.pk}",
            _("Social feedback (%(by)s)%(line)s")
            % {
                "by": c.get_body_display(),
                "line": f", {c.line.number or c.line.code}" if c.line else "",
            },
            f"{c.text} — {handling_text(c)}",
            code=f"feedback_{c.handling}",
        )
        for c in plan_comments(plan.pk)
    ]
