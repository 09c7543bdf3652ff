"""The web pages of API tokens: one's own ("Khoá API của tôi": list, make, revoke) and an
administrator's revoking of a managed user's token (listed on the user's page).

The key of a new token is shown once, in the answer to the POST that made it: it is never kept
(only its hash is) and never put in the session, so a reload or a later visit cannot show it.
The form carries a one-time key (``core.idempotency``): a double tap, or the browser sending the
POST again on reload, makes one token, and the repeated POST is sent to the list with a note.
The services check every right and audit every creation and revocation.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.models import User
from duan8.api.models import ApiToken
from duan8.api.tokens import DEFAULT_DAYS, api_token_create, api_token_list, api_token_revoke
from duan8.core.audit import NotVisible
from duan8.core.idempotency import KEEP, IdempotencyKey, OnceForm, posted_key
from duan8.core.problems import on_form
from duan8.orgunits.users import selectors as user_selectors
from duan8.orgunits.users.services import user_manage_check

# The form keys core.idempotency accepts (a page rendered by an older release may have none).
_ONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class ApiTokenForm(OnceForm):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=50,
        help_text=gettext_lazy("Where the token is used, e.g. “province dashboard”."),
    )
    read_only = forms.BooleanField(
        label=gettext_lazy("Read only"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Untick only for a program that must also write records."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=DEFAULT_DAYS,
    )


def _page(
    request: AuthedRequest,
    form: ApiTokenForm,
    made: tuple[ApiToken, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    response = render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "tokens": api_token_list(actor=request.user),
            "made": made[0] if made else None,
            "key": made[1] if made else "",
            "now": timezone.now(),
        },
        status=status,
    )
    add_never_cache_headers(response)  # the answer that shows a key is not kept by a browser
    return response


def api_tokens(request: AuthedRequest) -> HttpResponse:
    """One's own tokens, and the form that makes one (every signed-in user)."""
    if request.method != "POST":
        return _page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    once = posted_key(request)
    with transaction.atomic():
        if _ONCE.match(once):
            IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
            try:
                with transaction.atomic():
                    IdempotencyKey.objects.create(user=request.user, key=once, url=request.path)
            except IntegrityError:
                messages.info(
                    request,
                    _(
                        "This form was already sent and the token was made. Its key was shown"
                        " once, in the answer to the first sending; if you did not copy it, revoke"
                        " the token and make a new one."
                    ),
                )
                return redirect("api_tokens")
        try:
            made = api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                read_only=form.cleaned_data["read_only"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            transaction.set_rollback(True)  # the form key stays free for the corrected form
            on_form(form, exc)
            return _page(request, form, status=400)
    return _page(request, ApiTokenForm(), made=made)


@require_POST
def api_token_revoke_own(request: AuthedRequest, prefix: str) -> HttpResponse:
    token = ApiToken.objects.filter(user=request.user, prefix=prefix).first()
    if token is None:
        raise NotVisible(_("API token not found."))
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The API token %(token)s was revoked.") % {"token": token})
    return redirect("api_tokens")


@require_POST
def user_api_token_revoke(request: AuthedRequest, pk: int, prefix: str) -> HttpResponse:
    """An administrator revokes a token of a user they manage (the user's page lists them)."""
    user: User = user_selectors.user_get(actor=request.user, user_id=pk)  # 404 unless managed
    try:
        user_manage_check(actor=request.user, user=user)
        token = ApiToken.objects.filter(user=user, prefix=prefix).first()
        if token is None:
            raise NotVisible(_("API token not found."))
        api_token_revoke(actor=request.user, token=token)
    except PermissionDenied as exc:  # already audited by the check
        return render(request, "403.html", {"exception": exc}, status=403)
    messages.success(request, _("The API token %(token)s was revoked.") % {"token": token})
    return redirect("user_detail", pk=user.pk)
