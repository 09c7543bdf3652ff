"""The source of the map: the ``vietnamadminunits`` package's data, read by declared schemas.

Two tables of its SQLite file (the 63-province map with QĐ 124/2004 codes, the 34-province map
with QĐ 19/2025 codes) and its converter (``converter_2025.json``: which old units became which
new ones). The schemas say what ``geography`` relies on; a release of the package that changes
it is refused with the place of each difference ("vietnamadminunits 1.0: converter.
DICT_PROVINCE.tinhquangngai.1: must be text") instead of loading a wrong map. The converter's
keys that ``geography`` does not read (coordinates, areas) are ignored, as later releases may add
more.
"""

import json
import sqlite3
from importlib.metadata import version
from importlib.resources import as_file, files

from pydantic import ConfigDict
from typing_extensions import TypedDict

from duan8.core.schemas import FileSchema, load

_ROW = ConfigDict(strict=True, extra="forbid")


class LegacyRow(TypedDict):
    """A commune of the old map (a district without communes has no ward)."""

    __pydantic_config__ = _ROW  # type: ignore[misc]  # pydantic reads it; TypedDict has no slot

    provinceCode: str
    province: str
    provinceKey: str
    districtCode: str
    district: str
    districtType: str
    districtKey: str
    wardCode: str | None
    ward: str | None
    wardType: str | None
    wardKey: str | None


class NewRow(TypedDict):
    """A commune of the new map."""

    __pydantic_config__ = _ROW  # type: ignore[misc]  # as above

    provinceCode: str
    province: str
    provinceKey: str
    wardCode: str
    ward: str
    wardType: str
    wardKey: str


class DividedPart(FileSchema):
    """A part of an old commune divided between new ones."""

    model_config = ConfigDict(extra="ignore")

    newWardKey: str
    isDefaultNewWard: bool


class Converter(FileSchema):
    """Old keys by new key: provinces, communes taken whole, communes divided."""

    model_config = ConfigDict(extra="ignore")

    DICT_PROVINCE: dict[str, list[str]]
    DICT_PROVINCE_WARD_NO_DIVIDED: dict[str, dict[str, list[str]]]
    DICT_PROVINCE_WARD_DIVIDED: dict[str, dict[str, list[DividedPart]]]


class Dataset(FileSchema):
    legacy: list[LegacyRow]
    new: list[NewRow]
    converter: Converter


_LEGACY_COLUMNS = ", ".join(LegacyRow.__annotations__)
_NEW_COLUMNS = ", ".join(NewRow.__annotations__)


def source_version() -> str:
    return version("vietnamadminunits")


def source_read() -> Dataset:
    """Both maps and the converter; ``FileInvalid`` if the package's data is not as declared."""
    data = files("vietnamadminunits").joinpath("data")
    with as_file(data.joinpath("dataset.db")) as db_path:
        connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
        try:
            connection.row_factory = sqlite3.Row
            legacy = [
                dict(row)
                for row in connection.execute(
                    f"SELECT {_LEGACY_COLUMNS} FROM admin_units_legacy"  # noqa: S608
                    " ORDER BY provinceCode, districtCode, wardCode"
                )
            ]
            new = [
                dict(row)
                for row in connection.execute(
                    f"SELECT {_NEW_COLUMNS} FROM admin_units"  # noqa: S608
                    " ORDER BY provinceCode, wardCode"
                )
            ]
        finally:
            connection.close()
    converter = json.loads(data.joinpath("converter_2025.json").read_text(encoding="utf-8"))
    return load(
        Dataset,
        {"legacy": legacy, "new": new, "converter": converter},
        source=f"vietnamadminunits {source_version()}",
    )


def commune_moves(
    converter: Converter, new_keys: set[str]
) -> list[tuple[str, str, str, bool, bool]]:
    """(old "province_district_ward" key, new province key, new ward key, primary, split)."""
    moves: list[tuple[str, str, str, bool, bool]] = []
    for new_key, wards in sorted(converter.DICT_PROVINCE_WARD_NO_DIVIDED.items()):
        if new_key in new_keys:
            for ward_key, old_list in wards.items():
                moves += [(o, new_key, ward_key, True, False) for o in old_list]
    for new_key, divided in sorted(converter.DICT_PROVINCE_WARD_DIVIDED.items()):
        if new_key in new_keys:
            for o, parts in divided.items():
                moves += [(o, new_key, p.newWardKey, p.isDefaultNewWard, True) for p in parts]
    return moves
