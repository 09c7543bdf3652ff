"""Deciding a likely duplicate (issue 13, point 3): the WU officer of the later case's commune
confirms (the later case is set aside, never paid) or dismisses (both stay), version-checked,
recorded and audited; nobody else sees or decides the pair."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from duan8.core.concurrency import EditConflict
from duan8.core.models import AuditEvent
from duan8.mothers.duplicates import duplicates_check, duplicates_find
from duan8.mothers.models import DuplicateCandidate, Pregnancy
from duan8.mothers.services.duplicates import duplicate_confirm, duplicate_dismiss
from duan8.mothers.tests.conftest import MothersWorld
from duan8.mothers.tests.dup_cases import case_make

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 10)


@pytest.fixture
def pair(mothers_world: MothersWorld) -> DuplicateCandidate:
    case_make(village=mothers_world.village, id_number="051198001234", phone="0905123456")
    later = case_make(
        village=mothers_world.villages["Bùi Hui"],
        delivered_on=DAY + datetime.timedelta(days=2),
    )
    [found] = duplicates_check(later)
    return found


def test_confirm_sets_the_later_case_aside(
    mothers_world: MothersWorld, pair: DuplicateCandidate
) -> None:
    decided = duplicate_confirm(
        actor=mothers_world.officer, candidate=pair, expected_version=pair.version, note="Trùng"
    )

    later = Pregnancy.objects.get(pk=pair.second_id)
    assert later.status == Pregnancy.Status.DUPLICATE
    assert later.duplicate_of_id == pair.first_id
    assert Pregnancy.objects.get(pk=pair.first_id).status == Pregnancy.Status.PROPOSED
    assert decided.status == DuplicateCandidate.Status.CONFIRMED
    assert decided.decided_by == mothers_world.officer and decided.decided_at is not None
    assert decided.note == "Trùng"
    event = AuditEvent.objects.get(action="mothers.duplicate.confirmed")
    assert "051198001234" not in str(event.after) and "0905123456" not in str(event.after)


def test_a_confirmed_duplicate_is_never_raised_or_compared_again(
    mothers_world: MothersWorld, pair: DuplicateCandidate
) -> None:
    duplicate_confirm(actor=mothers_world.officer, candidate=pair, expected_version=pair.version)

    assert duplicates_find() == 0
    assert duplicates_check(Pregnancy.objects.get(pk=pair.second_id)) == []


def test_dismiss_keeps_both_and_is_not_raised_again(
    mothers_world: MothersWorld, pair: DuplicateCandidate
) -> None:
    duplicate_dismiss(
        actor=mothers_world.officer,
        candidate=pair,
        expected_version=pair.version,
        note="Hai chị em sinh đôi, khác người",
    )

    assert set(Pregnancy.objects.values_list("status", flat=True)) == {"proposed"}
    assert duplicates_find() == 0
    assert duplicates_check(Pregnancy.objects.get(pk=pair.second_id)) == []
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.DISMISSED
    assert AuditEvent.objects.filter(action="mothers.duplicate.dismissed").count() == 1


def test_dismiss_needs_a_reason(mothers_world: MothersWorld, pair: DuplicateCandidate) -> None:
    with pytest.raises(ValidationError) as caught:
        duplicate_dismiss(
            actor=mothers_world.officer, candidate=pair, expected_version=pair.version, note=" "
        )

    assert "note" in caught.value.error_dict
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.OPEN


def test_an_old_form_is_refused(mothers_world: MothersWorld, pair: DuplicateCandidate) -> None:
    officer = mothers_world.officer
    with pytest.raises(EditConflict):
        duplicate_confirm(actor=officer, candidate=pair, expected_version=pair.version + 1)
    with pytest.raises(EditConflict):
        duplicate_confirm(actor=officer, candidate=pair, expected_version=None)
    duplicate_dismiss(actor=officer, candidate=pair, expected_version=pair.version, note="Khác")

    with pytest.raises(ValidationError):
        duplicate_confirm(actor=officer, candidate=pair, expected_version=pair.version + 1)
    assert Pregnancy.objects.get(pk=pair.second_id).status == Pregnancy.Status.PROPOSED


@pytest.mark.parametrize(
    "who", ["accountant", "health_station", "leader", "other_officer", "province_reviewer"]
)
def test_only_the_commune_officer_decides(
    mothers_world: MothersWorld, pair: DuplicateCandidate, who: str
) -> None:
    actor = getattr(mothers_world, who)

    with pytest.raises(PermissionDenied):
        duplicate_confirm(actor=actor, candidate=pair, expected_version=pair.version)
    with pytest.raises(PermissionDenied):
        duplicate_dismiss(actor=actor, candidate=pair, expected_version=pair.version, note="x")
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.OPEN


def test_a_pair_across_communes_is_decided_in_the_later_case_s_commune(
    mothers_world: MothersWorld,
) -> None:
    case_make(village=mothers_world.village, id_number="051198001234")
    later = case_make(village=mothers_world.other_village, id_number="051198001234")
    [found] = duplicates_check(later)

    with pytest.raises(PermissionDenied):
        duplicate_confirm(
            actor=mothers_world.officer, candidate=found, expected_version=found.version
        )
    duplicate_confirm(
        actor=mothers_world.other_officer, candidate=found, expected_version=found.version
    )

    assert Pregnancy.objects.get(pk=later.pk).status == Pregnancy.Status.DUPLICATE


# --- pages -----------------------------------------------------------------------------------


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_officer_sees_the_pair_side_by_side_and_confirms(
    mothers_world: MothersWorld, pair: DuplicateCandidate, django_assert_max_num_queries: object
) -> None:
    client = _client(mothers_world.officer)
    url = reverse("mothers:duplicate_list", args=[mothers_world.commune.pk])

    with django_assert_max_num_queries(14):  # type: ignore[operator]
        page = client.get(url)

    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("Đinh Thị Lan") == 2
    assert "same name without diacritics" in text or "cùng họ tên không dấu" in text
    assert "051198001234" not in text  # masked
    assert "••••••••1234" in text
    response = client.post(
        reverse("mothers:duplicate_confirm", args=[pair.pk]),
        {"version": pair.version, "note": "Cùng một người"},
    )
    assert response.status_code == 302
    assert Pregnancy.objects.get(pk=pair.second_id).status == Pregnancy.Status.DUPLICATE
    assert AuditEvent.objects.filter(action="mothers.duplicates.viewed").count() == 1


def test_the_page_query_count_does_not_grow(
    mothers_world: MothersWorld, django_assert_max_num_queries: object
) -> None:
    for index in range(6):
        case_make(village=mothers_world.village, full_name=f"Hồ Thị Đào {index}")
        duplicates_check(case_make(village=mothers_world.village, full_name=f"Hồ Thị Đào {index}"))
    assert DuplicateCandidate.objects.count() == 6

    client = _client(mothers_world.officer)
    url = reverse("mothers:duplicate_list", args=[mothers_world.commune.pk])

    with django_assert_max_num_queries(14):  # type: ignore[operator]
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("duplicate-pair") >= 6


def test_the_dismiss_form_without_a_reason_says_so(
    mothers_world: MothersWorld, pair: DuplicateCandidate
) -> None:
    client = _client(mothers_world.officer)

    response = client.post(
        reverse("mothers:duplicate_dismiss", args=[pair.pk]),
        {"version": pair.version, "note": ""},
        follow=True,
    )

    assert response.status_code == 200
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.OPEN
    assert len(list(response.context["messages"])) == 1


@pytest.mark.parametrize(
    "who", ["accountant", "health_station", "leader", "other_officer", "fatherland_front"]
)
def test_must_not_see_or_decide_the_pair(
    mothers_world: MothersWorld, pair: DuplicateCandidate, who: str
) -> None:
    client = _client(getattr(mothers_world, who))

    page = client.get(reverse("mothers:duplicate_list", args=[mothers_world.commune.pk]))
    confirm = client.post(
        reverse("mothers:duplicate_confirm", args=[pair.pk]), {"version": pair.version}
    )
    dismiss = client.post(
        reverse("mothers:duplicate_dismiss", args=[pair.pk]),
        {"version": pair.version, "note": "x"},
    )

    # another commune's officer is not even told that the commune's page exists
    expected = 404 if who == "other_officer" else 403
    assert (page.status_code, confirm.status_code, dismiss.status_code) == (expected,) * 3
    assert "Đinh Thị Lan" not in page.content.decode()
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.OPEN


def test_the_other_commune_s_page_does_not_list_the_pair(
    mothers_world: MothersWorld, pair: DuplicateCandidate
) -> None:
    page = _client(mothers_world.other_officer).get(
        reverse("mothers:duplicate_list", args=[mothers_world.other_commune.pk])
    )

    assert page.status_code == 200
    assert "Đinh Thị Lan" not in page.content.decode()


def test_rejecting_one_case_of_a_pair_unblocks_the_other(
    mothers_world: MothersWorld, pair: DuplicateCandidate
) -> None:
    from duan8.mothers.duplicates import has_open_duplicates

    Pregnancy.objects.filter(pk=pair.second_id).update(status=Pregnancy.Status.REJECTED)

    assert not has_open_duplicates(pair.first)


def test_a_pair_whose_later_case_was_rejected_cannot_be_decided(
    mothers_world: MothersWorld, pair: DuplicateCandidate
) -> None:
    Pregnancy.objects.filter(pk=pair.second_id).update(status=Pregnancy.Status.REJECTED)

    with pytest.raises(ValidationError):
        duplicate_confirm(
            actor=mothers_world.officer, candidate=pair, expected_version=pair.version
        )
    assert Pregnancy.objects.get(pk=pair.second_id).status == Pregnancy.Status.REJECTED
