"""The offline entry page, its data, the service worker and the manifest (issue 17)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from duan8.accounts.http import AuthedRequest
from duan8.offline.bootstrap import bootstrap
from duan8.offline.worker import manifest, worker_script


@require_safe
def entry_view(request: AuthedRequest) -> HttpResponse:
    """The page: a shell whose forms and lists the script fills from the cached data, so that
    the same page works with and without a signal."""
    return render(request, "offline/entry.html", {})


@require_safe
def data_view(request: AuthedRequest) -> JsonResponse:
    """The user's reference lists and rules (``bootstrap``), cached by the worker."""
    return JsonResponse(bootstrap(request), json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_safe
def worker_view(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: public, like any static file (it names static URLs, no data)."""
    response = HttpResponse(worker_script(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_safe
def manifest_view(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(manifest(), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
