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

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_HEALTH, MOTHERS_PAY, MOTHERS_VIEW
from duan8.orgunits.access import can
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


def id_masked(id_number: str) -> str:
    """The ID number with all but its last four digits hidden ("••••••••1234")."""
    if not id_number:
        return ""
    shown = id_number[-4:]
    return "•" * (len(id_number) - len(shown)) + shown
