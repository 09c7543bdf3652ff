"""The unit page: what a unit is, where it came from, its villages, attributes; the plans come
through ``settings.UNIT_PAGE_PANELS``."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import ORGUNITS_MANAGE_VILLAGES
from duan8.core.audit import NotVisible
from duan8.core.problems import on_form
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.forms import DifficultVillageForm, VillageForm
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.orgunits.selectors import (
    LineageStep,
    LineageUnit,
    org_unit_lineage,
    org_units_visible_to,
)
from duan8.orgunits.services import org_unit_attribute_set, village_create


def _visible_unit(request: AuthedRequest, pk: int) -> OrgUnit:
    """The unit, if the user may see it; 404 otherwise (its existence is not confirmed)."""
    unit = org_units_visible_to(request.user).filter(pk=pk).first()
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    return unit


def _unit_link(item: LineageUnit, visible_ids: set[int], *, full: bool = True) -> SafeString:
    """The unit's name, a link when the user may open its page."""
    name = item["display_name"] if full else item["unit"].full_name
    if item["unit"].pk in visible_ids:
        url = reverse("orgunits:unit_detail", args=[item["unit"].pk])
        return format_html('<a href="{}">{}</a>', url, name)
    return format_html("{}", name)


def _history(steps: list[LineageStep], visible_ids: set[int]) -> list[dict]:
    return [
        {
            "step": step,
            "unit": _unit_link(step, visible_ids),
            "others": format_html_join(
                ", ", "{}", ((_unit_link(o, visible_ids, full=False),) for o in step["others"])
            ),
        }
        for step in steps
    ]


def _render_unit(
    request: AuthedRequest,
    unit: OrgUnit,
    *,
    village_form: VillageForm | None = None,
    difficult_form: DifficultVillageForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    lineage = org_unit_lineage(unit)
    related = [s["unit"].pk for s in lineage["predecessors"] + lineage["successors"]]
    related += [o["unit"].pk for s in lineage["successors"] for o in s["others"]]
    visible_ids = set(
        org_units_visible_to(request.user).filter(pk__in=related).values_list("pk", flat=True)
    )
    difficult_now = OrgUnitAttribute.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        org_unit=OuterRef("pk"),
        key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
        valid_from__lte=today,
    )
    children = unit.children.annotate(is_difficult=Exists(difficult_now)).order_by("path")
    can_manage = can(request.user, ORGUNITS_MANAGE_VILLAGES, unit)
    if can_manage and unit.level == OrgUnit.Level.COMMUNE and village_form is None:
        village_form = VillageForm()
    if can_manage and unit.level == OrgUnit.Level.VILLAGE and difficult_form is None:
        difficult_form = DifficultVillageForm()
    return render(
        request,
        "orgunits/orgunit_detail.html",
        {
            "unit": unit,
            "is_commune": unit.level == OrgUnit.Level.COMMUNE,
            "display_name": lineage["display_name"],
            "predecessors": _history(lineage["predecessors"], visible_ids),
            "successors": _history(lineage["successors"], visible_ids),
            "children": Paginator(children, settings.PAGE_SIZE).get_page(request.GET.get("page")),
            "attributes": list(unit.attributes.select_related("decision")),
            # The plans (programs, above orgunits) come through settings.UNIT_PAGE_PANELS.
            "panels": [import_string(panel)(request, unit) for panel in settings.UNIT_PAGE_PANELS],
            "village_form": village_form,
            "difficult_form": difficult_form,
        },
    )


def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_unit(request, _visible_unit(request, pk))


@require_POST
def village_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _visible_unit(request, pk)
    require_permission(request.user, ORGUNITS_MANAGE_VILLAGES, unit)
    form = VillageForm(request.POST)
    if form.is_valid():
        try:
            village = village_create(
                commune=unit, name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(request, _("%(unit)s was added.") % {"unit": village.full_name})
            return redirect("orgunits:unit_detail", pk=unit.pk)
    return _render_unit(request, unit, village_form=form)


@require_POST
def village_mark_difficult(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _visible_unit(request, pk)
    require_permission(request.user, ORGUNITS_MANAGE_VILLAGES, unit)
    form = DifficultVillageForm(request.POST)
    if form.is_valid():
        try:
            org_unit_attribute_set(
                unit=unit,
                key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
                decision=form.cleaned_data["decision"],
                actor=request.user,
            )
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(
                request,
                _("%(unit)s is marked as an especially difficult village.")
                % {"unit": unit.full_name},
            )
            return redirect("orgunits:unit_detail", pk=unit.pk)
    return _render_unit(request, unit, difficult_form=form)
