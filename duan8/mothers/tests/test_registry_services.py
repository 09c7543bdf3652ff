"""The registry's services: propose one or many, correct, verify, reject; same woman; audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from duan8.accounts.models import Role
from duan8.accounts.tests.factories import membership
from duan8.core.audit import AuditEvent
from duan8.core.concurrency import EditConflict
from duan8.core.problems import Invalid
from duan8.mothers import crypto
from duan8.mothers.models import AntenatalVisit, Child, DuplicateCandidate, Mother, Pregnancy
from duan8.mothers.names import id_form_ok, name_key, normalise_id
from duan8.mothers.services.registry import (
    case_input_of,
    mother_propose,
    mothers_propose_many,
    pregnancy_reject,
    pregnancy_update,
    pregnancy_verify,
)
from duan8.mothers.tests.conftest import case_input

P = Pregnancy.Status


def test_name_key_strips_vietnamese_marks_and_spaces():
    assert name_key("  Hồ Thị   ĐÀO ") == "ho thi dao"
    assert name_key("Đinh Thị Lan") == name_key("dinh thi  lan")


def test_normalise_id_keeps_digits_of_the_two_forms():
    assert normalise_id("0511 9800-1234") == "051198001234"
    assert id_form_ok("051198001234")
    assert id_form_ok("211234567")
    assert not id_form_ok("12345")
    assert not id_form_ok("")


def test_health_station_proposes_a_case_with_its_details(mothers_world):
    case = mother_propose(actor=mothers_world.health_station, data=case_input())

    case.refresh_from_db()
    assert case.status == P.PROPOSED
    assert case.village == mothers_world.village
    assert case.babies == 1
    assert case.days_at_facility == 3
    assert case.proposed_by == mothers_world.health_station
    mother = case.mother
    assert mother.name_key == "dinh thi lan"
    assert mother.id_number == "051198001234"
    assert mother.id_number_index == crypto.blind_index("051198001234")
    assert mother.ethnic_group.code == "19"
    assert case.antenatal_visits.count() == 3
    assert list(case.children.values_list("sex", flat=True)) == ["F"]


def test_the_proposal_is_audited_without_id_number_or_health_values(mothers_world):
    case = mother_propose(actor=mothers_world.health_station, data=case_input())

    event = AuditEvent.objects.get(action="mothers.case.proposed", target_id=str(case.pk))
    text = repr(event.before) + repr(event.after) + event.message
    assert "051198001234" not in text
    assert "1234" not in text
    assert "2025-03-15" not in text
    assert "expected_on" in event.after["fields"]


def test_the_id_number_is_stored_encrypted(mothers_world):
    case = mother_propose(actor=mothers_world.health_station, data=case_input())

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_number FROM {Mother._meta.db_table} WHERE id = %s",  # noqa: S608
            [case.mother_id],
        )
        (raw,) = cursor.fetchone()
    assert raw
    assert "051198001234" not in raw


def test_village_health_worker_proposes_in_her_village(mothers_world):
    case = mother_propose(actor=mothers_world.health_worker, data=case_input())

    assert case.village.name == "Nước Đang"


def test_village_health_worker_must_not_propose_in_another_village(mothers_world):
    data = case_input(village=mothers_world.villages["Bùi Hui"])

    with pytest.raises(PermissionDenied):
        mother_propose(actor=mothers_world.health_worker, data=data)
    assert not Pregnancy.objects.exists()


@pytest.mark.parametrize(
    "who", ["officer", "leader", "accountant", "province_reviewer", "fatherland_front"]
)
def test_only_the_health_side_may_propose(mothers_world, who):
    with pytest.raises(PermissionDenied):
        mother_propose(actor=getattr(mothers_world, who), data=case_input())
    assert not Mother.objects.exists()


def test_another_communes_health_station_must_not_propose_here(mothers_world):
    with pytest.raises(PermissionDenied):
        mother_propose(actor=mothers_world.other_health_station, data=case_input())


def test_same_id_number_in_the_commune_is_the_same_mother(mothers_world):
    first = mother_propose(actor=mothers_world.health_station, data=case_input())
    second = mother_propose(
        actor=mothers_world.health_station,
        data=case_input(
            id_number="0511 9800 1234",
            full_name="Đinh T. Lan",
            delivered_on=datetime.date(2025, 6, 1),
            expected_on=datetime.date(2025, 6, 5),
            visits=[],
            children=[],
        ),
    )

    assert second.mother_id == first.mother_id
    assert Mother.objects.count() == 1


def test_same_name_and_year_without_the_id_is_a_new_mother(mothers_world):
    first = mother_propose(actor=mothers_world.health_station, data=case_input())
    second = mother_propose(
        actor=mothers_world.health_station, data=case_input(id_number="", full_name="Đinh thị LAN")
    )

    assert second.mother_id != first.mother_id
    assert second.mother.name_key == first.mother.name_key


def test_same_id_number_in_another_commune_is_another_mother(mothers_world):
    first = mother_propose(actor=mothers_world.health_station, data=case_input())
    other = mother_propose(
        actor=mothers_world.other_health_station,
        data=case_input(commune=mothers_world.other_commune, village=mothers_world.other_village),
    )

    assert other.mother_id != first.mother_id


def test_propose_many_writes_all_rows(mothers_world):
    rows = [case_input(), case_input(full_name="Phạm Thị Hoa", id_number="")]

    cases = mothers_propose_many(
        actor=mothers_world.health_station, commune=mothers_world.commune, rows=rows
    )

    assert len(cases) == 2
    assert Pregnancy.objects.count() == 2


def test_two_rows_with_the_same_id_are_one_mother(mothers_world):
    rows = [
        case_input(),
        case_input(delivered_on=datetime.date(2025, 6, 20), expected_on=None, visits=[]),
    ]
    rows[1].children = []

    cases = mothers_propose_many(
        actor=mothers_world.health_station, commune=mothers_world.commune, rows=rows
    )

    assert cases[0].mother_id == cases[1].mother_id


def test_propose_many_saves_nothing_when_one_row_is_wrong(mothers_world):
    rows = [case_input(), case_input(ethnic_code="99"), case_input(babies=9)]

    with pytest.raises(Invalid) as caught:
        mothers_propose_many(
            actor=mothers_world.health_station, commune=mothers_world.commune, rows=rows
        )

    fields = {p.field for p in caught.value.problems}
    assert fields == {"rows.2.ethnic_code", "rows.3.babies"}
    assert {p.row for p in caught.value.problems} == {2, 3}
    assert not Pregnancy.objects.exists()
    assert not Mother.objects.exists()
    assert not AntenatalVisit.objects.exists()


def test_propose_many_refuses_a_row_of_another_commune(mothers_world):
    rows = [
        case_input(),
        case_input(commune=mothers_world.other_commune, village=mothers_world.other_village),
    ]

    with pytest.raises(Invalid) as caught:
        mothers_propose_many(
            actor=mothers_world.health_station, commune=mothers_world.commune, rows=rows
        )

    assert [p.field for p in caught.value.problems] == ["rows.2.commune"]
    assert not Pregnancy.objects.exists()


def test_propose_many_by_a_village_worker_refuses_rows_of_other_villages(mothers_world):
    rows = [case_input(), case_input(village=mothers_world.villages["Kon Riêng"])]

    with pytest.raises(PermissionDenied):
        mothers_propose_many(
            actor=mothers_world.health_worker, commune=mothers_world.commune, rows=rows
        )
    assert not Pregnancy.objects.exists()


def test_update_records_changed_field_names_only(mothers_world, proposed_case):
    data = case_input_of(proposed_case)
    data.days_at_facility = 2
    data.phone = "0905000111"

    pregnancy_update(
        actor=mothers_world.health_station,
        pregnancy=proposed_case,
        data=data,
        expected_version=proposed_case.version,
    )

    proposed_case.refresh_from_db()
    assert proposed_case.days_at_facility == 2
    assert proposed_case.mother.phone == "0905000111"
    event = AuditEvent.objects.get(action="mothers.case.updated")
    assert sorted(event.after["changed"]) == ["days_at_facility", "phone"]
    assert "0905000111" not in repr(event.after)


def test_update_on_an_old_version_is_refused(mothers_world, proposed_case):
    stale = proposed_case.version
    data = case_input_of(proposed_case)
    data.phone = "0905000111"
    pregnancy_update(
        actor=mothers_world.health_station,
        pregnancy=proposed_case,
        data=data,
        expected_version=stale,
    )

    with pytest.raises(EditConflict):
        pregnancy_update(
            actor=mothers_world.health_worker,
            pregnancy=Pregnancy.objects.get(pk=proposed_case.pk),
            data=case_input_of(proposed_case),
            expected_version=stale,
        )


def test_update_keeps_the_visits_and_children_when_unchanged(mothers_world, proposed_case):
    data = case_input_of(proposed_case)
    data.carer_name = "Đinh Văn Lũy B"
    visit_ids = set(AntenatalVisit.objects.values_list("id", flat=True))

    pregnancy_update(
        actor=mothers_world.health_station,
        pregnancy=proposed_case,
        data=data,
        expected_version=proposed_case.version,
    )

    assert set(AntenatalVisit.objects.values_list("id", flat=True)) == visit_ids
    assert Child.objects.count() == 1


def test_update_of_a_verified_case_sends_it_back_to_be_verified(mothers_world, consented_case):
    pregnancy_verify(
        actor=mothers_world.officer,
        pregnancy=consented_case,
        expected_version=consented_case.version,
    )
    data = case_input_of(consented_case)
    data.babies = 2

    pregnancy_update(
        actor=mothers_world.health_station,
        pregnancy=consented_case,
        data=data,
        expected_version=consented_case.version,
    )

    consented_case.refresh_from_db()
    assert consented_case.status == P.PROPOSED
    assert consented_case.verified_by is None


def test_village_worker_of_another_village_must_not_update(mothers_world, proposed_case):
    with pytest.raises(PermissionDenied):
        pregnancy_update(
            actor=mothers_world.other_health_worker,
            pregnancy=proposed_case,
            data=case_input_of(proposed_case),
            expected_version=proposed_case.version,
        )


def test_officer_verifies(mothers_world, consented_case):
    pregnancy_verify(
        actor=mothers_world.officer,
        pregnancy=consented_case,
        expected_version=consented_case.version,
    )

    consented_case.refresh_from_db()
    assert consented_case.status == P.VERIFIED
    assert consented_case.verified_by == mothers_world.officer
    assert AuditEvent.objects.filter(action="mothers.case.verified").count() == 1


def test_verify_is_refused_while_a_duplicate_is_open(mothers_world, consented_case):
    other = mother_propose(actor=mothers_world.health_station, data=case_input(id_number=""))
    DuplicateCandidate.objects.get_or_create(first=consented_case, second=other)

    with pytest.raises(Invalid) as caught:
        pregnancy_verify(
            actor=mothers_world.officer,
            pregnancy=consented_case,
            expected_version=consented_case.version,
        )

    assert caught.value.problems[0].code == "duplicate_open"
    consented_case.refresh_from_db()
    assert consented_case.status == P.PROPOSED


@pytest.mark.parametrize(
    "who", ["health_station", "health_worker", "leader", "accountant", "other_officer"]
)
def test_only_the_communes_officer_verifies(mothers_world, proposed_case, who):
    with pytest.raises(PermissionDenied):
        pregnancy_verify(
            actor=getattr(mothers_world, who),
            pregnancy=proposed_case,
            expected_version=proposed_case.version,
        )


def test_reject_needs_a_reason(mothers_world, proposed_case):
    with pytest.raises(Invalid) as caught:
        pregnancy_reject(
            actor=mothers_world.officer,
            pregnancy=proposed_case,
            expected_version=proposed_case.version,
            reason="  ",
        )

    assert caught.value.problems[0].field == "reason"
    proposed_case.refresh_from_db()
    assert proposed_case.status == P.PROPOSED


def test_officer_rejects_with_a_reason(mothers_world, proposed_case):
    pregnancy_reject(
        actor=mothers_world.officer,
        pregnancy=proposed_case,
        expected_version=proposed_case.version,
        reason="Không cư trú tại xã",
    )

    proposed_case.refresh_from_db()
    assert proposed_case.status == P.REJECTED
    assert proposed_case.status_reason == "Không cư trú tại xã"


def test_a_rejected_case_can_no_longer_be_changed(mothers_world, proposed_case):
    pregnancy_reject(
        actor=mothers_world.officer,
        pregnancy=proposed_case,
        expected_version=proposed_case.version,
        reason="Trùng",
    )

    with pytest.raises(Invalid):
        pregnancy_update(
            actor=mothers_world.health_station,
            pregnancy=proposed_case,
            data=case_input_of(proposed_case),
            expected_version=proposed_case.version,
        )
    with pytest.raises(Invalid):
        pregnancy_verify(
            actor=mothers_world.officer,
            pregnancy=proposed_case,
            expected_version=proposed_case.version,
        )


def test_a_failure_while_writing_leaves_nothing_half_saved(mothers_world, monkeypatch):
    import duan8.mothers.duplicates as duplicates

    calls = []

    def failing_check(pregnancy):
        calls.append(pregnancy.pk)
        if len(calls) == 2:
            raise RuntimeError("the second row fails after it was written")
        return []

    monkeypatch.setattr(duplicates, "duplicates_check", failing_check)
    rows = [case_input(), case_input(full_name="Phạm Thị Hoa", id_number="")]

    with pytest.raises(RuntimeError):
        mothers_propose_many(
            actor=mothers_world.health_station, commune=mothers_world.commune, rows=rows
        )

    assert not Pregnancy.objects.exists()
    assert not Mother.objects.exists()
    assert not AntenatalVisit.objects.exists()
    assert not AuditEvent.objects.filter(action="mothers.case.proposed").exists()


def test_the_health_fields_are_kept_when_the_actor_may_not_write_them(mothers_world, proposed_case):
    # a commune officer who may also propose, but holds no mothers.health
    Role.objects.create(code="proposer_only", name="Proposer", permissions=["mothers.propose"])
    membership(mothers_world.officer, mothers_world.commune, "proposer_only")
    data = case_input_of(proposed_case)
    data.days_at_facility, data.phone = 1, "0905999888"

    pregnancy_update(
        actor=mothers_world.officer,
        pregnancy=proposed_case,
        data=data,
        expected_version=proposed_case.version,
    )

    proposed_case.refresh_from_db()
    assert proposed_case.days_at_facility == 3
    assert proposed_case.mother.phone == "0905999888"


def test_a_proposer_without_the_health_right_may_not_give_health_fields(mothers_world):
    Role.objects.create(code="proposer_only", name="Proposer", permissions=["mothers.propose"])
    membership(mothers_world.officer, mothers_world.commune, "proposer_only")

    with pytest.raises(Invalid) as caught:
        mother_propose(actor=mothers_world.officer, data=case_input())

    assert {p.code for p in caught.value.problems} == {"health"}
    assert not Pregnancy.objects.exists()
