"""A merged commune takes over the villages of the communes it succeeded (issue 12, points 5 and 7).

On 1/7/2025 xã Ba Trang and xã Ba Khâm became xã Đặng Thùy Trâm. Their villages went with them,
but the map loaded from the national dataset has no villages: they stay under the commune that
ended, where ``inherited.villages_on`` reads them and where the new commune's officer may read
but not write (rights are scoped down the unit path). ``villages_take_over`` moves them as the
map's history moves a commune: for each village a predecessor still had on its last day, a new
village of the same name and kind is created under the new commune from its first day, with the
dated attributes in force that day (thôn ĐBKK), the old village ends on the predecessor's last
day, and a succession old → new ("continued unchanged as") says so. The as-of roll-up
(``rollup.org_unit_rollup_map``) then counts the old village's records in the new one, as it
counts xã Ba Trang's in xã Đặng Thùy Trâm, and the commune's officer keeps them from then on
(records, renames, merges, splits).

Two rules a commune officer would expect:

- Names stay unique in the commune. When two predecessors both had a village of one name (two
  "Thôn 1"), or the commune already has a village of that name, each of the villages taken over
  gets the old commune's name after its own ("Thôn 1 (Ba Trang)", "Thôn 1 (Ba Khâm)"): nothing
  is refused (the officer cannot rename a village of a commune that ended, so a refusal would be
  a dead end), nothing is merged by guess, and she renames them later with the deciding act.
- Only whole predecessors are taken over. A commune split between several new communes is left
  out, named with the reason: its villages lie in one or the other, which the map does not say;
  the officer adds those that lie in hers.

The people go with their villages. A role held in an old village on its last day (the head of
thôn Nước Đang, a village health worker) ends that day and the same role is granted in the new
village from its first day, unless the person already holds it there, each audited as the user
pages audit a role ended and granted (``accounts.role.ended``, ``accounts.role.granted``), in the
same transaction. No right grows: the person holds in the new village what she held in the old
one, and the officer who takes over need not manage users. Without this, the village head would
keep a role in a village that ended, where nothing can be recorded any more.

Safe to repeat: a village already taken over (it has a successor under the commune) is not taken
over again, and a second call creates nothing and says so. A role still left in a village taken
over before roles moved with it is moved by the next call.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from duan8.accounts.models import Membership, User
from duan8.accounts.permissions import ORGUNITS_MANAGE_VILLAGES
from duan8.core import audit
from duan8.core.problems import Invalid, Problem
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute, OrgUnitSuccession
from duan8.orgunits.predecessors import Predecessor, org_unit_predecessors
from duan8.orgunits.services import next_village_code, org_unit_save_with_path

ACTION = "orgunits.villages.taken_over"
# a role moved is audited with the codes of the user pages (orgunits/users/)
ROLE_ENDED = "accounts.role.ended"
ROLE_GRANTED = "accounts.role.granted"
COMMAND_LINE = "villages_take_over (command line)"


def _in_force(day: datetime.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


@dataclass(frozen=True)
class VillageMove:
    """One village to take over: ``old`` (under ``source``) becomes ``name`` under the commune
    from ``first_day``; ``old`` ends on ``last_day``."""

    old: OrgUnit
    source: OrgUnit
    name: str
    first_day: datetime.date
    last_day: datetime.date
    legal_act: str

    @property
    def renamed(self) -> bool:
        return self.name != self.old.name


@dataclass
class TakeOverPreview:
    """What ``villages_take_over`` would do for ``commune``."""

    commune: OrgUnit
    moves: list[VillageMove] = field(default_factory=list)
    done: list[OrgUnit] = field(default_factory=list)  # old villages already taken over
    # old village id → (the village it became, its first day, its name), for those of ``done``
    taken: dict[int, tuple[int, datetime.date | None, str]] = field(default_factory=dict)
    left_out: list[tuple[OrgUnit, str]] = field(default_factory=list)  # predecessor, why

    @property
    def sources(self) -> list[OrgUnit]:
        return list({move.source.pk: move.source for move in self.moves}.values())


@dataclass(frozen=True)
class RoleMove:
    """A role held in the village ``membership.org_unit`` on its ``last_day``, to be held in the
    village it became (``new_id``, or the one this take-over creates when None) from
    ``first_day``."""

    membership: Membership
    last_day: datetime.date
    first_day: datetime.date
    new_id: int | None
    new_name: str

    @property
    def line(self) -> str:
        return _("%(person)s (%(role)s): %(old)s → %(new)s") % {
            "person": self.membership.user.full_name or self.membership.user.username,
            "role": self.membership.role.name,
            "old": self.membership.org_unit.full_name,
            "new": self.new_name,
        }


@dataclass(frozen=True)
class TakeOverResult:
    commune: OrgUnit
    created: list[tuple[OrgUnit, OrgUnit]]  # old village, new village
    done: list[OrgUnit]
    left_out: list[tuple[OrgUnit, str]]
    roles: list[RoleMove] = field(default_factory=list)  # the roles moved to the new villages

    def lines(self) -> list[str]:
        """What was done, in words (for the page's message and the command)."""
        if self.created:
            lines = [
                _("%(count)s villages taken over by %(commune)s.")
                % {"count": len(self.created), "commune": self.commune.full_name}
            ]
            lines += [
                _("%(old)s of %(source)s → %(new)s")
                % {
                    "old": old.full_name,
                    "source": old.parent.full_name if old.parent else "",
                    "new": new.full_name,
                }
                for old, new in self.created
            ]
        elif self.done:
            lines = [
                _("Nothing to take over: %(commune)s already took over its %(count)s villages.")
                % {"commune": self.commune.full_name, "count": len(self.done)}
            ]
        else:
            lines = [
                _("Nothing to take over: the communes %(commune)s succeeded had no villages.")
                % {"commune": self.commune.full_name}
            ]
        if self.roles:
            lines.append(
                _("%(count)s roles held in the old villages go on in the new ones.")
                % {"count": len(self.roles)}
            )
            lines += [role.line for role in self.roles]
        lines += [_left_out_line(unit, why) for unit, why in self.left_out]
        return lines


def _left_out_line(unit: OrgUnit, why: str) -> str:
    return _("%(unit)s left out: %(why)s") % {"unit": unit.full_name, "why": why}


def _whole(
    commune: OrgUnit, predecessors: list[Predecessor]
) -> tuple[list[Predecessor], list[tuple[OrgUnit, str]], dict[int, str]]:
    """The predecessors that went whole into the commune (one query), those left out and why, and
    the legal act of each succession into the commune."""
    edges = OrgUnitSuccession.objects.filter(
        predecessor_id__in=[p.unit.pk for p in predecessors]
    ).values_list("predecessor_id", "successor_id", "legal_act")
    acts: dict[int, str] = {}
    split: set[int] = set()
    for predecessor_id, successor_id, act in edges:
        if successor_id == commune.pk:
            acts[predecessor_id] = act
        else:
            split.add(predecessor_id)
    whole = [p for p in predecessors if p.unit.pk not in split]
    left_out = [
        (
            p.unit,
            _(
                "it was split between several communes, so the map does not say which of its "
                "villages lie here; add those yourself."
            ),
        )
        for p in predecessors
        if p.unit.pk in split
    ]
    return whole, left_out, acts


def _names(
    commune: OrgUnit, candidates: list[tuple[OrgUnit, Predecessor]], first_day: datetime.date
) -> dict[int, str]:
    """The name each village gets under the commune: its own, or with its old commune's name
    after it when another village would have the same one (see the module's docstring)."""
    ids = [old.pk for old, _p in candidates]
    taken = {
        name.casefold()
        for name in commune.children.filter(_in_force(first_day), level=OrgUnit.Level.VILLAGE)
        .exclude(successions_in__predecessor_id__in=ids)
        .values_list("name", flat=True)
    }
    counts: dict[str, int] = {}
    for old, _p in candidates:
        counts[old.name.casefold()] = counts.get(old.name.casefold(), 0) + 1
    names: dict[int, str] = {}
    for old, predecessor in candidates:
        key = old.name.casefold()
        clash = counts[key] > 1 or key in taken
        names[old.pk] = f"{old.name} ({predecessor.unit.name})" if clash else old.name
    return names


def _clashes(moves: list[VillageMove]) -> list[Problem]:
    """Names that clash even with the old commune's name after them: refused, naming both."""
    seen: dict[str, VillageMove] = {}
    problems = []
    for move in moves:
        first = seen.setdefault(move.name.casefold(), move)
        if first is not move:
            problems.append(
                Problem(
                    "villages",
                    _(
                        "%(first)s of %(first_commune)s and %(second)s of %(second_commune)s "
                        "would both be named %(name)s; rename one of them first."
                    )
                    % {
                        "first": first.old.full_name,
                        "first_commune": first.source.full_name,
                        "second": move.old.full_name,
                        "second_commune": move.source.full_name,
                        "name": move.name,
                    },
                    "unique",
                )
            )
    return problems


def villages_take_over_preview(
    *, commune: OrgUnit, on: datetime.date | None = None
) -> TakeOverPreview:
    """What taking over would create (read only; six queries at most). ``on``: only the
    successions in effect by that day count (any day when None)."""
    preview = TakeOverPreview(commune=commune)
    if commune.level != OrgUnit.Level.COMMUNE:
        return preview
    predecessors = [
        p for p in org_unit_predecessors(commune, on=on) if p.unit.level == OrgUnit.Level.COMMUNE
    ]
    if not predecessors:
        return preview
    whole, preview.left_out, acts = _whole(commune, predecessors)
    condition = Q(pk__in=[])
    for predecessor in whole:
        condition |= Q(parent_id=predecessor.unit.pk) & _in_force(predecessor.last_day)
    by_id = {p.unit.pk: p for p in whole}
    villages = OrgUnit.objects.filter(condition, level=OrgUnit.Level.VILLAGE).select_related(
        "parent"
    )
    candidates = sorted(
        ((v, by_id[v.parent_id]) for v in villages if v.parent_id is not None),
        key=lambda pair: (pair[1].unit.name, pair[0].name, pair[0].pk),
    )
    done = {
        old_id: (new_id, first, f"{kind} {name}".strip())
        for old_id, new_id, first, kind, name in OrgUnitSuccession.objects.filter(
            predecessor_id__in=[old.pk for old, _p in candidates], successor__parent=commune
        ).values_list(
            "predecessor_id",
            "successor_id",
            "successor__valid_from",
            "successor__kind",
            "successor__name",
        )
    }
    first_day = commune.valid_from or min(p.effective_on for p in whole)
    names = _names(commune, candidates, first_day)
    for old, predecessor in candidates:
        if old.pk in done:
            preview.done.append(old)
            preview.taken[old.pk] = done[old.pk]
            continue
        preview.moves.append(
            VillageMove(
                old=old,
                source=predecessor.unit,
                name=names[old.pk],
                first_day=commune.valid_from or predecessor.effective_on,
                last_day=predecessor.last_day,
                legal_act=acts.get(predecessor.unit.pk, ""),
            )
        )
    return preview


def _carry_attributes(move: VillageMove, new: OrgUnit) -> None:
    """The old village's dated attributes in force on its last day go on in the new village from
    its first day (thôn ĐBKK by QĐ 612/QĐ-UBDT); on the old village they end with it."""
    in_force = move.old.attributes.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=move.last_day),
        valid_from__lte=move.last_day,
    )
    for attribute in in_force:
        if attribute.valid_to is None or attribute.valid_to >= move.first_day:
            carried = OrgUnitAttribute(
                org_unit=new,
                key=attribute.key,
                value=attribute.value,
                valid_from=move.first_day,
                valid_to=attribute.valid_to,
                decision=attribute.decision,
            )
            carried.full_clean()
            carried.save()
        if attribute.valid_to is None or attribute.valid_to > move.last_day:
            attribute.valid_to = move.last_day
            attribute.save(update_fields=["valid_to", "updated_at"])


def _move(commune: OrgUnit, move: VillageMove) -> OrgUnit:
    old = move.old
    if old.valid_to is None or old.valid_to > move.last_day:
        old.valid_to = move.last_day
        old.full_clean()
        old.save(update_fields=["valid_to", "updated_at"])
    new = org_unit_save_with_path(
        OrgUnit(
            code_scheme=OrgUnit.CodeScheme.LOCAL,
            code=next_village_code(commune),
            level=OrgUnit.Level.VILLAGE,
            kind=old.kind,
            name=move.name,
            parent=commune,
            valid_from=move.first_day,
            valid_to=commune.valid_to,
            legal_act=move.legal_act,
        )
    )
    OrgUnitSuccession.objects.create(
        predecessor=old,
        successor=new,
        kind=OrgUnitSuccession.Kind.UNCHANGED,
        effective_on=move.first_day,
        legal_act=move.legal_act,
        is_primary=True,
    )
    _carry_attributes(move, new)
    return new


def villages_take_over_roles(preview: TakeOverPreview) -> list[RoleMove]:
    """The roles that go on in the new villages (see the module's docstring): those held on its
    last day in each village to take over, or left in a village taken over before, and not ended
    by that day. One query."""
    days: dict[int, tuple[datetime.date, datetime.date, int | None, str]] = {
        move.old.pk: (move.last_day, move.first_day, None, f"{move.old.kind} {move.name}".strip())
        for move in preview.moves
    }
    for old in preview.done:
        into, first, name = preview.taken[old.pk]
        if old.valid_to is not None:
            days[old.pk] = (
                old.valid_to,
                first or old.valid_to + datetime.timedelta(1),
                into,
                name,
            )
    if not days:
        return []
    held = (
        Membership.objects.filter(org_unit_id__in=days)
        .select_related("user", "role", "org_unit")
        .order_by("org_unit__name", "user__full_name", "pk")
    )
    roles = []
    for membership in held:
        last_day, first_day, new_id, name = days[membership.org_unit_id]
        if membership.is_active_on(last_day) and membership.valid_to != last_day:
            roles.append(RoleMove(membership, last_day, first_day, new_id, name))
    return roles


def _roles_move(
    roles: list[RoleMove], new_ids: dict[int, int], *, actor: User | None, actor_name: str
) -> list[RoleMove]:
    """End each role on its village's last day and grant it in the new village, audited."""
    target = {r.membership.pk: r.new_id or new_ids[r.membership.org_unit_id] for r in roles}
    held = set(
        Membership.objects.filter(
            org_unit_id__in=set(target.values()), user_id__in={r.membership.user_id for r in roles}
        ).values_list("user_id", "role_id", "org_unit_id")
    )
    name = "" if actor is not None else actor_name
    for role in roles:
        old = role.membership
        before, until = audit.snapshot(old), old.valid_to
        old.valid_to = role.last_day
        old.save(update_fields=["valid_to", "updated_at"])
        message = _("Moved with %(village)s to %(new)s, which took it over.") % {
            "village": old.org_unit.full_name,
            "new": role.new_name,
        }
        audit.record(
            actor=actor, actor_name=name, action=ROLE_ENDED, target=old, org_unit=old.org_unit,
            before=before, after=audit.snapshot(old), message=message,
        )  # fmt: skip
        key = (old.user_id, old.role_id, target[old.pk])
        if key in held:
            continue
        held.add(key)
        new = Membership.objects.create(
            user_id=old.user_id,
            org_unit_id=target[old.pk],
            role_id=old.role_id,
            valid_from=role.first_day,
            valid_to=until,
        )
        audit.record(
            actor=actor, actor_name=name, action=ROLE_GRANTED, target=new,
            org_unit=new.org_unit, after=audit.snapshot(new), message=message,
        )  # fmt: skip
    return roles


@transaction.atomic
def villages_take_over(
    *,
    actor: User | None,
    commune: OrgUnit,
    on: datetime.date | None = None,
    actor_name: str = COMMAND_LINE,
) -> TakeOverResult:
    """Move the villages of the communes ``commune`` succeeded under it (see the module's
    docstring), in one transaction. ``actor`` needs ``orgunits.manage_villages`` on the commune;
    None only for the command line and the demo (audited under ``actor_name``)."""
    if actor is not None:
        require_permission(actor, ORGUNITS_MANAGE_VILLAGES, commune)
    if commune.level != OrgUnit.Level.COMMUNE:
        message = _("%(unit)s is not a commune.") % {"unit": commune.full_name}
        raise Invalid([Problem("unit", message, "invalid")])
    # two requests at once: the second waits here, then finds the villages taken over
    commune = OrgUnit.objects.select_for_update().get(pk=commune.pk)
    preview = villages_take_over_preview(commune=commune, on=on)
    if problems := _clashes(preview.moves):
        raise Invalid(problems)
    roles = villages_take_over_roles(preview)
    before = [audit.snapshot(move.old) for move in preview.moves]
    created = [(move.old, _move(commune, move)) for move in preview.moves]
    new_ids = {old.pk: new.pk for old, new in created}
    roles = _roles_move(roles, new_ids, actor=actor, actor_name=actor_name)
    if created:
        audit.record(
            actor=actor,
            actor_name="" if actor is not None else actor_name,
            action=ACTION,
            target=commune,
            org_unit=commune,
            before={"villages": before},
            after={
                "villages": [audit.snapshot(new) for _old, new in created],
                "ended": [audit.snapshot(old) for old, _new in created],
                "roles_moved": [role.membership.pk for role in roles],
            },
        )
    return TakeOverResult(commune, created, preview.done, preview.left_out, roles)
