"""Recording an allocation received from a decision (the money page's "record an allocation"):
``POST /api/v1/finance/allocations/``, through ``allocation_record`` and its checks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request

from duan8.api.errors import BadRequest
from duan8.api.schema import doc
from duan8.finance.forms_budget import elements_for_allocation
from duan8.finance.services.allocations import AllocationInput
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.programs.plan_edit import LegalBasisInput


def _text(length: int, help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        max_length=length, required=False, allow_blank=True, help_text=help_text
    )


class AllocationIn(serializers.Serializer):
    holder = serializers.IntegerField(help_text=doc("Đơn vị nhận (id).", "The holder (unit id)."))
    document = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=doc(
            "Quyết định trong sổ văn bản (id); hoặc mô tả quyết định mới bằng các trường dưới.",
            "A decision of the register (id); or describe a new one with the fields below.",
        ),
    )
    kind_of_document = _text(40, doc("Loại văn bản mới.", "The new document's kind."))
    number = _text(20)
    symbol = _text(40)
    issued_on = serializers.DateField(required=False, allow_null=True)
    issuer = _text(255)
    title = _text(1000)
    allocator = serializers.IntegerField(
        help_text=doc("Tỉnh hoặc huyện giao (id).", "The province or district that allocated.")
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    element = serializers.CharField(
        max_length=60, help_text=doc("Mã dự án hoặc nội dung.", "The project or content code.")
    )
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=20, help_text=doc("Nguồn vốn: nstw, nsdp.", "The source: nstw, nsdp.")
    )
    kind = serializers.CharField(
        max_length=20,
        help_text=doc(
            "initial, supplement, reduction hoặc carry_over.",
            "initial, supplement, reduction or carry_over.",
        ),
    )
    amount = serializers.IntegerField(min_value=1, max_value=10**15)
    note = _text(2000)


def allocation_input(holder: OrgUnit, data: dict[str, Any]) -> AllocationInput:
    """The service's input from a valid body; an unknown document, allocator or element is a 400
    on its field (the service then checks the rest, as for the page's form)."""
    if data.get("document"):
        document = LegalDocument.objects.filter(pk=data["document"]).first()
        if document is None:
            raise BadRequest("document", _("No document with this id in the register."))
        decision = LegalBasisInput(document=document)
    else:
        decision = LegalBasisInput(
            kind=data.get("kind_of_document") or "",
            number=data.get("number") or "",
            symbol=data.get("symbol") or "",
            issued_on=data.get("issued_on"),
            issuer=data.get("issuer") or "",
            title=data.get("title") or "",
        )
    above = [int(part) for part in holder.path.strip("/").split("/") if part][:-1]
    allocator = OrgUnit.objects.filter(
        pk=data["allocator"],
        level__in=[OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT],
    ).first()
    if allocator is None or allocator.pk not in above:
        raise BadRequest("allocator", _("Choose who allocated."), "invalid_choice")
    element = elements_for_allocation().filter(code=data["element"]).first()
    if element is None:
        raise BadRequest(
            "element", _("Choose the project or one of its contents."), "invalid_choice"
        )
    return AllocationInput(
        holder=holder,
        decision=decision,
        allocator=allocator,
        year=data["year"],
        element=element,
        source=data["source"],
        kind=data["kind"],
        amount=data["amount"],
        note=data.get("note") or "",
    )


def valid_body(request: Request) -> dict[str, Any]:
    body = AllocationIn(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)
