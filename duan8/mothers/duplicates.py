"""Likely duplicates among the registry's cases (issue 13, point 3): the same woman and pregnancy
must not be paid twice, across villages, communes and the 2025 map change.

- **Exact**: the same ID number (``Mother.id_number_index``, the blind index; never the number)
  or the same mother's record, with the other case's delivery (or expected) date within about
  ten months (``EXACT_WINDOW_DAYS``). Further apart, it is her next pregnancy.
- **Likely**: cases are put in blocks that share a key (the name without diacritics, the phone),
  never compared all against all; within a block, only cases whose dates lie within
  ``LIKELY_WINDOW_DAYS`` of each other are compared (sorted by date). A pair of the name block
  must have years of birth at most one apart. The pair scores points for each likeness (name,
  year of birth, phone, the same commune or communes linked by the 2025 map change, the same
  village, the delivery dates) and is raised from ``THRESHOLD`` points. Different ID numbers
  and communes not linked by the map count against it (a woman who moved is still caught when
  her dates are close).

A pair is kept once (``first`` = the case proposed first, ``second`` = the later one, which a
confirmation sets aside), so running again raises nothing new, and a dismissed pair is never
raised again. Rejected cases and cases already set aside as duplicates are not compared.

``duplicates_check`` for one new or changed case (the registry's propose/update call it after
writing), ``has_open_duplicates`` for verify and approve (they refuse while it is true),
``duplicates_find`` for an area (the ``find_duplicates`` command and the benchmark).
Reasons are kept as codes (``reasons_text`` words them in the user's language).
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from duan8.core import audit
from duan8.mothers.models import DuplicateCandidate, Pregnancy
from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
from duan8.orgunits.predecessors import predecessor_paths

EXACT_WINDOW_DAYS = 300  # about ten months: a next pregnancy cannot be closer
LIKELY_WINDOW_DAYS = 30
THRESHOLD = 60
CLOSED = (Pregnancy.Status.REJECTED, Pregnancy.Status.DUPLICATE)
CHUNK = 900  # ids per IN (…) list: under SQLite's oldest limit

# points per likeness
NAME, YEAR, YEAR_NEAR, PHONE, LINEAGE, VILLAGE = 35, 15, 8, 25, 20, 5
SAME_DAY, OTHER_ID, OTHER_COMMUNE = 25, -30, -10

_FIELDS = (
    "id",
    "mother_id",
    "commune_id",
    "village_id",
    "delivered_on",
    "mother__name_key",
    "mother__birth_year",
    "mother__phone",
    "mother__id_number_index",
)


@dataclass(frozen=True)
class Case:
    """What the comparison reads of a case (no health field but its date)."""

    id: int
    mother_id: int
    commune_id: int
    village_id: int
    event_on: datetime.date | None
    name_key: str
    birth_year: int
    phone: str
    id_index: str


@dataclass(frozen=True)
class Match:
    exact: bool
    score: int
    reasons: list[dict[str, Any]]


# --- reading ------------------------------------------------------------------------------------


def _open_cases() -> QuerySet[Pregnancy]:
    return Pregnancy.objects.exclude(status__in=CLOSED)


def _chunks(ids: Iterable[Any]) -> Iterator[list[Any]]:
    items = list(ids)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def cases_read(queryset: QuerySet[Pregnancy]) -> list[Case]:
    """The cases of ``queryset``; the expected date (encrypted) is read only for those without a
    delivery date."""
    rows = list(queryset.values_list(*_FIELDS))
    expected: dict[int, datetime.date | None] = {}
    for chunk in _chunks(row[0] for row in rows if row[4] is None):
        for pk, expected_on in Pregnancy.objects.filter(pk__in=chunk).values_list(
            "id", "expected_on"
        ):
            expected[pk] = expected_on  # type: ignore[assignment]  # a date: decrypted
    return [
        Case(
            id=pk,
            mother_id=mother,
            commune_id=commune,
            village_id=village,
            event_on=delivered or expected.get(pk),
            name_key=name,
            birth_year=year,
            phone=phone or "",
            id_index=index or "",
        )
        for pk, mother, commune, village, delivered, name, year, phone, index in rows
    ]


def lineage_of(commune_ids: Iterable[int], *, everything: bool = False) -> dict[int, int]:
    """For each commune, a representative of its lineage: communes linked by the map's history
    (xã Ba Trang and xã Ba Khâm → xã Đặng Thùy Trâm) share one. Communes without a
    succession are their own. One query of the successions touching them (all with
    ``everything``)."""
    ids = set(commune_ids)
    edges = OrgUnitSuccession.objects.all()
    if not everything:
        edges = edges.filter(Q(predecessor_id__in=ids) | Q(successor_id__in=ids))
    parent: dict[int, int] = {}

    def root(unit: int) -> int:
        while parent.get(unit, unit) != unit:
            parent[unit] = parent.get(parent[unit], parent[unit])
            unit = parent[unit]
        return unit

    for old, new in edges.values_list("predecessor_id", "successor_id"):
        a, b = root(old), root(new)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {unit: root(unit) for unit in ids}


# --- comparing -----------------------------------------------------------------------------------


def _days_apart(a: Case, b: Case) -> int | None:
    if a.event_on is None or b.event_on is None:
        return None
    return abs((a.event_on - b.event_on).days)


def _date_reason(days: int | None) -> tuple[int, dict[str, Any]]:
    if days is None:
        return 0, {"code": "no_date"}
    if days == 0:
        return SAME_DAY, {"code": "same_day"}
    return max(5, SAME_DAY - days * 20 // LIKELY_WINDOW_DAYS), {"code": "days", "days": days}


def _exact(a: Case, b: Case, days: int | None) -> Match | None:
    if days is not None and days > EXACT_WINDOW_DAYS:
        return None  # her next pregnancy
    code = "same_id" if a.id_index and a.id_index == b.id_index else "same_mother"
    return Match(True, 100, [{"code": code}, _date_reason(days)[1]])


def _place(a: Case, b: Case, lineage: dict[int, int]) -> tuple[int, list[dict[str, Any]]]:
    if a.commune_id == b.commune_id:
        found = [{"code": "same_commune"}]
    elif lineage.get(a.commune_id, a.commune_id) == lineage.get(b.commune_id, b.commune_id):
        found = [{"code": "lineage"}]
    else:
        return OTHER_COMMUNE, [{"code": "other_commune"}]
    if a.village_id == b.village_id:
        return LINEAGE + VILLAGE, [{"code": "same_village"}, *found]
    return LINEAGE, found


def pair_compare(a: Case, b: Case, lineage: dict[int, int]) -> Match | None:
    """How much alike two cases are; None when they are not a candidate pair."""
    days = _days_apart(a, b)
    if (a.id_index and a.id_index == b.id_index) or a.mother_id == b.mother_id:
        return _exact(a, b, days)
    if days is not None and days > LIKELY_WINDOW_DAYS:
        return None
    same_name = a.name_key == b.name_key and abs(a.birth_year - b.birth_year) <= 1
    same_phone = bool(a.phone) and a.phone == b.phone
    if not (same_name or same_phone):
        return None
    score, reasons = 0, []
    if same_name:
        near = a.birth_year != b.birth_year
        score += NAME + (YEAR_NEAR if near else YEAR)
        reasons += [{"code": "same_name"}, {"code": "year_near" if near else "same_year"}]
    if same_phone:
        score += PHONE
        reasons.append({"code": "same_phone"})
    points, found = _place(a, b, lineage)
    points_date, reason_date = _date_reason(days)
    score += points + points_date
    reasons += [*found, reason_date]
    if a.id_index and b.id_index:
        score += OTHER_ID
        reasons.append({"code": "other_id"})
    if score < THRESHOLD:
        return None
    return Match(False, min(score, 99), reasons)


def _windowed(items: list[Case], window: int) -> Iterator[tuple[Case, Case]]:
    """The pairs of a block whose dates lie within ``window`` days (undated: with every one)."""
    dated = sorted((c for c in items if c.event_on), key=lambda c: (c.event_on, c.id))
    undated = [c for c in items if c.event_on is None]
    for index, a in enumerate(dated):
        for b in dated[index + 1 :]:
            if (b.event_on - a.event_on).days > window:  # type: ignore[operator]
                break
            yield a, b
    for index, a in enumerate(undated):
        for b in itertools.chain(undated[index + 1 :], dated):
            yield a, b


def _blocks(cases: list[Case]) -> Iterator[tuple[list[Case], int]]:
    """Each block with the window its pairs are looked for in."""
    keyed: dict[tuple[str, Any], list[Case]] = defaultdict(list)
    for case in cases:
        keyed["name", case.name_key].append(case)
        if case.phone:
            keyed["phone", case.phone].append(case)
        if case.id_index:
            keyed["id", case.id_index].append(case)
        keyed["mother", case.mother_id].append(case)
    for (kind, _key), block in keyed.items():
        if len(block) > 1:
            yield block, EXACT_WINDOW_DAYS if kind in ("id", "mother") else LIKELY_WINDOW_DAYS


def _ordered(a: Case, b: Case) -> tuple[Case, Case]:
    """(proposed first, proposed later): ids grow in the order cases are written."""
    return (a, b) if a.id < b.id else (b, a)


def pairs_find(
    cases: list[Case], lineage: dict[int, int], *, within: set[int] | None = None
) -> dict[tuple[int, int], Match]:
    """The candidate pairs among ``cases`` by blocking, (first id, second id) → match; with
    ``within``, only pairs with at least one case of it."""
    found: dict[tuple[int, int], Match] = {}
    seen: set[tuple[int, int]] = set()
    for block, window in _blocks(cases):
        for one, two in _windowed(block, window):
            first, second = _ordered(one, two)
            key = (first.id, second.id)
            if key in seen:
                continue
            seen.add(key)
            if within is not None and first.id not in within and second.id not in within:
                continue
            match = pair_compare(first, second, lineage)
            if match is not None:
                found[key] = match
    return found


# --- writing -------------------------------------------------------------------------------------


def _candidate(key: tuple[int, int], match: Match) -> DuplicateCandidate:
    return DuplicateCandidate(
        first_id=key[0],
        second_id=key[1],
        exact=match.exact,
        score=match.score,
        reasons=match.reasons,
    )


def _involving(pregnancy_id: int) -> QuerySet[DuplicateCandidate]:
    return DuplicateCandidate.objects.filter(Q(first_id=pregnancy_id) | Q(second_id=pregnancy_id))


@transaction.atomic
def duplicates_check(pregnancy: Pregnancy) -> list[DuplicateCandidate]:
    """Compare one new or changed case with the cases sharing a block key; write the new pairs,
    refresh the open ones, drop the open ones no longer alike. The open candidates of the case
    (a closed case has none)."""
    status, mother = Pregnancy.objects.values_list("status", "mother").get(pk=pregnancy.pk)
    if status in CLOSED:
        _involving(pregnancy.pk).filter(status=DuplicateCandidate.Status.OPEN).delete()
        return []
    keys = Pregnancy.objects.filter(pk=pregnancy.pk).values(
        "mother__name_key", "mother__phone", "mother__id_number_index"
    )[0]
    condition = Q(mother_id=mother) | Q(mother__name_key=keys["mother__name_key"])
    if keys["mother__phone"]:
        condition |= Q(mother__phone=keys["mother__phone"])
    if keys["mother__id_number_index"]:
        condition |= Q(mother__id_number_index=keys["mother__id_number_index"])
    cases = cases_read(_open_cases().filter(condition))
    found = pairs_find(cases, lineage_of(c.commune_id for c in cases), within={pregnancy.pk})
    existing = {(c.first_id, c.second_id): c for c in _involving(pregnancy.pk)}
    for key, match in found.items():
        known = existing.get(key)
        if known is None:
            DuplicateCandidate.objects.bulk_create([_candidate(key, match)], ignore_conflicts=True)
        elif known.status == DuplicateCandidate.Status.OPEN and (
            known.score,
            known.reasons,
            known.exact,
        ) != (match.score, match.reasons, match.exact):
            DuplicateCandidate.objects.filter(pk=known.pk).update(
                score=match.score,
                reasons=match.reasons,
                exact=match.exact,
                version=F("version") + 1,
            )
    stale = [c.pk for key, c in existing.items() if key not in found]
    DuplicateCandidate.objects.filter(pk__in=stale, status=DuplicateCandidate.Status.OPEN).delete()
    return list(
        _involving(pregnancy.pk)
        .filter(status=DuplicateCandidate.Status.OPEN)
        .select_related("first", "second")
    )


def open_pairs() -> QuerySet[DuplicateCandidate]:
    """Pairs nobody has decided yet, both of whose cases are still open (a pair with a case
    rejected or set aside since is moot)."""
    return DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.OPEN).exclude(
        Q(first__status__in=CLOSED) | Q(second__status__in=CLOSED)
    )


def has_open_duplicates(pregnancy: Pregnancy) -> bool:
    """Whether ``pregnancy`` is in a candidate pair nobody has decided yet."""
    return open_pairs().filter(Q(first_id=pregnancy.pk) | Q(second_id=pregnancy.pk)).exists()


def _area_ids(units: list[OrgUnit]) -> set[int]:
    """The open cases of the area: its communes and those that became part of them."""
    paths = [unit.path for unit in units]
    paths += predecessor_paths(paths)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    communes = OrgUnit.objects.filter(condition).values("pk")
    return set(_open_cases().filter(commune__in=communes).values_list("pk", flat=True))


def duplicates_find(*, communes: Iterable[OrgUnit] | None = None) -> int:
    """Look for candidate pairs with at least one open case of ``communes`` (any units: a
    province, a commune; every case when None), the other anywhere. Pairs
    already known (open, confirmed or dismissed) are left as they are. The number of new pairs
    written."""
    within = None if communes is None else _area_ids(list(communes))
    if within == set():
        return 0
    # Every open case is read (one query): the area's cases are compared with those elsewhere
    # sharing a block key, and reading them all costs less than looking them up by key.
    cases = cases_read(_open_cases())
    lineage = lineage_of({c.commune_id for c in cases}, everything=True)
    found = pairs_find(cases, lineage, within=within)
    known: set[tuple[int, int]] = set()
    for chunk in _chunks(sorted({first for first, _second in found})):
        known.update(
            DuplicateCandidate.objects.filter(first_id__in=chunk).values_list(
                "first_id", "second_id"
            )
        )
    new = [_candidate(key, match) for key, match in found.items() if key not in known]
    with transaction.atomic():
        DuplicateCandidate.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        if new:
            audit.record(
                actor=None,
                action="mothers.duplicates.found",
                actor_name="duan8",
                after={"new_pairs": len(new), "cases": len(cases)},
            )
    return len(new)


# --- words ---------------------------------------------------------------------------------------


def reason_text(reason: dict[str, Any]) -> str:
    """One reason in the user's language ("cùng họ tên không dấu")."""
    code = reason.get("code", "")
    if code == "days":
        return _("delivery dates %(days)s days apart") % {"days": reason.get("days", "?")}
    words = {
        "same_id": _("same ID number"),
        "same_mother": _("same mother's record"),
        "same_name": _("same name without diacritics"),
        "same_year": _("same year of birth"),
        "year_near": _("years of birth one apart"),
        "same_phone": _("same phone number"),
        "same_village": _("same village"),
        "same_commune": _("same commune"),
        "lineage": _("same commune (before/after the merger)"),
        "same_day": _("same delivery date"),
        "no_date": _("no delivery date to compare"),
        "other_id": _("different ID numbers"),
        "other_commune": _("different communes"),
    }
    return words.get(code, code)


def reasons_text(reasons: Iterable[dict[str, Any]]) -> list[str]:
    return [reason_text(reason) for reason in reasons]
