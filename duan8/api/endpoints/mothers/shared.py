"""The mothers' endpoints' shared parts: their tag, what a caller may see of the cases, the
subtree of the units where a right is held."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_VIEW
from duan8.mothers.models import Pregnancy
from duan8.mothers.visibility import Visible, area_of, fields_visible
from duan8.orgunits.access import held_paths

TAG = "Làm mẹ an toàn · Safe motherhood"
LISTED = "mothers.cases.viewed"  # the pages' action (mothers/actions/registry.py)


def _parts(visible: Visible) -> list[str]:
    return [name for name in ("identity", "health", "payment") if getattr(visible, name)]


def _reads_cases(visible: Visible) -> bool:
    """The API's cases are for the registry's readers (``mothers.view``, and the health fields'
    holders): the accountant reads payments only."""
    return visible.identity or visible.health


def _under(field: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for unit_path in paths:
        condition |= Q(**{f"{field}__path__startswith": unit_path})
    return condition


def cases_visible_to(user: User) -> QuerySet[Pregnancy]:
    """The cases whose area (``area_of``: the village when it is the commune's own, else the
    commune) lies where the user holds ``mothers.view``."""
    found = Pregnancy.objects.all()
    if user.is_authenticated and user.is_active and user.is_superuser:
        return found
    paths = held_paths(user, MOTHERS_VIEW)
    if not paths:
        return found.none()
    own_village = Q(village__parent_id=F("commune_id"))
    return found.filter(_under("commune", paths) | (own_village & _under("village", paths)))


class _Seen:
    """What the user may see of each case, computed once per area (rights are in memory)."""

    def __init__(self, user: User) -> None:
        self.user = user
        self._by_area: dict[int, Visible] = {}

    def __call__(self, case: Pregnancy) -> Visible:
        area = area_of(case.commune, case.village)
        if area.pk not in self._by_area:
            self._by_area[area.pk] = fields_visible(self.user, area)
        return self._by_area[area.pk]
