"""Finding likely duplicates (issue 13, point 3): exact matches on the ID number, likely ones by
blocking on the name without diacritics and the phone, across communes and the 2025 map."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from duan8.mothers.duplicates import (
    duplicates_check,
    duplicates_find,
    has_open_duplicates,
    reasons_text,
)
from duan8.mothers.models import DuplicateCandidate, Pregnancy
from duan8.mothers.tests.conftest import MothersWorld
from duan8.mothers.tests.dup_cases import case_make
from duan8.orgunits.models import OrgUnit
from duan8.testing import _village


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the catalogue translates them for users)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 10)


def test_same_id_number_is_an_exact_candidate(mothers_world: MothersWorld) -> None:
    first = case_make(village=mothers_world.village, id_number="051198001234")
    second = case_make(
        village=mothers_world.other_village,
        full_name="Dinh Thi Lann",
        birth_year=1990,
        id_number="0511 9800 1234",
        delivered_on=DAY + datetime.timedelta(days=40),
    )

    found = duplicates_check(second)

    assert len(found) == 1
    pair = found[0]
    assert (pair.first, pair.second, pair.exact) == (first, second, True)
    assert "same ID number" in reasons_text(pair.reasons)
    assert has_open_duplicates(first) and has_open_duplicates(second)


def test_same_id_number_a_year_later_is_her_next_pregnancy(mothers_world: MothersWorld) -> None:
    case_make(village=mothers_world.village, id_number="051198001234")
    later = case_make(
        village=mothers_world.village,
        id_number="051198001234",
        delivered_on=DAY + datetime.timedelta(days=420),
    )

    assert duplicates_check(later) == []
    assert not has_open_duplicates(later)


def test_same_name_year_commune_and_close_dates_is_likely(mothers_world: MothersWorld) -> None:
    first = case_make(village=mothers_world.village, full_name="Đinh Thị Lan")
    second = case_make(
        village=mothers_world.villages["Bùi Hui"],
        full_name="dinh  thi LAN",
        delivered_on=DAY + datetime.timedelta(days=3),
    )

    [pair] = duplicates_check(second)

    assert not pair.exact
    assert pair.first == first
    assert reasons_text(pair.reasons) == [
        "same name without diacritics",
        "same year of birth",
        "same commune",
        "delivery dates 3 days apart",
    ]
    assert pair.score >= 60


def test_a_different_woman_of_the_same_name_is_not_raised(mothers_world: MothersWorld) -> None:
    case_make(village=mothers_world.village, birth_year=1998)
    older = case_make(village=mothers_world.village, birth_year=1985)
    far = case_make(
        village=mothers_world.village,
        full_name="Đinh Thị Lan",
        delivered_on=DAY + datetime.timedelta(days=90),
    )

    assert duplicates_check(older) == []
    assert duplicates_check(far) == []


def test_the_merged_commune_is_the_same_lineage(
    mothers_world: MothersWorld, ba_trang_merger: OrgUnit
) -> None:
    """A woman proposed in xã Ba Trang in June 2025 and again in xã Đặng Thùy Trâm in July."""
    nuoc_dang_new = _village(ba_trang_merger, "DTT-01", "Nước Đang")
    first = case_make(village=mothers_world.village, delivered_on=datetime.date(2025, 6, 28))
    second = case_make(village=nuoc_dang_new, delivered_on=datetime.date(2025, 7, 1))

    [pair] = duplicates_check(second)

    assert pair.first == first
    assert "same commune (before/after the merger)" in reasons_text(pair.reasons)


def test_same_phone_in_the_same_commune_with_another_spelling(
    mothers_world: MothersWorld,
) -> None:
    case_make(village=mothers_world.village, full_name="Đinh Thị Lan", phone="0905123456")
    other = case_make(village=mothers_world.village, full_name="Đinh Thị Lanh", phone="0905123456")

    [pair] = duplicates_check(other)

    assert "same phone number" in reasons_text(pair.reasons)


def test_rejected_and_set_aside_cases_are_not_compared(mothers_world: MothersWorld) -> None:
    case_make(village=mothers_world.village, status=Pregnancy.Status.REJECTED)
    case_make(village=mothers_world.village, status=Pregnancy.Status.DUPLICATE)
    new = case_make(village=mothers_world.village)

    assert duplicates_check(new) == []


def test_check_again_after_a_correction_drops_the_pair(mothers_world: MothersWorld) -> None:
    case_make(village=mothers_world.village)
    second = case_make(village=mothers_world.village)
    assert len(duplicates_check(second)) == 1

    second.mother.full_name = "Phạm Thị Hoa"
    second.mother.name_key = "pham thi hoa"
    second.mother.save()

    assert duplicates_check(second) == []
    assert DuplicateCandidate.objects.count() == 0


def test_find_over_an_area_is_idempotent_and_respects_dismissals(
    mothers_world: MothersWorld,
) -> None:
    case_make(village=mothers_world.village)
    case_make(village=mothers_world.village, delivered_on=DAY + datetime.timedelta(days=1))
    case_make(village=mothers_world.village, full_name="Hồ Thị Đào", id_number="051198009999")
    case_make(village=mothers_world.other_village, full_name="Ho Thi Dao", id_number="051198009999")
    case_make(village=mothers_world.village, full_name="Phạm Thị Mai")

    assert duplicates_find(communes=[mothers_world.commune]) == 2
    assert duplicates_find(communes=[mothers_world.commune]) == 0
    assert duplicates_find() == 0

    DuplicateCandidate.objects.update(status=DuplicateCandidate.Status.DISMISSED)
    assert duplicates_find() == 0
    assert DuplicateCandidate.objects.filter(status="open").count() == 0


def test_find_over_the_other_commune_reaches_the_pair_across(mothers_world: MothersWorld) -> None:
    case_make(village=mothers_world.village, id_number="051198009999")
    case_make(village=mothers_world.other_village, id_number="051198009999")

    assert duplicates_find(communes=[mothers_world.other_commune]) == 1
    assert DuplicateCandidate.objects.get().exact


def test_a_case_without_delivery_uses_the_expected_date(mothers_world: MothersWorld) -> None:
    case_make(village=mothers_world.village)
    waiting = case_make(
        village=mothers_world.village, delivered_on=None, expected_on=DAY + datetime.timedelta(5)
    )

    [pair] = duplicates_check(waiting)

    assert "delivery dates 5 days apart" in reasons_text(pair.reasons)


def test_the_command_finds_pairs_once(mothers_world: MothersWorld) -> None:
    from io import StringIO

    from django.core.management import call_command

    case_make(village=mothers_world.village)
    case_make(village=mothers_world.village)
    out = StringIO()

    call_command("find_duplicates", "--unit", "21520", "--on", "2025-03-01", stdout=out)
    call_command("find_duplicates", stdout=out)

    assert DuplicateCandidate.objects.count() == 1
    assert out.getvalue().startswith("1 ")


def test_a_woman_who_moved_is_caught_when_the_dates_are_close(
    mothers_world: MothersWorld,
) -> None:
    """Xã Ba Khâm is not linked to xã Ba Trang before the merger: another commune counts against
    a pair, so only close dates raise it."""
    case_make(village=mothers_world.village)
    close = case_make(
        village=mothers_world.other_village, delivered_on=DAY + datetime.timedelta(days=2)
    )
    [pair] = duplicates_check(close)
    far = case_make(
        village=mothers_world.other_village,
        full_name="Đinh Thị Lan",
        delivered_on=DAY + datetime.timedelta(days=25),
    )

    assert "different communes" in reasons_text(pair.reasons)
    # 25 days from the first case in another commune: only the pair with ``close`` (same commune)
    assert [p.first_id for p in duplicates_check(far)] == [close.pk]


def test_a_proposal_through_the_registry_raises_the_pair_and_blocks_verifying(
    mothers_world: MothersWorld, proposed_case: Pregnancy
) -> None:
    from django.core.exceptions import ValidationError

    from duan8.mothers.services.registry import mother_propose, pregnancy_verify
    from duan8.mothers.tests.conftest import case_input

    again = mother_propose(
        actor=mothers_world.health_station,
        data=case_input(
            full_name="Dinh Thi Lan", id_number="", village=mothers_world.villages["Bùi Hui"]
        ),
    )

    assert has_open_duplicates(again) and has_open_duplicates(proposed_case)
    with pytest.raises(ValidationError):
        pregnancy_verify(
            actor=mothers_world.officer, pregnancy=again, expected_version=again.version
        )
