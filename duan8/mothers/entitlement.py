"""Who is eligible for the safe-motherhood packages and what is due, from the rules in force on the
date of the event (issue 13, point 2; domain.md 3.1–3.2).

The rules and items are data (``EligibilityRule``, ``BenefitItem``) with the period they apply
to and their legal source. ``RuleSet.load`` reads them once, with the provinces each rule lists,
the map's provinces and their successions and the villages' dated ĐBKK attributes, in a fixed
number of queries; ``entitlement_for`` then computes a case without touching the database (but
for the count of antenatal visits when the caller did not give it: see ``for_entitlement``).
``entitlement_batch.entitlements`` reads many saved cases as plain facts, not model objects, and
computes each with the same core (``judge``) as ``entitlement_for``.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, Protocol, TypeVar

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from duan8.mothers.entitlement_texts import Texts, money, period_of, source_of, texts
from duan8.mothers.entitlement_texts import day_text as _day
from duan8.mothers.models import AntenatalVisit, BenefitItem, EligibilityRule, Pregnancy
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
        # each row's legal source as cited, by language, then by (model, id)
        self.sources: dict[str, dict[tuple[str, int], str]] = {}

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
        return self.province_of_path(unit.path, day)

    def province_of_path(self, path: str, day: datetime.date) -> OrgUnit | None:
        """The province above the unit of ``path``, or the one it had become by ``day``."""
        province = next(
            (
                self.provinces[int(part)]
                for part in path.strip("/").split("/")
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
    """The cases with what ``entitlement_for`` reads: mother and ethnicity, village, the number
    of antenatal visits (``antenatal_visit_count``, a subquery: a GROUP BY over every column read
    is slower on PostgreSQL). The commune is not joined, and the encrypted fields the engine does
    not read (the ID number, the facility, the number of babies) are not loaded."""
    return (
        pregnancies.select_related("mother__ethnic_group", "village")
        .defer("facility", "babies", "mother__id_number")
        .annotate(antenatal_visit_count=visit_count())
    )


def visit_count() -> Coalesce:
    """The number of the case's antenatal visits, as a subquery."""
    visits = (
        AntenatalVisit.objects.filter(pregnancy=OuterRef("pk"))
        .order_by()
        .values("pregnancy")
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(visits, output_field=IntegerField()), 0)


@dataclass
class _Run:
    """What one computation reads besides the case: the rules, the messages, the sources."""

    rs: RuleSet
    t: Texts
    sources: dict[tuple[str, int], str]

    def source(self, row: EligibilityRule | BenefitItem) -> str:
        key = (type(row).__name__, row.pk)
        found = self.sources.get(key)
        if found is None:
            found = self.sources[key] = source_of(row)
        return found


# --- eligibility -------------------------------------------------------------------------------


class Case(Protocol):
    """What the eligibility rules read of a case (a saved case's plain facts, or a ``Pregnancy``
    read lazily through ``_Pregnant``)."""

    @property
    def minority(self) -> bool: ...
    @property
    def group(self) -> str: ...
    @property
    def village_id(self) -> int: ...
    @property
    def village(self) -> str: ...
    @property
    def path(self) -> str: ...


class _Pregnant:
    """A ``Pregnancy`` seen as a ``Case`` (reads its mother and village only when a rule does)."""

    def __init__(self, pregnancy: Pregnancy) -> None:
        self.pregnancy = pregnancy

    @property
    def minority(self) -> bool:
        return bool(self.pregnancy.mother.ethnic_group.is_minority)

    @property
    def group(self) -> str:
        return self.pregnancy.mother.ethnic_group.name

    @property
    def village_id(self) -> int:
        return self.pregnancy.village.pk

    @property
    def village(self) -> str:
        return self.pregnancy.village.full_name

    @property
    def path(self) -> str:
        return (self.pregnancy.village or self.pregnancy.commune).path


def _check(rule: EligibilityRule, case: Case, day: datetime.date, run: _Run) -> Check:
    t, values = run.t, {"rule": rule.name, "source": run.source(rule), "date": _day(day)}
    if rule.kind == Kind.ETHNIC_MINORITY:
        met = case.minority
        text = t.minority_met if met else t.minority_not
        return Check(rule, met, text % {**values, "group": case.group})
    if rule.kind == Kind.VILLAGE_DBKK:
        met = run.rs.is_dbkk(case.village_id, day)
        text = t.dbkk_met if met else t.dbkk_not
        return Check(rule, met, text % {**values, "village": case.village})
    province = run.rs.province_of_path(case.path, day)
    if province is None:
        return Check(rule, False, t.province_unknown % values)
    listed = run.rs.rule_provinces.get(rule.pk, frozenset())
    if not listed:
        return Check(rule, False, t.province_none % values)
    met = province.pk in listed
    text = t.province_met if met else t.province_not
    return Check(rule, met, text % {**values, "province": province.full_name})


# --- items ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the items read of an eligible case."""

    place: str
    mode: str
    days: int | None
    carer: bool
    visits: int


def _facts(pregnancy: Pregnancy) -> Facts:
    visits = getattr(pregnancy, "antenatal_visit_count", None)
    if visits is None:
        visits = pregnancy.antenatal_visits.count()
    return Facts(
        place=pregnancy.place or "",
        mode=pregnancy.mode or "",
        days=pregnancy.days_at_facility,
        carer=bool(pregnancy.has_carer),
        visits=int(visits),
    )


def _persons(item: BenefitItem, facts: Facts, t: Texts) -> tuple[int, str]:
    if not item.with_carer:
        return 1, t.mother
    if facts.carer:
        return 2, t.with_carer
    return 1, t.no_carer


def _line(item: BenefitItem, quantity: int, detail: str, run: _Run) -> Line:
    amount = item.amount * quantity
    text = run.t.line % {
        "item": item.name,
        "quantity": quantity,
        "unit": money(item.amount),
        "amount": money(amount),
        "detail": detail,
        "source": run.source(item),
    }
    return Line(item, quantity, amount, text)


def _not_due(item: BenefitItem, reason: str, run: _Run) -> NotDue:
    values = {"item": item.name, "reason": reason, "source": run.source(item)}
    return NotDue(item, run.t.not_due % values)


def _per_days(item: BenefitItem, facts: Facts, run: _Run) -> Line | NotDue:
    t = run.t
    if not facts.days:
        return _not_due(item, t.no_days, run)
    caesarean = facts.mode == Pregnancy.Mode.CAESAREAN
    cap = item.max_days_caesarean if caesarean else item.max_days_normal
    persons, who = _persons(item, facts, t)
    days = facts.days if cap is None else min(facts.days, cap)
    detail = t.person_days % {"persons": persons, "who": who, "days": days}
    if days < facts.days:
        kind = t.caesarean if caesarean else t.normal
        detail += "; " + t.days_capped % {"given": facts.days, "cap": cap, "kind": kind}
    return _line(item, persons * days, detail, run)


def _per_visit(item: BenefitItem, facts: Facts, run: _Run) -> Line | NotDue:
    t = run.t
    if not facts.visits:
        return _not_due(item, t.no_visit, run)
    visits = facts.visits if item.max_visits is None else min(facts.visits, item.max_visits)
    detail = t.visits % {"visits": visits}
    if visits < facts.visits:
        detail += "; " + t.visits_capped % {"given": facts.visits, "cap": item.max_visits}
    return _line(item, visits, detail, run)


def _item(item: BenefitItem, facts: Facts, run: _Run) -> Line | NotDue:
    t = run.t
    if item.needs_facility_delivery and facts.place != Pregnancy.Place.FACILITY:
        home = facts.place == Pregnancy.Place.HOME
        return _not_due(item, t.home if home else t.place_unknown, run)
    if item.basis == Basis.PER_PERSON_DAY:
        return _per_days(item, facts, run)
    if item.basis == Basis.PER_VISIT:
        return _per_visit(item, facts, run)
    if item.basis == Basis.PER_PERSON:
        persons, who = _persons(item, facts, t)
        return _line(item, persons, t.persons % {"persons": persons, "who": who}, run)
    return _line(item, 1, t.one_kit if item.basis == Basis.PER_KIT else t.once, run)


# --- the case ------------------------------------------------------------------------------------


def event_date(pregnancy: Pregnancy) -> datetime.date | None:
    """The date the case is judged on: the delivery, or the expected date before it."""
    return pregnancy.delivered_on or pregnancy.expected_on


def no_date() -> Entitlement:
    return Entitlement(None, False, reasons_not_due=[NotDue(None, texts().no_date)])


def entitlement_for(pregnancy: Pregnancy, *, rules: RuleSet | None = None) -> Entitlement:
    """Eligibility and the items due for one case, on its date, each explained."""
    day = event_date(pregnancy)
    if day is None:
        return no_date()
    rs = rules if rules is not None else RuleSet.load(villages=[pregnancy.village_id])
    return judge(day, _Pregnant(pregnancy), lambda: _facts(pregnancy), rs)


def judge(
    day: datetime.date, case: Case, facts_of: Callable[[], Facts], rs: RuleSet
) -> Entitlement:
    """The core of every path: eligibility on ``day`` and, when eligible, the items due given
    ``facts_of()`` (called only then: a batch decrypts the health fields only for those)."""
    language = get_language() or ""
    t = texts(language)
    run = _Run(rs, t, rs.sources.setdefault(language, {}))
    now = rs.in_force(day)
    if not now.rules:
        reason = t.no_rule % {"date": _day(day)}
        return Entitlement(day, False, reasons_not_due=[NotDue(None, reason)])
    checks = [_check(rule, case, day, run) for rule in now.rules]
    result = Entitlement(day, all(check.met for check in checks), checks)
    if not result.eligible:
        return result
    if not now.items:
        reason = t.no_item % {"date": _day(day)}
        result.reasons_not_due.append(NotDue(None, reason))
        return result
    facts = facts_of()
    for item in now.absent:
        reason = t.absent % {"date": _day(day), "period": period_of(item)}
        result.reasons_not_due.append(_not_due(item, reason, run))
    for item in now.items:
        outcome = _item(item, facts, run)
        if isinstance(outcome, Line):
            result.lines.append(outcome)
        else:
            result.reasons_not_due.append(outcome)
    return result
