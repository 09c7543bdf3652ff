"""The pages where a commune officer renames, merges and splits her villages (issue 12, point 7),
and where the officer of a merged commune takes over its predecessors' villages.

Each page is reached from the villages list of the commune's unit page; each POST is safe to
repeat (``create_once``) and writes through ``orgunits.villages``.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import ORGUNITS_MANAGE_VILLAGES
from duan8.core import xlsx
from duan8.core.audit import NotVisible
from duan8.core.idempotency import OnceForm, create_once
from duan8.core.problems import Invalid, on_form
from duan8.legal.models import LegalDocument
from duan8.orgunits import villages_excel
from duan8.orgunits.access import require_permission
from duan8.orgunits.forms import (
    VillageChangeForm,
    VillageRenameForm,
    VillagesMergeForm,
    VillageSplitForm,
    VillagesUploadForm,
)
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_children_as_of, org_units_visible_to
from duan8.orgunits.villages import (
    deciding_act_add,
    village_rename,
    village_split,
    villages_merge,
)
from duan8.orgunits.villages_move import (
    villages_take_over,
    villages_take_over_preview,
    villages_take_over_roles,
)


def _managed(request: AuthedRequest, pk: int, level: int) -> OrgUnit:
    """The unit of that level, if the user may see it (404 otherwise) and manage its villages
    (403 otherwise)."""
    unit = org_units_visible_to(request.user).filter(pk=pk, level=level).first()
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    commune = unit.parent if level == OrgUnit.Level.VILLAGE else unit
    assert commune is not None
    require_permission(request.user, ORGUNITS_MANAGE_VILLAGES, commune)
    return unit


def _decision(
    request: AuthedRequest, form: VillageChangeForm, commune: OrgUnit
) -> LegalDocument | None:
    added = form.new_act()
    if added is None:
        decision: LegalDocument | None = form.cleaned_data.get("decision")
        return decision
    return deciding_act_add(actor=request.user, commune=commune, **added)


def _change_page(
    request: AuthedRequest,
    *,
    form: VillageChangeForm,
    commune: OrgUnit,
    unit: OrgUnit,
    title: str,
    change: Callable[[LegalDocument | None], str],
) -> HttpResponse:
    """Show the form; on POST, add the act if needed and make the change, once."""
    posted = request.method == "POST"

    def create() -> HttpResponse | None:
        if not form.is_valid():
            return None
        try:
            with transaction.atomic():
                done = change(_decision(request, form, commune))
        except ValidationError as exc:
            on_form(form, exc)
            return None
        messages.success(request, done)
        return redirect("orgunits:unit_detail", pk=commune.pk)

    if posted and (response := create_once(request, create)):
        return response
    return render(
        request,
        "orgunits/village_change.html",
        {"unit": unit, "commune": commune, "form": form, "title": title},
        status=400 if posted else 200,
    )


def village_rename_view(request: AuthedRequest, pk: int) -> HttpResponse:
    village = _managed(request, pk, OrgUnit.Level.VILLAGE)
    assert village.parent is not None
    form = VillageRenameForm(request.POST or None)

    def change(decision: LegalDocument | None) -> str:
        new = village_rename(
            village=village,
            name=form.cleaned_data["name"],
            effective_on=form.cleaned_data["effective_on"],
            decision=decision,
            actor=request.user,
        )
        return _("%(old)s is renamed %(new)s.") % {
            "old": village.full_name,
            "new": new.full_name,
        }

    title = _("Rename %(unit)s") % {"unit": village.full_name}
    return _change_page(
        request, form=form, commune=village.parent, unit=village, title=title, change=change
    )


def village_split_view(request: AuthedRequest, pk: int) -> HttpResponse:
    village = _managed(request, pk, OrgUnit.Level.VILLAGE)
    assert village.parent is not None
    form = VillageSplitForm(request.POST or None)

    def change(decision: LegalDocument | None) -> str:
        parts = village_split(
            village=village,
            names=form.cleaned_data["names"],
            effective_on=form.cleaned_data["effective_on"],
            decision=decision,
            actor=request.user,
        )
        return _("%(old)s is split into %(new)s.") % {
            "old": village.full_name,
            "new": ", ".join(p.full_name for p in parts),
        }

    title = _("Split %(unit)s") % {"unit": village.full_name}
    return _change_page(
        request, form=form, commune=village.parent, unit=village, title=title, change=change
    )


def villages_merge_view(request: AuthedRequest, pk: int) -> HttpResponse:
    commune = _managed(request, pk, OrgUnit.Level.COMMUNE)
    current = [v.pk for v in org_unit_children_as_of(commune, timezone.localdate())]
    if commune.valid_to is not None:  # an ended commune: its villages on its last day
        current = [v.pk for v in org_unit_children_as_of(commune, commune.valid_to)]
    choices = OrgUnit.objects.filter(pk__in=current, level=OrgUnit.Level.VILLAGE).order_by("name")
    form = VillagesMergeForm(request.POST or None, villages=choices)

    def change(decision: LegalDocument | None) -> str:
        merged = villages_merge(
            villages=list(form.cleaned_data["villages"]),
            name=form.cleaned_data["name"],
            effective_on=form.cleaned_data["effective_on"],
            decision=decision,
            actor=request.user,
        )
        return _("The villages are merged into %(new)s.") % {"new": merged.full_name}

    title = _("Merge villages of %(unit)s") % {"unit": commune.full_name}
    return _change_page(
        request, form=form, commune=commune, unit=commune, title=title, change=change
    )


def villages_template_view(request: AuthedRequest, pk: int) -> HttpResponse:
    commune = _managed(request, pk, OrgUnit.Level.COMMUNE)
    response = HttpResponse(
        villages_excel.villages_template(commune=commune),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"thon-{slugify(commune.name) or commune.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def villages_upload_view(request: AuthedRequest, pk: int) -> HttpResponse:
    commune = _managed(request, pk, OrgUnit.Level.COMMUNE)
    posted = request.method == "POST"
    form = VillagesUploadForm(request.POST or None, request.FILES or None)
    rows: list[str] = []

    def create() -> HttpResponse | None:
        if not form.is_valid():
            return None
        upload = form.cleaned_data["file"]
        try:
            created = villages_excel.villages_import(
                commune=commune,
                source=upload,
                name=upload.name,
                decision=form.cleaned_data["decision"],
                actor=request.user,
            )
        except Invalid as exc:
            rows.extend(villages_excel.problem_lines(exc.problems))
            return None
        except ValidationError as exc:
            on_form(form, exc)
            return None
        messages.success(request, _("%(count)s villages were added.") % {"count": len(created)})
        return redirect("orgunits:unit_detail", pk=commune.pk)

    if posted and (response := create_once(request, create)):
        return response
    return render(
        request,
        "orgunits/villages_upload.html",
        {"commune": commune, "form": form, "rows": rows, "limits": xlsx.upload_limits()},
        status=400 if posted else 200,
    )


def villages_take_over_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """What taking over the predecessors' villages will create, and whose roles go with them; on
    POST, take them over (once)."""
    commune = _managed(request, pk, OrgUnit.Level.COMMUNE)
    posted = request.method == "POST"
    form = OnceForm(request.POST or None)

    def create() -> HttpResponse | None:
        try:
            result = villages_take_over(actor=request.user, commune=commune)
        except ValidationError as exc:
            on_form(form, exc)
            return None
        for line in result.lines():
            messages.success(request, line)
        return redirect("orgunits:unit_detail", pk=commune.pk)

    if posted and (response := create_once(request, create)):
        return response
    preview = villages_take_over_preview(commune=commune)
    return render(
        request,
        "orgunits/villages_take_over.html",
        {
            "commune": commune,
            "preview": preview,
            "roles": villages_take_over_roles(preview),
            "form": form,
        },
        status=400 if posted else 200,
    )
