"""User management: the list of users one manages, creating them, granting and ending roles."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.models import User
from duan8.core.audit import NotVisible
from duan8.core.problems import on_form
from duan8.orgunits.users import selectors, services
from duan8.orgunits.users.forms import (
    PasswordResetForm,
    RoleGrantForm,
    UserCreateForm,
    UserUpdateForm,
)

# User management: the services check every right (PermissionDenied → 403) and audit.

# The unit list of the user forms offers a search from this many units (a province has hundreds).
UNIT_SEARCH_FROM = 10


def _unit_search(request: AuthedRequest) -> str:
    return (request.GET.get("unit_q") or "").strip()[:100]


def user_list(request: AuthedRequest) -> HttpResponse:
    if not selectors.managed_units(actor=request.user).exists():  # 403, not an empty page
        raise PermissionDenied(_("You do not have the right to manage users."))
    search = (request.GET.get("q") or "").strip()[:150]
    users = selectors.user_list(actor=request.user, search=search or None)
    page = Paginator(users, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "search": search,
            "page_query": f"{urlencode({'q': search})}&" if search else "",
            "can_create": selectors.managed_units(actor=request.user).exists(),
        },
    )


def user_create(request: AuthedRequest) -> HttpResponse:
    form = UserCreateForm(
        request.POST or None, actor=request.user, unit_search=_unit_search(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,
                unit=data["unit"],
                role=data["role"],
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                phone=data["phone"],
            )
        except PermissionDenied as exc:
            return _refused(request, exc)
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(request, _("The user %(name)s was created.") % {"name": user})
            return redirect("user_detail", pk=user.pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "unit_search_from": UNIT_SEARCH_FROM}
    )


def _detail(
    request: AuthedRequest, user: User, grant_form: RoleGrantForm | None = None
) -> HttpResponse:
    today = timezone.localdate()
    refusal = services.user_manage_refusal(actor=request.user, user=user)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": user,
            "roles": [(m, m.is_active_on(today)) for m in selectors.managed_memberships(user)],
            "grant_form": grant_form
            or RoleGrantForm(actor=request.user, unit_search=_unit_search(request)),
            "unit_search_from": UNIT_SEARCH_FROM,
            "can_manage": refusal is None,
            "manage_refusal": refusal,
            "can_deactivate": refusal is None and user.is_active and user != request.user,
        },
    )


def _refused(request: AuthedRequest, exc: PermissionDenied) -> HttpResponse:
    """The service has already audited the refusal; say why, without a second audit entry."""
    return render(request, "403.html", {"exception": exc}, status=403)


def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.user_get(actor=request.user, user_id=pk))


@require_POST
def role_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(actor=request.user, user_id=pk)
    form = RoleGrantForm(request.POST, actor=request.user, unit_search=_unit_search(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.role_grant(
                actor=request.user,
                user=user,
                unit=data["unit"],
                role=data["role"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except PermissionDenied as exc:
            return _refused(request, exc)
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(
                request,
                _("%(user)s now holds the role “%(role)s” in %(unit)s.")
                % {"user": user, "role": membership.role, "unit": membership.org_unit},
            )
            return redirect("user_detail", pk=user.pk)
    return _detail(request, user, grant_form=form)


@require_POST
def role_end(request: AuthedRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = selectors.user_get(actor=request.user, user_id=pk)
    membership = next(
        (m for m in selectors.managed_memberships(user) if m.pk == membership_pk), None
    )
    if membership is None:
        raise NotVisible(_("Role assignment not found."))
    today = timezone.localdate()
    if not membership.is_active_on(today):
        messages.error(request, _("This role is not in force; there is nothing to end."))
        return redirect("user_detail", pk=user.pk)
    # Ended yesterday: the role no longer applies from today.
    try:
        services.role_end(
            actor=request.user, membership=membership, on=today - datetime.timedelta(days=1)
        )
    except PermissionDenied as exc:
        return _refused(request, exc)
    messages.success(
        request,
        _("The role “%(role)s” in %(unit)s was ended.")
        % {"role": membership.role, "unit": membership.org_unit},
    )
    return redirect("user_detail", pk=user.pk)


def user_update(request: AuthedRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(actor=request.user, user_id=pk)
    try:
        services.user_manage_check(actor=request.user, user=user)
    except PermissionDenied as exc:
        return _refused(request, exc)
    shown = {"full_name": user.full_name, "phone": user.phone}
    form = UserUpdateForm(
        request.POST or None,
        initial={**shown, **{f"shown_{name}": value for name, value in shown.items()}},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user,
                user=user,
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                shown=form.shown(),
            )
        except PermissionDenied as exc:
            return _refused(request, exc)
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(request, _("The details of %(user)s were saved.") % {"user": user})
            return redirect("user_detail", pk=user.pk)
    return render(request, "accounts/user_update_form.html", {"person": user, "form": form})


def password_reset(request: AuthedRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(actor=request.user, user_id=pk)
    try:
        services.user_manage_check(actor=request.user, user=user)
    except PermissionDenied as exc:
        return _refused(request, exc)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_reset(
                actor=request.user, user=user, password=form.cleaned_data["password1"]
            )
        except PermissionDenied as exc:
            return _refused(request, exc)
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The password of %(user)s was changed. They must choose a new one when they"
                    " next sign in."
                )
                % {"user": user},
            )
            return redirect("user_detail", pk=user.pk)
    return render(request, "accounts/user_password_form.html", {"person": user, "form": form})


@require_POST
def user_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(actor=request.user, user_id=pk)
    try:
        services.user_deactivate(actor=request.user, user=user)
    except PermissionDenied as exc:
        return _refused(request, exc)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(user)s can no longer sign in.") % {"user": user})
    return redirect("user_detail", pk=user.pk)
