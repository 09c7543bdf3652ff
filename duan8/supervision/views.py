"""Supervision pages: a unit's sessions, a session with its findings and recommendations, the
forms that plan, record, answer and review. Selectors read (404 for those who may not read the
unit); services write and check rights (403 for a reader who may not do it)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from duan8.accounts.http import AuthedRequest
from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_VIEW, SUPERVISION_ANSWER, SUPERVISION_RECORD
from duan8.core.idempotency import create_once
from duan8.core.problems import on_form
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit
from duan8.supervision.follow_up import may_answer
from duan8.supervision.forms import (
    AnswerForm,
    FindingForm,
    MinutesForm,
    RecommendationForm,
    ReviewForm,
    SessionForm,
)
from duan8.supervision.models import Recommendation, Session
from duan8.supervision.report import CONTENT_TYPES, supervision_report_export
from duan8.supervision.selectors import (
    finding_get,
    members_visible,
    recommendation_get,
    session_findings,
    session_get,
    session_list,
    session_recommendations,
    supervision_unit_get,
)
from duan8.supervision.services import (
    require_supervisor,
    session_minutes_add,
    session_minutes_open,
)


def _may_change(actor: User, session: Session) -> bool:
    try:
        require_supervisor(actor, session)
    except PermissionDenied:
        return False
    return True


def _detail_url(session: Session, anchor: str = "") -> str:
    return reverse("supervision:session_detail", args=[session.pk]) + anchor


@require_safe
def session_list_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = supervision_unit_get(actor=request.user, unit_id=pk)
    sessions = list(session_list(actor=request.user, unit=unit))
    return render(
        request,
        "supervision/session_list.html",
        {
            "unit": unit,
            "sessions": sessions,
            "may_record": can(request.user, SUPERVISION_RECORD, unit),
            "year": sessions[0].starts_on.year if sessions else timezone.localdate().year,
        },
    )


def session_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = supervision_unit_get(actor=request.user, unit_id=pk)
    require_permission(request.user, SUPERVISION_RECORD, unit)
    form = SessionForm(
        request.POST if request.method == "POST" else None, actor=request.user, unit=unit
    )
    if request.method == "POST":

        def create() -> HttpResponse | None:
            made = form.save() if form.is_valid() else None
            if made is None:
                return None
            messages.success(request, _("The supervision session was saved."))
            return redirect(_detail_url(made))

        done = create_once(request, create)
        if done is not None:
            return done
    return render(
        request,
        "supervision/session_form.html",
        {"form": form, "unit": unit, "session": None},
        status=400 if form.is_bound else 200,
    )


def session_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    session = session_get(actor=request.user, session_id=pk)
    require_supervisor(request.user, session)
    unit = session.org_unit
    if request.method == "POST":
        form = SessionForm(request.POST, actor=request.user, unit=unit)
        if form.is_valid() and form.save(session=session) is not None:
            messages.success(request, _("The supervision session was saved."))
            return redirect(_detail_url(session))
    else:
        form = SessionForm(initial=SessionForm.initial_of(session), actor=request.user, unit=unit)
    return render(
        request,
        "supervision/session_form.html",
        {"form": form, "unit": unit, "session": session},
        status=400 if form.is_bound else 200,
    )


def _detail_context(request: AuthedRequest, session: Session) -> dict[str, Any]:
    actor = request.user
    recommendations = session_recommendations(session)
    today = timezone.localdate()
    return {
        "session": session,
        "unit": session.org_unit,
        "findings": session_findings(session),
        "recommendations": [
            {
                "item": r,
                "overdue": r.is_overdue(today),
                "may_answer": r.status == Recommendation.Status.OPEN and may_answer(actor, r),
            }
            for r in recommendations
        ],
        "show_members": members_visible(actor, session),
        "may_change": _may_change(actor, session),
        "minutes_form": MinutesForm(initial={"version": session.version}),
    }


@require_safe
def session_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    session = session_get(actor=request.user, session_id=pk)
    return render(request, "supervision/session_detail.html", _detail_context(request, session))


@require_POST
def minutes_upload_view(request: AuthedRequest, pk: int) -> HttpResponse:
    session = session_get(actor=request.user, session_id=pk)
    require_supervisor(request.user, session)
    form = MinutesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            session_minutes_add(
                actor=request.user,
                session=session,
                upload=form.cleaned_data["file"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:  # a refused file, or an edit conflict: on the page
            on_form(form, exc)
        else:
            messages.success(request, _("The minutes were added."))
            return redirect(_detail_url(session, "#minutes"))
    context = _detail_context(request, session)
    context["minutes_form"] = form
    return render(request, "supervision/session_detail.html", context, status=400)


@require_safe
def minutes_download_view(request: AuthedRequest, pk: int) -> FileResponse:
    session = session_get(actor=request.user, session_id=pk)
    if not session.minutes:
        raise Http404(_("File not found."))
    session_minutes_open(actor=request.user, session=session)
    try:
        handle = session.minutes.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("File not found.")) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=session.minutes_name, content_type=session.minutes_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def finding_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    session = session_get(actor=request.user, session_id=pk)
    require_supervisor(request.user, session)
    form = FindingForm(
        request.POST if request.method == "POST" else None, actor=request.user, session=session
    )
    if request.method == "POST":

        def create() -> HttpResponse | None:
            if not form.is_valid() or form.save() is None:
                return None
            messages.success(request, _("The finding was saved."))
            return redirect(_detail_url(session, "#findings"))

        done = create_once(request, create)
        if done is not None:
            return done
    return render(
        request,
        "supervision/finding_form.html",
        {"form": form, "session": session},
        status=400 if form.is_bound else 200,
    )


def finding_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    finding = finding_get(actor=request.user, finding_id=pk)
    session = finding.session
    require_supervisor(request.user, session)
    if request.method == "POST":
        form = FindingForm(request.POST, actor=request.user, session=session)
        if form.is_valid() and form.save(finding=finding) is not None:
            messages.success(request, _("The finding was saved."))
            return redirect(_detail_url(session, "#findings"))
    else:
        form = FindingForm(
            initial={
                "version": finding.version,
                "topic": finding.topic,
                "text": finding.text,
                "events": list(finding.events.all()),
                "groups": list(finding.groups.all()),
                "payment_lists": list(finding.payment_lists.all()),
            },
            actor=request.user,
            session=session,
        )
    return render(
        request,
        "supervision/finding_form.html",
        {"form": form, "session": session, "finding": finding},
        status=400 if form.is_bound else 200,
    )


def recommendation_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    session = session_get(actor=request.user, session_id=pk)
    require_supervisor(request.user, session)
    form = RecommendationForm(
        request.POST if request.method == "POST" else None, actor=request.user, session=session
    )
    if request.method == "POST":

        def create() -> HttpResponse | None:
            if not form.is_valid() or form.save() is None:
                return None
            messages.success(request, _("The recommendation was saved."))
            return redirect(_detail_url(session, "#recommendations"))

        done = create_once(request, create)
        if done is not None:
            return done
    return render(
        request,
        "supervision/recommendation_form.html",
        {"form": form, "session": session},
        status=400 if form.is_bound else 200,
    )


def recommendation_answer_view(request: AuthedRequest, pk: int) -> HttpResponse:
    recommendation = recommendation_get(actor=request.user, recommendation_id=pk)
    require_permission(request.user, SUPERVISION_ANSWER, recommendation.addressee)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid() and form.save(actor=request.user, recommendation=recommendation):
            messages.success(request, _("The answer was sent to the supervisor."))
            return redirect(_detail_url(recommendation.session, "#recommendations"))
    else:
        form = AnswerForm(initial={"version": recommendation.version})
    return render(
        request,
        "supervision/recommendation_answer.html",
        {"form": form, "recommendation": recommendation, "session": recommendation.session},
        status=400 if form.is_bound else 200,
    )


def recommendation_review_view(request: AuthedRequest, pk: int) -> HttpResponse:
    recommendation = recommendation_get(actor=request.user, recommendation_id=pk)
    require_supervisor(request.user, recommendation.session)
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid() and form.save(actor=request.user, recommendation=recommendation):
            messages.success(request, _("The recommendation was reviewed."))
            return redirect(_detail_url(recommendation.session, "#recommendations"))
    else:
        form = ReviewForm(initial={"version": recommendation.version})
    return render(
        request,
        "supervision/recommendation_review.html",
        {"form": form, "recommendation": recommendation, "session": recommendation.session},
        status=400 if form.is_bound else 200,
    )


@require_safe
def year_report_view(request: AuthedRequest, pk: int, year: int, file_format: str) -> HttpResponse:
    """The year's supervision report as .docx or .xlsx; the download is audited."""
    unit = supervision_unit_get(actor=request.user, unit_id=pk)
    if file_format not in CONTENT_TYPES or not 2000 <= year <= 2100:
        raise Http404(_("Unknown report."))
    exported = supervision_report_export(
        actor=request.user, unit=unit, year=year, file_format=file_format
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def unit_supervision_panel(request: AuthedRequest, unit: OrgUnit) -> str:
    """A link to the commune's supervision on the unit page (``settings.UNIT_PAGE_PANELS``), for
    those who may read it; empty otherwise."""
    if unit.level != OrgUnit.Level.COMMUNE or not can(request.user, RECORDS_VIEW, unit):
        return ""
    return render_to_string(
        "supervision/unit_panel.html",
        {"unit": unit, "may_record": can(request.user, SUPERVISION_RECORD, unit)},
        request=request,
    )
