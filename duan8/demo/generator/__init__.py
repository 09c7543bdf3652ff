"""Synthetic but plausible Dự án 8 records on the real map, for demos and benchmarks.

``demo_generate`` fills communes of a loaded province (or the whole country) with villages,
community groups with members, events with participants by sex × ethnic minority × age group,
women cadres and difficulties, for each year, with one minimal plan (and its targets) per
commune and year: an event needs a plan.

Rules of the game:

- Deterministic: the same ``seed`` on the same database gives the same rows.
- Re-runnable: every plan it makes carries ``DEMO_MARK`` in its proposal line, and every record
  hangs on such a plan; a new run first deletes the demo plans of the communes it fills (and all
  their records), then writes afresh. Real plans and their records are never touched: a commune
  year that has a real plan is skipped. Villages it creates (``legal_act`` = ``DEMO_MARK``) are
  kept and reused.
- Before 1/7/2025 records sit on the old communes and their villages; from that day on the
  commune and province scales give each new commune a copy of its predecessors' villages (with a
  succession from each old village to its copy), and records sit there.
- Fast: rows are built as tuples and written in batches of whole communes (``writer.py``: ids
  taken ahead from each table's sequence, then COPY on PostgreSQL, ``executemany`` on SQLite),
  bypassing the per-record services and their audit (one audit event records the run); memory
  stays flat whatever the scale.
"""

from duan8.demo.generator.run import communes_for, demo_generate
from duan8.demo.generator.spec import DEMO_MARK, PROJECT, SCALES, GenerateResult, Scale

__all__ = [
    "DEMO_MARK",
    "PROJECT",
    "SCALES",
    "GenerateResult",
    "Scale",
    "communes_for",
    "demo_generate",
]
