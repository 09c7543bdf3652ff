"""Deciding a likely duplicate (issue 13, point 3): the commune Women's Union officer confirms
that two cases are the same woman and pregnancy, or dismisses the pair.

Who decides: the holder of ``mothers.verify`` in the commune of the pair's *second* case (the one
proposed later, which a confirmation sets aside), for a pair within one commune as for a pair
across communes or across the 2025 map change: she verifies that case, so she is the one who
may set it aside. The officer of the first case's commune neither sees nor decides the pair (it
does not change her case). The accountant, the health station and the commune leader do not
hold ``mothers.verify``.

Confirming marks the second case ``duplicate`` (``duplicate_of`` = the first, or the case the
first was itself set aside for), which is never paid; dismissing leaves both cases as they are,
and the pair is not raised again. Both are version-checked (``claim_version``), keep who, when
and the note, and are audited without any ID number or health value.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_VERIFY
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import WHOLE, Problems
from duan8.mothers.models import DuplicateCandidate, Pregnancy
from duan8.orgunits.access import can, require_permission

NOTE_MAX = 2000


def duplicate_decider_may(actor: User, candidate: DuplicateCandidate) -> bool:
    """Whether ``actor`` may see and decide the pair (``mothers.verify`` on the second case's
    commune)."""
    return can(actor, MOTHERS_VERIFY, candidate.second.commune)


def _check(candidate: DuplicateCandidate, note: str, *, note_required: bool) -> None:
    problems = Problems()
    if candidate.status != DuplicateCandidate.Status.OPEN:
        problems.add(
            WHOLE,
            _("This pair was already decided (%(status)s).")
            % {"status": candidate.get_status_display()},
            code="decided",
        )
    elif candidate.second.status in (Pregnancy.Status.REJECTED, Pregnancy.Status.DUPLICATE):
        problems.add(
            WHOLE,
            _("The later record was meanwhile %(status)s; nothing is left to decide.")
            % {"status": candidate.second.get_status_display().lower()},
            code="closed",
        )
    if note_required and not note.strip():
        problems.add("note", _("Say why the two records are different."), code="required")
    if len(note) > NOTE_MAX:
        problems.add(
            "note", _("At most %(limit)s characters.") % {"limit": NOTE_MAX}, code="max_length"
        )
    problems.raise_if_any()


def _decide(
    *,
    actor: User,
    candidate: DuplicateCandidate,
    expected_version: int | None,
    note: str,
    status: str,
) -> None:
    claim_version(candidate, expected_version)
    candidate.status = status
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    candidate.note = note.strip()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])


def _kept_case(candidate: DuplicateCandidate) -> Pregnancy:
    """The case the second one is a duplicate of: the first, or the one it was set aside for."""
    kept = candidate.first
    while kept.status == Pregnancy.Status.DUPLICATE and kept.duplicate_of_id:
        kept = Pregnancy.objects.get(pk=kept.duplicate_of_id)
    return kept


@transaction.atomic
def duplicate_confirm(
    *, actor: User, candidate: DuplicateCandidate, expected_version: int | None, note: str = ""
) -> DuplicateCandidate:
    """The two cases are the same woman and pregnancy: the later one is set aside for good."""
    candidate = DuplicateCandidate.objects.select_related("first", "second", "second__commune").get(
        pk=candidate.pk
    )
    require_permission(actor, MOTHERS_VERIFY, candidate.second.commune)
    _check(candidate, note, note_required=False)
    _decide(
        actor=actor,
        candidate=candidate,
        expected_version=expected_version,
        note=note,
        status=DuplicateCandidate.Status.CONFIRMED,
    )
    second = candidate.second
    kept = _kept_case(candidate)
    claim_version(second, second.version)
    second.status = Pregnancy.Status.DUPLICATE
    second.duplicate_of = kept
    second.status_reason = candidate.note
    second.save(update_fields=["status", "duplicate_of", "status_reason", "updated_at"])
    audit.record(
        actor=actor,
        action="mothers.duplicate.confirmed",
        target=candidate,
        org_unit=second.commune,
        after={
            "set_aside": second.pk,
            "duplicate_of": kept.pk,
            "exact": candidate.exact,
            "score": candidate.score,
            "note": bool(candidate.note),
        },
        version=candidate.version,
    )
    return candidate


@transaction.atomic
def duplicate_dismiss(
    *, actor: User, candidate: DuplicateCandidate, expected_version: int | None, note: str
) -> DuplicateCandidate:
    """The two cases are different women or pregnancies: both stay; the pair is not raised
    again. The note (why) is required."""
    candidate = DuplicateCandidate.objects.select_related("second", "second__commune").get(
        pk=candidate.pk
    )
    require_permission(actor, MOTHERS_VERIFY, candidate.second.commune)
    _check(candidate, note, note_required=True)
    _decide(
        actor=actor,
        candidate=candidate,
        expected_version=expected_version,
        note=note,
        status=DuplicateCandidate.Status.DISMISSED,
    )
    audit.record(
        actor=actor,
        action="mothers.duplicate.dismissed",
        target=candidate,
        org_unit=candidate.second.commune,
        after={"exact": candidate.exact, "score": candidate.score, "note": True},
        version=candidate.version,
    )
    return candidate
