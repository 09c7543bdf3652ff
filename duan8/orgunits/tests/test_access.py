import datetime

import pytest
from django.core.exceptions import ValidationError

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.orgunits.selectors import org_unit_resolve, org_units_visible_to
from duan8.orgunits.services import org_unit_attribute_set, village_create


def test_commune_officer_sees_the_commune_and_its_villages_only(
    commune_officer, villages, ba_kham_village, ba_to
):
    visible = set(org_units_visible_to(commune_officer))

    assert set(villages.values()) <= visible
    assert ba_kham_village not in visible
    assert ba_to not in visible


def test_village_head_sees_only_their_village(village_head, villages, ba_trang):
    visible = set(org_units_visible_to(village_head))

    assert visible == {villages["Nước Đang"]}
    assert ba_trang not in visible


def test_district_reviewer_sees_every_commune_of_the_district(
    district_reviewer, ba_trang, ba_kham, villages
):
    visible = set(org_units_visible_to(district_reviewer))

    assert {ba_trang, ba_kham, villages["Bùi Hui"]} <= visible


def test_a_user_without_roles_sees_nothing(db, ba_trang):
    assert not org_units_visible_to(UserFactory()).exists()


def test_an_ended_role_gives_no_access(db, ba_trang):
    user = UserFactory()
    held = membership(user, ba_trang, "commune_wu_officer")
    held.valid_to = datetime.date(2020, 1, 1)
    held.save()

    assert not can(user, "plans.edit", ba_trang)
    assert not org_units_visible_to(user).exists()


def test_rights_do_not_flow_upwards_or_sideways(commune_officer, ba_to, ba_kham, ba_trang):
    assert can(commune_officer, "plans.edit", ba_trang)
    assert not can(commune_officer, "plans.edit", ba_to)
    assert not can(commune_officer, "plans.edit", ba_kham)
    assert not can(commune_officer, "plans.approve", ba_trang)


def test_code_21520_is_ba_trang_in_2023_and_dang_thuy_tram_in_2026(ba_trang, dang_thuy_tram):
    assert org_unit_resolve(code="21520", on=datetime.date(2023, 9, 25)) == ba_trang
    assert org_unit_resolve(code="21520", on=datetime.date(2026, 1, 1)) == dang_thuy_tram


def test_a_code_unknown_at_the_date_is_refused(ba_trang):
    with pytest.raises(OrgUnit.DoesNotExist):
        org_unit_resolve(code="21520", on=datetime.date(2026, 1, 1))


def test_a_village_must_be_placed_under_a_commune(commune_officer, ba_to, ba_trang):
    commune_officer.is_superuser = True  # rights are not what is tested here

    with pytest.raises(ValidationError) as error:
        village_create(commune=ba_to, name="Thôn Mới", actor=commune_officer)

    assert "Huyện Ba Tơ" in error.value.messages[0]
    assert not OrgUnit.objects.filter(name="Thôn Mới").exists()


def test_commune_officer_creates_a_village_with_a_local_code(commune_officer, villages, ba_trang):
    village = village_create(commune=ba_trang, name="Thôn Gò Khế", actor=commune_officer)

    assert village.parent == ba_trang
    assert village.code == "21520-04"
    assert village.path.startswith(ba_trang.path)
    assert village.valid_to == ba_trang.valid_to


def test_a_duplicate_village_name_is_refused(commune_officer, villages, ba_trang):
    with pytest.raises(ValidationError):
        village_create(commune=ba_trang, name="nước đang", actor=commune_officer)


def test_another_commune_cannot_add_villages_here(other_commune_officer, ba_trang):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        village_create(commune=ba_trang, name="Thôn X", actor=other_commune_officer)


def test_especially_difficult_is_a_dated_village_attribute(commune_officer, villages, ba_trang):
    attribute = org_unit_attribute_set(
        unit=villages["Bùi Hui"],
        key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
        valid_from=datetime.date(2021, 9, 16),
        actor=commune_officer,
    )

    assert attribute.is_valid_on(datetime.date(2023, 1, 1))
    assert not attribute.is_valid_on(datetime.date(2021, 1, 1))
    with pytest.raises(ValidationError):
        org_unit_attribute_set(
            unit=ba_trang,
            key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
            valid_from=datetime.date(2021, 9, 16),
            actor=commune_officer,
        )
