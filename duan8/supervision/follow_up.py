"""Recommendations followed to their answer: made by the supervisor to a responsible unit with a
deadline, answered by that unit (``supervision.answer`` there, nobody else), then accepted by
the supervisor or kept open. An open recommendation past its deadline is overdue (reminders)."""

import datetime
import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_VIEW, SUPERVISION_ANSWER
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import Problems
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.supervision.models import Finding, Recommendation, Session
from duan8.supervision.selectors import commune_of
from duan8.supervision.services import require_supervisor

R = Recommendation.Status


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


@transaction.atomic
def recommendation_create(
    *,
    actor: User,
    session: Session,
    text: str,
    addressee: OrgUnit | None,
    due_on: datetime.date | None,
    addressee_body: str = "",
    finding: Finding | None = None,
    today: datetime.date | None = None,
) -> Recommendation:
    """``today``: the day the recommendation is made (the demo's loader gives 2023's)."""
    require_supervisor(actor, session)
    today = today or timezone.localdate()
    problems = Problems()
    if not _text(text):
        problems.add("text", _("Write the recommendation."), "required")
    commune = commune_of(session.org_unit)
    if addressee is None:
        problems.add(
            "addressee", _("A recommendation needs a responsible unit to answer it."), "required"
        )
    elif not (addressee.path.startswith(commune.path) and can(actor, RECORDS_VIEW, addressee)):
        problems.add(
            "addressee", _("The responsible unit must be this commune or one of its villages.")
        )
    if due_on is None:
        problems.add("due_on", _("Give the deadline for the answer."), "required")
    elif due_on < today:
        problems.add(
            "due_on",
            _("The deadline %(day)s is already past.") % {"day": due_on.strftime("%d/%m/%Y")},
            "past",
        )
    if finding is not None and finding.session_id != session.pk:
        problems.add("finding", _("This finding belongs to another session."))
    problems.raise_if_any()
    assert addressee is not None and due_on is not None
    recommendation = Recommendation.objects.create(
        session=session,
        finding=finding,
        text=_text(text),
        addressee=addressee,
        addressee_body=_text(addressee_body),
        due_on=due_on,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="supervision.recommendation.created",
        target=recommendation,
        org_unit=session.org_unit,
        after={
            "text": recommendation.text,
            "addressee": addressee.full_name,
            "due_on": due_on,
        },
    )
    return recommendation


def may_answer(actor: User, recommendation: Recommendation) -> bool:
    return can(actor, SUPERVISION_ANSWER, recommendation.addressee)


@transaction.atomic
def recommendation_answer(
    *,
    actor: User,
    recommendation: Recommendation,
    answer: str,
    expected_version: int | None,
    today: datetime.date | None = None,
) -> Recommendation:
    if not may_answer(actor, recommendation):
        raise PermissionDenied(
            _("Only the responsible unit (%(unit)s) answers this recommendation.")
            % {"unit": recommendation.addressee.full_name}
        )
    problems = Problems()
    if recommendation.status != R.OPEN:
        problems.add("answer", _("This recommendation is not waiting for an answer."), "status")
    if not _text(answer):
        problems.add("answer", _("Write the answer: what was done or why not."), "required")
    problems.raise_if_any()
    claim_version(recommendation, expected_version)
    recommendation.answer = _text(answer)
    recommendation.answered_by = actor
    recommendation.answered_on = today or timezone.localdate()
    recommendation.status = R.ANSWERED
    recommendation.save()
    audit.record(
        actor=actor,
        action="supervision.recommendation.answered",
        target=recommendation,
        org_unit=recommendation.addressee,
        after={"answer": recommendation.answer},
        version=recommendation.version,
    )
    return recommendation


@transaction.atomic
def recommendation_review(
    *,
    actor: User,
    recommendation: Recommendation,
    accept: bool,
    note: str,
    expected_version: int | None,
    today: datetime.date | None = None,
) -> Recommendation:
    """The supervisor accepts the answer, or keeps the recommendation open (with a reason)."""
    require_supervisor(actor, recommendation.session)
    problems = Problems()
    if recommendation.status != R.ANSWERED:
        problems.add("note", _("Only an answered recommendation can be reviewed."), "status")
    if not accept and not _text(note):
        problems.add("note", _("Say why the recommendation stays open."), "required")
    problems.raise_if_any()
    claim_version(recommendation, expected_version)
    recommendation.status = R.ACCEPTED if accept else R.OPEN
    recommendation.review_note = _text(note)
    recommendation.reviewed_on = today or timezone.localdate()
    recommendation.save()
    audit.record(
        actor=actor,
        action=(
            "supervision.recommendation.accepted"
            if accept
            else "supervision.recommendation.kept_open"
        ),
        target=recommendation,
        org_unit=recommendation.session.org_unit,
        after={"note": recommendation.review_note},
        version=recommendation.version,
    )
    return recommendation
