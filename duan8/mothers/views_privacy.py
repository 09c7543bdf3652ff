"""The privacy part's pages (docs/personal-data.md): a mother's consents (record, withdraw, the
printable form), her subject-access export, and the counts with small-cell suppression for
readers outside the commune. Views are thin: the services check rights and audit."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import MOTHERS_VERIFY, PLANS_VIEW, REPORTS_REVIEW
from duan8.core.audit import NotVisible
from duan8.core.idempotency import OnceForm, create_once
from duan8.core.problems import on_form
from duan8.documents.vietnamese import ascii_slug
from duan8.mothers.counts import counts_legend, mothers_counts
from duan8.mothers.models import Consent, Mother
from duan8.mothers.services.consent import (
    consent_form_docx,
    consent_in_force,
    consent_record,
    consent_withdraw,
    may_record_consent,
)
from duan8.mothers.services.privacy import mother_subject_export
from duan8.mothers.visibility import fields_visible
from duan8.orgunits.access import can
from duan8.orgunits.selectors import org_units_visible_to

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ConsentForm(OnceForm):
    given_on = forms.DateField(label=gettext_lazy("Date given"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Consent.Channel.choices)
    signer = forms.ChoiceField(label=gettext_lazy("Signed by"), choices=Consent.Signer.choices)
    signer_name = forms.CharField(
        label=gettext_lazy("Name of the parent or guardian"), required=False, max_length=120
    )


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=gettext_lazy("Withdrawn on"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _mother(request: AuthedRequest, pk: int) -> Mother:
    """The mother, if the user may open records of her village at all (404 otherwise)."""
    mother = Mother.objects.select_related("commune", "village").filter(pk=pk).first()
    if mother is None or not fields_visible(request.user, mother.village).any:
        raise NotVisible(_("Record not found."))
    return mother


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def consents_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Her consents, and the form to record a new one."""
    mother = _mother(request, pk)
    if not may_record_consent(request.user, mother):
        raise PermissionDenied(_("You may not record consents of this mother."))
    posted = request.method == "POST"
    form = ConsentForm(request.POST if posted else None, initial={"given_on": timezone.localdate()})

    def create() -> HttpResponse | None:
        if not form.is_valid():
            return None
        try:
            consent_record(
                actor=request.user,
                mother=mother,
                given_on=form.cleaned_data["given_on"],
                channel=form.cleaned_data["channel"],
                signer=form.cleaned_data["signer"],
                signer_name=form.cleaned_data["signer_name"],
            )
        except ValidationError as exc:
            on_form(form, exc)
            return None
        messages.success(request, _("The consent is recorded."))
        return redirect("mothers:consents", pk=mother.pk)

    if posted and (response := create_once(request, create)):
        return response
    context = {
        "mother": mother,
        "form": form,
        "consents": mother.consents.select_related("text").order_by("-given_on", "-id"),
        "in_force": consent_in_force(mother),
        "may_export": can(request.user, MOTHERS_VERIFY, mother.commune),
        "withdraw_form": WithdrawForm(initial={"withdrawn_on": timezone.localdate()}),
    }
    return render(request, "mothers/privacy_consents.html", context, status=400 if posted else 200)


def consent_withdraw_view(request: AuthedRequest, pk: int) -> HttpResponse:
    consent = Consent.objects.filter(pk=pk).first()
    if consent is None:
        raise NotVisible(_("Record not found."))
    mother = _mother(request, consent.mother_id)
    if request.method != "POST":  # the form is on her consents page
        return HttpResponseNotAllowed(["POST"])
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            consent_withdraw(
                actor=request.user,
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The consent is withdrawn: her record is not processed further.")
            )
    return redirect("mothers:consents", pk=mother.pk)


def consent_form_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The printable consent form (.docx) with her name and the text in use."""
    mother = _mother(request, pk)
    content = consent_form_docx(actor=request.user, mother=mother)
    name = f"phieu-dong-y-{ascii_slug(mother.full_name)}.docx"
    return _attachment(content, DOCX, name)


def subject_export_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Everything held about one mother, for her (.xlsx); the commune WU officer only."""
    mother = _mother(request, pk)
    content = mother_subject_export(actor=request.user, mother=mother)
    name = f"du-lieu-ca-nhan-{ascii_slug(mother.full_name)}.xlsx"
    return _attachment(content, XLSX, name)


def _year(request: AuthedRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def counts_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Counts of mothers proposed, approved and paid in a unit: no names, small cells hidden."""
    unit = org_units_visible_to(request.user).filter(pk=pk).first()
    if unit is None:
        unit = org_units_visible_to(request.user, REPORTS_REVIEW).filter(pk=pk).first()
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    if not (can(request.user, REPORTS_REVIEW, unit) or can(request.user, PLANS_VIEW, unit)):
        raise PermissionDenied(_("You may not read these counts."))
    year = _year(request)
    table = mothers_counts(request.user, unit, year)
    context = {
        "unit": unit,
        "table": table,
        "year": year,
        "years": range(year - 3, year + 2),
        "legend": counts_legend(),
    }
    return render(request, "mothers/privacy_counts.html", context)
