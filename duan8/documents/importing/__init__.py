"""Import a plan communes already have: a Word file (.docx) or a text copy such as the seed.

The steps, each in its module:

1. ``source`` — the file into lines and tables (``blocks``, read by ``text_file`` or
   ``word_file``); the type is checked by content.
2. ``reader`` — the plan's parts as printed (header, legal bases, sections, both appendices).
3. ``building`` — a "duan8.plan/1" dict (the format of ``programs.plan_data``), with the first
   appendix tied to the program's activities and indicators, the allocation table to indicators
   and villages, and every problem keyed by its place (line, paragraph, table, row, column:
   ``problems``, a ``core.problems.Problem``).
4. ``services`` — ``plan_import_read`` (the preview, the dry run: writes nothing) and
   ``plan_import_save`` (the draft plan, when the user confirms).
"""

from duan8.documents.importing.building import PlanImport
from duan8.documents.importing.problems import ImportProblem
from duan8.documents.importing.services import (
    PlanExistsError,
    plan_import_existing,
    plan_import_read,
    plan_import_save,
)
from duan8.documents.importing.source import ImportFileError

__all__ = [
    "ImportFileError",
    "PlanExistsError",
    "PlanImport",
    "ImportProblem",
    "plan_import_existing",
    "plan_import_read",
    "plan_import_save",
]
