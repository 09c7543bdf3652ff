"""Eligibility and entitlement of many saved cases at once (a national run, issue 13): the cases
are read as plain facts, not model objects, and computed by the engine's core
(``entitlement.judge``, the one ``entitlement_for`` calls).

One query reads only the columns the rules and items read (the dates, the mother's ethnic
group, the village, the health fields still encrypted, the carer, the number of antenatal
visits); the ethnic groups and the villages are read once, not per case. A field is decrypted
only when it is read: the expected date when there is no delivery date, the place, kind of
delivery and days at the facility only for an eligible case.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from functools import partial
from typing import Any, NamedTuple

from django.db.models import ExpressionWrapper, F, QuerySet, TextField

from duan8.activities.models import EthnicGroup
from duan8.mothers import crypto
from duan8.mothers.entitlement import Entitlement, Facts, RuleSet, judge, no_date, visit_count
from duan8.mothers.models import Pregnancy
from duan8.orgunits.models import OrgUnit


class SavedCase(NamedTuple):
    """A saved case's facts for the eligibility rules (``entitlement.Case``)."""

    minority: bool
    group: str
    village_id: int
    village: str
    path: str


def _stored(name: str) -> ExpressionWrapper:
    """The column as stored (the Fernet token of an encrypted field, not decrypted)."""
    return ExpressionWrapper(F(name), output_field=TextField())


def _clear(stored: str | None) -> str:
    return crypto.decrypt(stored) if stored else ""


def _facts(place: str | None, mode: str | None, days: str | None, carer: Any, visits: Any) -> Facts:
    clear = _clear(days)
    return Facts(
        place=_clear(place),
        mode=_clear(mode),
        days=int(clear) if clear else None,
        carer=bool(carer),
        visits=int(visits or 0),
    )


def entitlements(
    pregnancies: QuerySet[Pregnancy], *, rules: RuleSet | None = None
) -> Iterator[tuple[int, Entitlement]]:
    """(id, entitlement) of each case of ``pregnancies``, as ``entitlement_for`` computes it.
    Three queries besides ``RuleSet.load`` (when ``rules`` is not given): the cases, their
    villages, the ethnic groups."""
    rows = list(
        pregnancies.values_list(
            "pk",
            "delivered_on",
            _stored("expected_on"),
            "mother__ethnic_group_id",
            "village_id",
            _stored("place"),
            _stored("mode"),
            _stored("days_at_facility"),
            "has_carer",
            visit_count(),
        )
    )
    village_ids = {row[4] for row in rows}
    units = OrgUnit.objects.filter(pk__in=pregnancies.values("village_id")).values_list(
        "pk", "kind", "name", "path"
    )
    villages = {pk: (f"{kind} {name}".strip(), path) for pk, kind, name, path in units}
    groups = {g.pk: (bool(g.is_minority), g.name) for g in EthnicGroup.objects.all()}
    rs = rules if rules is not None else RuleSet.load(villages=village_ids)
    for pk, delivered, expected, group, village, place, mode, days, carer, visits in rows:
        day: datetime.date | None = delivered
        if day is None and expected:
            day = datetime.date.fromisoformat(crypto.decrypt(expected))
        if day is None:
            yield pk, no_date()
            continue
        name, path = villages[village]
        case = SavedCase(*groups[group], village, name, path)
        yield pk, judge(day, case, partial(_facts, place, mode, days, carer, visits), rs)
