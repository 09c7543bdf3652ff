from decimal import Decimal

from duan8.programs.models import AllocationCell, AllocationRow, Plan
from tests.api_samples import ApiSample

TEAMS = "1719.GD1.DA8.ND1.HD1.1"  # communication teams (an activity line of the first appendix)


def _plan(d: dict) -> dict:
    return {"pk": d["plan"].pk}


def _version(d: dict) -> int:
    return Plan.objects.values_list("version", flat=True).get(pk=d["plan"].pk)


def _targets_body(d: dict) -> dict:
    return {
        "targets": [{"element": TEAMS, "scope": "village", "kind": "number", "value": "2"}],
        "version": _version(d),
    }


def _allocation_body(d: dict) -> dict:
    """One more in an agency row without children and in the total above it: a valid change."""
    plan = d["plan"]
    total = AllocationRow.objects.get(plan=plan, parent__isnull=True)
    leaf = next(
        row
        for row in AllocationRow.objects.filter(plan=plan, parent=total).order_by("order")
        if not row.children.exists()
    )
    column = plan.allocation_columns.order_by("order").first()

    def value(row: AllocationRow) -> Decimal:
        cell = AllocationCell.objects.filter(row=row, column=column).first()
        return (cell.value if cell else Decimal(0)) + 1

    return {
        "cells": [
            {"row": leaf.pk, "column": column.pk, "value": str(value(leaf))},
            {"row": total.pk, "column": column.pk, "value": str(value(total))},
        ],
        "version": _version(d),
    }


SAMPLES = {
    "api:program_list": ApiSample(lambda d: {}, "commune_officer", lists_data=True),
    "api:program_elements": ApiSample(
        lambda d: {"code": "1719"}, "commune_officer", lists_data=True
    ),
    "api:plan_list": ApiSample(lambda d: {}, "commune_officer", lists_data=True),
    "api:plan_detail": ApiSample(
        _plan,
        "commune_officer",
        body=lambda d: {"title": "Kế hoạch (sửa)", "version": _version(d)},
        writer="commune_officer",
    ),
    "api:plan_targets": ApiSample(
        _plan, "commune_officer", body=_targets_body, writer="commune_officer"
    ),
    "api:plan_allocation": ApiSample(
        _plan, "commune_officer", body=_allocation_body, writer="commune_officer"
    ),
    # Approval is the commune leader's (plans.approve), whom the matrix counts among the read-only
    # roles: no ``writer`` here, so the matrix checks that outsiders and anonymous callers are
    # refused; duan8/api/tests/test_programs.py checks who may and may not approve.
    # the commune's leader approves; its officer, the Front and the district may not
    "api:plan_approve": ApiSample(
        _plan,
        "commune_officer",
        body=lambda d: {"version": 1},
        writer="commune_leader",
        readers=("commune_officer", "fatherland_front", "district_reviewer"),
    ),
}


# --- the plan's life (plan_new, plan_amend, plan_amendment_discard) ----------------------------
# The world's plan is a draft: the amendment's and discard's bodies are valid in form, and the
# readers are refused before the service would say that the plan is not approved (or no draft
# amendment). The district's reviewer writes only the district's own plans, never a commune's.


def _unit(d: dict) -> dict:
    return {"pk": d["ba_trang"].pk}


SAMPLES.update(
    {
        "api:plan_new": ApiSample(
            _unit,
            "commune_officer",
            body=lambda d: {"year": 2024, "source": "empty"},
            writer="commune_officer",
        ),
        "api:plan_amend": ApiSample(
            _plan,
            "commune_officer",
            body=lambda d: {"reason": "Tăng số lớp tập huấn", "in_force_from": "2023-11-01"},
            writer="commune_officer",
        ),
        "api:plan_amendment_discard": ApiSample(
            _plan,
            "commune_officer",
            body=lambda d: {"version": _version(d)},
            writer="commune_officer",
        ),
    }
)


# --- the plan's legal bases, focus contents and responsibilities (plan_parts) --------------------
# Valid bodies for the commune's officer: the same documents in another order, the focus texts
# as they are with the first one changed, one responsibility.


def _legal_bases_body(d: dict) -> dict:
    plan = d["plan"]
    documents = plan.legal_bases.order_by("-order").values_list("document_id", flat=True)
    return {"legal_bases": [{"document": pk} for pk in documents], "version": _version(d)}


def _focus_body(d: dict) -> dict:
    rows = [
        {"content": focus.content.code, "body": focus.body}
        for focus in d["plan"].focuses.select_related("content").order_by("order")
    ]
    if rows:
        rows[0]["body"] = "Tuyên truyền, vận động"
    return {"focuses": rows, "version": _version(d)}


SAMPLES.update(
    {
        "api:plan_legal_bases": ApiSample(
            _plan, "commune_officer", body=_legal_bases_body, writer="commune_officer"
        ),
        "api:plan_focus": ApiSample(
            _plan, "commune_officer", body=_focus_body, writer="commune_officer"
        ),
        "api:plan_responsibilities": ApiSample(
            _plan,
            "commune_officer",
            body=lambda d: {
                "responsibilities": [{"agency": "UBND xã", "body": "Chỉ đạo thực hiện"}],
                "version": _version(d),
            },
            writer="commune_officer",
        ),
    }
)
