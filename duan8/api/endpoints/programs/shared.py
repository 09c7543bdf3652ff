"""What the plan endpoints share: the plan as each of them answers it (its text, targets and
allocation, with its version as the ETag), and the check before a plan is written."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.schema import doc
from duan8.api.versions import with_etag
from duan8.api.who import actor
from duan8.programs.models import AllocationColumn, AllocationRow, Plan, ProgramElement, Target
from duan8.programs.plan_access import can_approve_plan, can_write_plan, require_plan_write
from duan8.programs.selectors import AllocationTable, allocation_table, plan_appendix, plan_get

TAG_PLANS = "Kế hoạch · Plans"


class PlanOut(serializers.ModelSerializer):
    reference = serializers.CharField(help_text=doc("Số ký hiệu: 87/KH-UBND.", "Reference."))
    status_label = serializers.CharField(source="get_status_display")
    issuing_unit_code = serializers.CharField(source="issuing_unit.code")
    issuing_unit_name = serializers.CharField(source="issuing_unit.name")
    project = serializers.SlugRelatedField[ProgramElement](slug_field="code", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "year",
            "number",
            "symbol",
            "reference",
            "issued_on",
            "title",
            "status",
            "status_label",
            "version",
            "issuing_unit",
            "issuing_unit_code",
            "issuing_unit_name",
            "issuing_body",
            "project",
            "amends",
            "in_force_from",
            "approved_at",
            "updated_at",
        ]


class PlanTargetOut(serializers.ModelSerializer):
    # plain text here: the same choices as the input's, whose enum the schema names once
    kind = serializers.CharField(
        read_only=True, help_text=doc("number, text, none, suspended", "The target's kind.")
    )
    element = serializers.SlugRelatedField[ProgramElement](slug_field="code", read_only=True)
    display = serializers.CharField(help_text=doc("Như in: 01, -, …", "As printed: 01, -, …"))

    class Meta:
        model = Target
        fields = ["id", "element", "scope", "kind", "value", "text", "display"]


class PlanAllocationColumnOut(serializers.ModelSerializer):
    element = serializers.SlugRelatedField[ProgramElement](slug_field="code", read_only=True)

    class Meta:
        model = AllocationColumn
        fields = ["id", "element", "group", "heading", "order"]


class PlanAllocationRowOut(serializers.ModelSerializer):
    class Meta:
        model = AllocationRow
        fields = [
            "id",
            "parent",
            "kind",
            "number",
            "label",
            "village",
            "difficult_villages",
            "order",
        ]


class PlanAllocationCellOut(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class PlanAllocationProblemOut(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.IntegerField(
        allow_null=True,
        help_text=doc(
            "null: cột số thôn đặc biệt khó khăn.", "null: the especially difficult villages."
        ),
    )
    message = serializers.CharField()


class PlanAllocationOut(serializers.Serializer):
    columns = PlanAllocationColumnOut(many=True)
    rows = PlanAllocationRowOut(many=True)
    cells = PlanAllocationCellOut(many=True)
    problems = PlanAllocationProblemOut(
        many=True,
        help_text=doc(
            "Các tổng không khớp với tổng các dòng con (chặn phê duyệt).",
            "Totals that differ from the sum of their rows (they block approval).",
        ),
    )


class PlanDetailOut(PlanOut):
    # plain text here: the list's enum of statuses is named once in the schema
    status = serializers.CharField(
        read_only=True, help_text=doc("draft, approved, superseded", "The plan's status.")
    )
    legal_bases = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    allocation = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()
    can_approve = serializers.SerializerMethodField()

    class Meta(PlanOut.Meta):
        fields = [
            *PlanOut.Meta.fields,
            "place",
            "parent_body",
            "proposal",
            "purposes",
            "requirements",
            "budget_text",
            "closing",
            "recipients",
            "signer_authority",
            "signer_title",
            "signer_name",
            "amendment_reason",
            "legal_bases",
            "targets",
            "allocation",
            "can_edit",
            "can_approve",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_legal_bases(self, plan: Plan) -> list[str]:
        return [str(basis.document) for basis in plan.legal_bases.select_related("document")]

    @extend_schema_field(PlanTargetOut(many=True))
    def get_targets(self, plan: Plan) -> Any:
        targets = []
        for line in plan_appendix(plan=plan):
            for target in (line.commune, line.village):
                if target is not None:
                    target.element = line.element
                    targets.append(target)
        return PlanTargetOut(targets, many=True).data

    @extend_schema_field(PlanAllocationOut)
    def get_allocation(self, plan: Plan) -> Any:
        table: AllocationTable = allocation_table(plan=plan)
        return PlanAllocationOut(
            {
                "columns": table.columns,
                "rows": table.rows,
                "cells": [
                    {"row": row.pk, "column": column.pk, "value": value}
                    for row in table.rows
                    for column, value in table.row_cells(row)
                ],
                "problems": [
                    {
                        "row": problem.row.pk,
                        "column": problem.column.pk if problem.column else None,
                        "message": problem.message,
                    }
                    for problem in table.problems
                ],
            }
        ).data

    @extend_schema_field(serializers.BooleanField())
    def get_can_edit(self, plan: Plan) -> bool:
        return plan.is_editable and can_write_plan(self.context["actor"], plan)

    @extend_schema_field(serializers.BooleanField())
    def get_can_approve(self, plan: Plan) -> bool:
        return plan.is_editable and can_approve_plan(self.context["actor"], plan)


def plan_answer(request: Request, plan: Plan) -> Response:
    data = PlanDetailOut(plan, context={"actor": actor(request), "request": request}).data
    return with_etag(Response(data), plan.version)


def writable_plan(request: Request, pk: int) -> Plan:
    """The plan if the caller sees it (else 404) and may write it (else 403), before the body
    is read: an outsider's write never learns whether its body was valid."""
    who = actor(request)
    plan = plan_get(actor=who, plan_id=pk)
    require_plan_write(who, plan)
    return plan
