"""Charts drawn on the server with matplotlib: SVG for pages, PNG for documents.

The same functions draw the dashboard's images (served as ``image/svg+xml`` and shown with
``<img src>``, which the strict Content-Security-Policy allows) and the pictures of exported
documents (``python-docx``'s ``add_picture`` takes :func:`figure_png`'s bytes). Nothing is
loaded from the network: matplotlib ships its fonts, and its DejaVu Sans has every Vietnamese
letter. Glyphs are drawn as paths, so the picture looks the same on a computer without the font.

Thread safety: no ``pyplot``. Each chart is a :class:`matplotlib.figure.Figure` of its own, drawn
by the Agg or SVG canvas it is saved with; no global state (``rcParams``) is changed while drawing
(the one setting, no mathtext, is made once at import). matplotlib's
font and text-layout caches are still shared by every thread and not guarded, so saving a figure
(where text is laid out and drawn) holds one process-wide lock: a chart takes tens of
milliseconds, so threads of a server wait briefly instead of drawing wrong pictures.

Each chart function takes plain rows (numbers and labels already translated), so a page and a
document draw the same picture from the same numbers, and tests need no database.
"""

import io
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")  # never an interactive backend in a server process
# Labels are people's text (a village named "Thôn $\\frac{1}{$"): drawn as typed, never parsed as
# mathtext, which would fail on it (or print it wrong) for every viewer of the chart. Set once,
# here, where every chart of duan8 is set up; every Text (titles, labels, ticks, legends) reads it.
matplotlib.rcParams["text.parse_math"] = False

from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

Number = int | float | Decimal

WIDTH_IN = 5.6  # a line of about 60 characters; still legible when a phone shrinks it
FONT_SIZE = 10
LABEL_CHARS = 62  # a row's label, wrapped to two lines at most

# The stylesheet's colours (duan8.css), and colours that stay apart for colour-blind readers.
TEXT = "#1b1b1b"
MUTED = "#555555"
TRACK = "#ece8e3"
TRACK_EDGE = "#b3ada5"
ACCENT = "#9c1c4a"
MET = "#1e5e2e"
WOMEN = "#9c1c4a"
MEN = "#2f6690"
MINORITY = "#6a3d9a"
NOT_MINORITY = "#b8860b"
ADULTS = "#3d5a45"
CHILDREN = "#c05a00"
ON_TIME = "#1e5e2e"
LATE = "#b8860b"
MISSING = "#a3001b"
WAITING = "#b3ada5"


# --- rows: what each chart draws ---------------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    """An indicator (or a unit) with its result and its target (None: no number set)."""

    label: str
    actual: Number
    target: Number | None = None

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return round(100 * float(self.actual) / float(self.target))


@dataclass(frozen=True)
class ParticipantRow:
    """Participants of an indicator's events: by sex, by ethnic minority, by age group."""

    label: str
    women: int
    men: int
    minority: int
    children: int

    @property
    def total(self) -> int:
        return self.women + self.men

    @property
    def not_minority(self) -> int:
        return self.total - self.minority

    @property
    def adults(self) -> int:
        return self.total - self.children


@dataclass(frozen=True)
class CompletenessRow:
    """A deadline: how many units reported on time, late, not at all, or are not due yet."""

    label: str
    on_time: int
    late: int
    missing: int
    waiting: int = 0

    @property
    def expected(self) -> int:
        return self.on_time + self.late + self.missing + self.waiting


# --- rows from a report's figures (reports.figures.FigureTable), for the documents -------------


def progress_rows_from_figures(table: Any) -> list[ProgressRow]:
    """Indicators of a report's figure table (``reports.figures.figure_table``) that have a
    target, as rows of :func:`chart_progress`."""
    return [
        ProgressRow(indicator_label(line.number, line.title), line.value, line.target)
        for line in table.lines
        if line.target
    ]


def participant_rows_from_figures(table: Any) -> list[ParticipantRow]:
    """Indicators of a report's figure table with participants, as rows of
    :func:`chart_participants`."""
    return [
        ParticipantRow(
            indicator_label(line.number, line.title),
            women=line.women,
            men=line.men,
            minority=line.minority,
            children=line.children,
        )
        for line in table.lines
        if line.participants
    ]


def indicator_label(number: str, title: str) -> str:
    """ "1.2.2 Hỗ trợ Tổ truyền thông…": an indicator's place in the project and its title,
    short enough for a chart row."""
    text = f"{number} {title}".strip() if number else title
    return shorten(text)


def shorten(text: str, width: int = 2 * LABEL_CHARS - 4) -> str:
    return textwrap.shorten(" ".join(text.split()), width=width, placeholder="…")


# --- saving -------------------------------------------------------------------------------------


_DRAWING = threading.Lock()


def figure_svg(fig: Figure) -> bytes:
    """The figure as an SVG document (text drawn as paths: no font needed to show it)."""
    buffer = io.BytesIO()
    with _DRAWING:
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def figure_png(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes, e.g. for ``docx.Document().add_picture(io.BytesIO(png))``."""
    buffer = io.BytesIO()
    with _DRAWING:
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


# --- drawing ------------------------------------------------------------------------------------
# Layout in inches, not left to matplotlib: each row is its label (one or two lines) above its
# bar, so long Vietnamese titles never cross a bar and the chart stays narrow. The axes' y unit
# is one inch, counted from the top.

MARGIN = 0.08
LINE = 0.22  # a line of text at FONT_SIZE (Vietnamese stacks marks above letters)
BAR = 0.22
GAP = 0.16
TITLE = 0.34
LEGEND_ROW = 0.24
AXIS = 0.55  # tick labels and the axis label under the bars


def _lines(text: str) -> list[str]:
    return textwrap.wrap(text, LABEL_CHARS)[:2] or [""]


def _number(value: Number | None) -> str:
    if value is None:
        return "–"
    number = float(value)
    if number == int(number):
        return f"{int(number):,}".replace(",", ".")  # Vietnamese thousands: 1.234
    return f"{number:.1f}".replace(".", ",")


@dataclass
class _Chart:
    fig: Figure
    ax: Axes
    height: float  # of the rows, in inches


def _chart(
    title: str | None,
    content: float,
    *,
    legend: list[Patch] | None = None,
    legend_columns: int = 4,
    axis: bool = True,
) -> _Chart:
    legend = legend or []
    legend_rows = -(-len(legend) // legend_columns)
    top = MARGIN + (TITLE if title else 0) + legend_rows * LEGEND_ROW
    bottom = AXIS if axis else MARGIN
    height = top + content + bottom + MARGIN
    fig = Figure(figsize=(WIDTH_IN, height))
    fig.set_facecolor("white")
    if title:
        fig.text(
            MARGIN / WIDTH_IN,
            1 - MARGIN / height,
            title,
            ha="left",
            va="top",
            fontsize=FONT_SIZE + 1,
            fontweight="bold",
            color=TEXT,
        )
    if legend:
        fig.legend(
            handles=legend,
            loc="upper left",
            bbox_to_anchor=(0, 1 - (MARGIN + (TITLE if title else 0) - 0.06) / height),
            ncols=legend_columns,
            frameon=False,
            fontsize=FONT_SIZE - 1,
            handlelength=1.2,
            columnspacing=1.0,
            borderaxespad=0.2,
        )
    left = 2 * MARGIN  # half of the first tick label sits left of the axes
    ax = fig.add_axes(
        (
            left / WIDTH_IN,
            (bottom + MARGIN) / height,
            (WIDTH_IN - left - 2 * MARGIN) / WIDTH_IN,
            content / height,
        )
    )
    ax.set_ylim(content, 0)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if axis:
        ax.spines["bottom"].set_color(TRACK_EDGE)
        ax.tick_params(axis="x", colors=MUTED, labelsize=FONT_SIZE - 1)
    else:
        ax.set_axis_off()
    return _Chart(fig, ax, content)


def _empty(title: str | None) -> Figure:
    chart = _chart(title, 0.4, axis=False)
    chart.ax.set_xlim(0, 1)
    chart.ax.text(0.5, 0.2, _("No data"), ha="center", va="center", color=MUTED)
    return chart.fig


def _label(ax: Axes, y: float, lines: list[str], *, size: int = FONT_SIZE) -> float:
    """Write the row's label from the left edge at ``y``; return the y under it."""
    ax.text(0, y, "\n".join(lines), ha="left", va="top", fontsize=size, color=TEXT, linespacing=1.2)
    return y + len(lines) * LINE + 0.06


def _row_heights(labels: Sequence[str]) -> tuple[list[list[str]], float]:
    wrapped = [_lines(label) for label in labels]
    return wrapped, sum(len(lines) * LINE + 0.06 + BAR + GAP for lines in wrapped)


def _side_text(ax: Axes, x: float, y: float, text: str, *, color: str = TEXT) -> None:
    ax.text(x, y, text, ha="left", va="center", fontsize=FONT_SIZE - 1, color=color)


def _ratio(row: ProgressRow) -> str:
    if row.percent is None:
        return _("%(actual)s (no target)") % {"actual": _number(row.actual)}
    return f"{_number(row.actual)} / {_number(row.target)} ({row.percent}%)"


def chart_progress(rows: Sequence[ProgressRow], *, title: str | None = None) -> Figure:
    """Results against targets, one horizontal bar per row, as a share of each row's target.

    Indicators count different things (teams, sessions, persons), so each bar is scaled to its
    own target: the grey track is the target (100 %), the bar the result, and the numbers are
    printed beside it (``5 / 10 (50%)``). A met target is drawn in green. Rows without a target
    show their result as text only.
    """
    if not rows:
        return _empty(title)
    wrapped, content = _row_heights([row.label for row in rows])
    chart = _chart(
        title,
        content,
        legend=[
            Patch(facecolor=ACCENT, label=_("Result")),
            Patch(facecolor=MET, label=_("Target met")),
            Patch(facecolor=TRACK, edgecolor=TRACK_EDGE, label=_("Target (100%)")),
        ],
        legend_columns=3,
    )
    ax = chart.ax
    top = max([100, *[row.percent for row in rows if row.percent is not None]])
    y = 0.0
    for row, lines in zip(rows, wrapped, strict=True):
        y = _label(ax, y, lines)
        centre = y + BAR / 2
        percent = row.percent
        if percent is None:
            _side_text(ax, 0, centre, _ratio(row), color=MUTED)
        else:
            ax.barh(centre, 100, height=BAR, color=TRACK, edgecolor=TRACK_EDGE, linewidth=0.6)
            ax.barh(centre, max(percent, 0), height=BAR, color=MET if percent >= 100 else ACCENT)
            _side_text(ax, max(percent, 100) + top * 0.02, centre, _ratio(row))
        y += BAR + GAP
    ax.axvline(100, color=MUTED, linewidth=0.8, linestyle=(0, (3, 2)))
    ax.set_xlim(0, top * 1.42)
    step = 25 if top <= 150 else 50 if top <= 400 else 100
    ticks = list(range(0, int(top) + 1, step))
    ax.set_xticks(ticks, [f"{t}%" for t in ticks])
    ax.set_xlabel(_("Result as a share of the target"), color=MUTED, fontsize=FONT_SIZE - 1)
    return chart.fig


def chart_unit_progress(rows: Sequence[ProgressRow], *, title: str | None = None) -> Figure:
    """One indicator across units (a commune's villages, a district's communes): each unit's
    result as a bar over its target (grey track), in the indicator's own numbers."""
    if not rows:
        return _empty(title)
    wrapped, content = _row_heights([row.label for row in rows])
    chart = _chart(
        title,
        content,
        legend=[
            Patch(facecolor=ACCENT, label=_("Result")),
            Patch(facecolor=MET, label=_("Target met")),
            Patch(facecolor=TRACK, edgecolor=TRACK_EDGE, label=_("Target")),
        ],
        legend_columns=3,
    )
    ax = chart.ax
    top = max([1.0, *[float(r.actual) for r in rows], *[float(r.target or 0) for r in rows]])
    y = 0.0
    for row, lines in zip(rows, wrapped, strict=True):
        y = _label(ax, y, lines)
        centre = y + BAR / 2
        actual, target = float(row.actual), float(row.target or 0)
        if target:
            ax.barh(centre, target, height=BAR, color=TRACK, edgecolor=TRACK_EDGE, linewidth=0.6)
        met = bool(target) and actual >= target
        if actual:
            ax.barh(centre, actual, height=BAR, color=MET if met else ACCENT)
        _side_text(ax, max(actual, target) + top * 0.02, centre, _ratio(row))
        y += BAR + GAP
    ax.set_xlim(0, top * 1.45)
    _integer_ticks(ax)
    return chart.fig


def _integer_ticks(ax: Axes) -> None:
    """Ticks on whole numbers only (the default locator is a MaxNLocator)."""
    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))


def _stacked(
    ax: Axes, y: float, parts: list[tuple[int, str]], *, left: float, width: float
) -> None:
    """A bar of ``width`` split into ``parts`` (count, colour); each share large enough to hold
    it shows its count (the table under the chart has them all)."""
    total = sum(count for count, _colour in parts)
    if total <= 0:
        return
    start = left
    for count, colour in parts:
        if count <= 0:
            continue
        size = width * count / total
        ax.barh(y, size, left=start, height=BAR, color=colour, edgecolor="white", linewidth=0.6)
        if size >= width * 0.06:
            ax.text(
                start + size / 2,
                y,
                _number(count),
                ha="center",
                va="center",
                fontsize=FONT_SIZE - 1,
                color="white",
                fontweight="bold",
            )
        start += size


def chart_participants(rows: Sequence[ParticipantRow], *, title: str | None = None) -> Figure:
    """Participants of each indicator's events as three bars of shares: women and men, ethnic
    minority and not, adults and children; each share prints its count."""
    rows = [row for row in rows if row.total > 0]
    if not rows:
        return _empty(title)
    headings = [
        _("%(label)s: %(count)s participants") % {"label": row.label, "count": _number(row.total)}
        for row in rows
    ]
    wrapped = [_lines(heading) for heading in headings]
    step = BAR + 0.08
    content = sum(len(lines) * LINE + 0.06 + 3 * step + GAP for lines in wrapped)
    chart = _chart(
        title,
        content,
        legend=[
            # matplotlib fills a legend column by column: one column per bar
            Patch(facecolor=WOMEN, label=_("Women")),
            Patch(facecolor=MEN, label=_("Men")),
            Patch(facecolor=MINORITY, label=_("Ethnic minority")),
            Patch(facecolor=NOT_MINORITY, label=_("Not a minority")),
            Patch(facecolor=ADULTS, label=_("Adults")),
            Patch(facecolor=CHILDREN, label=_("Children (under 16)")),
        ],
        legend_columns=3,
        axis=False,
    )
    ax = chart.ax
    ax.set_xlim(0, 100)
    kinds = [
        (_("Sex"), lambda r: [(r.women, WOMEN), (r.men, MEN)]),
        (_("Ethnicity"), lambda r: [(r.minority, MINORITY), (r.not_minority, NOT_MINORITY)]),
        (_("Age group"), lambda r: [(r.adults, ADULTS), (r.children, CHILDREN)]),
    ]
    y = 0.0
    for row, lines in zip(rows, wrapped, strict=True):
        y = _label(ax, y, lines)
        for name, parts in kinds:
            centre = y + BAR / 2
            _side_text(ax, 0, centre, name, color=MUTED)
            _stacked(ax, centre, parts(row), left=24, width=76)
            y += step
        y += GAP
    return chart.fig


def chart_completeness(rows: Sequence[CompletenessRow], *, title: str | None = None) -> Figure:
    """Each deadline's units as one bar: reported on time, late, not reported, not yet due."""
    rows = [row for row in rows if row.expected > 0]
    if not rows:
        return _empty(title)
    wrapped, content = _row_heights([row.label for row in rows])
    chart = _chart(
        title,
        content,
        legend=[
            Patch(facecolor=ON_TIME, label=_("On time")),
            Patch(facecolor=LATE, label=_("Late")),
            Patch(facecolor=MISSING, label=_("Not reported")),
            Patch(facecolor=WAITING, label=_("Not yet due")),
        ],
        legend_columns=4,
    )
    ax = chart.ax
    top = max(row.expected for row in rows)
    y = 0.0
    for row, lines in zip(rows, wrapped, strict=True):
        y = _label(ax, y, lines)
        parts = [
            (row.on_time, ON_TIME),
            (row.late, LATE),
            (row.missing, MISSING),
            (row.waiting, WAITING),
        ]
        _stacked(ax, y + BAR / 2, parts, left=0, width=float(row.expected))
        y += BAR + GAP
    ax.set_xlim(0, top)
    _integer_ticks(ax)
    ax.set_xlabel(_("Units that had to report"), color=MUTED, fontsize=FONT_SIZE - 1)
    return chart.fig
