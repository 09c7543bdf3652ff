"""The appendix tables: the first (activities with their commune and village targets) and the
second (the allocation of core targets to the villages), read as printed."""

import re

from django.utils.translation import gettext as _

from duan8.documents.importing.blocks import Grid
from duan8.documents.importing.problems import Where
from duan8.documents.importing.reader.parsed import (
    AllocationColumnHead,
    AllocationLine,
    AllocationSheet,
    ParsedPlan,
    TargetRow,
)
from duan8.documents.importing.reader.patterns import (
    ACTIVITY_ROW,
    CONTENT_ROW,
    COUNT,
    DASHES,
    INDICATOR_ROW,
    YEAR,
)
from duan8.documents.importing.wording import key, spaces


def targets_read(parsed: ParsedPlan, grid: Grid) -> None:
    rows = grid.rows
    header_end = next(
        (i for i, row in enumerate(rows) if _row_level(row[0] if row else "")), len(rows)
    )
    title_col, commune_col, village_col = _target_columns(parsed, grid, rows[:header_end])
    labels = {commune_col: _("Commune"), village_col: _("Village")}
    for r in range(header_end, len(rows)):
        row = rows[r]
        first = row[0] if row else ""
        title = row[title_col] if title_col < len(row) else ""
        level = _row_level(first)
        number, title = _row_name(level, first, title)
        cells = {}
        for scope, col in (("commune", commune_col), ("village", village_col)):
            text = row[col] if col < len(row) else ""
            if text and col != title_col and not (level == "content" and col == 0):
                cells[scope] = (text, grid.where(r, col, labels[col]))
        if not level:
            _other_row(parsed, grid.where(r), row, has_targets=bool(cells))
            continue
        parsed.targets.append(
            TargetRow(
                level=level, number=number, title=spaces(title), where=grid.where(r), cells=cells
            )
        )


def _target_columns(parsed: ParsedPlan, grid: Grid, heads: list[list[str]]) -> tuple[int, int, int]:
    """The columns of the activity's title and of the commune and village targets, from the
    heading rows (the years they name are noted)."""
    commune_col = village_col = None
    title_col = 1
    for row in heads:
        for c, cell in enumerate(row):
            folded = key(cell)
            if folded == "xã" and commune_col is None:
                commune_col = c
            elif folded.startswith("thôn") and village_col is None:
                village_col = c
            elif "nội dung hoạt động" in folded:
                title_col = c
            for year in YEAR.findall(cell):
                parsed.years.append((int(year), _("the heading of the first appendix")))
    if commune_col is None or village_col is None:
        width = max((len(row) for row in grid.rows), default=0)
        parsed.problems.warning(
            grid.where(0),
            _(
                "The columns “Xã” and “thôn” were not found in the heading; the last two columns"
                " are read as the commune and village targets."
            ),
        )
        return title_col, width - 2, width - 1
    return title_col, commune_col, village_col


def _other_row(parsed: ParsedPlan, where: Where, row: list[str], *, has_targets: bool) -> None:
    """A row that is no content, activity or numbered line: an error if it holds targets."""
    if not any(cell for cell in row):
        return
    excerpt = " ".join(cell for cell in row if cell)
    if has_targets:
        parsed.problems.error(
            where,
            _(
                "This row is not a “Nội dung”, a “Hoạt động” or a numbered line; its"
                " targets cannot be imported."
            ),
            excerpt,
        )
    else:
        parsed.problems.warning(
            where,
            _("This row is not a “Nội dung”, a “Hoạt động” or a numbered line; it is skipped."),
            excerpt,
        )


def _row_name(level: str, first: str, title: str) -> tuple[str, str]:
    """The row's number ("Nội dung 1", "Hoạt động 2", "3") and title, by its level."""
    pattern = {"content": CONTENT_ROW, "activity": ACTIVITY_ROW, "indicator": INDICATOR_ROW}
    found = pattern[level].match(first) if level in pattern else None
    if found is None:
        return first, title
    if level == "indicator":
        return found["n"], title
    word = "Nội dung" if level == "content" else "Hoạt động"
    return f"{word} {found['n']}", found["title"] or title


def _row_level(first: str) -> str:
    if CONTENT_ROW.match(first):
        return "content"
    if ACTIVITY_ROW.match(first):
        return "activity"
    if INDICATOR_ROW.match(first):
        return "indicator"
    return ""


def allocation_read(parsed: ParsedPlan, grid: Grid, where: Where) -> None:
    rows = grid.rows
    width = max(len(row) for row in rows)
    label_col = next(
        (c for row in rows[:4] for c, cell in enumerate(row) if "đơn vị" in key(cell)), 1
    )
    difficult_col = next(
        (
            c
            for row in rows[:4]
            for c, cell in enumerate(row)
            if "khó khăn" in key(cell) or "đbkk" in key(cell)
        ),
        None,
    )
    first_value = max(label_col, difficult_col if difficult_col is not None else -1) + 1
    value_cols = list(range(first_value, width))

    def is_data(row: list[str]) -> bool:
        values = [row[c] for c in value_cols if c < len(row)]
        return (
            bool(row[label_col])
            and any(COUNT.match(v) for v in values)
            and all(not v or COUNT.match(v) or v in DASHES for v in values)
        )

    data_at = next((i for i, row in enumerate(rows) if is_data(row)), len(rows))
    heads = rows[:data_at]
    group_row = next(
        (row for row in heads if any(_is_group_heading(row[c]) for c in value_cols)),
        None,
    )
    columns = []
    group = ""
    for c in value_cols:
        if group_row is not None and group_row[c]:
            group = group_row[c]
        heading = next((row[c] for row in reversed(heads) if row[c] and row is not group_row), "")
        columns.append(AllocationColumnHead(group=group, heading=heading, where=grid.where(0, c)))
    difficult_heading = ""
    if difficult_col is not None:
        difficult_heading = next((row[difficult_col] for row in heads if row[difficult_col]), "")
    lines = []
    for r in range(data_at, len(rows)):
        row = rows[r]
        if not any(row):
            continue
        if all(re.fullmatch(r"\(?\d+\)?", cell) for cell in row if cell) and not row[label_col]:
            continue  # a row numbering the columns: (1) (2) (3) …
        difficult = ("", grid.where(r))
        if difficult_col is not None:
            difficult = (
                row[difficult_col],
                grid.where(r, difficult_col, difficult_heading or _("Difficult villages")),
            )
        lines.append(
            AllocationLine(
                number=row[label_col - 1] if label_col > 0 else "",
                label=row[label_col],
                where=grid.where(r),
                difficult=difficult,
                values=[
                    (row[c], grid.where(r, c, columns[i].heading)) for i, c in enumerate(value_cols)
                ],
            )
        )
    parsed.allocation = AllocationSheet(
        difficult_heading=difficult_heading, columns=columns, rows=lines, where=where
    )


def _is_group_heading(text: str) -> bool:
    """ "Nội dung 1" alone: the heading of a group of columns."""
    found = CONTENT_ROW.match(text)
    return found is not None and not found["title"]
