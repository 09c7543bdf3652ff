"""Proposing, correcting, verifying and rejecting cases of the registry (issue 13, point 1).

The health station (for its commune) and a village health worker (for her village) propose a
case: the mother, her pregnancy and delivery, the antenatal visits and the children. Everything
is checked first (``services.checks``), then written in one transaction, so nothing is half
saved. A proposal whose ID number matches, exactly, a mother already registered in the same
commune (its blind index) is another pregnancy of that mother; every other proposal registers a
new mother, and likely matches by name and year of birth are left to ``mothers.duplicates``,
asked after each write. The commune's Women's Union officer verifies (refused while a likely
duplicate is open) or rejects with a reason.

The audit trail records which fields were given or changed, never their values: neither the ID
number nor a health value is ever written there in clear.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_HEALTH, MOTHERS_PROPOSE, MOTHERS_VERIFY
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import WHOLE, Invalid, Problem
from duan8.mothers import crypto
from duan8.mothers.models import AntenatalVisit, Child, Mother, Pregnancy
from duan8.mothers.names import name_key, normalise_id
from duan8.mothers.services.checks import CaseContext, case_problems
from duan8.mothers.services.consent import consent_require, consent_withdrawn
from duan8.mothers.services.inputs import HEALTH_FIELDS, CaseInput, ChildInput, VisitInput
from duan8.mothers.visibility import area_of
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit

PROPOSED = "mothers.case.proposed"
UPDATED = "mothers.case.updated"
VERIFIED = "mothers.case.verified"
REJECTED = "mothers.case.rejected"
VIEWED = "mothers.case.viewed"

_MOTHER_FIELDS = ("full_name", "birth_year", "birth_date", "phone", "household")
_PREGNANCY_FIELDS = (
    "expected_on",
    "delivered_on",
    "place",
    "facility",
    "mode",
    "babies",
    "days_at_facility",
    "has_carer",
    "carer_name",
)
_MOTHER_SAVED = (
    *_MOTHER_FIELDS,
    "commune",
    "village",
    "name_key",
    "ethnic_group",
    "id_number",
    "id_number_index",
)
_PREGNANCY_SAVED = (*_PREGNANCY_FIELDS, "commune", "village")
_STATUS_FIELDS = ("status", "verified_by", "verified_at")
_EDITABLE = (Pregnancy.Status.PROPOSED, Pregnancy.Status.VERIFIED)
_SPACES = re.compile(r"\s+")


def _text(value: str) -> str:
    """NFC, single spaces, trimmed: what a phone keyboard or a spreadsheet cell may send."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def _area_check(actor: User, data: CaseInput) -> None:
    """The proposer holds ``mothers.propose`` in the case's village (the health station for the
    whole commune, a village health worker for her own village only)."""
    if data.commune is None:
        return
    # a village not of the commune (refused by the checks) or inherited from a predecessor
    # (``orgunits.inherited``) is checked on the commune
    require_permission(actor, MOTHERS_PROPOSE, area_of(data.commune, data.village))


def _health_given(data: CaseInput) -> list[str]:
    empty = CaseInput(
        commune=data.commune, village=None, full_name="", birth_year=None, ethnic_code=""
    )
    return [name for name in HEALTH_FIELDS if getattr(data, name) != getattr(empty, name)]


def _health_problems(actor: User, data: CaseInput) -> list[Problem]:
    """Only holders of ``mothers.health`` write the health fields."""
    if data.commune is None or can(actor, MOTHERS_HEALTH, area_of(data.commune, data.village)):
        return []
    message = _("Only the health station and village health workers record health details.")
    return [Problem(name, message, "health") for name in _health_given(data)]


def _check_all(
    actor: User, rows: list[CaseInput], *, prefix: bool, health_kept: bool = False
) -> CaseContext:
    """Rights first (a row outside the actor's area refuses the whole batch), then every
    problem of every row, raised together."""
    for data in rows:
        _area_check(actor, data)
    context = CaseContext.load()
    problems: list[Problem] = []
    for number, data in enumerate(rows, start=1):
        found = case_problems(data, context)
        if not health_kept:
            found += _health_problems(actor, data)
        if prefix:
            found = [
                dataclasses.replace(p, field=f"rows.{number}.{p.field}", row=number) for p in found
            ]
        problems += found
    if problems:
        raise Invalid(problems)
    return context


def _filled(data: CaseInput) -> list[str]:
    """The names of the fields given (for the audit trail: names, never values)."""
    return [
        f.name
        for f in dataclasses.fields(data)
        if f.name not in ("commune", "village")
        and getattr(data, f.name) not in (None, "", [], False)
    ]


class _Mothers:
    """The mothers of a batch's communes found by ID number, and those the batch registers."""

    def __init__(self) -> None:
        self.by_index: dict[tuple[int, str], Mother] = {}

    def find(self, commune: OrgUnit, index: str) -> Mother | None:
        if not index:
            return None
        key = (commune.pk, index)
        if key not in self.by_index:
            found = Mother.objects.filter(
                commune=commune, id_number_index=index, anonymised_on__isnull=True
            ).first()
            if found is None:
                return None
            self.by_index[key] = found
        return self.by_index[key]

    def keep(self, mother: Mother) -> None:
        if mother.id_number_index:
            self.by_index[(mother.commune_id, mother.id_number_index)] = mother


def _mother_set(mother: Mother, data: CaseInput, context: CaseContext) -> None:
    digits = normalise_id(data.id_number)
    mother.commune = data.commune
    if data.village is not None:
        mother.village = data.village
    mother.full_name = _text(data.full_name)
    mother.name_key = name_key(mother.full_name)
    mother.birth_year = data.birth_year  # type: ignore[assignment]
    mother.birth_date = data.birth_date
    mother.ethnic_group = context.ethnic[data.ethnic_code.strip()]
    mother.phone = _text(data.phone)
    mother.household = data.household
    mother.id_number = digits
    mother.id_number_index = crypto.blind_index(digits) if digits else ""


def _pregnancy_set(pregnancy: Pregnancy, data: CaseInput) -> None:
    pregnancy.commune = data.commune
    pregnancy.village = data.village  # type: ignore[assignment]
    for name in _PREGNANCY_FIELDS:
        value = getattr(data, name)
        setattr(pregnancy, name, _text(value) if isinstance(value, str) else value)


def _details_write(pregnancy: Pregnancy, data: CaseInput) -> None:
    visits = [AntenatalVisit(pregnancy=pregnancy, facility=_text(v.facility)) for v in data.visits]
    for visit, given in zip(visits, data.visits, strict=True):
        visit.visited_on = given.visited_on
    AntenatalVisit.objects.bulk_create(visits)
    children = [Child(pregnancy=pregnancy, sex=c.sex) for c in data.children]
    for child, child_given in zip(children, data.children, strict=True):
        child.born_on = child_given.born_on or data.delivered_on  # type: ignore[assignment]
    Child.objects.bulk_create(children)


def _duplicates_check(pregnancy: Pregnancy) -> None:
    from duan8.mothers.duplicates import duplicates_check

    duplicates_check(pregnancy)


def _case_write(actor: User, data: CaseInput, context: CaseContext, mothers: _Mothers) -> Pregnancy:
    digits = normalise_id(data.id_number)
    mother = mothers.find(data.commune, crypto.blind_index(digits) if digits else "")
    reused = mother is not None
    if mother is None:
        mother = Mother(created_by=actor)
        _mother_set(mother, data, context)
        mother.full_clean(exclude=["id_number"])
        mother.save()
        mothers.keep(mother)
    pregnancy = Pregnancy(mother=mother, proposed_by=actor)
    _pregnancy_set(pregnancy, data)
    pregnancy.save()
    _details_write(pregnancy, data)
    audit.record(
        actor=actor,
        action=PROPOSED,
        target=pregnancy,
        org_unit=pregnancy.commune,
        after={"fields": _filled(data), "mother": "known" if reused else "new"},
        version=pregnancy.version,
    )
    _duplicates_check(pregnancy)
    return pregnancy


def mother_propose(*, actor: User, data: CaseInput) -> Pregnancy:
    """Propose one case; ``Invalid`` keyed by the input's fields when anything is wrong."""
    context = _check_all(actor, [data], prefix=False)
    with transaction.atomic():
        return _case_write(actor, data, context, _Mothers())


def mothers_propose_many(
    *, actor: User, commune: OrgUnit, rows: list[CaseInput]
) -> list[Pregnancy]:
    """Propose many cases of ``commune`` at once (a list typed on the phone, a spreadsheet), all
    or none. A problem of the n-th row (numbered from 1) is on field ``rows.<n>.<field>``."""
    misplaced = [
        Problem(
            f"rows.{n}.commune",
            _("This row is not of %(unit)s.") % {"unit": commune.full_name},
            "commune",
            n,
        )
        for n, data in enumerate(rows, start=1)
        if data.commune is None or data.commune.pk != commune.pk
    ]
    if misplaced:
        raise Invalid(misplaced)
    context = _check_all(actor, rows, prefix=True)
    mothers = _Mothers()
    with transaction.atomic():
        return [_case_write(actor, data, context, mothers) for data in rows]


def case_input_of(pregnancy: Pregnancy) -> CaseInput:
    """The case as it is stored, as an input to correct (the edit page starts from it)."""
    mother = pregnancy.mother
    return CaseInput(
        commune=pregnancy.commune,
        village=pregnancy.village,
        full_name=mother.full_name,
        birth_year=mother.birth_year,
        ethnic_code=mother.ethnic_group.code,
        id_number=mother.id_number or "",
        birth_date=mother.birth_date,
        phone=mother.phone,
        household=mother.household,
        **{name: _stored(pregnancy, name) for name in _PREGNANCY_FIELDS},
        visits=[
            VisitInput(visited_on=v.visited_on, facility=v.facility or "")
            for v in pregnancy.antenatal_visits.all()
        ],
        children=[ChildInput(sex=c.sex, born_on=c.born_on) for c in pregnancy.children.all()],
    )


def _stored(pregnancy: Pregnancy, name: str) -> Any:
    value = getattr(pregnancy, name)
    return "" if value is None and name in ("place", "facility", "mode") else value


def _changed(before: CaseInput, after: CaseInput) -> list[str]:
    changed = []
    for f in dataclasses.fields(before):
        old, new = getattr(before, f.name), getattr(after, f.name)
        if f.name == "id_number":
            old, new = normalise_id(old), normalise_id(new)
        elif isinstance(old, str) and isinstance(new, str):
            old, new = _text(old), _text(new)
        elif f.name == "children":
            old = [(c.sex, c.born_on or before.delivered_on) for c in old]
            new = [(c.sex, c.born_on or after.delivered_on) for c in new]
        if old != new:
            changed.append(f.name)
    return changed


def _refuse_status(pregnancy: Pregnancy, allowed: tuple[str, ...]) -> None:
    if pregnancy.status not in allowed:
        message = _("This case is “%(status)s”: it can no longer be changed here.") % {
            "status": pregnancy.get_status_display()
        }
        raise Invalid([Problem(WHOLE, message, "status")])


def pregnancy_update(
    *, actor: User, pregnancy: Pregnancy, data: CaseInput, expected_version: int | None
) -> Pregnancy:
    """Correct a proposed (or verified) case. Health fields are kept as stored when the actor
    may not write them; a verified case that changes goes back to be verified again."""
    area = area_of(pregnancy.commune, pregnancy.village)
    require_permission(actor, MOTHERS_PROPOSE, area)
    _refuse_status(pregnancy, _EDITABLE)
    if consent_withdrawn(pregnancy.mother):
        consent_require(pregnancy.mother)  # says she withdrew it
    before = case_input_of(pregnancy)
    health_kept = not can(actor, MOTHERS_HEALTH, area)
    if health_kept:
        data = dataclasses.replace(data, **{n: getattr(before, n) for n in HEALTH_FIELDS})
    context = _check_all(actor, [data], prefix=False, health_kept=health_kept)
    changed = _changed(before, data)
    with transaction.atomic():
        claim_version(pregnancy, expected_version)
        if not changed:
            return pregnancy
        mother = pregnancy.mother
        _mother_set(mother, data, context)
        mother.full_clean(exclude=["id_number"])
        mother.version += 1
        mother.save(update_fields=[*_MOTHER_SAVED, "version", "updated_at"])
        _pregnancy_set(pregnancy, data)
        was = pregnancy.status
        if was == Pregnancy.Status.VERIFIED:
            pregnancy.status, pregnancy.verified_by, pregnancy.verified_at = (
                Pregnancy.Status.PROPOSED,
                None,
                None,
            )
        pregnancy.save(update_fields=[*_PREGNANCY_SAVED, *_STATUS_FIELDS, "updated_at"])
        if "visits" in changed or "children" in changed or "delivered_on" in changed:
            pregnancy.antenatal_visits.all().delete()
            pregnancy.children.all().delete()
            _details_write(pregnancy, data)
        audit.record(
            actor=actor,
            action=UPDATED,
            target=pregnancy,
            org_unit=pregnancy.commune,
            before={"status": was},
            after={"changed": changed, "status": pregnancy.status},
            version=pregnancy.version,
        )
        _duplicates_check(pregnancy)
    return pregnancy


def pregnancy_verify(
    *, actor: User, pregnancy: Pregnancy, expected_version: int | None
) -> Pregnancy:
    """The commune's Women's Union officer confirms a proposed case; refused while a likely
    duplicate of it is open."""
    from duan8.mothers.duplicates import has_open_duplicates

    require_permission(actor, MOTHERS_VERIFY, pregnancy.commune)
    _refuse_status(pregnancy, (Pregnancy.Status.PROPOSED,))
    consent_require(pregnancy.mother)  # no processing of her record without her consent
    if has_open_duplicates(pregnancy):
        message = _(
            "This case may be a duplicate of another one: decide on the likely duplicate first."
        )
        raise Invalid([Problem(WHOLE, message, "duplicate_open")])
    return _status_set(actor, pregnancy, expected_version, Pregnancy.Status.VERIFIED, VERIFIED)


def pregnancy_reject(
    *, actor: User, pregnancy: Pregnancy, expected_version: int | None, reason: str
) -> Pregnancy:
    """The commune's Women's Union officer rejects a proposed or verified case, saying why."""
    require_permission(actor, MOTHERS_VERIFY, pregnancy.commune)
    _refuse_status(pregnancy, _EDITABLE)
    reason = _text(reason)
    if not reason:
        raise Invalid([Problem("reason", _("Say why the case is rejected."), "required")])
    pregnancy.status_reason = reason
    return _status_set(actor, pregnancy, expected_version, Pregnancy.Status.REJECTED, REJECTED)


@transaction.atomic
def _status_set(
    actor: User, pregnancy: Pregnancy, expected_version: int | None, status: str, action: str
) -> Pregnancy:
    was = pregnancy.status
    claim_version(pregnancy, expected_version)
    pregnancy.status = status
    fields = ["status", "status_reason", "updated_at"]
    if status == Pregnancy.Status.VERIFIED:
        pregnancy.verified_by, pregnancy.verified_at = actor, timezone.now()
        fields += ["verified_by", "verified_at"]
    pregnancy.save(update_fields=fields)
    audit.record(
        actor=actor,
        action=action,
        target=pregnancy,
        org_unit=pregnancy.commune,
        before={"status": was},
        after={"status": status},
        version=pregnancy.version,
    )
    return pregnancy


def case_viewed(*, actor: User, pregnancy: Pregnancy, parts: list[str]) -> None:
    """Every read of a mother's record is logged, with the groups of fields shown."""
    if not parts:
        raise PermissionDenied
    audit.record(
        actor=actor,
        action=VIEWED,
        target=pregnancy,
        org_unit=pregnancy.commune,
        after={"shown": parts},
    )
