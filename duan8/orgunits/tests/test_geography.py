"""The real map of new Quảng Ngãi (old Quảng Ngãi + old Kon Tum), loaded once for the module."""

import datetime
import io
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from duan8.orgunits.geography import geography_load
from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
from duan8.orgunits.selectors import org_unit_ancestors, org_unit_lineage, org_unit_resolve

pytestmark = pytest.mark.django_db

OLD = OrgUnit.CodeScheme.QD124_2004
NEW = OrgUnit.CodeScheme.QD19_2025
L = OrgUnit.Level
REFORM = datetime.date(2025, 7, 1)


@pytest.fixture(scope="module")
def quang_ngai_map(django_db_setup, django_db_blocker):
    """Province 51 loaded outside the per-test transactions, removed when the module ends."""
    with django_db_blocker.unblock():
        result = geography_load(province_codes=["51"])
    yield result
    with django_db_blocker.unblock():
        OrgUnitSuccession.objects.filter(predecessor__code_scheme=OLD).delete()
        for level in (L.COMMUNE, L.DISTRICT, L.PROVINCE):
            OrgUnit.objects.filter(code_scheme__in=[OLD, NEW], level=level).delete()


def unit(scheme: str, level: int, code: str) -> OrgUnit:
    return OrgUnit.objects.get(code_scheme=scheme, level=level, code=code)


def map_counts() -> tuple[int, int]:
    return OrgUnit.objects.count(), OrgUnitSuccession.objects.count()


def test_loading_province_51_puts_ba_trang_under_ba_to_under_quang_ngai(quang_ngai_map):
    ba_trang = unit(OLD, L.COMMUNE, "21520")

    ancestors = org_unit_ancestors(ba_trang)

    assert ba_trang.full_name == "Xã Ba Trang"
    assert [(u.code, u.full_name) for u in ancestors] == [
        ("51", "Tỉnh Quảng Ngãi"),
        ("535", "Huyện Ba Tơ"),
    ]
    assert ba_trang.valid_from is None
    assert ba_trang.valid_to == datetime.date(2025, 6, 30)
    assert ba_trang.legal_act == "NQ 1677/NQ-UBTVQH15"


def test_loading_province_51_puts_dang_thuy_tram_21520_directly_under_new_quang_ngai(
    quang_ngai_map,
):
    dang_thuy_tram = unit(NEW, L.COMMUNE, "21520")

    assert dang_thuy_tram.full_name == "Xã Đặng Thùy Trâm"
    assert dang_thuy_tram.parent == unit(NEW, L.PROVINCE, "51")
    assert dang_thuy_tram.path == f"{dang_thuy_tram.parent.path}{dang_thuy_tram.pk:08d}/"
    assert dang_thuy_tram.valid_from == REFORM
    assert dang_thuy_tram.valid_to is None
    assert dang_thuy_tram.legal_act == "QĐ 19/2025/QĐ-TTg"


def test_ba_trang_and_ba_kham_merge_into_dang_thuy_tram_on_1_july_2025(quang_ngai_map):
    dang_thuy_tram = unit(NEW, L.COMMUNE, "21520")

    successions = OrgUnitSuccession.objects.filter(successor=dang_thuy_tram)

    assert sorted(s.predecessor.full_name for s in successions) == ["Xã Ba Khâm", "Xã Ba Trang"]
    assert {s.predecessor.code for s in successions} == {"21508", "21520"}
    assert {(s.kind, s.effective_on, s.is_primary) for s in successions} == {
        (OrgUnitSuccession.Kind.MERGED, REFORM, True)
    }


def test_code_21520_is_ba_trang_in_2023_and_dang_thuy_tram_in_2026(quang_ngai_map):
    assert org_unit_resolve(code="21520", on=datetime.date(2023, 5, 1)).full_name == "Xã Ba Trang"
    assert (
        org_unit_resolve(code="21520", on=datetime.date(2026, 1, 1)).full_name
        == "Xã Đặng Thùy Trâm"
    )


def test_loading_province_51_brings_old_kon_tum_into_new_quang_ngai(quang_ngai_map):
    kon_tum = unit(OLD, L.PROVINCE, "62")

    successions = OrgUnitSuccession.objects.filter(successor=unit(NEW, L.PROVINCE, "51"))

    assert kon_tum.full_name == "Tỉnh Kon Tum"
    assert OrgUnit.objects.filter(path__startswith=kon_tum.path, level=L.COMMUNE).count() > 80
    assert {
        (s.predecessor.code, s.kind) for s in successions if s.predecessor.level == L.PROVINCE
    } == {("51", "merged"), ("62", "merged")}
    assert quang_ngai_map.count(OLD, L.PROVINCE) == 2
    assert quang_ngai_map.count(NEW, L.COMMUNE) == 96
    assert quang_ngai_map.unmatched_keys == []


def test_every_old_district_ends_in_the_new_province_or_becomes_a_special_zone(quang_ngai_map):
    districts = OrgUnit.objects.filter(code_scheme=OLD, level=L.DISTRICT)

    successors = {
        s.predecessor.code: s.successor
        for s in OrgUnitSuccession.objects.filter(predecessor__in=districts)
    }

    assert len(successors) == districts.count()
    assert successors["535"] == unit(NEW, L.PROVINCE, "51")
    assert successors["536"].full_name == "Đặc khu Lý Sơn"


def test_the_five_unchanged_communes_of_quang_ngai_come_out_of_the_data(quang_ngai_map):
    unchanged = OrgUnitSuccession.objects.filter(
        kind=OrgUnitSuccession.Kind.UNCHANGED, predecessor__level=L.COMMUNE
    )

    assert sorted(s.successor.name for s in unchanged) == sorted(
        ["Đăk Long", "Ba Xa", "Rờ Kơi", "Mô Rai", "Ia Đal"]
    )


def test_a_split_commune_has_several_successions_and_exactly_one_primary(quang_ngai_map):
    split = OrgUnitSuccession.objects.filter(kind=OrgUnitSuccession.Kind.SPLIT)
    by_predecessor = Counter(s.predecessor_id for s in split)
    primaries = Counter(s.predecessor_id for s in split if s.is_primary)

    assert by_predecessor
    assert all(count >= 2 for count in by_predecessor.values())
    assert primaries == Counter(dict.fromkeys(by_predecessor, 1))


def test_loading_again_changes_no_counts(quang_ngai_map):
    before = map_counts()

    result = geography_load(province_codes=["51"])

    assert map_counts() == before
    assert (result.units_created, result.units_updated) == (0, 0)
    assert (result.successions_created, result.successions_updated) == (0, 0)


def test_loading_again_repairs_an_edited_unit_and_its_villages(quang_ngai_map):
    ba_trang = unit(OLD, L.COMMUNE, "21520")
    village = OrgUnit.objects.create(
        code_scheme=OrgUnit.CodeScheme.LOCAL,
        code="21520-01",
        level=L.VILLAGE,
        kind="Thôn",
        name="Bùi Hui",
        parent=ba_trang,
        path=f"{ba_trang.path}99999999/",
    )
    nghia_hanh = unit(OLD, L.DISTRICT, "532")
    OrgUnit.objects.filter(pk=ba_trang.pk).update(
        name="Ba Trang cũ", parent=nghia_hanh, path=f"{nghia_hanh.path}{ba_trang.pk:08d}/"
    )
    OrgUnit.objects.filter(pk=village.pk).update(
        path=f"{nghia_hanh.path}{ba_trang.pk:08d}/99999999/"
    )

    result = geography_load(province_codes=["51"])

    ba_trang.refresh_from_db()
    village.refresh_from_db()
    assert result.units_updated == 1
    assert (ba_trang.name, ba_trang.parent.code) == ("Ba Trang", "535")
    assert village.path == f"{ba_trang.path}99999999/"


def test_an_unknown_province_code_is_refused(quang_ngai_map):
    with pytest.raises(ValidationError):
        geography_load(province_codes=["99"])


def test_lineage_of_ba_trang_names_its_successor_and_ba_kham_in_three_queries(
    quang_ngai_map, django_assert_num_queries
):
    ba_trang = unit(OLD, L.COMMUNE, "21520")

    with django_assert_num_queries(3):
        lineage = org_unit_lineage(ba_trang)

    assert lineage["display_name"] == "Xã Ba Trang, Huyện Ba Tơ, Tỉnh Quảng Ngãi"
    assert lineage["predecessors"] == []
    [successor] = lineage["successors"]
    assert successor["display_name"] == "Xã Đặng Thùy Trâm, Tỉnh Quảng Ngãi"
    assert (successor["kind"], successor["effective_on"]) == ("merged", REFORM)
    assert successor["legal_act"] == "NQ 1677/NQ-UBTVQH15"
    assert [o["display_name"] for o in successor["others"]] == [
        "Xã Ba Khâm, Huyện Ba Tơ, Tỉnh Quảng Ngãi"
    ]


def test_lineage_of_dang_thuy_tram_lists_ba_kham_and_ba_trang_in_three_queries(
    quang_ngai_map, django_assert_num_queries
):
    dang_thuy_tram = unit(NEW, L.COMMUNE, "21520")

    with django_assert_num_queries(3):
        lineage = org_unit_lineage(dang_thuy_tram)

    assert [p["display_name"] for p in lineage["predecessors"]] == [
        "Xã Ba Khâm, Huyện Ba Tơ, Tỉnh Quảng Ngãi",
        "Xã Ba Trang, Huyện Ba Tơ, Tỉnh Quảng Ngãi",
    ]
    assert lineage["successors"] == []


def test_load_geography_command_prints_the_counts(quang_ngai_map):
    out = io.StringIO()

    with translation.override("en"):
        call_command("load_geography", "--province", "51", stdout=out)

    assert "Loaded 2 provinces, 23 districts and 272 communes" in out.getvalue()
    assert "Loaded 1 provinces, 0 districts and 96 communes" in out.getvalue()
    assert "Every converter key matched a unit." in out.getvalue()
