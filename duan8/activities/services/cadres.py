"""Ethnic-minority women cadres: recording one and changing her position or status; a batch
of them (an import) in one transaction."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import EthnicGroup, WomanCadre
from duan8.activities.services.shared import (
    EDIT,
    LockTable,
    Upload,
    batch_write,
    birth_year_in_range,
    choice_in,
    day_in_range,
    not_before,
    refuse,
    required,
    text_length,
    upload_record,
)
from duan8.core import audit
from duan8.core.problems import Problem, problems_of
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan


@dataclass
class CadreInput:
    org_unit: OrgUnit
    full_name: str
    ethnic_group: EthnicGroup | None
    position: str
    status: str
    since: datetime.date
    until: datetime.date | None = None
    birth_year: int | None = None
    plan: Plan | None = None
    notes: str = ""


_CADRE_FIELDS = [
    "org_unit",
    "full_name",
    "ethnic_group",
    "position",
    "status",
    "since",
    "until",
    "birth_year",
    "plan",
    "notes",
]


def woman_cadre_check(data: CadreInput) -> list[Problem]:
    """Every problem with a cadre, keyed by the input's field; empty when she can be saved."""
    problems = required(data.full_name, "full_name")
    if data.ethnic_group is None:
        problems += required(None, "ethnic_group")
    elif not data.ethnic_group.is_minority:
        message = _(
            "%(name)s is not an ethnic minority; this list is of ethnic-minority women."
        ) % {"name": data.ethnic_group.name}
        problems.append(Problem("ethnic_group", message, "not_minority"))
    problems += required(data.position, "position")
    problems += choice_in(data.status, WomanCadre.Status.values, field="status")
    problems += not_before(data.until, data.since, _("before the start date."), field="until")
    problems += day_in_range(data.since, field="since")
    problems += day_in_range(data.until, field="until")
    problems += birth_year_in_range(data.birth_year, field="birth_year")
    problems += text_length(data.notes, field="notes")
    return problems


@dataclass
class CadreChange:
    """A change to a recorded cadre made on ``expected_version``."""

    cadre: WomanCadre
    data: CadreInput
    expected_version: int | None


def woman_cadre_lock_problems(locks: LockTable, item: CadreInput | CadreChange) -> list[Problem]:
    """The locks over the day her status began, as recorded and as changed."""
    if isinstance(item, CadreInput):
        return locks.problems(item.org_unit, item.since, "since")
    return locks.problems(item.cadre.org_unit, item.cadre.since, "since") or locks.problems(
        item.data.org_unit, item.data.since, "since"
    )


def _cadres_problems(actor: User, items: list[CadreInput | CadreChange]) -> list[Problem]:
    units = {}
    for item in items:
        data = item if isinstance(item, CadreInput) else item.data
        units[data.org_unit.pk] = data.org_unit
        if isinstance(item, CadreChange):
            units[item.cadre.org_unit_id] = item.cadre.org_unit
    for unit in units.values():
        require_permission(actor, EDIT, unit)
    many = len(items) > 1
    problems: list[Problem] = []
    for row, item in enumerate(items, start=1):
        data = item if isinstance(item, CadreInput) else item.data
        problems += problems_of(woman_cadre_check(data), row=row if many else None)
    if problems:
        return problems
    locks = LockTable(units.values())
    for row, item in enumerate(items, start=1):
        problems += problems_of(woman_cadre_lock_problems(locks, item), row=row if many else None)
    return problems


@transaction.atomic
def woman_cadres_save_many(
    *,
    actor: User,
    new: Sequence[CadreInput] = (),
    changes: Sequence[CadreChange] = (),
    upload: Upload | None = None,
) -> list[WomanCadre]:
    """Record cadres and change recorded ones, all or none: rights, checks, locks and versions
    first, then bulk writes, then the audit (one entry per cadre, or one for an ``upload``)."""
    new, changes = list(new), list(changes)
    refuse(_cadres_problems(actor, [*new, *changes]))
    before = {} if upload else {c.cadre.pk: audit.snapshot(c.cadre, _CADRE_FIELDS) for c in changes}
    created = [WomanCadre() for _data in new]
    changed = [change.cadre for change in changes]
    batch_write(
        WomanCadre,
        new=list(zip(created, new, strict=True)),
        changes=[(c.cadre, c.data, c.expected_version) for c in changes],
        names=_CADRE_FIELDS,
    )
    if upload is not None:
        upload_record(actor=actor, upload=upload, created=len(created), updated=len(changed))
        return [*created, *changed]
    for cadre in [*created, *changed]:
        audit.record(
            actor=actor,
            action="activities.cadre.updated" if cadre.pk in before else "activities.cadre.created",
            target=cadre,
            org_unit=cadre.org_unit,
            before=before.get(cadre.pk),
            after=audit.snapshot(cadre, _CADRE_FIELDS),
            version=cadre.version,
        )
    return [*created, *changed]


def woman_cadre_save(
    *,
    actor: User,
    data: CadreInput,
    cadre: WomanCadre | None = None,
    expected_version: int | None = None,
) -> WomanCadre:
    """Record a cadre, or change one (``cadre``) as of ``expected_version``, the version the
    form was loaded with: a change over someone else's, or without a version, is refused."""
    if cadre is None:
        return woman_cadres_save_many(actor=actor, new=[data])[0]
    change = CadreChange(cadre, data, expected_version)
    return woman_cadres_save_many(actor=actor, changes=[change])[0]
