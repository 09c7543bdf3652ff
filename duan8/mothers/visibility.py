"""Which of a mother's fields an actor may see in a unit (MOTHERS.md, domain.md 3.4 and 8).

Three groups, each from a permission held in the unit (or above it):

- ``identity`` (``mothers.view``): her name, village, ethnicity, status, entitlements; the ID
  number is shown masked but for its last four digits;
- ``health`` (``mothers.health``): the pregnancy, visits and delivery details;
- ``payment`` (``mothers.pay``): payment lists and payments, with her name and village but
  neither ethnicity nor health.

Reviewers above the commune and the Fatherland Front hold none of them: they see counts only.
Every page that shows a mother's record asks here first, and so do the other parts' pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_HEALTH, MOTHERS_PAY, MOTHERS_VIEW, PLANS_VIEW
from duan8.core.audit import NotVisible
from duan8.mothers.models import Pregnancy
from duan8.orgunits.access import active_memberships, can, require_permission
from duan8.orgunits.models import OrgUnit


@dataclass(frozen=True)
class Visible:
    identity: bool = False
    health: bool = False
    payment: bool = False

    @property
    def any(self) -> bool:
        """True when the actor may open a mother's record at all."""
        return self.identity or self.health or self.payment


def fields_visible(actor: User, unit: OrgUnit) -> Visible:
    """What ``actor`` may see of the mothers' records in ``unit`` (a commune or a village)."""
    return Visible(
        identity=can(actor, MOTHERS_VIEW, unit),
        health=can(actor, MOTHERS_HEALTH, unit),
        payment=can(actor, MOTHERS_PAY, unit),
    )


def area_of(commune: OrgUnit, village: OrgUnit | None) -> OrgUnit:
    """The unit whose rights govern a case: its village when the village is the commune's own,
    else the commune (a village inherited from a commune it succeeded, ``orgunits.inherited``,
    whose rights are the new commune's, not the old one's)."""
    if village is not None and village.parent_id == commune.pk:
        return village
    return commune


def id_masked(id_number: str) -> str:
    """The ID number with all but its last four digits hidden ("••••••••1234")."""
    if not id_number:
        return ""
    shown = id_number[-4:]
    return "•" * (len(id_number) - len(shown)) + shown


_READS = (MOTHERS_VIEW, MOTHERS_HEALTH, MOTHERS_PAY)


@dataclass(frozen=True)
class Scope:
    """The cases of a commune an actor may open: all (``villages`` None) or those of some of
    its villages (a village health worker), and what she may see of them."""

    commune: OrgUnit
    visible: Visible
    villages: tuple[int, ...] | None = None

    def cases(self) -> QuerySet[Pregnancy]:
        found = Pregnancy.objects.filter(commune=self.commune)
        if self.villages is not None:
            found = found.filter(village_id__in=self.villages)
        return found


def case_scope(actor: User, commune: OrgUnit) -> Scope:
    """The actor's scope in ``commune``; 404 when she may open none of its cases (another
    commune's officer, reviewers above the commune, the Fatherland Front)."""
    if commune.level != OrgUnit.Level.COMMUNE:
        raise Http404
    whole = fields_visible(actor, commune)
    if whole.any:
        return Scope(commune=commune, visible=whole)
    villages = sorted(
        {
            m.org_unit
            for m in active_memberships(actor)
            if m.org_unit.level == OrgUnit.Level.VILLAGE
            and m.org_unit.parent_id == commune.pk
            and any(code in m.role.permissions for code in _READS)
        },
        key=lambda unit: unit.pk,
    )
    if not villages:
        raise Http404
    return Scope(
        commune=commune,
        visible=fields_visible(actor, villages[0]),
        villages=tuple(village.pk for village in villages),
    )


def case_get(actor: User, pk: int) -> tuple[Pregnancy, Visible]:
    """One case and what the actor may see of it; 404 when she may see nothing of it."""
    case = get_object_or_404(
        Pregnancy.objects.select_related(
            "mother", "mother__ethnic_group", "village", "commune", "proposed_by", "verified_by"
        ),
        pk=pk,
    )
    visible = fields_visible(actor, area_of(case.commune, case.village))
    if not visible.any:
        raise Http404
    return case, visible


def require_in_commune(actor: User, permission: str, commune: OrgUnit) -> None:
    """The right ``permission`` in ``commune`` for an action page of the registry: 404 for a
    user who may not even read the commune (another commune's staff, the head of another
    village: its existence and name are not confirmed), 403 (naming it) for a reader of the
    commune without the right."""
    if not can(actor, PLANS_VIEW, commune):
        raise NotVisible(_("Administrative unit not found."))
    require_permission(actor, permission, commune)
