"""Turn a parsed plan into a "duan8.plan/1" dict: tie rows to the program and to the villages.

- First appendix: each row is matched to a content, activity or indicator of the project, first by
  its wording (case, quotes, punctuation and spacing ignored), then by its number under the row
  above it when the wording is close enough.
- Allocation table: each column to an indicator, by a heading seen in an earlier plan or by the
  words it shares with the indicators of its "Nội dung"; each village row to a village of the
  commune valid on the plan's date, by name. Every row with rows under it must be their sum.

One module per part: ``builder`` (header, bodies, legal bases, focuses; the whole dict),
``targets`` (first appendix), ``allocation`` (second appendix), ``names`` (bodies as plans name
them), ``result`` (``PlanImport``, what the preview and the confirm step share).

Nothing here writes: the dict is checked by the plan loader's own reader, and ``services``
saves it when the user confirms.
"""

from duan8.documents.importing.building.builder import (
    DEFAULT_PROJECT,
    PLAN_LEVELS,
    plan_import_build,
)
from duan8.documents.importing.building.names import agency_name, unit_body_name
from duan8.documents.importing.building.result import PlanImport
from duan8.documents.importing.building.targets import target_cell

__all__ = [
    "DEFAULT_PROJECT",
    "PLAN_LEVELS",
    "PlanImport",
    "agency_name",
    "plan_import_build",
    "target_cell",
    "unit_body_name",
]
