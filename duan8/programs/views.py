"""Plan pages: the list (home), the plan with its two appendices, and the forms that edit them.

Views translate HTTP to selector and service calls. Rights are checked by the services
(PermissionDenied → 403); the views only ask ``plan_access`` to decide which buttons to show.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import RECORDS_EDIT
from duan8.orgunits.access import active_memberships
from duan8.orgunits.models import OrgUnit
from duan8.programs.forms import AllocationForm, TargetsForm
from duan8.programs.models import (
    AllocationColumn,
    AllocationRow,
    Plan,
    ProgramElement,
    Target,
    format_count,
)
from duan8.programs.plan_access import (
    can_approve_plan,
    can_write_plan,
    require_plan_approve,
    require_plan_write,
)
from duan8.programs.plan_page import PlanPageRead, plan_page_read_keep
from duan8.programs.selectors import (
    AllocationTable,
    AppendixLine,
    allocation_table,
    plan_appendix,
    plan_get,
    plan_legal_bases,
    plan_list,
)
from duan8.programs.services import plan_approval_problems, plan_approve


def _year(raw: str | None) -> int | None:
    try:
        year = int(raw or "")
    except ValueError:
        return None
    return year if 1900 <= year <= 2200 else None


def _version(raw: str | None) -> int | None:
    """The plan version a form was loaded with; None (the service refuses it) when absent."""
    try:
        return int(raw or "")
    except ValueError:
        return None


def _village_entry(request: AuthedRequest) -> str | None:
    """Where a village head starts: the event entry page of their village, when they see no
    plan (plans are the commune's; an empty list would be their whole first screen)."""
    if request.GET:
        return None
    villages = sorted(
        (
            m.org_unit
            for m in active_memberships(request.user)
            if m.org_unit.level == OrgUnit.Level.VILLAGE and RECORDS_EDIT in m.role.permissions
        ),
        key=lambda unit: unit.path,
    )
    if not villages or plan_list(actor=request.user).exists():
        return None
    return reverse("activities:event_create", args=[villages[0].pk])


def home(request: AuthedRequest) -> HttpResponse:
    """The plans the user may see, newest first within each unit, and the user's roles; a
    village head goes straight to recording an event in their village."""
    entry = _village_entry(request)
    if entry is not None:
        return redirect(entry)
    year = _year(request.GET.get("year"))
    plans = plan_list(actor=request.user, year=year)
    page = Paginator(plans, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    years = sorted(
        plan_list(actor=request.user).order_by().values_list("year", flat=True).distinct(),
        reverse=True,
    )
    return render(
        request,
        "programs/plan_list.html",
        {
            "page": page,
            "year": year,
            "years": years,
            "page_query": f"year={year}&" if year else "",
            "memberships": active_memberships(request.user),
        },
    )


@dataclass
class AppendixRow:
    """One line of the first appendix as printed: the suspension note spans both target columns."""

    line: AppendixLine
    spanning_note: str = ""

    @property
    def has_targets(self) -> bool:
        return self.line.commune is not None or self.line.village is not None

    @property
    def is_heading(self) -> bool:
        """A content without targets prints as a heading row across the table."""
        return self.line.element.kind == ProgramElement.Kind.CONTENT and not self.has_targets

    @property
    def kind(self) -> str:
        return self.line.element.kind

    @property
    def number(self) -> str:
        return self.line.element.number

    @property
    def title(self) -> str:
        return self.line.element.title

    @property
    def commune_display(self) -> str:
        return self.line.commune.display if self.line.commune is not None else ""

    @property
    def village_display(self) -> str:
        return self.line.village.display if self.line.village is not None else ""

    @property
    def heading(self) -> str:
        """A content's row as printed: "Nội dung 1: Tuyên truyền …" ("Nội dung 4. …" kept)."""
        number, title = self.line.element.number, self.line.element.title
        if not number:
            return title
        return f"{number} {title}" if number[-1] in ".:" else f"{number}: {title}"


def appendix_rows(lines: list[AppendixLine]) -> list[AppendixRow]:
    rows = []
    for line in lines:
        commune, village = line.commune, line.village
        note = ""
        if commune and commune.kind == Target.Kind.SUSPENDED:
            if village is None or (village.kind == commune.kind and village.text == commune.text):
                note = commune.text
        elif village and village.kind == Target.Kind.SUSPENDED and commune is None:
            note = village.text
        rows.append(AppendixRow(line=line, spanning_note=note))
    return rows


@dataclass
class AllocationCellView:
    column: AllocationColumn
    display: str
    has_problem: bool


@dataclass
class AllocationRowView:
    row: AllocationRow
    difficult_villages: str
    difficult_villages_problem: bool
    cells: list[AllocationCellView]


def allocation_rows(table: AllocationTable) -> list[AllocationRowView]:
    bad = {(p.row.pk, p.column.pk if p.column else None) for p in table.problems}
    return [
        AllocationRowView(
            row=row,
            difficult_villages=format_count(row.difficult_villages)
            if row.difficult_villages is not None
            else "",
            difficult_villages_problem=(row.pk, None) in bad,
            cells=[
                AllocationCellView(
                    column=column,
                    display=format_count(value),
                    has_problem=(row.pk, column.pk) in bad,
                )
                for column, value in table.row_cells(row)
            ],
        )
        for row in table.rows
    ]


def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(actor=request.user, plan_id=pk)
    lines = plan_appendix(plan=plan)
    table = allocation_table(plan=plan)
    # the panels below that set the targets beside other figures read these, not the database
    plan_page_read_keep(plan, PlanPageRead(appendix=lines, allocation=table))
    return render(
        request,
        "programs/plan_detail.html",
        {
            "plan": plan,
            "legal_bases": plan_legal_bases(plan),
            "appendix": appendix_rows(lines),
            "table": table,
            "allocation": allocation_rows(table),
            "can_edit": plan.is_editable and can_write_plan(request.user, plan),
            "can_approve": plan.is_editable and can_approve_plan(request.user, plan),
            # Sections of apps above this one (progress from the records), named in settings so
            # programs imports none of them.
            "panels": [import_string(panel)(request, plan) for panel in settings.PLAN_PAGE_PANELS],
        },
    )


def _editable_plan(request: AuthedRequest, pk: int) -> Plan:
    """The plan, if the user may see it (else 404) and edit it (else 403)."""
    plan = plan_get(actor=request.user, plan_id=pk)
    require_plan_write(request.user, plan)
    return plan


def _not_editable(request: AuthedRequest, plan: Plan) -> HttpResponse:
    messages.error(request, _("This plan is approved and can no longer be changed."))
    return redirect("programs:plan_detail", pk=plan.pk)


def plan_targets_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if not plan.is_editable:
        return _not_editable(request, plan)
    lines = plan_appendix(plan=plan)
    form = TargetsForm(request.POST if request.method == "POST" else None, plan=plan, lines=lines)
    if request.method == "POST" and form.is_valid():
        saved = form.save(actor=request.user)
        if saved is not None:
            if saved:
                messages.success(request, _("The targets were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("programs:plan_detail", pk=plan.pk)
    return render(request, "programs/plan_targets_form.html", {"plan": plan, "form": form})


def plan_allocation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if not plan.is_editable:
        return _not_editable(request, plan)
    table = allocation_table(plan=plan)
    form = AllocationForm(
        request.POST if request.method == "POST" else None, plan=plan, table=table
    )
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("The allocation was saved."))
        return redirect("programs:plan_detail", pk=plan.pk)
    return render(
        request,
        "programs/plan_allocation_form.html",
        {"plan": plan, "form": form, "table": table},
    )


@require_http_methods(["GET", "POST"])
def plan_approve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page, with what the document checks found (errors block approval,
    warnings do not); POST (its button): approve."""
    plan = plan_get(actor=request.user, plan_id=pk)
    require_plan_approve(request.user, plan)
    if not plan.is_editable:
        messages.info(request, _("This plan is already approved."))
        return redirect("programs:plan_detail", pk=plan.pk)
    if request.method == "GET":
        problems = plan_approval_problems(plan)
        errors = [p for p in problems if getattr(p, "is_error", True)]
        return render(
            request,
            "programs/plan_approve_confirm.html",
            {
                "plan": plan,
                "errors": errors,
                "warnings": [p for p in problems if not getattr(p, "is_error", True)],
                "missing_number": plan.number is None or plan.issued_on is None,
            },
        )
    try:
        plan_approve(
            plan=plan, actor=request.user, expected_version=_version(request.POST.get("version"))
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The plan was approved."))
    return redirect("programs:plan_detail", pk=plan.pk)
