"""User management pages: lists, creation, roles, password reset and deactivation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duan8.accounts.models import Membership, Role, User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.models import AuditEvent

PASSWORD = "Nuoc-Dang-2024!"
USER_LIST = reverse("user_list")
USER_CREATE = reverse("user_create")


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def url(name: str, user: User, **kwargs) -> str:
    return reverse(name, kwargs={"pk": user.pk, **kwargs})


def role(code: str) -> Role:
    return Role.objects.get(code=code)


# List


def test_an_officer_lists_the_users_of_their_commune_and_villages(
    client, commune_officer, village_head, other_commune_officer
):
    client.force_login(commune_officer)

    response = client.get(USER_LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert set(response.context["page"].object_list) == {commune_officer, village_head}
    assert "tt.nuocdang" in html and "Thôn Nước Đang" in html
    assert "hlhpn.bakham" not in html
    assert USER_LIST in html and USER_CREATE in html  # header link, "New user" button


def test_a_user_without_users_manage_sees_no_users(client, village_head, commune_officer):
    client.force_login(village_head)

    response = client.get(USER_LIST)

    html = response.content.decode()
    assert response.status_code == 403  # refused, not an empty list
    assert "hlhpn.batrang" not in html
    assert f'href="{USER_LIST}"' not in html  # no header link


def test_roles_held_elsewhere_are_not_shown(client, commune_officer, village_head, ba_kham):
    membership(village_head, ba_kham, "village_head")
    client.force_login(commune_officer)

    response = client.get(USER_LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert "tt.nuocdang" in html and "Thôn Nước Đang" in html  # the user and the role seen here
    assert "Ba Khâm" not in html


def test_the_user_list_runs_a_fixed_number_of_queries(
    client, commune_officer, villages, django_assert_num_queries
):
    client.force_login(commune_officer)
    with CaptureQueriesContext(connection) as first:
        client.get(USER_LIST)
    for i in range(20):
        membership(UserFactory(username=f"u{i}"), villages["Bùi Hui"], "village_head")

    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(USER_LIST)

    assert len(response.context["page"].object_list) == 21


def test_the_user_list_searches_names(client, commune_officer, village_head):
    client.force_login(commune_officer)

    response = client.get(USER_LIST, {"q": "nuocdang"})

    assert list(response.context["page"].object_list) == [village_head]


# Create


def create_data(unit, role_code="village_head", **overrides) -> dict:
    return {
        "username": "cht.nuocdang",
        "full_name": "Hồ Thị Lan",
        "phone": "0905123456",
        "password": PASSWORD,
        "unit": unit.pk,
        "role": role(role_code).pk,
        **overrides,
    }


def test_an_officer_creates_a_village_user(client, commune_officer, villages):
    client.force_login(commune_officer)

    response = client.post(USER_CREATE, create_data(villages["Nước Đang"], "village_women_head"))

    user = User.objects.get(username="cht.nuocdang")
    assert response.status_code == 302
    assert response["Location"] == url("user_detail", user)
    assert user.check_password(PASSWORD)
    assert user.memberships.get().org_unit == villages["Nước Đang"]
    assert AuditEvent.objects.filter(action="accounts.user.created", actor=commune_officer).exists()


def test_a_new_user_chooses_their_own_password_at_first_sign_in(client, commune_officer, villages):
    client.force_login(commune_officer)
    client.post(USER_CREATE, create_data(villages["Nước Đang"], "village_women_head"))
    client.logout()

    client.post(reverse("login"), {"username": "cht.nuocdang", "password": PASSWORD})
    first_page = client.get(reverse("activities:work_home"))

    assert first_page.status_code == 302
    assert first_page["Location"].startswith(reverse("password_change"))


def test_the_create_form_offers_only_managed_communes_and_villages_and_grantable_roles(
    client, commune_officer, villages, ba_kham
):
    client.force_login(commune_officer)

    form = client.get(USER_CREATE).context["form"]

    units = {label for _value, label in form.fields["unit"].choices}
    roles = {label for _value, label in form.fields["role"].choices}
    assert "Thôn Nước Đang – xã Ba Trang – huyện Ba Tơ" in units
    assert "Xã Ba Trang – huyện Ba Tơ" in units
    assert not [u for u in units if "Ba Khâm" in u or u.startswith("Huyện")]
    assert role("village_head").name in roles
    assert role("commune_leader").name not in roles


def test_a_weak_password_or_a_taken_name_is_shown_on_the_form(
    client, commune_officer, village_head, villages
):
    client.force_login(commune_officer)

    weak = client.post(USER_CREATE, create_data(villages["Nước Đang"], password="123"))
    taken = client.post(USER_CREATE, create_data(villages["Nước Đang"], username="TT.NuocDang"))
    missing = client.post(USER_CREATE, create_data(villages["Nước Đang"], username=""))

    assert weak.status_code == taken.status_code == missing.status_code == 200
    # the password rules' messages stand beside the password, not at the top of the form
    assert weak.context["form"].errors["password"]
    assert list(weak.context["form"].errors) == ["password"]
    assert "is taken" in str(taken.context["form"].errors["username"])
    assert missing.context["form"].errors["username"]
    assert not User.objects.filter(username="cht.nuocdang").exists()


def test_a_forged_unit_of_another_commune_is_refused(client, commune_officer, ba_kham):
    client.force_login(commune_officer)

    response = client.post(USER_CREATE, create_data(ba_kham))

    assert response.status_code == 200
    assert "Choose one of the units where you manage users." in response.content.decode()
    assert not User.objects.filter(username="cht.nuocdang").exists()


def test_a_forged_role_above_ones_own_is_refused(client, commune_officer, ba_trang):
    client.force_login(commune_officer)

    response = client.post(USER_CREATE, create_data(ba_trang, "commune_leader"))

    assert response.status_code == 403
    assert not User.objects.filter(username="cht.nuocdang").exists()
    assert not Membership.objects.filter(role__code="commune_leader").exists()


def test_a_user_without_users_manage_cannot_create_users(client, village_head, villages):
    client.force_login(village_head)

    shown = client.get(USER_CREATE)
    posted = client.post(USER_CREATE, create_data(villages["Nước Đang"]))

    assert "You do not manage users in any unit." in shown.content.decode()
    assert posted.status_code == 200
    assert not User.objects.filter(username="cht.nuocdang").exists()


# Detail, grant and end a role


def test_the_detail_shows_the_users_roles(client, commune_officer, village_head):
    client.force_login(commune_officer)

    response = client.get(url("user_detail", village_head))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Trưởng thôn" in html and "Thôn Nước Đang" in html
    assert url("role_end", village_head, membership_pk=village_head.memberships.get().pk) in html


def test_another_communes_officer_must_not_see_the_user(
    client, other_commune_officer, village_head
):
    client.force_login(other_commune_officer)

    response = client.get(url("user_detail", village_head))

    assert response.status_code == 404
    assert "Nước Đang" not in response.content.decode()


def test_an_officer_grants_a_role(client, commune_officer, village_head, villages):
    client.force_login(commune_officer)

    response = client.post(
        url("role_grant", village_head),
        {"unit": villages["Kon Riêng"].pk, "role": role("village_women_head").pk},
    )

    assert response.status_code == 302
    assert village_head.memberships.filter(org_unit=villages["Kon Riêng"]).exists()


def test_a_role_ending_before_it_starts_is_refused(client, commune_officer, village_head, villages):
    client.force_login(commune_officer)

    response = client.post(
        url("role_grant", village_head),
        {
            "unit": villages["Kon Riêng"].pk,
            "role": role("village_women_head").pk,
            "valid_from": "2024-05-01",
            "valid_to": "2024-04-01",
        },
    )

    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert village_head.memberships.count() == 1


def test_a_forged_role_grant_is_refused(client, commune_officer, village_head, ba_trang, ba_kham):
    client.force_login(commune_officer)

    above = client.post(
        url("role_grant", village_head), {"unit": ba_trang.pk, "role": role("commune_leader").pk}
    )
    sideways = client.post(
        url("role_grant", village_head), {"unit": ba_kham.pk, "role": role("village_head").pk}
    )

    assert above.status_code == 403
    assert sideways.status_code == 200 and sideways.context["grant_form"].errors["unit"]
    assert village_head.memberships.count() == 1


def test_an_officer_ends_a_role(client, commune_officer, village_head):
    m = village_head.memberships.get()
    client.force_login(commune_officer)

    response = client.post(url("role_end", village_head, membership_pk=m.pk))

    m.refresh_from_db()
    assert response.status_code == 302
    assert m.valid_to == timezone.localdate() - datetime.timedelta(days=1)
    assert not m.is_active_on(timezone.localdate())
    assert AuditEvent.objects.filter(action="accounts.role.ended").exists()


def test_ending_a_role_twice_says_so(client, commune_officer, village_head):
    m = village_head.memberships.get()
    client.force_login(commune_officer)
    client.post(url("role_end", village_head, membership_pk=m.pk))

    response = client.post(url("role_end", village_head, membership_pk=m.pk), follow=True)

    assert "This role is not in force" in response.content.decode()


def test_another_communes_officer_cannot_end_the_role(client, other_commune_officer, village_head):
    m = village_head.memberships.get()
    client.force_login(other_commune_officer)

    response = client.post(url("role_end", village_head, membership_pk=m.pk))

    m.refresh_from_db()
    assert response.status_code == 404
    assert m.valid_to is None


# Password reset and deactivation


def test_an_officer_resets_a_password(client, commune_officer, village_head):
    client.force_login(commune_officer)

    response = client.post(
        url("password_reset", village_head), {"password1": PASSWORD, "password2": PASSWORD}
    )

    village_head.refresh_from_db()
    assert response.status_code == 302
    assert village_head.check_password(PASSWORD)


def test_mismatched_or_weak_passwords_are_refused(client, commune_officer, village_head):
    client.force_login(commune_officer)

    mismatch = client.post(
        url("password_reset", village_head), {"password1": PASSWORD, "password2": "other"}
    )
    weak = client.post(url("password_reset", village_head), {"password1": "1", "password2": "1"})

    village_head.refresh_from_db()
    assert "The two passwords are not the same." in mismatch.content.decode()
    assert weak.context["form"].errors["password1"]
    assert not village_head.check_password(PASSWORD)


def test_another_communes_officer_cannot_reset_the_password(
    client, other_commune_officer, village_head
):
    client.force_login(other_commune_officer)

    response = client.post(
        url("password_reset", village_head), {"password1": PASSWORD, "password2": PASSWORD}
    )

    village_head.refresh_from_db()
    assert response.status_code == 404
    assert not village_head.check_password(PASSWORD)


def test_an_officer_deactivates_a_user(client, commune_officer, village_head):
    client.force_login(commune_officer)

    response = client.post(url("user_deactivate", village_head))

    village_head.refresh_from_db()
    assert response.status_code == 302
    assert not village_head.is_active


def test_an_officer_cannot_deactivate_themself(client, commune_officer):
    client.force_login(commune_officer)

    response = client.post(url("user_deactivate", commune_officer), follow=True)

    commune_officer.refresh_from_db()
    assert "You cannot deactivate your own account." in response.content.decode()
    assert commune_officer.is_active


def test_a_village_head_cannot_deactivate_anyone(client, village_head, commune_officer):
    client.force_login(village_head)

    response = client.post(url("user_deactivate", commune_officer))

    commune_officer.refresh_from_db()
    assert response.status_code == 404
    assert commune_officer.is_active
