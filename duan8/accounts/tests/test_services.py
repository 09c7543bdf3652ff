import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duan8.accounts.models import Role, User
from duan8.core.models import AuditEvent
from duan8.orgunits.access import can
from duan8.orgunits.users.services import (
    role_end,
    role_grant,
    user_create,
    user_deactivate,
    user_password_reset,
)

PASSWORD = "Thon-Nuoc-Dang-2023"


def test_commune_officer_creates_a_village_head_who_can_then_enter_data(commune_officer, villages):
    user = user_create(
        actor=commune_officer,
        unit=villages["Bùi Hui"],
        role=Role.objects.get(code="village_head"),
        username="tt.buihui",
        password=PASSWORD,
        full_name="Đinh Văn Hui",
    )

    assert can(user, "records.edit", villages["Bùi Hui"])
    assert not can(user, "records.edit", villages["Nước Đang"])
    assert user.must_change_password  # the officer knows the first password
    assert AuditEvent.objects.filter(
        action="accounts.user.created", target_id=str(user.pk)
    ).exists()


def test_an_administrator_never_grants_more_than_they_hold(commune_officer, ba_trang):
    with pytest.raises(PermissionDenied) as denied:
        user_create(
            actor=commune_officer,
            unit=ba_trang,
            role=Role.objects.get(code="commune_leader"),
            username="x",
            password=PASSWORD,
        )

    assert "plans.approve" in str(denied.value)
    assert not User.objects.filter(username="x").exists()


def test_an_administrator_cannot_create_users_in_another_commune(commune_officer, ba_kham):
    with pytest.raises(PermissionDenied):
        user_create(
            actor=commune_officer,
            unit=ba_kham,
            role=Role.objects.get(code="village_head"),
            username="x",
            password=PASSWORD,
        )


def test_a_user_without_users_manage_cannot_create_users(commune_leader, ba_trang):
    with pytest.raises(PermissionDenied):
        user_create(
            actor=commune_leader,
            unit=ba_trang,
            role=Role.objects.get(code="village_head"),
            username="x",
            password=PASSWORD,
        )


def test_a_weak_password_is_refused_and_nothing_is_created(commune_officer, villages):
    with pytest.raises(ValidationError):
        user_create(
            actor=commune_officer,
            unit=villages["Bùi Hui"],
            role=Role.objects.get(code="village_head"),
            username="tt.buihui",
            password="12345678",
        )

    assert not User.objects.filter(username="tt.buihui").exists()


def test_ending_a_role_removes_the_access(commune_officer, village_head, villages):
    membership = village_head.memberships.get()

    role_end(actor=commune_officer, membership=membership)
    fresh = User.objects.get(pk=village_head.pk)

    membership.refresh_from_db()
    assert membership.valid_to is not None
    assert AuditEvent.objects.filter(action="accounts.role.ended").exists()
    # ended today: in force until the end of the day, gone tomorrow
    assert not membership.is_active_on(membership.valid_to + datetime.timedelta(days=1))
    assert fresh.is_active


def test_leader_resets_password_and_deactivates_a_village_head(commune_officer, village_head):
    user_password_reset(actor=commune_officer, user=village_head, password="Mat-khau-moi-2024")
    user_deactivate(actor=commune_officer, user=village_head)

    village_head.refresh_from_db()
    assert village_head.check_password("Mat-khau-moi-2024")
    assert not village_head.is_active


def test_leader_cannot_touch_a_user_of_another_commune(commune_officer, other_commune_officer):
    with pytest.raises(PermissionDenied):
        user_password_reset(actor=commune_officer, user=other_commune_officer, password=PASSWORD)
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=commune_officer, user=other_commune_officer)

    other_commune_officer.refresh_from_db()
    assert other_commune_officer.is_active


def test_leader_cannot_grant_a_role_in_the_district_above(commune_officer, village_head, ba_to):
    with pytest.raises(PermissionDenied):
        role_grant(
            actor=commune_officer,
            user=village_head,
            unit=ba_to,
            role=Role.objects.get(code="village_head"),
        )
