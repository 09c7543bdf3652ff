"""Amendments of an approved plan (issue 12, point 4).

An approved plan is changed only by an amendment (điều chỉnh): a new draft ``Plan`` copied from
the version in force (its texts, legal bases, focuses, responsibilities, targets and allocation,
with the copier of ``plan_new``), linked to it by ``amends``, with a reason and the date it takes
effect (``in_force_from``). The draft is edited and approved like any draft; its approval marks the
version it amends ``superseded`` (``supersede_amended``, called by ``services.plan_approve``).
Every version stays readable. The versions of a plan form a chain; the version in force on a day
is the latest approved one whose effective date (its ``in_force_from``, else its issue date) is on
or before that day (``plan_in_force``). A draft amendment may be discarded
(``plan_amendment_discard``): the draft goes, the version it amends stays in force.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import WHOLE, Invalid, Problem, Problems
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, Target
from duan8.programs.plan_access import require_plan_write
from duan8.programs.plan_new import _fmt, _from_previous
from duan8.programs.selectors import element_label

_DIFF_TEXTS = ("title", "proposal", "purposes", "requirements", "budget_text", "closing")


class AmendmentOpen(Invalid):
    """The plan already has an amendment in draft; ``draft`` is it (the page links to it)."""

    def __init__(self, draft: Plan, message: str) -> None:
        self.draft = draft
        super().__init__([Problem(WHOLE, message, "amendment_open")])


def effective_from(plan: Plan) -> datetime.date | None:
    """The day a version takes effect: an amendment's ``in_force_from``, else its issue date."""
    return plan.in_force_from or plan.issued_on


def _check(plan: Plan, reason: str, in_force_from: datetime.date | None) -> None:
    if plan.status != Plan.Status.APPROVED:
        message = (
            _("This version has been replaced by an amendment; amend the version in force.")
            if plan.status == Plan.Status.SUPERSEDED
            else _("Only an approved plan is amended; a draft is edited directly.")
        )
        raise Invalid([Problem(WHOLE, message, "not_approved")])
    draft = plan.amendments.filter(status=Plan.Status.DRAFT).order_by("pk").first()
    if draft is not None:
        raise AmendmentOpen(
            draft,
            _(
                "This plan already has an amendment in draft; finish or open it instead of starting"
                " another."
            ),
        )
    problems = Problems()
    if not reason.strip():
        problems.add("reason", _("Give the reason for the amendment."), "required")
    if in_force_from is None:
        problems.add("in_force_from", _("Give the date the amendment takes effect."), "required")
    else:
        _check_day(plan, in_force_from, problems)
    problems.raise_if_any()


def _check_day(plan: Plan, day: datetime.date, problems: Problems) -> None:
    start = effective_from(plan)
    if start is not None and day < start:
        problems.add(
            "in_force_from",
            _("The amendment cannot take effect before the version it amends (%(day)s).")
            % {"day": _fmt(start)},
            "too_early",
        )
    elif day.year != plan.year:
        problems.add(
            "in_force_from",
            _("The amendment must take effect within the plan's year %(year)s.")
            % {"year": plan.year},
            "outside_year",
        )


def _allocation_villages(plan: Plan) -> list[OrgUnit]:
    """The villages of the plan's own allocation rows: the amendment keeps them all."""
    return list(
        OrgUnit.objects.filter(
            pk__in=plan.allocation_rows.filter(village__isnull=False).values("village_id")
        )
    )


@transaction.atomic
def plan_amend(
    *, actor: User, plan: Plan, reason: str, in_force_from: datetime.date | None
) -> Plan:
    """Start the amendment of the approved ``plan``: a draft copy linked to it (number and date
    empty), to be edited and approved like any draft. Refused on a draft or superseded version, and
    while another amendment of the plan is in draft (``AmendmentOpen`` names it)."""
    require_plan_write(actor, plan)
    # one amendment at a time: a second request waits here until the first one commits
    plan = Plan.objects.select_for_update().select_related("project").get(pk=plan.pk)
    _check(plan, reason, in_force_from)
    result = _from_previous(
        plan.issuing_unit,
        plan.year,
        plan.project,
        plan,
        _allocation_villages(plan),
        carry_targets=True,
    )
    draft = result.plan
    draft.amends, draft.amendment_reason, draft.in_force_from = plan, reason.strip(), in_force_from
    draft.save(update_fields=["amends", "amendment_reason", "in_force_from", "updated_at"])
    audit.record(
        actor=actor,
        action="programs.plan.amendment_started",
        target=draft,
        org_unit=plan.issuing_unit,
        after={
            "amends": plan.reference,
            "reason": draft.amendment_reason,
            "in_force_from": in_force_from.isoformat() if in_force_from else "",
            "targets": result.targets,
        },
        version=draft.version,
    )
    return draft


def _discard_check(plan: Plan) -> None:
    if plan.amends_id is None or plan.status != Plan.Status.DRAFT:
        message = _("Only a draft amendment can be discarded; this plan is not one.")
        raise Invalid([Problem(WHOLE, message, "not_draft_amendment")])


@transaction.atomic
def plan_amendment_discard(*, actor: User, plan: Plan, expected_version: int | None) -> Plan:
    """Discard the draft amendment ``plan``: it and what was copied into it (texts, targets,
    allocation) are deleted; the version it amends stays in force, unchanged. Refused for any
    other plan, for a copy older than the draft (``EditConflict``), and while records (events,
    groups) name the draft. Returns the version it amended."""
    require_plan_write(actor, plan)
    # no join: PostgreSQL locks no row on the nullable side of an outer join (``amends``)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _discard_check(plan)
    version = claim_version(
        plan,
        expected_version,
        explain=lambda: _(
            "This draft amendment was changed by someone else after you opened it; reload the"
            " page and decide again."
        ),
    )
    amended = Plan.objects.get(pk=plan.amends_id or 0)  # set: _discard_check
    audit.record(
        actor=actor,
        action="programs.plan.amendment_discarded",
        target=plan,
        org_unit=plan.issuing_unit,
        before={
            "amends": amended.reference,
            "reason": plan.amendment_reason,
            "in_force_from": plan.in_force_from.isoformat() if plan.in_force_from else "",
            "targets": plan.targets.count(),
        },
        version=version,
    )
    try:
        with transaction.atomic():
            plan.delete()
    except ProtectedError:
        message = _(
            "Records (events, groups) were entered under this draft amendment; move or delete"
            " them first, then discard it."
        )
        raise Invalid([Problem(WHOLE, message, "has_records")]) from None
    return amended


def supersede_amended(plan: Plan, actor: User) -> None:
    """On approval of an amendment: the version it amends is superseded (still readable)."""
    if plan.amends_id is None:
        return
    previous = Plan.objects.select_for_update().get(pk=plan.amends_id)
    if previous.status != Plan.Status.APPROVED:
        raise Invalid(
            [Problem(WHOLE, _("The version this amendment changes is no longer in force."))]
        )
    # not an edit of its contents: the version is raised so that an old copy's form is refused
    Plan.objects.filter(pk=previous.pk).update(
        status=Plan.Status.SUPERSEDED, version=F("version") + 1
    )
    audit.record(
        actor=actor,
        action="programs.plan.superseded",
        target=previous,
        org_unit=previous.issuing_unit,
        before={"status": Plan.Status.APPROVED},
        after={"status": Plan.Status.SUPERSEDED, "amended_by": plan.reference},
        version=previous.version + 1,
    )


def plan_versions(plan: Plan) -> list[Plan]:
    """Every version of the plan's chain, the first one first (drafts included)."""
    root = plan
    while root.amends_id is not None:
        root = Plan.objects.get(pk=root.amends_id)
    versions = [root]
    while True:
        later = list(Plan.objects.filter(amends=versions[-1]).order_by("pk"))
        drafts = [p for p in later if p.status == Plan.Status.DRAFT]
        settled = [p for p in later if p.status != Plan.Status.DRAFT]
        versions.extend(drafts)
        if not settled:
            return versions
        versions.append(settled[0])


def plan_in_force(*, plan_or_chain: Plan, on: datetime.date) -> Plan | None:
    """The version of the plan's chain in force on ``on``: the latest approved (or since
    superseded) version that took effect on or before that day; None before the first one."""
    in_force = None
    for version in plan_versions(plan_or_chain):
        start = effective_from(version)
        if version.status == Plan.Status.DRAFT or start is None or start > on:
            continue
        in_force = version
    return in_force


@dataclass(frozen=True)
class Change:
    """One thing that differs between two versions: a target (``element``, ``scope``) or a text."""

    what: str
    scope: str
    old: str
    new: str


def _shown(target: Target | None) -> str:
    return target.display if target is not None else ""


def _label(name: str) -> str:
    field = Plan._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def plan_versions_diff(old: Plan, new: Plan) -> list[Change]:
    """The texts and targets that differ between two versions, in the plan's order."""
    changes = [
        Change(_label(name), "", before, after)
        for name in _DIFF_TEXTS
        if (before := getattr(old, name)) != (after := getattr(new, name))
    ]

    def targets(plan: Plan) -> dict[tuple[int, str], Target]:
        return {(t.element_id, t.scope): t for t in plan.targets.select_related("element")}

    before, after = targets(old), targets(new)
    keys = sorted(
        set(before) | set(after),
        key=lambda k: ((before.get(k) or after[k]).element.order, k[1]),
    )
    for key in keys:
        old_text, new_text = _shown(before.get(key)), _shown(after.get(key))
        if old_text != new_text:
            target = before.get(key) or after[key]
            changes.append(
                Change(
                    element_label(target.element),
                    str(target.get_scope_display()),
                    old_text,
                    new_text,
                )
            )
    return changes
