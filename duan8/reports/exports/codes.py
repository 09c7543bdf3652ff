"""Stable codes for exchanging aggregate data (DHIS2, ADX, Excel).

Units: ``VN-<scheme>-<code>`` — ``VN-QD124-21520`` is xã Ba Trang (QĐ 124/2004, until 30/6/2025),
``VN-QD19-21520`` xã Đặng Thùy Trâm (QĐ 19/2025, from 1/7/2025), ``VN-QD19-51`` the new tỉnh
Quảng Ngãi, ``VN-LOCAL-21520-01`` a village (villages have no national code), ``VN`` the
country. An official code
alone is ambiguous across the two schemes, so the scheme is part of the code; within a scheme,
levels have codes of different lengths (province 2 digits, district 3, commune 5), so the pair
names one unit. Codes never change when names do, and never depend on database ids.

Indicators: ``ProgramElement.code`` (``1719.GD1.DA8.ND1.HD2.2``). Targets and participants are
separate data elements: ``<code>:TARGET`` and ``<code>:PARTICIPANTS``.

Dimensions of participants (ADX attributes, DHIS2 category option combos ``F_DTTS_ADULT``):
``SEX`` F | M; ``ETHNICITY`` DTTS (ethnic minority, dân tộc thiểu số) | KINH (not a minority:
of the 54 groups only Kinh); ``AGE_GROUP`` ADULT | CHILD (under 16). Values without
disaggregation use DHIS2's ``default`` combo and carry no ADX dimension attribute.
"""

import datetime

from django.utils.translation import gettext as _

from duan8.activities.values import Cell, Measure
from duan8.orgunits.models import NATIONAL_CODE, OrgUnit
from duan8.orgunits.selectors import org_unit_resolve
from duan8.programs.models import ProgramElement

DATA_SET = "DA8_RESULTS"
SCHEME_TAGS = {
    OrgUnit.CodeScheme.QD124_2004: "QD124",
    OrgUnit.CodeScheme.QD19_2025: "QD19",
    OrgUnit.CodeScheme.LOCAL: "LOCAL",
}
SCHEMES_BY_TAG = {tag: scheme for scheme, tag in SCHEME_TAGS.items()}
MEASURE_SUFFIX = {
    Measure.VALUE: "",
    Measure.TARGET: ":TARGET",
    Measure.PARTICIPANTS: ":PARTICIPANTS",
}
SEX = {"F": "F", "M": "M"}
ETHNICITY = {True: "DTTS", False: "KINH"}
AGE_GROUP = {"adult": "ADULT", "child": "CHILD"}
DEFAULT_COMBO = "default"


def org_unit_code(unit: OrgUnit) -> str:
    if unit.level == OrgUnit.Level.NATIONAL:
        return NATIONAL_CODE  # the country: "VN", as in ISO 3166-1
    return f"VN-{SCHEME_TAGS[OrgUnit.CodeScheme(unit.code_scheme)]}-{unit.code}"


def org_unit_from_code(code: str, *, on: datetime.date) -> OrgUnit:
    """A unit from its stable code (``VN-QD19-21520``), or from an official code as it stood on
    ``on`` (``21520``: xã Ba Trang in 2023, xã Đặng Thùy Trâm in 2026)."""
    code = code.strip()
    if not code.upper().startswith("VN-"):
        return org_unit_resolve(code=code, on=on)
    _country, _sep, rest = code.partition("-")
    tag, _sep, local = rest.partition("-")
    scheme = SCHEMES_BY_TAG.get(tag.upper())
    units = list(OrgUnit.objects.filter(code_scheme=scheme, code=local)[:2]) if scheme else []
    if len(units) != 1:
        raise OrgUnit.DoesNotExist(_("No administrative unit has code %(code)s.") % {"code": code})
    return units[0]


def data_element_code(element: ProgramElement, measure: str) -> str:
    return element.code + MEASURE_SUFFIX[Measure(measure)]


def dimensions(cell: Cell | None) -> dict[str, str]:
    if cell is None:
        return {}
    return {
        "SEX": SEX[cell.sex],
        "ETHNICITY": ETHNICITY[cell.minority],
        "AGE_GROUP": AGE_GROUP[cell.age_group],
    }


def category_option_combo(cell: Cell | None) -> str:
    if cell is None:
        return DEFAULT_COMBO
    return "_".join(dimensions(cell).values())
