"""The villages a commune has on a date, with those it inherited (issue 12, point 5).

Xã Đặng Thùy Trâm (from 1/7/2025) was formed from xã Ba Trang and xã Ba Khâm; their villages
(thôn Bùi Hui, …) stay where they are in the map, under the commune that ended, and the
succession records (``OrgUnitSuccession``) say where they went. So a commune's villages on a
date are its own villages in force that day, plus the villages of the units it succeeded
(``predecessors.org_unit_predecessors``: the units whose main successor it is) that were still
there when those units ended, or on the date if it comes first. A village that ended before its
commune did (merged into another one, say) is not inherited. Nothing is invented: a commune
without succession records has its own villages only.

Once the commune has taken its villages over (``villages_move.villages_take_over``: a new village
under the commune for each, the old one's successor), the old villages are no longer inherited:
their successors are the commune's own. So a commune that took over all of them has its own
villages only; the inherited fallback stays for those that have not (yet).
"""

import datetime

from django.db.models import Exists, OuterRef, Q

from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
from duan8.orgunits.predecessors import org_unit_predecessors


def _in_force(day: datetime.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def villages_on(*, commune: OrgUnit, on: datetime.date) -> list[OrgUnit]:
    """The villages of ``commune`` on ``on``, its own and inherited, ordered by name; none when
    the commune does not exist that day. Three queries at most, however many predecessors."""
    if not commune.is_valid_on(on):
        return []
    condition = Q(parent=commune) & _in_force(on)
    # a predecessor's village that went on as another (taken over, see the module) by ``on``
    moved = Exists(
        OrgUnitSuccession.objects.filter(predecessor_id=OuterRef("pk"), effective_on__lte=on)
    )
    for predecessor in org_unit_predecessors(commune, on=on):
        if predecessor.last_day >= on:
            continue  # still in existence on ``on``: its villages are its own
        inherited = Q(parent_id=predecessor.unit.pk) & _in_force(predecessor.last_day)
        condition |= inherited & Q(~moved)
    found = OrgUnit.objects.filter(condition, level=OrgUnit.Level.VILLAGE)
    return sorted(found, key=lambda village: (village.name, village.pk))
