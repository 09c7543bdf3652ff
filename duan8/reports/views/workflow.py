"""Report pages: the user's reports, a commune's deadlines, one report (figures, narrative,
history, review), its edit form, its files; completeness and timeliness for the level above; a
request for reports on demand.

Views translate HTTP to selector and service calls. The services check rights (PermissionDenied
→ 403); a report or unit outside the user's units is 404 (``NotVisible``).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from duan8.accounts.http import AuthedRequest
from duan8.core.audit import NotVisible
from duan8.core.problems import labelled, on_form, problems_of
from duan8.jobs.views import job_request
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_visible_get
from duan8.reports.figures import figure_table, report_figures
from duan8.reports.forms import ApproveForm, ReportForm, RequestForm, ReturnForm, UnlockForm
from duan8.reports.jobs import (
    JOB_KIND,
    report_file_as_job,
    report_file_params,
)
from duan8.reports.models import Report, ReportSchedule
from duan8.reports.report_files import DOCX, XLSX, report_export
from duan8.reports.selectors import (
    EDIT,
    REVIEW,
    VIEW,
    report_can,
    report_get,
    report_latest_return,
    report_reminders,
    report_steps,
    report_year_default,
    reporting_units_of,
    reports_for_review,
    review_units_of,
    unit_report_rows,
)
from duan8.reports.services import (
    report_approve,
    report_open,
    report_request,
    report_return,
    report_save,
    report_submit,
    report_unlock,
)

FIRST_YEAR = 2022  # TT 01/2022/TT-UBDT


def _int(raw: str | None) -> int | None:
    try:
        return int(raw or "")
    except ValueError:
        return None


def _visible_unit(request: AuthedRequest, pk: int) -> OrgUnit:
    unit = org_unit_visible_get(request.user, VIEW, pk)
    if unit is None:
        raise NotVisible
    return unit


def _years(unit: OrgUnit) -> list[int]:
    """The years of figures a unit reported for: from phase I (or its creation) to this year or
    its end."""
    first = max(FIRST_YEAR, unit.valid_from.year if unit.valid_from else FIRST_YEAR)
    last = timezone.localdate().year
    if unit.valid_to is not None:
        last = min(last, unit.valid_to.year)
    return list(range(first, last + 1)) or [last]


def _year(request: AuthedRequest, unit: OrgUnit, years: list[int]) -> int:
    """The year asked for; else the latest year with data in the unit (not an empty 2026)."""
    year = _int(request.GET.get("year"))
    return year if year in years else report_year_default(unit, years)


def _labels() -> dict[str, str]:
    """What a service's problem is about, for a message at the top of a page (its field not shown
    there)."""
    return {
        "results": _("Results"),
        "difficulties": _("Difficulties"),
        "proposals": _("Proposals"),
        "figures": _("Figures"),
        "comment": _("Comment"),
        "reason": _("Reason"),
    }


def _errors(request: AuthedRequest, exc: ValidationError) -> None:
    """A service's problems as the page's messages, each naming what it is about."""
    labels = _labels()
    for problem in problems_of(exc):
        messages.error(request, labelled(problem, labels))


# --- the user's reports -------------------------------------------------------------------------


@require_safe
def report_home(request: AuthedRequest) -> HttpResponse:
    """What the user must do about reports, the communes they write for, the areas they review."""
    actor = request.user
    return render(
        request,
        "reports/report_home.html",
        {
            "reminders": report_reminders(actor=actor, days=30),
            "communes": reporting_units_of(actor),
            "review_units": review_units_of(actor),
            "to_review": list(reports_for_review(actor=actor)[:50]),
        },
    )


@require_safe
def unit_reports_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _visible_unit(request, pk)
    years = _years(unit)
    year = _year(request, unit, years)
    rows = unit_report_rows(actor=request.user, unit=unit, year=year)
    return render(
        request,
        "reports/report_list.html",
        {
            "unit": unit,
            "year": year,
            "years": years,
            "rows": rows,
            "today": timezone.localdate(),
            "can_open": can(request.user, EDIT, unit),
            "can_review": can(request.user, REVIEW, unit),
        },
    )


@require_POST
def report_open_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _visible_unit(request, pk)
    schedule = ReportSchedule.objects.filter(code=request.POST.get("schedule", "")).first()
    try:
        due_on = datetime.date.fromisoformat(request.POST.get("due_on", ""))
    except ValueError:
        due_on = None
    if schedule is None or due_on is None:
        messages.error(request, _("Choose a report and its due date."))
        return redirect("reports:unit_reports", pk=unit.pk)
    try:
        report = report_open(actor=request.user, schedule=schedule, unit=unit, due_on=due_on)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("reports:unit_reports", pk=unit.pk)
    if report.is_editable:
        return redirect("reports:report_edit", pk=report.pk)
    return redirect("reports:report_detail", pk=report.pk)


# --- one report ---------------------------------------------------------------------------------


@require_safe
def report_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    actor = request.user
    report = report_get(actor=actor, report_id=pk)
    allowed = report_can(actor, report)
    initial = {"version": report.version}
    steps = report_steps(report)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "table": figure_table(report_figures(actor=actor, report=report)),
            "is_snapshot": report.status in (Report.Status.SUBMITTED, Report.Status.APPROVED),
            "steps": steps,
            "latest_return": report_latest_return(steps),
            "can": allowed,
            "return_form": ReturnForm(initial=initial) if allowed["review"] else None,
            "approve_form": ApproveForm(initial=initial) if allowed["review"] else None,
            "unlock_form": UnlockForm(initial=initial) if allowed["unlock"] else None,
            "on_time": report.submitted_on_time(),
        },
    )


def report_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The narrative parts; "Save and submit" sends the report up in the same step."""
    actor = request.user
    report = report_get(actor=actor, report_id=pk)
    require_permission(actor, EDIT, report.org_unit)
    if not report.is_editable:
        messages.error(
            request,
            _("This report is “%(status)s” and can no longer be changed.")
            % {"status": report.get_status_display()},
        )
        return redirect("reports:report_detail", pk=report.pk)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = report_save(
                    actor=actor,
                    report=report,
                    results=data["results"],
                    difficulties=data["difficulties"],
                    proposals=data["proposals"],
                    expected_version=data.get("version"),
                )
            except ValidationError as exc:
                on_form(form, exc)
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("The report was saved."))
                    return redirect("reports:report_detail", pk=report.pk)
                try:
                    report_submit(actor=actor, report=report, expected_version=report.version)
                except ValidationError as exc:
                    # what was written is saved; say what is missing on the reloaded form
                    messages.info(request, _("The report was saved but not sent:"))
                    _errors(request, exc)
                    return redirect("reports:report_edit", pk=report.pk)
                messages.success(
                    request,
                    _("The report was sent to %(unit)s.")
                    % {"unit": report.recipient_unit.full_name},
                )
                return redirect("reports:report_detail", pk=report.pk)
    else:
        form = ReportForm(
            initial={
                "results": report.results,
                "difficulties": report.difficulties,
                "proposals": report.proposals,
                "version": report.version,
            }
        )
    return render(
        request,
        "reports/report_form.html",
        {
            "report": report,
            "form": form,
            "table": figure_table(report_figures(actor=actor, report=report)),
            "comments": [s for s in report_steps(report) if s.comment],
        },
    )


@require_POST
def report_submit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = report_get(actor=request.user, report_id=pk)
    try:
        report_submit(
            actor=request.user, report=report, expected_version=_int(request.POST.get("version"))
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _("The report was sent to %(unit)s.") % {"unit": report.recipient_unit.full_name},
        )
    return redirect("reports:report_detail", pk=report.pk)


@require_POST
def report_return_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = report_get(actor=request.user, report_id=pk)
    form = ReturnForm(request.POST)
    form.is_valid()
    try:
        report_return(
            actor=request.user,
            report=report,
            comment=form.cleaned_data.get("comment", ""),
            expected_version=form.cleaned_data.get("version"),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The report was returned to %(unit)s.") % {"unit": report.org_unit.full_name}
        )
    return redirect("reports:report_detail", pk=report.pk)


@require_POST
def report_approve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = report_get(actor=request.user, report_id=pk)
    form = ApproveForm(request.POST)
    form.is_valid()
    try:
        report_approve(
            actor=request.user,
            report=report,
            comment=form.cleaned_data.get("comment", ""),
            expected_version=form.cleaned_data.get("version"),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request,
            _("The report was approved; the records of %(unit)s for %(start)s–%(end)s are locked.")
            % {
                "unit": report.org_unit.full_name,
                "start": report.period_start.strftime("%d/%m/%Y"),
                "end": report.period_end.strftime("%d/%m/%Y"),
            },
        )
    return redirect("reports:report_detail", pk=report.pk)


@require_POST
def report_unlock_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = report_get(actor=request.user, report_id=pk)
    form = UnlockForm(request.POST)
    form.is_valid()
    try:
        report_unlock(
            actor=request.user,
            report=report,
            reason=form.cleaned_data.get("reason", ""),
            expected_version=form.cleaned_data.get("version"),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The records were unlocked and the report returned to the commune.")
        )
    return redirect("reports:report_detail", pk=report.pk)


def _download(request: AuthedRequest, pk: int, file_format: str) -> HttpResponse:
    """A commune's Excel file is sent at once; a Word file, and the Excel file of a district, a
    province or the country, are made by a job (reports/jobs.py): GET shows a button, POST
    submits it (a second tap leads to the same job) and leads to the job's page."""
    report = report_get(actor=request.user, report_id=pk)
    if request.method == "POST" or report_file_as_job(report, file_format):
        name = _("Word") if file_format == DOCX else _("Excel")
        return job_request(
            request,
            kind=JOB_KIND[file_format],
            params=report_file_params(report),
            title=_("%(report)s as %(format)s") % {"report": report, "format": name},
            intro=_(
                "The file is made from the report as it is now: its figures and charts take a"
                " few seconds. You will see its progress, then a link to the file."
            ),
            back_url=reverse("reports:report_detail", kwargs={"pk": report.pk}),
            back_label=str(report),
        )
    exported = report_export(actor=request.user, report=report, file_format=file_format)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def report_xlsx_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, XLSX)


@require_http_methods(["GET", "HEAD", "POST"])
def report_docx_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, DOCX)


@require_http_methods(["GET", "HEAD", "POST"])
def report_pdf_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The PDF is a job (LibreOffice takes seconds, reports/jobs.py): GET shows a button, POST
    submits it and leads to the job's page."""
    report = report_get(actor=request.user, report_id=pk)
    return job_request(
        request,
        kind="reports.report_pdf",
        params=report_file_params(report),
        title=_("%(report)s as PDF") % {"report": report},
        intro=_(
            "The PDF is made from the report as it is now by LibreOffice, which takes a few"
            " seconds. You will see its progress, then a link to the file."
        ),
        back_url=reverse("reports:report_detail", kwargs={"pk": report.pk}),
        back_label=str(report),
    )


# --- the level above ----------------------------------------------------------------------------


# The completeness page: views/completeness.py.


def report_request_view(request: AuthedRequest, pk: int) -> HttpResponse:
    area = _visible_unit(request, pk)
    require_permission(request.user, REVIEW, area)
    today = timezone.localdate()
    # An area that has ended (a district after 30/6/2025) is asked about its last year.
    end = min(today, area.valid_to) if area.valid_to else today
    form = RequestForm(
        request.POST if request.method == "POST" else None,
        today=today,
        initial={"period_start": datetime.date(end.year, 1, 1), "period_end": end},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = report_request(
                actor=request.user,
                schedule=data["schedule"],
                area=area,
                due_on=data["due_on"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                note=data["note"],
            )
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s commune was asked for the report.",
                    "%(count)s communes were asked for the report.",
                    len(created),
                )
                % {"count": len(created)},
            )
            url = reverse("reports:completeness", kwargs={"pk": area.pk})
            return redirect(f"{url}?year={data['period_end'].year}")
    return render(request, "reports/report_request.html", {"area": area, "form": form})
