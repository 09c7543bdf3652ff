"""The checks of a proposed or corrected case (issue 13, point 1, and its bad-input rules).

``case_problems`` returns every problem of one ``CaseInput``, each keyed by the input's field
(``visits.1.visited_on`` for an item of a list, numbered from 1), its message naming what is
wrong in words a health worker reads on a phone. The checks that need no database are data,
``mothers.entry_rules.CASE_RULES``, which the offline entry page runs too (issue 17); this module
keeps those that read the database. It reads nothing row by row: the ethnic codes, the villages
of a commune on a date and the day rules in force come from ``CaseContext``, loaded once for a
whole batch.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from duan8.activities.models import EthnicGroup
from duan8.core.problems import Problem
from duan8.core.rules_engine import check
from duan8.mothers.entry_rules import CASE_RULES, MOST_BABIES, case_refs, case_values
from duan8.mothers.models import BenefitItem, Pregnancy
from duan8.mothers.names import id_form_ok, normalise_id
from duan8.mothers.services.inputs import CaseInput
from duan8.orgunits.inherited import villages_on
from duan8.orgunits.models import OrgUnit

ETHNIC_CODES = "qd121_tctk_1979"
DAYS_WITHOUT_RULE = 60
__all__ = ["ETHNIC_CODES", "MOST_BABIES", "CaseContext", "case_problems"]


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class CaseContext:
    """What the checks read from the database, once for many cases."""

    ethnic: dict[str, EthnicGroup] = field(default_factory=dict)
    _villages: dict[tuple[int, datetime.date], list[OrgUnit]] = field(default_factory=dict)
    _day_items: list[BenefitItem] | None = None

    @classmethod
    def load(cls) -> CaseContext:
        groups = EthnicGroup.objects.filter(code_system=ETHNIC_CODES)
        return cls(ethnic={group.code: group for group in groups})

    def villages(self, commune: OrgUnit, on: datetime.date) -> list[OrgUnit]:
        key = (commune.pk, on)
        if key not in self._villages:
            self._villages[key] = villages_on(commune=commune, on=on)
        return self._villages[key]

    def most_days(self, on: datetime.date, mode: str) -> tuple[int, BenefitItem | None]:
        """The most days at the facility the rule in force on ``on`` pays for ``mode``, and
        that rule; ``DAYS_WITHOUT_RULE`` when no rule in force says."""
        if self._day_items is None:
            self._day_items = list(
                BenefitItem.objects.filter(basis=BenefitItem.Basis.PER_PERSON_DAY).filter(
                    Q(max_days_normal__isnull=False) | Q(max_days_caesarean__isnull=False)
                )
            )
        for item in self._day_items:
            if item.valid_from <= on and (item.valid_to is None or on <= item.valid_to):
                most = (
                    item.max_days_caesarean
                    if mode == Pregnancy.Mode.CAESAREAN
                    else item.max_days_normal
                )
                if most is not None:
                    return most, item
        return DAYS_WITHOUT_RULE, None


def case_problems(data: CaseInput, context: CaseContext) -> list[Problem]:
    """Every problem of ``data``; empty when it can be saved. The checks that need no database
    are data (``entry_rules.CASE_RULES``, the offline page reads the same); here are those that
    read it: the commune and village on the event's date, the days the rule in force pays."""
    found = check(CASE_RULES, case_values(data), refs=case_refs(context))
    failed = {problem.field for problem in found}
    found += _place_problems(data, context)
    if "id_number" not in failed:
        found += _id_problems(data)
    if "days_at_facility" not in failed:
        found += _days_problems(data, context)
    return sorted(found, key=_rank)


# The order problems are shown in: the mother, where she lives, the dates, the delivery, the
# children (a stable sort keeps the rules' order within each).
_ORDER = {
    name: rank
    for rank, names in enumerate(
        [
            ("full_name", "ethnic_code", "id_number", "household", "birth_year", "birth_date"),
            ("commune", "village"),
            ("delivered_on", "visits"),
            ("place", "mode", "babies", "carer_name", "days_at_facility"),
            ("children",),
        ]
    )
    for name in names
}


def _rank(problem: Problem) -> int:
    return _ORDER.get(problem.field.split(".")[0], len(_ORDER))


def _id_problems(data: CaseInput) -> list[Problem]:
    """Digits of another script (Arabic-Indic, …) that the rules' ``digits`` does not count:
    the number is not stored with them."""
    digits = normalise_id(data.id_number)
    if not (data.id_number or "").strip() or id_form_ok(digits):
        return []
    message = _(
        "ID number “%(value)s” has %(count)s digits: a personal ID (CCCD) has 12 digits, "
        "an old identity card (CMND) 9."
    ) % {"value": data.id_number.strip(), "count": len(digits)}
    return [Problem("id_number", message, "id_form")]


def _place_problems(data: CaseInput, context: CaseContext) -> list[Problem]:
    """The commune as it was on the event's date, and a village of it that day."""
    commune, day = data.commune, data.event_on
    if commune is None or commune.level != OrgUnit.Level.COMMUNE:
        return [Problem("commune", _("Choose the commune."), "required")]
    if day is None:
        return []  # the dates' rules ask for one
    if not commune.is_valid_on(day):
        message = _(
            "%(unit)s did not exist on %(date)s; record the case in the commune of that day."
        ) % {"unit": commune.full_name, "date": _day(day)}
        return [Problem("commune", message, "not_in_force")]
    if data.village is None:
        return [Problem("village", _("Choose the mother's village."), "required")]
    if data.village.pk not in {village.pk for village in context.villages(commune, day)}:
        message = _("%(village)s is not a village of %(unit)s on %(date)s.") % {
            "village": data.village.full_name,
            "unit": commune.full_name,
            "date": _day(day),
        }
        return [Problem("village", message, "not_in_commune")]
    return []


def _days_problems(data: CaseInput, context: CaseContext) -> list[Problem]:
    """No more days at the facility than the rule in force on the delivery pays (the rules
    have refused a negative number and days at home)."""
    days = data.days_at_facility
    if days is None or data.delivered_on is None:
        return []
    most, item = context.most_days(data.delivered_on, data.mode)
    if days <= most:
        return []
    if item is None:
        message = _("%(days)s days at the facility: at most %(most)s.") % {
            "days": days,
            "most": most,
        }
    else:
        message = _(
            "%(days)s days at the facility: the rule in force on %(date)s (%(rule)s) pays at "
            "most %(most)s days for this kind of delivery."
        ) % {"days": days, "date": _day(data.delivered_on), "rule": item.name, "most": most}
    return [Problem("days_at_facility", message, "beyond_rule")]
