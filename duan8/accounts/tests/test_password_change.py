"""Issue 10, point 2: everyone changes their own password (knowing the current one), and after an
administrator's reset the owner must choose a new one before doing anything else."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from duan8.accounts.models import User
from duan8.core.models import AuditEvent

OLD = "matkhau-demo-2023"  # the factories' password
RESET = "Dat-lai-boi-can-bo-2024"
OWN = "Mat-khau-cua-toi-2024"
CHANGE = reverse("password_change")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"


def change(client, old: str, new: str, again: str | None = None):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


def test_every_page_links_to_the_change_of_ones_own_password(client, village_head):
    client.force_login(village_head)

    html = client.get(reverse("home"), follow=True).content.decode()

    assert f'href="{CHANGE}"' in html
    assert "Đổi mật khẩu" in html


def test_a_user_changes_their_own_password_with_the_current_one(client, english, village_head):
    client.force_login(village_head)

    response = change(client, OLD, OWN)

    village_head.refresh_from_db()
    assert response.status_code == 302
    assert village_head.check_password(OWN)
    # still signed in (home sends a village head on to his entry page: read his work hub)
    assert client.get(reverse("activities:work_home")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.password.changed", actor=village_head)


def test_a_wrong_current_password_is_refused(client, english, village_head):
    client.force_login(village_head)

    response = change(client, "doan-bua-2024", OWN)

    village_head.refresh_from_db()
    assert response.status_code == 200
    assert "The current password is not correct." in str(
        response.context["form"].errors["old_password"]
    )
    assert village_head.check_password(OLD)


def test_the_current_password_is_required(client, english, village_head):
    client.force_login(village_head)

    response = client.post(CHANGE, {"new_password1": OWN, "new_password2": OWN})

    village_head.refresh_from_db()
    assert response.context["form"].errors["old_password"]
    assert village_head.check_password(OLD)


def test_a_weak_or_mismatched_new_password_is_refused_in_vietnamese(client, village_head):
    client.force_login(village_head)

    weak = change(client, OLD, "123")
    mismatch = change(client, OLD, OWN, again=OWN + "x")

    village_head.refresh_from_db()
    assert "Mật khẩu này quá ngắn" in weak.content.decode()
    assert "Hai mật khẩu không giống nhau." in mismatch.content.decode()
    assert village_head.check_password(OLD)


def test_after_a_reset_the_user_must_change_the_password_before_anything_else(
    client, english, commune_officer, village_head
):
    client.force_login(commune_officer)
    client.post(
        reverse("password_reset", kwargs={"pk": village_head.pk}),
        {"password1": RESET, "password2": RESET},
    )
    client.logout()
    client.cookies["django_language"] = "en"  # logging out empties the cookies

    signed_in = client.post(reverse("login"), {"username": "tt.nuocdang", "password": RESET})
    home = client.get(reverse("home"))
    users = client.get(reverse("user_list"))
    posted = client.post(reverse("user_create"), {})
    form = client.get(CHANGE)

    assert signed_in.status_code == 302
    assert home.status_code == users.status_code == posted.status_code == 302
    assert home["Location"] == users["Location"] == CHANGE
    assert form.status_code == 200
    assert "An administrator has set a new password for your account." in form.content.decode()

    change(client, RESET, OWN)

    assert client.get(reverse("activities:work_home")).status_code == 200  # no longer forced
    assert not User.objects.get(pk=village_head.pk).must_change_password


def test_the_forced_change_still_lets_the_user_sign_out_and_load_styles(
    client, english, village_head
):
    village_head.must_change_password = True
    village_head.save(update_fields=["must_change_password"])
    client.force_login(village_head)

    style = client.get("/static/css/duan8.css")
    out = client.post(reverse("logout"))

    assert style.status_code != 302  # not sent to the change form
    assert out.status_code == 302 and out["Location"] == reverse("login")


def test_the_reset_password_cannot_be_kept_as_the_new_one(client, english, village_head):
    village_head.must_change_password = True
    village_head.save(update_fields=["must_change_password"])
    client.force_login(village_head)

    response = change(client, OLD, OLD)

    assert response.status_code == 200
    assert User.objects.get(pk=village_head.pk).must_change_password


def test_an_administrator_resetting_their_own_password_is_not_forced_to_change_it(
    commune_officer,
):
    from duan8.orgunits.users.services import user_password_reset

    user_password_reset(actor=commune_officer, user=commune_officer, password=RESET)

    assert not User.objects.get(pk=commune_officer.pk).must_change_password


# Issue 10, point 15: no English password message on a Vietnamese page


@pytest.mark.parametrize("password", ["123", "12345678901", "password123", "tt.nuocdang1"])
def test_every_password_rule_speaks_vietnamese(db, password):
    user = User(username="tt.nuocdang", full_name="Đinh Văn Nước")

    def messages(language: str) -> list[str]:
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                validate_password(password, user)
            return refused.value.messages

    english, vietnamese = messages("en"), messages("vi")
    assert len(english) == len(vietnamese)
    assert not set(english) & set(vietnamese), vietnamese


def test_the_reset_form_says_too_short_in_vietnamese(client, commune_officer, village_head):
    client.force_login(commune_officer)

    response = client.post(
        reverse("password_reset", kwargs={"pk": village_head.pk}),
        {"password1": "ab1", "password2": "ab1"},
    )

    html = response.content.decode()
    assert "Mật khẩu này quá ngắn: phải có ít nhất 10 ký tự." in html
    assert "too short" not in html
