"""The national roll-up map read in one pass (issue 14, performance): it places every unit's
records in the province the values engine's map of that province places them, before and after
the 2025 reform, and its number of queries does not grow with the number of provinces."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duan8.orgunits.models import OrgUnit
from duan8.orgunits.rollup import org_unit_rollup_map, org_unit_rollup_national
from duan8.orgunits.tests.factories import make_unit

D = datetime.date
L = OrgUnit.Level


def per_province(on, records_until=None):
    """What the national map must equal: each province's own map, merged."""
    provinces = [
        unit
        for unit in OrgUnit.objects.filter(level=L.PROVINCE).order_by("path")
        if unit.is_valid_on(on)
    ]
    merged = {}
    for province in provinces:
        rollup = org_unit_rollup_map(province, on=on, records_until=records_until)
        merged.update(dict.fromkeys(rollup.path_targets, province.pk))
    return provinces, merged


@pytest.fixture
def kon_tum(db):
    """A second province the reform leaves alone, with a district and a commune."""
    province = make_unit(code="62", name="Kon Tum", level=L.PROVINCE, kind="Tỉnh")
    district = make_unit(
        code="610", name="Đăk Glei", level=L.DISTRICT, kind="Huyện", parent=province
    )
    make_unit(code="23284", name="Đăk Choong", level=L.COMMUNE, kind="Xã", parent=district)
    return province


@pytest.mark.parametrize(
    ("on", "records_until"),
    [
        (D(2023, 6, 30), D(2023, 12, 31)),
        (D(2023, 6, 30), None),
        (D(2025, 6, 30), D(2025, 12, 31)),
        (D(2026, 1, 1), D(2023, 12, 31)),
        (D(2026, 1, 1), None),
    ],
)
def test_the_one_pass_map_equals_the_provinces_maps(
    ba_trang_merger, villages, ba_kham_village, kon_tum, on, records_until
):
    provinces, path_targets = org_unit_rollup_national(on=on, records_until=records_until)
    expected_provinces, expected = per_province(on, records_until)

    assert provinces == expected_provinces
    assert path_targets == expected


def test_ba_trang_counts_in_old_quang_ngai_before_the_reform_and_in_the_new_one_after(
    ba_trang_merger, ba_trang, quang_ngai, new_quang_ngai, villages, kon_tum
):
    _provinces, before = org_unit_rollup_national(on=D(2024, 1, 1))
    _provinces, after = org_unit_rollup_national(on=D(2026, 1, 1))

    assert before[ba_trang.path] == quang_ngai.pk
    assert before[villages["Bùi Hui"].path] == quang_ngai.pk
    assert after[ba_trang.path] == new_quang_ngai.pk
    assert after[villages["Bùi Hui"].path] == new_quang_ngai.pk
    assert before[kon_tum.path] == kon_tum.pk


def test_the_queries_do_not_grow_with_the_provinces(ba_trang_merger, kon_tum):
    with CaptureQueriesContext(connection) as few:
        org_unit_rollup_national(on=D(2026, 1, 1))
    for code in ("64", "66", "67"):
        make_unit(code=code, name=f"Tỉnh {code}", level=L.PROVINCE, kind="Tỉnh")
    with CaptureQueriesContext(connection) as more:
        org_unit_rollup_national(on=D(2026, 1, 1))

    # Việt Nam, the map's state, then its children, successions (two halves) and units
    assert len(more) == len(few) == 5


def test_the_country_s_map_is_kept_until_the_map_changes(ba_trang_merger, kon_tum):
    before = org_unit_rollup_national(on=D(2026, 1, 1))
    with CaptureQueriesContext(connection) as kept:
        again = org_unit_rollup_national(on=D(2026, 1, 1))
    assert again == before
    assert len(kept) == 2  # Việt Nam and the map's state: nothing else is read

    late = make_unit(
        code="68",
        name="Tỉnh 68",
        level=L.PROVINCE,
        kind="Tỉnh",
        valid_to=None,
        scheme=OrgUnit.CodeScheme.QD19_2025,
    )
    provinces, _targets = org_unit_rollup_national(on=D(2026, 1, 1))
    assert late in provinces
