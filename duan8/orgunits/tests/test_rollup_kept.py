"""Kept roll-up maps (issue 18, load): a commune's map is read once, then kept while the map does
not change; the database changes the map's state on every write to the units or successions,
whoever writes (a save, ``QuerySet.update``, ``bulk_create``, a delete, raw SQL), so no page
ever shows figures on a map that is no longer the map."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
from duan8.orgunits.rollup import org_unit_map_state, org_unit_rollup, org_unit_rollup_map

D = datetime.date
L = OrgUnit.Level
TODAY = D(2026, 1, 1)


def counted(unit: OrgUnit, on: datetime.date = TODAY) -> dict[int, int]:
    return dict(org_unit_rollup(unit, on=on).targets)


def fresh(unit: OrgUnit, on: datetime.date = TODAY) -> dict[int, int]:
    return dict(org_unit_rollup_map(unit, on=on).targets)


def test_a_commune_s_map_is_read_once_then_kept(ba_trang_merger, villages):
    first = counted(ba_trang_merger)
    with CaptureQueriesContext(connection) as again:
        second = counted(ba_trang_merger)

    assert second == first == fresh(ba_trang_merger)
    assert villages["Bùi Hui"].pk in second  # xã Ba Trang's villages count in Đặng Thùy Trâm
    assert len(again) == 1  # the map's state, nothing else


def test_a_new_village_is_counted_at_once(ba_trang_merger, ba_trang, villages):
    counted(ba_trang_merger)
    bulk = OrgUnit.objects.bulk_create(
        [
            OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code="21520-09",
                level=L.VILLAGE,
                kind="Thôn",
                name="Làng Mới",
                parent=ba_trang,
                path=f"{ba_trang.path}{99999999:08d}/",
            )
        ]
    )

    assert bulk[0].pk in counted(ba_trang_merger)
    assert counted(ba_trang_merger) == fresh(ba_trang_merger)


def test_a_village_moved_by_an_update_is_seen(ba_trang_merger, ba_kham, villages):
    """``QuerySet.update`` sends no signal: the database's trigger still changes the state."""
    moved = villages["Bùi Hui"]
    before = counted(ba_kham, on=D(2024, 1, 1))
    assert moved.pk not in before

    OrgUnit.objects.filter(pk=moved.pk).update(
        parent=ba_kham, path=f"{ba_kham.path}{moved.pk:08d}/"
    )

    assert moved.pk in counted(ba_kham, on=D(2024, 1, 1))


def test_a_succession_deleted_is_seen(ba_trang_merger, ba_trang, villages):
    assert ba_trang.pk in counted(ba_trang_merger)

    OrgUnitSuccession.objects.filter(predecessor=ba_trang).delete()

    assert ba_trang.pk not in counted(ba_trang_merger)
    assert counted(ba_trang_merger) == fresh(ba_trang_merger)


def test_raw_sql_changes_the_state(ba_trang_merger):
    state = org_unit_map_state()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orgunits_orgunit SET name = name WHERE id = %s", [ba_trang_merger.pk]
        )

    assert org_unit_map_state() != state
    assert org_unit_map_state() is not None


def test_a_change_rolled_back_leaves_the_map_it_found(ba_trang_merger, ba_trang, villages):
    """Inside the transaction the change is seen (and that map kept under its state); after the
    rollback the state is the one before, and so is the map: the map kept inside is never
    read again."""
    before = counted(ba_trang_merger)
    with pytest.raises(RuntimeError), transaction.atomic():
        OrgUnitSuccession.objects.filter(predecessor=ba_trang).delete()
        assert ba_trang.pk not in counted(ba_trang_merger)
        raise RuntimeError

    assert counted(ba_trang_merger) == before
    assert ba_trang.pk in counted(ba_trang_merger)


def test_without_a_state_nothing_is_kept(ba_trang_merger, ba_trang):
    """A database emptied by hand (no state row): every map is read again, so still right."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM orgunits_map_state")
    counted(ba_trang_merger)
    with CaptureQueriesContext(connection) as again:
        assert ba_trang.pk in counted(ba_trang_merger)

    assert org_unit_map_state() is None
    assert len(again) > 1


def test_the_kept_maps_are_bounded_by_the_units_they_hold(ba_trang_merger, villages):
    """A worker keeps maps up to a number of units, not of maps: a province's map weighs
    thousands of communes' (memory), and the least recently read goes first."""
    from duan8.orgunits.rollup import _Kept

    big = org_unit_rollup_map(ba_trang_merger, on=TODAY)
    size = len(big.targets) + 1
    kept = _Kept(units=2 * size, maps=100)
    kept.put(("a",), big)
    kept.put(("b",), big)
    assert kept.get(("a",)) is big  # now read more recently than "b"
    kept.put(("c",), big)

    assert kept.get(("b",)) is None
    assert kept.get(("a",)) is big
    assert kept.get(("c",)) is big
    assert kept.units == 2 * size
