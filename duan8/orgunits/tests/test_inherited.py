"""A commune's villages on a date, with those inherited through the succession records
(issue 12, point 5)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duan8.accounts.permissions import PLANS_EDIT, PLANS_VIEW, RECORDS_EDIT, RECORDS_VIEW
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.access import can
from duan8.orgunits.inherited import villages_on
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.services import org_unit_save_with_path

DAY_2027 = datetime.date(2027, 1, 1)


def _names(units: list[OrgUnit]) -> list[str]:
    return [unit.name for unit in units]


def test_the_merged_commune_lists_the_villages_it_inherited(ba_trang_merger, villages):
    with CaptureQueriesContext(connection) as queries:
        found = villages_on(commune=ba_trang_merger, on=DAY_2027)

    assert _names(found) == ["Bùi Hui", "Kon Riêng", "Nước Đang"]
    assert len(queries) <= 3


def test_villages_of_both_predecessors_and_its_own_are_listed_by_name(
    ba_trang_merger, villages, ba_kham_village
):
    own = org_unit_save_with_path(
        OrgUnit(
            code_scheme=OrgUnit.CodeScheme.LOCAL,
            code="21520-N1",
            name="An Lạc",
            level=OrgUnit.Level.VILLAGE,
            kind="Thôn",
            parent=ba_trang_merger,
            valid_from=datetime.date(2026, 3, 1),
        )
    )

    assert _names(villages_on(commune=ba_trang_merger, on=DAY_2027)) == [
        "An Lạc",
        "Bùi Hui",
        "Kon Riêng",
        "Làng Rêu",
        "Nước Đang",
    ]
    # before its own village was created, only the inherited ones
    assert own not in villages_on(commune=ba_trang_merger, on=datetime.date(2026, 1, 1))


def test_without_succession_records_nothing_is_inherited(dang_thuy_tram, villages):
    assert villages_on(commune=dang_thuy_tram, on=DAY_2027) == []


def test_the_commune_did_not_exist_before_the_reform(ba_trang_merger, villages):
    assert villages_on(commune=ba_trang_merger, on=datetime.date(2024, 1, 1)) == []


def test_a_village_that_ended_before_its_commune_is_not_inherited(ba_trang_merger, villages):
    gone = villages["Kon Riêng"]
    gone.valid_to = datetime.date(2024, 12, 31)
    gone.save(update_fields=["valid_to"])

    assert _names(villages_on(commune=ba_trang_merger, on=DAY_2027)) == ["Bùi Hui", "Nước Đang"]


def test_the_predecessor_keeps_its_own_villages_until_it_ends(ba_trang_merger, villages, ba_trang):
    assert _names(villages_on(commune=ba_trang, on=datetime.date(2024, 6, 1))) == [
        "Bùi Hui",
        "Kon Riêng",
        "Nước Đang",
    ]
    assert villages_on(commune=ba_trang, on=DAY_2027) == []


def test_the_merged_communes_officer_reads_the_inherited_villages_but_does_not_write(
    ba_trang_merger, villages
):
    """Reading reaches the predecessors' units (``READ_THROUGH_HISTORY``); writing does not, and
    this point does not widen it."""
    officer = UserFactory.create(username="hlhpn.dangthuytram")
    membership(officer, ba_trang_merger, "commune_wu_officer")
    village = villages["Bùi Hui"]

    assert can(officer, PLANS_VIEW, village) and can(officer, RECORDS_VIEW, village)
    assert not can(officer, PLANS_EDIT, village)
    assert not can(officer, RECORDS_EDIT, village)
