"""Sign-in, sign-out and the language switch (Django's own views), and one's own password.

Managing other users is in ``orgunits.users.views``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language

from duan8.accounts import services
from duan8.accounts.backends import is_account_locked, is_address_suspect, remember_device
from duan8.accounts.forms import PasswordChangeForm
from duan8.accounts.http import AuthedRequest
from duan8.core.client_ip import client_ip
from duan8.core.problems import on_form


class LoginForm(AuthenticationForm):
    """Says so when the account is locked, instead of "wrong password"."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked_out": gettext_lazy(
            "Too many failed attempts for this account. Sign-in to it is blocked for"
            " %(minutes)s minutes; try again later or ask your administrator."
        ),
        "suspect_address": gettext_lazy(
            "Please enter a correct user name and password (both are case-sensitive). Many"
            " failed sign-ins have come from your network: each account tried too often is"
            " blocked for a while."
        ),
    }

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError:
            username = (self.cleaned_data.get("username") or "")[:150]
            if is_account_locked(username, self.request):
                minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
                raise ValidationError(
                    self.error_messages["locked_out"],
                    code="locked_out",
                    params={"minutes": minutes},
                ) from None
            if self.request is not None and is_address_suspect(client_ip(self.request)):
                raise ValidationError(
                    self.error_messages["suspect_address"], code="suspect_address"
                ) from None
            raise


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        remember_device(self.request, response, form.get_user().get_username())
        return response


class LogoutView(auth_views.LogoutView):
    """Sign out by POST only (Django 5 refuses GET), from the form in the page header."""


# Choosing a language only sets a cookie, so it is allowed before signing in (on the login page).
language_set = login_not_required(set_language)


# One's own password: every signed-in user, and the only page open while a change is due.


def password_change(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            on_form(form, exc)
        else:
            update_session_auth_hash(request, user)  # stay signed in with the new password
            messages.success(request, _("Your password was changed."))
            return redirect("home")
    return render(
        request,
        "accounts/password_change_form.html",
        {"form": form, "forced": user.must_change_password},
    )
