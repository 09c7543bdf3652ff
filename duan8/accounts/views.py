"""Sign-in, sign-out and the language switch: Django's own views, wired and worded for duan8."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from duan8.accounts.backends import is_locked_out
from duan8.core.audit import client_address


class LoginForm(AuthenticationForm):
    """Says so when the account or address is locked out, instead of "wrong password"."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked_out": _(
            "Too many failed attempts. Sign-in is blocked for a while; try again later or ask"
            " your administrator."
        ),
    }

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError:
            username = (self.cleaned_data.get("username") or "")[:150]
            address = client_address(self.request) if self.request is not None else None
            if is_locked_out(username, address):
                raise ValidationError(
                    self.error_messages["locked_out"], code="locked_out"
                ) from None
            raise


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out by POST only (Django 5 refuses GET), from the form in the page header."""


# Choosing a language only sets a cookie, so it is allowed before signing in (on the login page).
language_set = login_not_required(set_language)
