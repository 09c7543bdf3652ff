"""Load the administrative map of Vietnam before and after 1/7/2025, and how one became the other.

The source is the ``vietnamadminunits`` package (MIT): the 63-province map with QĐ 124/2004 codes,
the 34-province map with QĐ 19/2025 codes, and its converter from old communes to new ones. Nothing
here is typed by hand, so a new release of the package is a re-run of ``duan8 load_geography``.

The load is idempotent: rows are matched on (code scheme, level, code) and successions on
(predecessor, successor); a re-run updates what changed and never deletes.
"""

import datetime
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.orgunits.geography_source import (
    Converter,
    LegacyRow,
    NewRow,
    commune_moves,
    source_read,
    source_version,
)
from duan8.orgunits.models import REFORM_DATE, OrgUnit, OrgUnitSuccession
from duan8.orgunits.services import national_root

OLD = OrgUnit.CodeScheme.QD124_2004.value
NEW = OrgUnit.CodeScheme.QD19_2025.value
PROVINCE = OrgUnit.Level.PROVINCE.value
DISTRICT = OrgUnit.Level.DISTRICT.value
COMMUNE = OrgUnit.Level.COMMUNE.value
MERGED = OrgUnitSuccession.Kind.MERGED.value
SPLIT = OrgUnitSuccession.Kind.SPLIT.value
RENAMED = OrgUnitSuccession.Kind.RENAMED.value
UNCHANGED = OrgUnitSuccession.Kind.UNCHANGED.value
OLD_UNITS_END = REFORM_DATE - datetime.timedelta(days=1)

# Legal acts (domain.md §9). Only numbers we know are written; the rest stays generic.
ACT_NEW_UNITS = "QĐ 19/2025/QĐ-TTg"
ACT_PROVINCES_ENDED = "NQ 202/2025/QH15"
ACT_DISTRICTS_ENDED = "NQ 203/2025/QH15; Luật 72/2025/QH15"
ACT_COMMUNES_ENDED = "NQ 202/2025/QH15; NQ của UBTVQH về sắp xếp ĐVHC cấp xã"
# The UBTVQH resolution arranging the communes of a new province, by new province code.
ACT_COMMUNES_ENDED_BY_NEW_PROVINCE = {"51": "NQ 1677/NQ-UBTVQH15"}

# Longest first where one could be read as the start of another.
PROVINCE_KINDS = ("Thành phố", "Tỉnh")
DISTRICT_KINDS = ("Thành phố", "Thị xã", "Quận", "Huyện")
COMMUNE_KINDS = ("Thị trấn", "Phường", "Xã", "Đặc khu")

BATCH_SIZE = 1000

UnitKey = tuple[str, int, str]  # (code scheme, level, code)


class Writer(Protocol):
    """Where the load says what it did: a file, or a command's ``self.stdout``."""

    def write(self, text: str, /) -> Any: ...


@dataclass(frozen=True, slots=True)
class _UnitSpec:
    key: UnitKey
    kind: str
    name: str
    parent: UnitKey | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    legal_act: str

    @property
    def full_name(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True, slots=True)
class _EdgeSpec:
    predecessor: UnitKey
    successor: UnitKey
    kind: str
    is_primary: bool
    legal_act: str


@dataclass
class GeographyLoadResult:
    source_version: str = ""
    # Units in the loaded part of the map, by (code scheme, level), whether created or not.
    units: Counter[tuple[str, int]] = field(default_factory=Counter)
    units_created: int = 0
    units_updated: int = 0
    # Successions in the loaded part of the map, by kind.
    successions: Counter[str] = field(default_factory=Counter)
    successions_created: int = 0
    successions_updated: int = 0
    # Converter keys that match no unit of the dataset: reported, not loaded.
    unmatched_keys: list[str] = field(default_factory=list)
    # Rows whose type column contradicts the type in the full name; the full name is kept.
    kind_conflicts: list[str] = field(default_factory=list)

    def count(self, scheme: str, level: int) -> int:
        return self.units[(scheme, level)]


@transaction.atomic
def geography_load(
    *, province_codes: list[str] | None = None, stdout: Writer | None = None
) -> GeographyLoadResult:
    """Load units of both code schemes and the successions effective 1/7/2025.

    ``province_codes`` are NEW (QĐ 19/2025) province codes; the old provinces that became part of
    them come along (51 Quảng Ngãi = old Quảng Ngãi 51 + old Kon Tum 62). None loads the country.
    """
    result = GeographyLoadResult(source_version=source_version())
    source = source_read()
    legacy_rows, new_rows, converter = source.legacy, source.new, source.converter
    new_keys, old_keys = _provinces_selected(province_codes, new_rows, converter)
    legacy_rows = [r for r in legacy_rows if r["provinceKey"] in old_keys]
    new_rows = [r for r in new_rows if r["provinceKey"] in new_keys]
    _say(
        stdout,
        _("Read %(old)s old and %(new)s new rows from vietnamadminunits %(version)s.")
        % {"old": len(legacy_rows), "new": len(new_rows), "version": result.source_version},
    )

    new_units, new_index = _new_unit_specs(new_rows, result)
    old_act_by_province_key = {
        old_key: ACT_COMMUNES_ENDED_BY_NEW_PROVINCE.get(new_index.province_code[new_key])
        for new_key, olds in converter.DICT_PROVINCE.items()
        if new_key in new_keys
        for old_key in olds
    }
    old_units, old_index = _old_unit_specs(legacy_rows, old_act_by_province_key, result)
    specs = {**old_units, **new_units}
    edges = _edge_specs(converter, new_keys, specs, old_index, new_index, result)

    units = _units_upsert(list(specs.values()), result)
    _say(
        stdout,
        _("Units: %(created)s created, %(updated)s updated.")
        % {"created": result.units_created, "updated": result.units_updated},
    )
    _successions_upsert(edges, units, result)
    _say(
        stdout,
        _("Successions: %(created)s created, %(updated)s updated.")
        % {"created": result.successions_created, "updated": result.successions_updated},
    )
    for key in result.unmatched_keys:
        _say(stdout, _("Converter key matches no unit: %(key)s") % {"key": key})
    return result


# --- Reading the source ---------------------------------------------------------------------


def _provinces_selected(
    codes: list[str] | None, new_rows: list[NewRow], converter: Converter
) -> tuple[set[str], set[str]]:
    """Keys of the selected new provinces and of the old provinces that became part of them."""
    key_by_code = {r["provinceCode"]: r["provinceKey"] for r in new_rows}
    if codes is None:
        new_keys = set(key_by_code.values())
    else:
        wanted = {code.strip().zfill(2) for code in codes}
        unknown = sorted(wanted - key_by_code.keys())
        if unknown:
            raise ValidationError(
                _("No province has code %(codes)s in the QĐ 19/2025 list.")
                % {"codes": ", ".join(unknown)}
            )
        new_keys = {key_by_code[code] for code in wanted}
    old_keys = {old for new in new_keys for old in converter.DICT_PROVINCE.get(new, [])}
    return new_keys, old_keys


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", (text or "").strip())


def _kind_split(
    full_name: str | None,
    kinds: tuple[str, ...],
    type_column: str | None,
    code: str,
    result: GeographyLoadResult,
) -> tuple[str, str]:
    """("Huyện", "Ba Tơ") from "Huyện Ba Tơ"; the name's own type wins over the type column."""
    text = _nfc(full_name)
    column = _nfc(type_column)
    for kind in kinds:
        if text.lower().startswith(kind.lower() + " "):
            if column and column.lower() != kind.lower():
                result.kind_conflicts.append(f"{code} {text} ({column})")
            return kind, text[len(kind) + 1 :].strip()
    return column, text


# --- Building the units ---------------------------------------------------------------------


@dataclass
class _Index:
    province_code: dict[str, str] = field(default_factory=dict)  # provinceKey → code
    province: dict[str, UnitKey] = field(default_factory=dict)  # provinceKey → unit
    district: dict[tuple[str, str], UnitKey] = field(default_factory=dict)
    commune: dict[tuple[str, ...], UnitKey] = field(default_factory=dict)


def _old_unit_specs(
    rows: list[LegacyRow],
    act_by_province_key: dict[str, str | None],
    result: GeographyLoadResult,
) -> tuple[dict[UnitKey, _UnitSpec], _Index]:
    specs: dict[UnitKey, _UnitSpec] = {}
    index = _Index()

    def ended(key: UnitKey, kind: str, name: str, parent: UnitKey | None, act: str) -> None:
        specs[key] = _UnitSpec(key, kind, name, parent, None, OLD_UNITS_END, act)

    for row in rows:
        p_key = row["provinceKey"]
        province: UnitKey = (OLD, PROVINCE, row["provinceCode"])
        if province not in specs:
            kind, name = _kind_split(row["province"], PROVINCE_KINDS, None, province[2], result)
            ended(province, kind, name, None, ACT_PROVINCES_ENDED)
            index.province[p_key] = province
            index.province_code[p_key] = row["provinceCode"]
        district: UnitKey = (OLD, DISTRICT, row["districtCode"])
        if district not in specs:
            kind, name = _kind_split(
                row["district"], DISTRICT_KINDS, row["districtType"], district[2], result
            )
            ended(district, kind, name, province, ACT_DISTRICTS_ENDED)
            index.district[(p_key, row["districtKey"])] = district
        if row["wardCode"]:
            commune: UnitKey = (OLD, COMMUNE, row["wardCode"])
            kind, name = _kind_split(
                row["ward"], COMMUNE_KINDS, row["wardType"], commune[2], result
            )
            act = act_by_province_key.get(p_key) or ACT_COMMUNES_ENDED
            ended(commune, kind, name, district, act)
            index.commune[(p_key, row["districtKey"], row["wardKey"] or "")] = commune
    return specs, index


def _new_unit_specs(
    rows: list[NewRow], result: GeographyLoadResult
) -> tuple[dict[UnitKey, _UnitSpec], _Index]:
    specs: dict[UnitKey, _UnitSpec] = {}
    index = _Index()
    for row in rows:
        p_key = row["provinceKey"]
        province: UnitKey = (NEW, PROVINCE, row["provinceCode"])
        if province not in specs:
            kind, name = _kind_split(row["province"], PROVINCE_KINDS, None, province[2], result)
            specs[province] = _UnitSpec(
                province, kind, name, None, REFORM_DATE, None, ACT_NEW_UNITS
            )
            index.province[p_key] = province
            index.province_code[p_key] = row["provinceCode"]
        commune: UnitKey = (NEW, COMMUNE, row["wardCode"])
        kind, name = _kind_split(row["ward"], COMMUNE_KINDS, row["wardType"], commune[2], result)
        specs[commune] = _UnitSpec(commune, kind, name, province, REFORM_DATE, None, ACT_NEW_UNITS)
        index.commune[(p_key, row["wardKey"])] = commune
    return specs, index


# --- Building the successions ---------------------------------------------------------------


class _Edges:
    """The successions effective 1/7/2025, built from the converter."""

    def __init__(self, specs: dict[UnitKey, _UnitSpec], result: GeographyLoadResult) -> None:
        self.specs = specs
        self.result = result
        self.edges: dict[tuple[UnitKey, UnitKey], _EdgeSpec] = {}

    def add(
        self, predecessor: UnitKey, successor: UnitKey, kind: str, primary: bool, act: str
    ) -> None:
        self.edges[(predecessor, successor)] = _EdgeSpec(predecessor, successor, kind, primary, act)

    def one_to_one_kind(self, predecessor: UnitKey, successor: UnitKey) -> str:
        names = (self.specs[predecessor].full_name, self.specs[successor].full_name)
        return UNCHANGED if names[0].casefold() == names[1].casefold() else RENAMED

    def provinces(self, converter: Converter, new_keys: set[str], old: _Index, new: _Index) -> None:
        """Provinces (NQ 202/2025/QH15)."""
        for new_key, old_keys in sorted(converter.DICT_PROVINCE.items()):
            if new_key not in new_keys:
                continue
            successor = new.province.get(new_key)
            for old_key in old_keys:
                predecessor = old.province.get(old_key)
                if predecessor is None or successor is None:
                    self.result.unmatched_keys.append(f"{old_key} → {new_key}")
                    continue
                merged = len(old_keys) > 1
                kind = MERGED if merged else self.one_to_one_kind(predecessor, successor)
                self.add(predecessor, successor, kind, True, ACT_PROVINCES_ENDED)

    def communes(self, converter: Converter, new_keys: set[str], old: _Index, new: _Index) -> None:
        """Communes, and the new provinces each old district's communes went to."""
        resolved: list[tuple[UnitKey, UnitKey, bool, bool]] = []
        for old_key, new_key, ward_key, is_primary, is_split in commune_moves(converter, new_keys):
            predecessor = _old_key_resolve(old_key, old)
            successor = new.commune.get((new_key, ward_key))
            if predecessor is None or successor is None:
                self.result.unmatched_keys.append(f"{old_key} → {new_key}_{ward_key}")
                continue
            resolved.append((predecessor, successor, is_primary, is_split))
        incoming = Counter(successor for _p, successor, _primary, _split in resolved)
        districts: dict[UnitKey, Counter[UnitKey]] = defaultdict(Counter)
        for predecessor, successor, is_primary, is_split in resolved:
            if is_split:
                kind = SPLIT
            elif incoming[successor] == 1:
                kind = self.one_to_one_kind(predecessor, successor)
            else:
                kind = MERGED
            if (predecessor, successor) not in self.edges:
                act = self.specs[predecessor].legal_act
                self.add(predecessor, successor, kind, is_primary, act)
            district = self.specs[predecessor].parent
            new_province = self.specs[successor].parent
            if predecessor[1] == COMMUNE and district is not None and new_province is not None:
                districts[district][new_province] += 1
        self.districts(districts)

    def districts(self, districts: dict[UnitKey, Counter[UnitKey]]) -> None:
        """Districts ended: each goes to the new province(s) its communes went to."""
        for district, provinces in districts.items():
            ranked = sorted(provinces.items(), key=lambda item: (-item[1], item[0][2]))
            kind = MERGED if len(ranked) == 1 else SPLIT
            for position, (province, _count) in enumerate(ranked):
                self.add(district, province, kind, position == 0, ACT_DISTRICTS_ENDED)


def _edge_specs(
    converter: Converter,
    new_keys: set[str],
    specs: dict[UnitKey, _UnitSpec],
    old: _Index,
    new: _Index,
    result: GeographyLoadResult,
) -> list[_EdgeSpec]:
    edges = _Edges(specs, result)
    edges.provinces(converter, new_keys, old, new)
    edges.communes(converter, new_keys, old, new)
    return list(edges.edges.values())


def _old_key_resolve(old_key: str, old: _Index) -> UnitKey | None:
    """An old "province_district_ward" key; an empty ward is a district without communes."""
    parts = old_key.split("_")
    if len(parts) != 3:
        return None
    province_key, district_key, ward_key = parts
    if not ward_key:
        return old.district.get((province_key, district_key))
    return old.commune.get((province_key, district_key, ward_key))


# --- Writing --------------------------------------------------------------------------------

_UNIT_FIELDS = ("kind", "name", "parent_id", "valid_from", "valid_to", "legal_act")


def _units_upsert(specs: list[_UnitSpec], result: GeographyLoadResult) -> dict[UnitKey, OrgUnit]:
    """Create or update units level by level: a level's parents have ids before it is written."""
    existing = {
        (u.code_scheme, u.level, u.code): u
        for u in OrgUnit.objects.filter(
            code_scheme__in=[OLD, NEW], level__in=[PROVINCE, DISTRICT, COMMUNE]
        )
    }
    root = national_root()  # every province, old or new, sits under Việt Nam
    units: dict[UnitKey, OrgUnit] = {}
    created: list[OrgUnit] = []
    changed: dict[int, OrgUnit] = {}
    moved: list[tuple[int, str, str]] = []  # (level, old path, new path) of existing units
    for level in (PROVINCE, DISTRICT, COMMUNE):
        level_specs = [s for s in specs if s.key[1] == level]
        batch: list[OrgUnit] = []
        for spec in level_specs:
            result.units[(spec.key[0], level)] += 1
            parent = units[spec.parent] if spec.parent else root
            values = {
                "kind": spec.kind,
                "name": spec.name,
                "parent_id": parent.pk if parent else None,
                "valid_to": spec.valid_to,
                "legal_act": spec.legal_act,
            }
            if spec.valid_from is not None:  # None means unknown: keep what is there
                values["valid_from"] = spec.valid_from
            unit = existing.get(spec.key)
            if unit is None:
                unit = OrgUnit(code_scheme=spec.key[0], level=level, code=spec.key[2], **values)
                batch.append(unit)
            elif any(getattr(unit, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(unit, name, value)
                changed[unit.pk] = unit
            if parent is not None:
                unit.parent = parent  # cached, so paths below need no query
            units[spec.key] = unit
        OrgUnit.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        created += batch
        for spec in level_specs:
            unit = units[spec.key]
            prefix = units[spec.parent].path if spec.parent else root.path
            path = f"{prefix}{unit.pk:08d}/"
            if unit.path != path:
                if unit.path:
                    moved.append((level, unit.path, path))
                    changed[unit.pk] = unit
                unit.path = path
    OrgUnit.objects.bulk_update(created, ["path"], batch_size=BATCH_SIZE)
    now = timezone.now()
    for unit in changed.values():
        unit.updated_at = now
    OrgUnit.objects.bulk_update(
        list(changed.values()), [*_UNIT_FIELDS, "path", "updated_at"], batch_size=BATCH_SIZE
    )
    # Units below a moved unit that this load does not know (villages) follow their parent.
    for _level, old_path, new_path in sorted(moved):
        OrgUnit.objects.filter(path__startswith=old_path).update(
            path=Concat(
                Value(new_path), Substr("path", len(old_path) + 1), output_field=CharField()
            )
        )
    result.units_created = len(created)
    result.units_updated = len(changed)
    return units


_EDGE_FIELDS = ("kind", "effective_on", "legal_act", "is_primary")


def _successions_upsert(
    edges: list[_EdgeSpec], units: dict[UnitKey, OrgUnit], result: GeographyLoadResult
) -> None:
    existing = {
        (s.predecessor_id, s.successor_id): s
        for s in OrgUnitSuccession.objects.filter(
            predecessor__code_scheme=OLD, successor__code_scheme=NEW
        )
    }
    created: list[OrgUnitSuccession] = []
    changed: list[OrgUnitSuccession] = []
    now = timezone.now()
    for edge in edges:
        predecessor, successor = units[edge.predecessor], units[edge.successor]
        result.successions[edge.kind] += 1
        values = {
            "kind": edge.kind,
            "effective_on": REFORM_DATE,
            "legal_act": edge.legal_act,
            "is_primary": edge.is_primary,
        }
        row = existing.get((predecessor.pk, successor.pk))
        if row is None:
            created.append(
                OrgUnitSuccession(predecessor=predecessor, successor=successor, **values)
            )
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            changed.append(row)
    OrgUnitSuccession.objects.bulk_create(created, batch_size=BATCH_SIZE)
    OrgUnitSuccession.objects.bulk_update(
        changed, [*_EDGE_FIELDS, "updated_at"], batch_size=BATCH_SIZE
    )
    result.successions_created = len(created)
    result.successions_updated = len(changed)


def _say(stdout: Writer | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
