"""A commune's villages over time: renamed, merged and split with an effective date and the act
that decided it (issue 12, point 7).

No public dataset lists the villages (thôn, làng, bản), so the commune keeps them. A unit's name
is not dated in the model: like a commune renamed in the 2025 reform, a renamed village is a new
unit, and the old one ends the day before. Each change writes ``OrgUnitSuccession`` rows with the
effective date, so the history on the unit page and the as-of roll-up
(``rollup.org_unit_rollup_map``) treat it as they treat the 2025 commune mergers: records of a
merged village count in the new village for every date after the merger.
"""

import datetime
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import ORGUNITS_MANAGE_VILLAGES
from duan8.core import audit
from duan8.core.problems import Problems
from duan8.legal.models import LegalDocument
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute, OrgUnitSuccession
from duan8.orgunits.services import next_village_code, org_unit_save_with_path

# How far ahead a change may be recorded: a decision takes effect within months, not years.
FUTURE_LIMIT = datetime.timedelta(days=366)


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def village_name_clean(name: str) -> str:
    return unicodedata.normalize("NFC", name or "").strip()


def _check_date(
    problems: Problems, villages: Iterable[OrgUnit], on: datetime.date | None
) -> datetime.date | None:
    """The effective date: after each village began, while it exists, not far in the future."""
    if on is None:
        problems.add("effective_on", _("Give the date the change takes effect."), "required")
        return None
    if on > timezone.localdate() + FUTURE_LIMIT:
        problems.add(
            "effective_on",
            _("%(date)s is too far in the future; record the change when it is decided.")
            % {"date": _d(on)},
            "future",
        )
    for village in villages:
        # A village created without a date began, at the earliest, with its commune.
        start = village.valid_from or (village.parent.valid_from if village.parent else None)
        if start is not None and on <= start:
            problems.add(
                "effective_on",
                _("%(unit)s began on %(start)s; the change must take effect after that.")
                % {"unit": village.full_name, "start": _d(start)},
                "before_start",
            )
        elif village.valid_to is not None and on > village.valid_to:
            problems.add(
                "effective_on",
                _("%(unit)s no longer existed on %(date)s (it ended on %(end)s).")
                % {"unit": village.full_name, "date": _d(on), "end": _d(village.valid_to)},
                "ended",
            )
    return on


def _check_decision(
    problems: Problems, decision: LegalDocument | None, on: datetime.date | None
) -> None:
    if decision is not None and on is not None and decision.issued_on > on:
        problems.add(
            "decision",
            _("%(act)s was issued on %(issued)s, after the change takes effect (%(date)s).")
            % {"act": decision.reference, "issued": _d(decision.issued_on), "date": _d(on)},
            "after_effective",
        )


def _names_in_use(commune: OrgUnit, on: datetime.date, leaving: set[int]) -> set[str]:
    """The names (case-folded) of the commune's other villages on ``on``."""
    rows = (
        commune.children.filter(level=OrgUnit.Level.VILLAGE)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .exclude(pk__in=leaving)
        .values_list("name", flat=True)
    )
    return {name.casefold() for name in rows}


def _check_name(
    problems: Problems,
    field: str,
    name: str,
    *,
    commune: OrgUnit,
    on: datetime.date | None,
    taken: set[str],
) -> None:
    if not name:
        problems.add(field, _("Give the village a name."), "required")
    elif name.casefold() in taken:
        problems.add(
            field,
            _("%(commune)s already has a village named %(name)s on %(date)s.")
            % {"commune": commune.full_name, "name": name, "date": _d(on) if on else ""},
            "unique",
        )


def _commune_of(actor: User, village: OrgUnit, problems: Problems, field: str) -> OrgUnit:
    commune = village.parent
    if village.level != OrgUnit.Level.VILLAGE or commune is None:
        problems.add(field, _("%(unit)s is not a village.") % {"unit": village.full_name})
        problems.raise_if_any()
    assert commune is not None
    require_permission(actor, ORGUNITS_MANAGE_VILLAGES, commune)
    return commune


def _new_village(commune: OrgUnit, name: str, kind: str, on: datetime.date, act: str) -> OrgUnit:
    village = OrgUnit(
        code_scheme=OrgUnit.CodeScheme.LOCAL,
        code=next_village_code(commune),
        level=OrgUnit.Level.VILLAGE,
        kind=kind,
        name=name,
        parent=commune,
        valid_from=on,
        valid_to=commune.valid_to,
        legal_act=act,
    )
    return org_unit_save_with_path(village)


def _end(village: OrgUnit, on: datetime.date) -> None:
    village.valid_to = on - datetime.timedelta(days=1)
    village.full_clean()
    village.save(update_fields=["valid_to", "updated_at"])


def _succeed(
    old: OrgUnit,
    new: OrgUnit,
    kind: str,
    on: datetime.date,
    act: str,
    *,
    primary: bool = True,
) -> None:
    OrgUnitSuccession.objects.create(
        predecessor=old,
        successor=new,
        kind=kind,
        effective_on=on,
        legal_act=act,
        is_primary=primary,
    )


def _act(decision: LegalDocument | None) -> str:
    return str(decision) if decision is not None else ""


def _record(
    actor: User, action: str, commune: OrgUnit, before: list[OrgUnit], after: list[OrgUnit]
) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=after[0],
        org_unit=commune,
        before={"villages": [audit.snapshot(v) for v in before]},
        after={"villages": [audit.snapshot(v) for v in after]},
    )


def _carry_attributes(old: OrgUnit, new: OrgUnit, on: datetime.date) -> None:
    """A renamed village keeps its dated attributes (thôn ĐBKK) from the effective date."""
    for attribute in old.attributes.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)):
        OrgUnitAttribute.objects.create(
            org_unit=new,
            key=attribute.key,
            value=attribute.value,
            valid_from=max(attribute.valid_from, on),
            valid_to=attribute.valid_to,
            decision=attribute.decision,
        )
        if attribute.valid_from >= on:
            attribute.delete()
        else:
            attribute.valid_to = on - datetime.timedelta(days=1)
            attribute.save(update_fields=["valid_to", "updated_at"])


@transaction.atomic
def village_rename(
    *,
    village: OrgUnit,
    name: str,
    effective_on: datetime.date | None,
    actor: User,
    decision: LegalDocument | None = None,
) -> OrgUnit:
    """Rename a village from ``effective_on``: a new unit under the new name takes over (its
    records, its attributes); the old one ends the day before."""
    problems = Problems()
    commune = _commune_of(actor, village, problems, "village")
    name = village_name_clean(name)
    on = _check_date(problems, [village], effective_on)
    _check_decision(problems, decision, on)
    if name and name.casefold() == village.name.casefold():
        problems.add("name", _("That is already the village's name."), "unchanged")
    elif on is not None:
        taken = _names_in_use(commune, on, {village.pk})
        _check_name(problems, "name", name, commune=commune, on=on, taken=taken)
    problems.raise_if_any()
    assert on is not None
    act = _act(decision)
    before = [OrgUnit.objects.get(pk=village.pk)]
    _end(village, on)
    renamed = _new_village(commune, name, village.kind, on, act)
    _succeed(village, renamed, OrgUnitSuccession.Kind.RENAMED, on, act)
    _carry_attributes(village, renamed, on)
    _record(actor, "orgunits.village.renamed", commune, before, [village, renamed])
    return renamed


@transaction.atomic
def villages_merge(
    *,
    villages: list[OrgUnit],
    name: str,
    effective_on: datetime.date | None,
    actor: User,
    decision: LegalDocument | None = None,
) -> OrgUnit:
    """Merge two or more villages of one commune into a new village from ``effective_on``."""
    problems = Problems()
    distinct = list({v.pk: v for v in villages}.values())
    if len(distinct) < 2:
        problems.add("villages", _("Choose at least two villages to merge."), "too_few")
        problems.raise_if_any()
    communes = {v.parent_id for v in distinct}
    if len(communes) > 1:
        problems.add(
            "villages", _("Only villages of the same commune can be merged."), "other_commune"
        )
        problems.raise_if_any()
    commune = _commune_of(actor, distinct[0], problems, "villages")
    for other in distinct[1:]:
        _commune_of(actor, other, problems, "villages")
    name = village_name_clean(name)
    on = _check_date(problems, distinct, effective_on)
    _check_decision(problems, decision, on)
    if on is not None:
        taken = _names_in_use(commune, on, {v.pk for v in distinct})
        _check_name(problems, "name", name, commune=commune, on=on, taken=taken)
    problems.raise_if_any()
    assert on is not None
    act = _act(decision)
    before = [OrgUnit.objects.get(pk=v.pk) for v in distinct]
    merged = _new_village(commune, name, distinct[0].kind, on, act)
    for village in distinct:
        _end(village, on)
        _succeed(village, merged, OrgUnitSuccession.Kind.MERGED, on, act)
    _record(actor, "orgunits.village.merged", commune, before, [merged, *distinct])
    return merged


@transaction.atomic
def village_split(
    *,
    village: OrgUnit,
    names: list[str],
    effective_on: datetime.date | None,
    actor: User,
    decision: LegalDocument | None = None,
) -> list[OrgUnit]:
    """Split a village into two or more new ones from ``effective_on``. The first takes the old
    village's records (the main successor, as in the roll-up of a split commune)."""
    problems = Problems()
    commune = _commune_of(actor, village, problems, "village")
    cleaned = [village_name_clean(n) for n in names]
    cleaned = [n for n in cleaned if n]
    on = _check_date(problems, [village], effective_on)
    _check_decision(problems, decision, on)
    if len(cleaned) < 2:
        problems.add("names", _("Give at least two names for the new villages."), "too_few")
    elif on is not None:
        taken = _names_in_use(commune, on, {village.pk})
        for index, new_name in enumerate(cleaned):
            _check_name(problems, f"names.{index}", new_name, commune=commune, on=on, taken=taken)
            taken.add(new_name.casefold())
    problems.raise_if_any()
    assert on is not None
    act = _act(decision)
    before = [OrgUnit.objects.get(pk=village.pk)]
    _end(village, on)
    parts = [_new_village(commune, n, village.kind, on, act) for n in cleaned]
    for index, part in enumerate(parts):
        _succeed(village, part, OrgUnitSuccession.Kind.SPLIT, on, act, primary=index == 0)
    _record(actor, "orgunits.village.split", commune, before, [*parts, village])
    return parts


@transaction.atomic
def deciding_act_add(
    *,
    kind: str,
    number: str,
    symbol: str,
    issued_on: datetime.date,
    issuer: str,
    title: str,
    actor: User,
    commune: OrgUnit,
) -> LegalDocument:
    """The deciding act of a village change, added to the register (or the one already there
    with the same number, symbol, date and issuer). Problems are keyed ``act_<field>``."""
    require_permission(actor, ORGUNITS_MANAGE_VILLAGES, commune)
    text = {
        "number": village_name_clean(number),
        "symbol": village_name_clean(symbol),
        "issuer": village_name_clean(issuer),
    }
    found = LegalDocument.objects.filter(issued_on=issued_on, **text).first()
    if found is not None:
        return found
    document = LegalDocument(
        kind=kind, issued_on=issued_on, title=village_name_clean(title), **text
    )
    try:
        document.full_clean()
    except ValidationError as exc:
        problems = Problems()
        for name, messages in exc.message_dict.items():
            for message in messages:
                problems.add(f"act_{name}", message)
        problems.raise_if_any()
    document.save()
    audit.record(
        actor=actor,
        action="orgunits.act.added",
        target=document,
        org_unit=commune,
        after=audit.snapshot(document),
    )
    return document
