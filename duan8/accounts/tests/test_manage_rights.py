"""Issue 10, point 2: managing a user never gives more than one holds (no account takeover).

Whoever can reset a password can sign in as its owner, so resetting, deactivating, editing a user
or changing their roles requires that every right the user holds, in every unit where they hold
it, is a right the actor holds there too, as granting a role already did.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from duan8.accounts.models import Role, User
from duan8.core.models import AuditEvent
from duan8.orgunits.users.services import (
    role_end,
    user_deactivate,
    user_password_reset,
    user_update,
)

NEW_PASSWORD = "Mat-khau-moi-2024!"


def url(name: str, user: User, **kwargs) -> str:
    return reverse(name, kwargs={"pk": user.pk, **kwargs})


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"


# Must not do: the commune WU officer and the commune chairman


def test_the_officer_must_not_reset_the_chairmans_password_and_sign_in_as_him(
    client, english, commune_officer, commune_leader
):
    client.force_login(commune_officer)

    shown = client.get(url("password_reset", commune_leader))
    posted = client.post(
        url("password_reset", commune_leader),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    commune_leader.refresh_from_db()
    assert shown.status_code == posted.status_code == 403
    assert "plans.approve" in posted.content.decode()
    assert not commune_leader.check_password(NEW_PASSWORD)
    client.logout()
    assert not client.login(username="ct.batrang", password=NEW_PASSWORD)


def test_the_refusal_is_audited_with_its_target_and_reason(client, commune_officer, commune_leader):
    client.force_login(commune_officer)

    client.post(
        url("password_reset", commune_leader),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    refusals = AuditEvent.objects.filter(action="access.denied", actor=commune_officer)
    assert refusals.count() == 1  # once, by the service (not a second time by the middleware)
    refusal = refusals.get()
    assert refusal.target_id == str(commune_leader.pk)
    assert "audit.view" in refusal.message and "reports.review" in refusal.message


def test_the_refusal_is_explained_in_vietnamese(client, commune_officer, commune_leader):
    client.force_login(commune_officer)

    response = client.post(url("user_deactivate", commune_leader))

    html = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không thể quản lý tài khoản của Phạm Văn Thích" in html


def test_the_officer_must_not_deactivate_or_edit_the_chairman(
    client, english, commune_officer, commune_leader
):
    client.force_login(commune_officer)

    deactivate = client.post(url("user_deactivate", commune_leader))
    edit_page = client.get(url("user_update", commune_leader))
    edit = client.post(url("user_update", commune_leader), {"full_name": "Kẻ Mạo Danh"})

    commune_leader.refresh_from_db()
    assert deactivate.status_code == edit_page.status_code == edit.status_code == 403
    assert commune_leader.is_active
    assert commune_leader.full_name == "Phạm Văn Thích"


def test_the_officer_must_not_change_the_chairmans_roles(
    client, english, commune_officer, commune_leader, villages
):
    chairman_role = commune_leader.memberships.get()
    client.force_login(commune_officer)

    ended = client.post(url("role_end", commune_leader, membership_pk=chairman_role.pk))
    granted = client.post(
        url("role_grant", commune_leader),
        {"unit": villages["Nước Đang"].pk, "role": Role.objects.get(code="village_head").pk},
    )

    chairman_role.refresh_from_db()
    assert ended.status_code == granted.status_code == 403
    assert chairman_role.valid_to is None
    assert commune_leader.memberships.count() == 1


def test_the_chairmans_page_offers_the_officer_no_management_action(
    client, english, commune_officer, commune_leader
):
    client.force_login(commune_officer)

    response = client.get(url("user_detail", commune_leader))

    html = response.content.decode()
    assert response.status_code == 200
    assert url("password_reset", commune_leader) not in html
    assert url("user_deactivate", commune_leader) not in html
    assert url("user_update", commune_leader) not in html
    assert url("role_grant", commune_leader) not in html
    assert "You cannot manage the account of" in html


def test_the_services_refuse_the_same(commune_officer, commune_leader):
    with pytest.raises(PermissionDenied):
        user_password_reset(actor=commune_officer, user=commune_leader, password=NEW_PASSWORD)
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=commune_officer, user=commune_leader)
    with pytest.raises(PermissionDenied):
        user_update(
            actor=commune_officer,
            user=commune_leader,
            full_name="X",
            phone="",
            shown=(commune_leader.full_name, commune_leader.phone),
        )
    with pytest.raises(PermissionDenied):
        role_end(actor=commune_officer, membership=commune_leader.memberships.get())

    commune_leader.refresh_from_db()
    assert commune_leader.is_active and not commune_leader.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="access.denied").count() == 4


def test_a_second_role_above_the_officers_rights_protects_a_village_head(
    client, english, commune_officer, village_head, ba_trang
):
    # The head of Nước Đang also sits for the Fatherland Front (audit.view): the officer, who
    # does not read the audit trail, must no longer manage him.
    from duan8.accounts.tests.factories import membership

    membership(village_head, ba_trang, "fatherland_front")
    client.force_login(commune_officer)

    response = client.post(
        url("password_reset", village_head), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 403
    assert "audit.view" in response.content.decode()


# Still allowed: the officer manages a village head, whose rights she holds


def test_the_officer_still_manages_a_village_head(client, english, commune_officer, village_head):
    client.force_login(commune_officer)

    detail = client.get(url("user_detail", village_head)).content.decode()
    edit = client.post(
        url("user_update", village_head),
        {
            "full_name": "Đinh Văn Nước Đang",
            "shown_full_name": village_head.full_name,
            "shown_phone": village_head.phone,
        },
    )
    reset = client.post(
        url("password_reset", village_head), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    deactivate = client.post(url("user_deactivate", village_head))

    village_head.refresh_from_db()
    assert url("password_reset", village_head) in detail
    assert url("user_update", village_head) in detail
    assert edit.status_code == reset.status_code == deactivate.status_code == 302
    assert village_head.full_name == "Đinh Văn Nước Đang"
    assert village_head.check_password(NEW_PASSWORD)
    assert not village_head.is_active
    assert AuditEvent.objects.filter(action="accounts.user.updated").exists()
    assert not AuditEvent.objects.filter(action="access.denied").exists()


def test_an_ended_role_above_gives_no_protection(commune_officer, village_head, ba_trang):
    import datetime

    from django.utils import timezone

    from duan8.accounts.tests.factories import membership

    old = membership(village_head, ba_trang, "commune_leader")
    old.valid_to = timezone.localdate() - datetime.timedelta(days=1)
    old.save()

    user_password_reset(actor=commune_officer, user=village_head, password=NEW_PASSWORD)

    village_head.refresh_from_db()
    assert village_head.check_password(NEW_PASSWORD)


# Two people editing the same user: the second is refused, the first kept


def test_a_second_edit_on_the_same_copy_is_refused_and_the_first_kept(
    client, english, commune_officer, village_head
):
    client.force_login(commune_officer)
    page = client.get(url("user_update", village_head)).content.decode()
    shown = {"shown_full_name": village_head.full_name, "shown_phone": village_head.phone}
    assert f'name="shown_full_name" value="{village_head.full_name}"' in page

    first = client.post(url("user_update", village_head), {"full_name": "Tên thứ nhất", **shown})
    second = client.post(url("user_update", village_head), {"full_name": "Tên thứ hai", **shown})
    missing = client.post(url("user_update", village_head), {"full_name": "Tên thứ ba"})

    village_head.refresh_from_db()
    assert first.status_code == 302
    assert second.status_code == missing.status_code == 200
    assert "changed by someone else meanwhile" in second.content.decode()
    assert "does not say which details it changed" in missing.content.decode()
    assert village_head.full_name == "Tên thứ nhất"
