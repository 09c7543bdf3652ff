"""Renaming, merging and splitting villages (issue 12, point 7): services and the roll-up."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from duan8.core.audit import AuditEvent
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute, OrgUnitSuccession
from duan8.orgunits.rollup import org_unit_rollup_map
from duan8.orgunits.selectors import org_unit_children_as_of
from duan8.orgunits.villages import village_rename, village_split, villages_merge

D = datetime.date
DBKK = OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE


@pytest.fixture
def act(db):
    return LegalDocument.objects.create(
        kind=LegalDocument.Kind.RESOLUTION,
        number="12",
        symbol="NQ-HĐND",
        issued_on=D(2023, 8, 20),
        issuer="Hội đồng nhân dân tỉnh Quảng Ngãi",
        title="Sáp nhập, đặt tên thôn",
    )


def fields(exc):
    return set(exc.value.message_dict)


def test_rename_ends_the_village_and_a_new_one_takes_over(villages, commune_officer, act):
    old = villages["Kon Riêng"]
    OrgUnitAttribute.objects.create(org_unit=old, key=DBKK, valid_from=D(2021, 9, 16))

    new = village_rename(
        village=old,
        name="Kon Riêng Mới",
        effective_on=D(2023, 9, 1),
        actor=commune_officer,
        decision=act,
    )

    old.refresh_from_db()
    assert old.valid_to == D(2023, 8, 31)
    assert (new.name, new.valid_from, new.parent_id) == (
        "Kon Riêng Mới",
        D(2023, 9, 1),
        old.parent_id,
    )
    edge = OrgUnitSuccession.objects.get(predecessor=old)
    assert (edge.successor, edge.kind, edge.effective_on) == (new, "renamed", D(2023, 9, 1))
    assert "12/NQ-HĐND" in edge.legal_act
    assert new.attributes.get(key=DBKK).valid_from == D(2023, 9, 1)
    assert old.attributes.get(key=DBKK).valid_to == D(2023, 8, 31)
    names_2024 = {v.name for v in org_unit_children_as_of(old.parent, D(2024, 1, 1))}
    assert names_2024 == {"Bùi Hui", "Kon Riêng Mới", "Nước Đang"}
    assert AuditEvent.objects.filter(action="orgunits.village.renamed").count() == 1


def test_merge_of_two_villages_counts_their_records_in_the_new_one_after_the_merger(
    villages, commune_officer, act
):
    a, b = villages["Nước Đang"], villages["Kon Riêng"]

    merged = villages_merge(
        villages=[a, b],
        name="Nước Đang",
        effective_on=D(2023, 9, 1),
        actor=commune_officer,
        decision=act,
    )

    assert {e.predecessor for e in OrgUnitSuccession.objects.filter(successor=merged)} == {a, b}
    after = org_unit_rollup_map(a.parent, on=D(2023, 12, 31))
    assert after.target_of(a.pk) == merged.pk
    assert after.target_of(b.pk) == merged.pk
    before = org_unit_rollup_map(a.parent, on=D(2023, 6, 30))
    assert before.target_of(a.pk) == a.pk
    assert before.target_of(b.pk) == b.pk


def test_split_gives_the_records_to_the_first_new_village(villages, commune_officer):
    old = villages["Bùi Hui"]

    first, second = village_split(
        village=old,
        names=["Bùi Hui", "Bùi Hui Hạ"],
        effective_on=D(2024, 1, 1),
        actor=commune_officer,
    )

    edges = OrgUnitSuccession.objects.filter(predecessor=old).order_by("-is_primary")
    assert [(e.successor, e.kind, e.is_primary) for e in edges] == [
        (first, "split", True),
        (second, "split", False),
    ]
    assert org_unit_rollup_map(old.parent, on=D(2024, 3, 1)).target_of(old.pk) == first.pk
    assert first.code != second.code


@pytest.mark.parametrize(
    ("effective_on", "field"),
    [
        (None, "effective_on"),
        (D(2025, 8, 1), "effective_on"),  # the village (and Ba Trang) ended on 30/6/2025
        (D(2023, 8, 1), "decision"),  # the act is dated 20/8/2023, after the change
    ],
)
def test_bad_dates_are_refused_naming_the_field(
    villages, commune_officer, act, effective_on, field
):
    with pytest.raises(ValidationError) as exc:
        village_rename(
            village=villages["Kon Riêng"],
            name="Tên mới",
            effective_on=effective_on,
            actor=commune_officer,
            decision=act,
        )

    assert field in fields(exc)
    assert OrgUnit.objects.filter(name="Tên mới").count() == 0
    assert OrgUnitSuccession.objects.count() == 0


def test_a_date_far_in_the_future_is_refused(commune_officer, ba_trang):
    village = OrgUnit.objects.create(
        code_scheme="local", code="x-1", level=4, kind="Thôn", name="Thôn Mới", parent=ba_trang
    )
    with pytest.raises(ValidationError) as exc:
        village_rename(
            village=village,
            name="Tên mới",
            actor=commune_officer,
            effective_on=timezone.localdate() + datetime.timedelta(days=800),
        )

    assert fields(exc) == {"effective_on"}


def test_a_date_before_the_village_began_is_refused(villages, commune_officer):
    merged = villages_merge(
        villages=[villages["Nước Đang"], villages["Kon Riêng"]],
        name="Hợp Nhất",
        effective_on=D(2023, 9, 1),
        actor=commune_officer,
    )

    with pytest.raises(ValidationError) as exc:
        village_rename(
            village=merged, name="Tên khác", effective_on=D(2023, 5, 1), actor=commune_officer
        )

    assert fields(exc) == {"effective_on"}
    assert "01/09/2023" in str(exc.value)  # the day it began


def test_a_name_used_by_another_village_that_day_is_refused(villages, commune_officer):
    with pytest.raises(ValidationError) as exc:
        village_rename(
            village=villages["Kon Riêng"],
            name="bùi hui",
            effective_on=D(2024, 1, 1),
            actor=commune_officer,
        )

    assert fields(exc) == {"name"}
    assert villages["Kon Riêng"].successions_out.count() == 0


def test_split_names_must_differ_from_each_other_and_the_others(villages, commune_officer):
    with pytest.raises(ValidationError) as exc:
        village_split(
            village=villages["Bùi Hui"],
            names=["Nước Đang", "A", "a"],
            effective_on=D(2024, 1, 1),
            actor=commune_officer,
        )

    assert fields(exc) == {"names.0", "names.2"}
    assert OrgUnit.objects.filter(name="A").count() == 0


def test_villages_of_different_communes_are_not_merged(villages, ba_kham_village, commune_officer):
    with pytest.raises(ValidationError) as exc:
        villages_merge(
            villages=[villages["Nước Đang"], ba_kham_village],
            name="Chung",
            effective_on=D(2024, 1, 1),
            actor=commune_officer,
        )

    assert fields(exc) == {"villages"}
    assert OrgUnitSuccession.objects.count() == 0


def test_another_communes_officer_cannot_change_the_villages(villages, other_commune_officer):
    with pytest.raises(PermissionDenied):
        village_rename(
            village=villages["Kon Riêng"],
            name="Tên mới",
            effective_on=D(2024, 1, 1),
            actor=other_commune_officer,
        )

    assert OrgUnit.objects.filter(name="Tên mới").count() == 0


def test_the_communes_progress_counts_a_merged_villages_records_in_the_new_village(
    ba_trang_plan, villages, commune_officer, indicator_rules, ethnic_groups
):
    from duan8.activities.selectors.progress import plan_progress
    from duan8.activities.tests.test_progress import TEAMS, lines, per_village, team

    team(commune_officer, villages["Nước Đang"], D(2023, 10, 2), plan=ba_trang_plan)
    team(commune_officer, villages["Kon Riêng"], D(2021, 5, 1), name="Tổ Kon Riêng")
    before = per_village(lines(plan_progress(actor=commune_officer, plan=ba_trang_plan))[TEAMS])

    villages_merge(
        villages=[villages["Nước Đang"], villages["Kon Riêng"]],
        name="Nước Đang Kon Riêng",
        effective_on=D(2023, 12, 1),
        actor=commune_officer,
    )
    after = per_village(lines(plan_progress(actor=commune_officer, plan=ba_trang_plan))[TEAMS])

    assert before == {"Bùi Hui": 0, "Kon Riêng": 1, "Nước Đang": 1}
    assert after == {"Bùi Hui": 0, "Nước Đang Kon Riêng": 2}


def test_a_date_before_the_commune_existed_is_refused_for_an_undated_village(
    dang_thuy_tram, commune_officer
):
    from duan8.accounts.tests.factories import membership

    membership(commune_officer, dang_thuy_tram, "commune_wu_officer")
    village = OrgUnit.objects.create(
        code_scheme="local",
        code="dtt-1",
        level=4,
        kind="Thôn",
        name="Thôn A",
        parent=dang_thuy_tram,
    )

    with pytest.raises(ValidationError) as exc:
        village_rename(
            village=village, name="Thôn B", effective_on=D(2024, 1, 1), actor=commune_officer
        )

    assert fields(exc) == {"effective_on"}
    assert "01/07/2025" in str(exc.value)  # the day the commune began
