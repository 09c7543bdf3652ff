"""The map the generator fills: villages of the old communes, copies for the new communes, and
the deletion of an earlier run's demo plans."""

import random
from collections import defaultdict

from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    Event,
    ParticipantCount,
    WomanCadre,
)
from duan8.demo.generator import names
from duan8.demo.generator.spec import BATCH, DEMO_MARK, GenerateResult, Scale
from duan8.demo.generator.writer import ids_take
from duan8.orgunits.models import REFORM_DATE, OrgUnit, OrgUnitSuccession
from duan8.programs.models import Plan

DELETE_UNITS = 500  # communes whose demo records are deleted at a time

# --- the map: communes, villages, copies after the reform --------------------------------------


def villages_ensure(
    rng: random.Random, communes: list[OrgUnit], scale: Scale, result: GenerateResult
) -> dict[int, list[OrgUnit]]:
    """Each commune's villages valid in its time: the existing ones, plus made-up ones up to the
    drawn number (drawn for every commune, so the choices do not depend on what exists)."""
    existing: dict[int, list[OrgUnit]] = defaultdict(list)
    for village in OrgUnit.objects.filter(
        parent__in=communes, level=OrgUnit.Level.VILLAGE
    ).order_by("code"):
        assert village.parent_id is not None  # a village has a commune
        existing[village.parent_id].append(village)
    taken = set(
        OrgUnit.objects.filter(
            code_scheme=OrgUnit.CodeScheme.LOCAL, level=OrgUnit.Level.VILLAGE
        ).values_list("code", flat=True)
    )
    created: list[OrgUnit] = []
    for commune in communes:
        wanted = rng.randint(*scale.villages)
        drawn = []
        for index in range(1, wanted + 1):
            name = f"{rng.choice(names.VILLAGE_FIRST)} {rng.choice(names.VILLAGE_SECOND)}"
            drawn.append((f"{commune.code}-D{index:02d}", rng.choice(names.VILLAGE_KINDS), name))
        have = existing[commune.pk]
        seen = {v.name.casefold() for v in have}
        for code, kind, name in drawn:
            if len(have) >= wanted:
                break
            if code in taken:
                continue  # made by an earlier run, already in ``have``
            label = name
            suffix = 2
            while label.casefold() in seen:
                label, suffix = f"{name} {suffix}", suffix + 1
            seen.add(label.casefold())
            village = OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code=code,
                level=OrgUnit.Level.VILLAGE,
                kind=kind,
                name=label,
                parent=commune,
                valid_from=commune.valid_from,
                valid_to=commune.valid_to,
                legal_act=DEMO_MARK,
            )
            created.append(village)
            have.append(village)
    units_create(created)
    result.villages_created += len(created)
    return {c.pk: existing[c.pk] for c in communes}


def units_create(units: list[OrgUnit]) -> None:
    """Write new villages with their path: their ids are taken first, so the path (which ends
    with the id) is written with the row, not updated after."""
    for unit, pk in zip(units, ids_take(OrgUnit, len(units)), strict=True):
        assert unit.parent is not None  # made under a commune
        unit.pk = pk
        unit.path = f"{unit.parent.path}{pk:08d}/"
    OrgUnit.objects.bulk_create(units, batch_size=BATCH)


def copies_ensure(
    old_villages: dict[int, list[OrgUnit]],
    successor_of: dict[int, OrgUnit],
    result: GenerateResult,
) -> dict[int, list[OrgUnit]]:
    """The villages of each new commune from 1/7/2025: a copy of each old village, with the
    succession old village → copy. Existing copies (found by their succession) are reused."""
    old_ids = [v.pk for vs in old_villages.values() for v in vs]
    copied = {
        s.predecessor_id: s.successor
        for s in OrgUnitSuccession.objects.filter(predecessor_id__in=old_ids).select_related(
            "successor"
        )
    }
    numbers: dict[int, int] = {}
    names_in: dict[int, set[str]] = defaultdict(set)
    new_ids = {c.pk for c in successor_of.values()}
    for village in OrgUnit.objects.filter(parent_id__in=new_ids, level=OrgUnit.Level.VILLAGE):
        assert village.parent_id is not None  # a village has a commune
        names_in[village.parent_id].add(village.name.casefold())
    taken = set(
        OrgUnit.objects.filter(
            code_scheme=OrgUnit.CodeScheme.LOCAL, level=OrgUnit.Level.VILLAGE
        ).values_list("code", flat=True)
    )
    created: list[OrgUnit] = []
    pairs: list[tuple[OrgUnit, OrgUnit]] = []
    copies: dict[int, list[OrgUnit]] = defaultdict(list)
    for commune_id in sorted(old_villages):
        new = successor_of.get(commune_id)
        if new is None:
            continue
        for village in old_villages[commune_id]:
            if village.pk in copied:
                copies[new.pk].append(copied[village.pk])
                continue
            number = numbers.get(new.pk, 0)
            code = ""
            while not code or code in taken:
                number += 1
                code = f"{new.code}-{number:02d}"
            numbers[new.pk] = number
            taken.add(code)
            label, suffix = village.name, 2
            while label.casefold() in names_in[new.pk]:
                label, suffix = f"{village.name} {suffix}", suffix + 1
            names_in[new.pk].add(label.casefold())
            copy = OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code=code,
                level=OrgUnit.Level.VILLAGE,
                kind=village.kind,
                name=label,
                parent=new,
                valid_from=REFORM_DATE,
                legal_act=DEMO_MARK,
            )
            created.append(copy)
            pairs.append((village, copy))
            copies[new.pk].append(copy)
    units_create(created)
    OrgUnitSuccession.objects.bulk_create(
        [
            OrgUnitSuccession(
                predecessor=old,
                successor=copy,
                kind=(
                    OrgUnitSuccession.Kind.UNCHANGED
                    if old.name == copy.name
                    else OrgUnitSuccession.Kind.RENAMED
                ),
                effective_on=REFORM_DATE,
                legal_act=DEMO_MARK,
            )
            for old, copy in pairs
        ],
        batch_size=BATCH,
    )
    result.villages_created += len(created)
    for units in copies.values():
        units.sort(key=lambda u: u.code)
    return copies


def demo_delete(units: list[OrgUnit]) -> int:
    """Every demo plan issued by ``units`` and everything recorded under it, a few hundred
    communes at a time: deleting through the ORM reads the rows it deletes, and a national run
    has hundreds of thousands. (A commune's groups are only held by its own plans' events.)"""
    deleted = 0
    for start in range(0, len(units), DELETE_UNITS):
        plans = Plan.objects.filter(
            issuing_unit__in=units[start : start + DELETE_UNITS], proposal=DEMO_MARK
        )
        if not plans.exists():
            continue
        ParticipantCount.objects.filter(event__plan__in=plans).delete()
        count, _detail = Event.objects.filter(plan__in=plans).delete()
        deleted += count
        CommunityGroupMember.objects.filter(group__plan__in=plans).delete()
        CommunityGroupStatus.objects.filter(group__plan__in=plans).delete()
        for model in (CommunityGroup, WomanCadre, Difficulty):
            count, _detail = model.objects.filter(plan__in=plans).delete()
            deleted += count
        count, _detail = plans.delete()
        deleted += count
    return deleted
