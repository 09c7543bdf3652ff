"""Who is eligible for the safe-motherhood packages and what is due, from the rules in force on the
date of the event (issue 13, point 2; domain.md 3.1–3.2).

The rules and items are data (``EligibilityRule``, ``BenefitItem``) with the period they apply
to and their legal source. ``RuleSet.load`` reads them once, with the provinces each rule lists,
the map's provinces and their successions and the villages' dated ĐBKK attributes, in a fixed
number of queries; ``entitlement_for`` then computes a case without touching the database (but
for the count of antenatal visits when the caller did not give it: see ``for_entitlement``).

The date of a case is its delivery date, or the expected date before the birth. On that date:

- the mother must be of an ethnic minority (``EthnicGroup.is_minority``);
- the village must be ĐBKK (an ``OrgUnitAttribute`` "dbkk_village" in force that day);
- the province of the case's village on that day must be one the rule lists: the province above
  it in the map or, when that province had ended (the 2025 map change), the province it became.

Each item then gives a quantity (persons × days capped by the rule, visits capped), an amount
and a Vietnamese explanation naming the rule and its legal source; an item not due says why.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, TypeVar

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from duan8.mothers.models import BenefitItem, EligibilityRule, Pregnancy
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute, OrgUnitSuccession

Kind = EligibilityRule.Kind
Basis = BenefitItem.Basis
# above this many villages, all ĐBKK attributes are read in one query instead of a long IN list
VILLAGES_IN_ONE_QUERY = 500


class Line(NamedTuple):
    """An item due: how many (persons, person-days, visits or 1), the amount and why."""

    item: BenefitItem
    quantity: int
    amount: Decimal
    explanation: str


class NotDue(NamedTuple):
    """An item not due (``item`` None: nothing is due at all), and why."""

    item: BenefitItem | None
    reason: str


class Check(NamedTuple):
    """One eligibility rule tested on the case: met or not, and why."""

    rule: EligibilityRule
    met: bool
    explanation: str


@dataclass
class Entitlement:
    on: datetime.date | None
    eligible: bool
    checks: list[Check] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    reasons_not_due: list[NotDue] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def reasons_not_eligible(self) -> list[str]:
        """Why the case is not eligible (the rules not met, or why none could be tested)."""
        failed = [check.explanation for check in self.checks if not check.met]
        if failed or self.eligible:
            return failed
        return [reason.reason for reason in self.reasons_not_due if reason.item is None]


@dataclass(frozen=True)
class InForce:
    day: datetime.date
    rules: list[EligibilityRule]
    items: list[BenefitItem]
    # items with no period covering the day: the row of each code nearest to it
    absent: list[BenefitItem]


Dated = TypeVar("Dated", EligibilityRule, BenefitItem)


def _latest_per_code(rows: Iterable[Dated], day: datetime.date) -> list[Dated]:
    """The rows in force on ``day``, one per code (the one of the latest period if two overlap)."""
    chosen: dict[str, Dated] = {}
    for row in rows:
        if row.valid_from <= day and (row.valid_to is None or day <= row.valid_to):
            held = chosen.get(row.code)
            if held is None or row.valid_from > held.valid_from:
                chosen[row.code] = row
    return list(chosen.values())


class RuleSet:
    """The rules, items, provinces and ĐBKK villages, read once for many cases."""

    def __init__(
        self,
        *,
        rules: list[EligibilityRule],
        items: list[BenefitItem],
        rule_provinces: dict[int, frozenset[int]],
        provinces: dict[int, OrgUnit],
        successors: dict[int, list[tuple[datetime.date, int]]],
        dbkk: dict[int, list[tuple[datetime.date, datetime.date | None]]],
    ) -> None:
        self.rules = rules
        self.items = sorted(items, key=lambda item: (item.order, item.valid_from, item.code))
        self.rule_provinces = rule_provinces
        self.provinces = provinces
        self.successors = successors
        self.dbkk = dbkk
        self._in_force: dict[datetime.date, InForce] = {}

    @classmethod
    def load(cls, *, villages: Iterable[int] | None = None) -> RuleSet:
        """Six queries: rules, their provinces, items, provinces, provinces' successions, the
        ĐBKK attributes of ``villages`` (ids; all villages when None or many)."""
        rules = list(EligibilityRule.objects.select_related("legal_source"))
        links = EligibilityRule.provinces.through.objects.values_list(
            "eligibilityrule_id", "orgunit_id"
        )
        by_rule: dict[int, set[int]] = {}
        for rule_id, unit_id in links:
            by_rule.setdefault(rule_id, set()).add(unit_id)
        items = list(BenefitItem.objects.select_related("legal_source"))
        provinces = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE).in_bulk()
        successors: dict[int, list[tuple[datetime.date, int]]] = {}
        for predecessor, successor, on in (
            OrgUnitSuccession.objects.filter(
                predecessor__level=OrgUnit.Level.PROVINCE, is_primary=True
            )
            .order_by("effective_on")
            .values_list("predecessor_id", "successor_id", "effective_on")
        ):
            successors.setdefault(predecessor, []).append((on, successor))
        return cls(
            rules=rules,
            items=items,
            rule_provinces={key: frozenset(value) for key, value in by_rule.items()},
            provinces=provinces,
            successors=successors,
            dbkk=_dbkk_periods(villages),
        )

    def in_force(self, day: datetime.date) -> InForce:
        """The rules and items that apply on ``day`` (one per code)."""
        found = self._in_force.get(day)
        if found is None:
            items = _latest_per_code(self.items, day)
            present = {item.code for item in items}
            absent: dict[str, BenefitItem] = {}
            for item in self.items:
                if item.code not in present:
                    held = absent.get(item.code)
                    if held is None or _distance(item, day) < _distance(held, day):
                        absent[item.code] = item
            found = InForce(day, _latest_per_code(self.rules, day), items, list(absent.values()))
            self._in_force[day] = found
        return found

    def is_dbkk(self, village_id: int, day: datetime.date) -> bool:
        return any(
            start <= day and (end is None or day <= end)
            for start, end in self.dbkk.get(village_id, ())
        )

    def province_on(self, unit: OrgUnit, day: datetime.date) -> OrgUnit | None:
        """The province above ``unit`` (by its path), or the one it had become by ``day``."""
        province = next(
            (
                self.provinces[int(part)]
                for part in unit.path.strip("/").split("/")
                if part and int(part) in self.provinces
            ),
            None,
        )
        for _step in range(3):  # a province is succeeded once in the known map; allow chains
            if province is None or province.is_valid_on(day):
                break
            later = [s for on, s in self.successors.get(province.pk, ()) if on <= day]
            if not later or later[-1] not in self.provinces:
                break
            province = self.provinces[later[-1]]
        return province


def _distance(row: BenefitItem, day: datetime.date) -> int:
    if day < row.valid_from:
        return (row.valid_from - day).days
    return (day - (row.valid_to or day)).days


def _dbkk_periods(
    villages: Iterable[int] | None,
) -> dict[int, list[tuple[datetime.date, datetime.date | None]]]:
    rows = OrgUnitAttribute.objects.filter(key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE)
    ids = None if villages is None else set(villages)
    if ids is not None and len(ids) <= VILLAGES_IN_ONE_QUERY:
        rows = rows.filter(org_unit_id__in=ids)
    periods: dict[int, list[tuple[datetime.date, datetime.date | None]]] = {}
    for unit_id, start, end in rows.values_list("org_unit_id", "valid_from", "valid_to"):
        periods.setdefault(unit_id, []).append((start, end))
    return periods


def for_entitlement(pregnancies: QuerySet[Pregnancy]) -> QuerySet[Pregnancy]:
    """The cases with what ``entitlement_for`` reads: mother and ethnicity, village, commune, the
    number of antenatal visits (``antenatal_visit_count``)."""
    return pregnancies.select_related("mother__ethnic_group", "village", "commune").annotate(
        antenatal_visit_count=Count("antenatal_visits")
    )


def money(amount: Decimal | int) -> str:
    """ "2.200.000": an amount as Vietnamese documents write it."""
    return f"{int(amount):,}".replace(",", ".")


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def source_of(row: EligibilityRule | BenefitItem) -> str:
    """Its legal source as cited: "Thông tư số 15/2022/TT-BTC, Điều 38" (+ not verified)."""
    parts = [str(row.legal_source) if row.legal_source else _("no legal source recorded")]
    if row.legal_article:
        parts.append(row.legal_article)
    text = ", ".join(parts)
    if not row.verified:
        text = _("%(source)s — not verified against the text") % {"source": text}
    return text


def period_of(row: EligibilityRule | BenefitItem) -> str:
    """ "from 04/03/2022" or "04/03/2022 – 31/12/2024"."""
    if row.valid_to is None:
        return _("from %(start)s") % {"start": _day(row.valid_from)}
    return f"{_day(row.valid_from)} – {_day(row.valid_to)}"


# --- eligibility -------------------------------------------------------------------------------


def _check(rule: EligibilityRule, pregnancy: Pregnancy, day: datetime.date, rs: RuleSet) -> Check:
    source = source_of(rule)
    if rule.kind == Kind.ETHNIC_MINORITY:
        group = pregnancy.mother.ethnic_group
        met = bool(group.is_minority)
        text = (
            _("The mother is %(group)s, an ethnic minority (%(rule)s; %(source)s).")
            if met
            else _(
                "Not eligible: the mother is %(group)s, not an ethnic minority"
                " (%(rule)s; %(source)s)."
            )
        )
        return Check(rule, met, text % {"group": group.name, "rule": rule.name, "source": source})
    if rule.kind == Kind.VILLAGE_DBKK:
        village = pregnancy.village
        met = rs.is_dbkk(village.pk, day)
        text = (
            _("%(village)s was an especially difficult village on %(date)s (%(rule)s; %(source)s).")
            if met
            else _(
                "Not eligible: %(village)s was not an especially difficult village on %(date)s"
                " (%(rule)s; %(source)s)."
            )
        )
        values = {"village": village.full_name, "date": _day(day), "rule": rule.name}
        return Check(rule, met, text % {**values, "source": source})
    return _province_check(rule, pregnancy, day, rs, source)


def _province_check(
    rule: EligibilityRule, pregnancy: Pregnancy, day: datetime.date, rs: RuleSet, source: str
) -> Check:
    province = rs.province_on(pregnancy.village or pregnancy.commune, day)
    listed = rs.rule_provinces.get(rule.pk, frozenset())
    values = {"rule": rule.name, "source": source, "date": _day(day)}
    if province is None:
        text = _(
            "Not eligible: the case's province on %(date)s is not known (%(rule)s; %(source)s)."
        )
        return Check(rule, False, text % values)
    values["province"] = province.full_name
    if not listed:
        text = _("Not eligible: the rule lists no province yet (%(rule)s; %(source)s).")
        return Check(rule, False, text % values)
    met = province.pk in listed
    text = (
        _("%(province)s is a province where the packages apply on %(date)s (%(rule)s; %(source)s).")
        if met
        else _(
            "Not eligible: %(province)s is not among the provinces of the rule on %(date)s"
            " (%(rule)s; %(source)s)."
        )
    )
    return Check(rule, met, text % values)


# --- items ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    place: str
    mode: str
    days: int | None
    carer: bool
    visits: int


def _facts(pregnancy: Pregnancy) -> _Facts:
    visits = getattr(pregnancy, "antenatal_visit_count", None)
    if visits is None:
        visits = pregnancy.antenatal_visits.count()
    return _Facts(
        place=pregnancy.place or "",
        mode=pregnancy.mode or "",
        days=pregnancy.days_at_facility,
        carer=bool(pregnancy.has_carer),
        visits=int(visits),
    )


def _persons(item: BenefitItem, facts: _Facts) -> tuple[int, str]:
    if not item.with_carer:
        return 1, _("the mother")
    if facts.carer:
        return 2, _("the mother and one family carer")
    return 1, _("the mother only: no family carer recorded")


def _line(item: BenefitItem, quantity: int, detail: str) -> Line:
    amount = item.amount * quantity
    text = _("%(item)s: %(quantity)s × %(unit)s = %(amount)s VND (%(detail)s; %(source)s).") % {
        "item": item.name,
        "quantity": quantity,
        "unit": money(item.amount),
        "amount": money(amount),
        "detail": detail,
        "source": source_of(item),
    }
    return Line(item, quantity, amount, text)


def _not_due(item: BenefitItem, reason: str) -> NotDue:
    return NotDue(
        item,
        _("%(item)s: not due — %(reason)s (%(source)s).")
        % {"item": item.name, "reason": reason, "source": source_of(item)},
    )


def _per_days(item: BenefitItem, facts: _Facts) -> Line | NotDue:
    if not facts.days:
        return _not_due(item, _("the days at the facility are not recorded"))
    caesarean = facts.mode == Pregnancy.Mode.CAESAREAN
    cap = item.max_days_caesarean if caesarean else item.max_days_normal
    persons, who = _persons(item, facts)
    days = facts.days if cap is None else min(facts.days, cap)
    detail = _("%(persons)s person(s) (%(who)s) × %(days)s day(s)") % {
        "persons": persons,
        "who": who,
        "days": days,
    }
    if days < facts.days:
        kind = _("caesarean") if caesarean else _("normal delivery")
        detail += "; " + _("%(given)s days at the facility, capped at %(cap)s (%(kind)s)") % {
            "given": facts.days,
            "cap": cap,
            "kind": kind,
        }
    return _line(item, persons * days, detail)


def _per_visit(item: BenefitItem, facts: _Facts) -> Line | NotDue:
    if not facts.visits:
        return _not_due(item, _("no antenatal visit is recorded"))
    visits = facts.visits if item.max_visits is None else min(facts.visits, item.max_visits)
    detail = _("%(visits)s antenatal visit(s)") % {"visits": visits}
    if visits < facts.visits:
        detail += "; " + _("%(given)s visits recorded, capped at %(cap)s") % {
            "given": facts.visits,
            "cap": item.max_visits,
        }
    return _line(item, visits, detail)


def _item(item: BenefitItem, facts: _Facts) -> Line | NotDue:
    if item.needs_facility_delivery and facts.place != Pregnancy.Place.FACILITY:
        if facts.place == Pregnancy.Place.HOME:
            return _not_due(
                item, _("only for a delivery at a health facility; she gave birth at home")
            )
        return _not_due(
            item, _("only for a delivery at a health facility; the place is not recorded")
        )
    if item.basis == Basis.PER_PERSON_DAY:
        return _per_days(item, facts)
    if item.basis == Basis.PER_VISIT:
        return _per_visit(item, facts)
    if item.basis == Basis.PER_PERSON:
        persons, who = _persons(item, facts)
        return _line(
            item, persons, _("%(persons)s person(s): %(who)s") % {"persons": persons, "who": who}
        )
    if item.basis == Basis.PER_KIT:
        return _line(item, 1, _("one kit"))
    return _line(item, 1, _("once"))


# --- the case ------------------------------------------------------------------------------------


def event_date(pregnancy: Pregnancy) -> datetime.date | None:
    """The date the case is judged on: the delivery, or the expected date before it."""
    return pregnancy.delivered_on or pregnancy.expected_on


def entitlement_for(pregnancy: Pregnancy, *, rules: RuleSet | None = None) -> Entitlement:
    """Eligibility and the items due for one case, on its date, each explained."""
    day = event_date(pregnancy)
    if day is None:
        reason = _("Neither the delivery date nor the expected date is recorded.")
        return Entitlement(None, False, reasons_not_due=[NotDue(None, reason)])
    rs = rules if rules is not None else RuleSet.load(villages=[pregnancy.village_id])
    now = rs.in_force(day)
    if not now.rules:
        reason = _("No eligibility rule is in force on %(date)s.") % {"date": _day(day)}
        return Entitlement(day, False, reasons_not_due=[NotDue(None, reason)])
    checks = [_check(rule, pregnancy, day, rs) for rule in now.rules]
    result = Entitlement(day, all(check.met for check in checks), checks)
    if not result.eligible:
        return result
    if not now.items:
        reason = _("No package item is in force on %(date)s.") % {"date": _day(day)}
        result.reasons_not_due.append(NotDue(None, reason))
        return result
    facts = _facts(pregnancy)
    for item in now.absent:
        reason = _("no period of this item covers %(date)s (%(period)s)") % {
            "date": _day(day),
            "period": period_of(item),
        }
        result.reasons_not_due.append(_not_due(item, reason))
    for item in now.items:
        outcome = _item(item, facts)
        if isinstance(outcome, Line):
            result.lines.append(outcome)
        else:
            result.reasons_not_due.append(outcome)
    return result
