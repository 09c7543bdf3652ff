"""The money's report pages: a unit's disbursement (with its chart), the year's settlement (draft,
approval), and their files.

Access: ``finance.view`` on the unit or above (a commune's officer, accountant and leader; the
district's and province's reviewers read their communes); any other unit is answered 404. The
settlement is drafted by ``finance.edit`` and approved by ``finance.approve`` (services check).
The chart is an ``<img>`` of an SVG drawn by ``reports.charts`` (no inline script or style on the
page: the strict Content-Security-Policy); the table beside it has the same numbers.
"""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import FINANCE_APPROVE, FINANCE_EDIT
from duan8.core.idempotency import OnceForm, create_once
from duan8.finance.disbursement import (
    Disbursement,
    default_as_of,
    disbursement_compute,
    disbursement_unit_get,
)
from duan8.finance.exports import CONTENT_TYPES, DISBURSEMENT, SETTLEMENT, finance_report_export
from duan8.finance.models import Settlement
from duan8.finance.services.settlement import (
    settlement_approve,
    settlement_draft,
    settlement_totals,
)
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.reports import charts

SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


class DisbursementForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    as_of = forms.DateField(
        label=gettext_lazy("On the map of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _form(request: AuthedRequest, unit: OrgUnit) -> DisbursementForm:
    data = {"year": request.GET.get("year") or str(default_as_of(unit).year)}
    if request.GET.get("as_of"):
        data["as_of"] = request.GET["as_of"]
    return DisbursementForm(data)


def _figures(request: AuthedRequest, unit: OrgUnit) -> tuple[DisbursementForm, Disbursement]:
    form = _form(request, unit)
    if not form.is_valid():
        raise ValidationError(list(form.errors.values()))
    year = form.cleaned_data["year"]
    as_of = form.cleaned_data["as_of"] or _year_as_of(unit, year)
    return form, disbursement_compute(unit=unit, year=year, as_of=as_of)


def _year_as_of(unit: OrgUnit, year: int) -> datetime.date:
    """The end of the year, or today when it is not over; within the unit's life."""
    day = min(datetime.date(year, 12, 31), timezone.localdate())
    if unit.valid_to and day > unit.valid_to:
        return unit.valid_to
    if unit.valid_from and day < unit.valid_from:
        return unit.valid_from
    return day


@require_safe
def disbursement_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = disbursement_unit_get(actor=request.user, unit_id=pk)
    form = _form(request, unit)
    context: dict[str, Any] = {"unit": unit, "form": form, "formats": sorted(CONTENT_TYPES)}
    try:
        form, data = _figures(request, unit)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "finance/reports_disbursement.html", context, status=400)
    query = urlencode({"year": str(data.year), "as_of": data.as_of.isoformat()})
    context.update(
        data=data,
        query=query,
        chart=f"{reverse('finance:disbursement_chart', args=[unit.pk])}?{query}",
        is_commune=unit.level >= OrgUnit.Level.COMMUNE,
        settlement=Settlement.objects.filter(holder=unit, year=data.year).first(),
    )
    return render(request, "finance/reports_disbursement.html", context)


def chart_rows(data: Disbursement) -> list[charts.ProgressRow]:
    """The units under it (a district, a province), else the contents and the sources."""
    above = data.unit is None or data.unit.level < OrgUnit.Level.COMMUNE
    rows = data.units if data.units and above else []
    rows = rows or [*data.sources, *data.contents]
    return [
        charts.ProgressRow(charts.shorten(row.label), row.figures.disbursed, row.figures.allocated)
        for row in rows
        if row.figures.allocated or row.figures.disbursed
    ]


@require_safe
def disbursement_chart(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = disbursement_unit_get(actor=request.user, unit_id=pk)
    try:
        _unused, data = _figures(request, unit)
    except ValidationError:
        return HttpResponse(status=400)
    figure = charts.chart_progress(
        chart_rows(data), title=_("Disbursed as a share of the allocation")
    )
    response = HttpResponse(charts.figure_svg(figure), content_type="image/svg+xml")
    response["Content-Security-Policy"] = SVG_POLICY
    response["Cache-Control"] = "private, no-cache"
    return response


def _file(request: AuthedRequest, unit: OrgUnit, kind: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404(_("No such file."))
    as_of = None
    if kind == DISBURSEMENT and request.GET.get("as_of"):
        try:
            as_of = datetime.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            return HttpResponse(status=400)
    try:
        exported = finance_report_export(
            actor=request.user, unit=unit, year=year, kind=kind, file_format=fmt, as_of=as_of
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("finance:disbursement", pk=unit.pk)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@require_safe
def disbursement_file(request: AuthedRequest, pk: int, year: int, fmt: str) -> HttpResponse:
    unit = disbursement_unit_get(actor=request.user, unit_id=pk)
    return _file(request, unit, DISBURSEMENT, year, fmt)


# --- settlement ---------------------------------------------------------------------------------


class VersionForm(OnceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@require_safe
def settlement_view(request: AuthedRequest, pk: int, year: int) -> HttpResponse:
    unit = disbursement_unit_get(actor=request.user, unit_id=pk)
    return _settlement_page(request, unit, year)


def _settlement_page(
    request: AuthedRequest, unit: OrgUnit, year: int, *, status: int = 200
) -> HttpResponse:
    settlement = Settlement.objects.filter(holder=unit, year=year).first()
    lines = list(settlement.lines.select_related("element")) if settlement else []
    draft = settlement is None or settlement.status == Settlement.Status.DRAFT
    version = {"version": settlement.version} if settlement else {}
    context = {
        "unit": unit,
        "year": year,
        "settlement": settlement,
        "lines": lines,
        "totals": settlement_totals(lines) if lines else None,
        "may_draft": draft and can(request.user, FINANCE_EDIT, unit),
        "may_approve": settlement is not None
        and draft
        and can(request.user, FINANCE_APPROVE, unit),
        "form": VersionForm(initial=version),
        "formats": sorted(CONTENT_TYPES),
    }
    return render(request, "finance/reports_settlement.html", context, status=status)


def _posted_version(request: AuthedRequest) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data.get("version") if form.is_valid() else None


@require_POST
def settlement_draft_view(request: AuthedRequest, pk: int, year: int) -> HttpResponse:
    unit = disbursement_unit_get(actor=request.user, unit_id=pk)

    def create() -> HttpResponse:
        try:
            settlement_draft(
                actor=request.user, holder=unit, year=year, version=_posted_version(request)
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _settlement_page(request, unit, year, status=400)
        messages.success(request, _("The settlement's draft was computed from the records."))
        return redirect("finance:settlement", pk=unit.pk, year=year)

    return create_once(request, create) or create()


@require_POST
def settlement_approve_view(request: AuthedRequest, pk: int, year: int) -> HttpResponse:
    unit = disbursement_unit_get(actor=request.user, unit_id=pk)
    settlement = Settlement.objects.filter(holder=unit, year=year).first()
    if settlement is None:
        raise Http404(_("No settlement for this year."))
    try:
        settlement_approve(
            actor=request.user, settlement=settlement, version=_posted_version(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _settlement_page(request, unit, year, status=400)
    messages.success(request, _("The settlement was approved; the year's spending is locked."))
    return redirect("finance:settlement", pk=unit.pk, year=year)


@require_safe
def settlement_file(request: AuthedRequest, pk: int, year: int, fmt: str) -> HttpResponse:
    unit = disbursement_unit_get(actor=request.user, unit_id=pk)
    return _file(request, unit, SETTLEMENT, year, fmt)
