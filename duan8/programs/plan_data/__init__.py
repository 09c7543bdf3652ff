"""Load a whole plan from JSON: the demo data, and what the Word importer will produce.

Format ``duan8.plan/1`` — one object. Texts are normalised to NFC. "Lines" are lists of strings,
one item or paragraph each, kept as printed: a bullet keeps its leading "- ", a line without it is
a paragraph.

- ``format``: "duan8.plan/1". ``source``, ``notes``: where the data comes from and every departure
  from it; for readers, not stored.
- ``project``: code of the project element ("1719.GD1.DA8"); ``year``.
- Header: ``number`` (whole number or null), ``symbol``, ``issued_on`` ("YYYY-MM-DD" or null),
  ``place``, ``issuing_body``, ``parent_body``, ``title`` (the trích yếu).
- ``legal_bases``: documents, in the order of the căn cứ lines; ``proposal``.
- ``purposes``, ``requirements``: lines. ``specific_targets``: section II as lines (not stored:
  the model has no field for it yet).
- ``focuses``: ``[{"content": code, "heading": as printed (not stored), "body": lines}]``.
- ``budget_text``; ``budget_source``: a document.
- ``responsibilities``: ``[{"agency": ..., "body": lines}]``; ``closing``; ``recipients``: lines;
  ``signer_authority``, ``signer_title``, ``signer_name``.
- ``cited_documents``: other documents the text cites: registered, not linked to the plan.
- ``targets`` (first appendix): ``[{"element": code, "commune": cell, "village": cell}]``. A cell
  is ``{"kind": "number", "value": "01"}``, ``{"kind": "text", "text": ...}``, ``{"kind": "none"}``
  (printed "-") or ``{"kind": "suspended", "text": reason}``; a missing cell is an empty one.
- ``allocation`` (second appendix): ``{"difficult_villages_heading": as printed (not stored),
  "columns": [{"element": code, "group": "Nội dung 1", "heading": ...}], "rows": [row]}``; a row
  is ``{"kind": "total" | "agency" | "village", "number": "II", "label": ..., "village": name
  (village rows only), "difficult_villages": "03" or null, "values": [one per column, as printed],
  "children": [row]}``.
- A document is ``{"kind": LegalDocument.Kind value, "number", "symbol", "issued_on", "issuer",
  "title"}``. The register matches it on (number, symbol, issued_on, issuer) and creates it on
  first mention, so a document cited twice, or by two plans, is one row.

The shape is declared in ``schema`` (pydantic, ``core.schemas``); ``reading`` checks it against
the database (project, elements, villages, items given twice); ``writing`` saves it. Everything is
checked before anything is written; each problem names its place in the file, the item and the
reason ("Kế hoạch: targets.4.commune (1719.GD1.DA8.ND1.HD2.1): …"). A plan is matched on
(issuing unit, year, number, symbol): loading again replaces its contents, unless it is approved.
"""

from pathlib import Path

from duan8.programs.plan_data.reading import PlanSpec, plan_data_check
from duan8.programs.plan_data.schema import FORMAT, MAX_VALUE, PlanFile
from duan8.programs.plan_data.writing import (
    PlanApprovedError,
    legal_document_register,
    plan_data_read,
    plan_load,
)

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
BA_TRANG_2023 = DEMO_DIR / "ke_hoach_87_2023_ba_trang.json"

__all__ = [
    "BA_TRANG_2023",
    "DEMO_DIR",
    "FORMAT",
    "MAX_VALUE",
    "PlanApprovedError",
    "PlanFile",
    "PlanSpec",
    "legal_document_register",
    "plan_data_check",
    "plan_data_read",
    "plan_load",
]
