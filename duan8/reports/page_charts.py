"""The dashboard's charts as small hand-built SVG, drawn from the rows the page shows.

The page puts each chart inline (``<svg role="img">`` in its ``<figure>``): no second request,
no second roll-up, and a few kilobytes where matplotlib's glyph paths took 78–286 KB. Each bar
carries a ``<title>`` with its number (a tooltip); the table under each chart has them all,
for screen readers and for printing. Only presentation attributes (``fill``, ``stroke``): the
Content-Security-Policy allows no inline style. Text is real text in the page's font, so
Vietnamese needs no bundled glyphs, and the numbers are the table's, formatted alike
(``charts._number``: 1.234; ``5 / 10 (50%)``).

The same functions give the standalone image of ``dashboard_chart`` (``svg_document``). The
documents (Word, PDF) and the disbursement chart keep matplotlib (``reports.charts``), which
draws PNG.
"""

import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from duan8.reports.charts import (
    ACCENT,
    ADULTS,
    CHILDREN,
    LATE,
    MEN,
    MET,
    MINORITY,
    MISSING,
    MUTED,
    NOT_MINORITY,
    ON_TIME,
    TEXT,
    TRACK,
    TRACK_EDGE,
    WAITING,
    WOMEN,
    CompletenessRow,
    ParticipantRow,
    ProgressRow,
    _number,
    _ratio,
)
from duan8.reports.series_chart import SeriesRow, _program_changes

WIDTH = 640  # user units; the page scales the picture to its column
FONT = 13
LINE = 17  # a line of text
BAR = 14
GAP = 12
PAD = 6
LABEL_CHARS = 84  # a row's label, wrapped to two lines at most
BARS = 380  # the width the largest bar may take; its numbers are written to its right
LEGEND = 22
# The whitespace ``textwrap`` rewrites or drops.
_WRAPPED_SPACE = frozenset("\t\n\x0b\x0c\r")

# The parts of a chart are plain strings, each text escaped where it is written (``_e``), and
# the whole is marked safe once (``svg_document``): a page draws thousands of them, and
# ``format_html`` per part cost the dashboard more than its template.


# The characters ``escape`` rewrites: most texts have none and are written as they are.
_SPECIAL = re.compile("[&<>\"']")


def _e(value: object) -> str:
    """``conditional_escape`` (the same text) without Django's lazy-string wrapper."""
    if type(value) is str:
        return escape(value) if _SPECIAL.search(value) else value
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return escape(str(value))


def _n(value: float) -> str:
    """A coordinate, short: 12.5, 40 (no 40.000000001 from float arithmetic)."""
    if type(value) is int:
        return str(value)
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _join(parts: Iterable[str]) -> str:
    return "".join(parts)


def _text(
    x: float, y: float, text: str, *, fill: str = TEXT, size: int = FONT, **extra: str
) -> str:
    attributes = (
        "".join(f' {k.replace("_", "-")}="{_e(v)}"' for k, v in extra.items()) if extra else ""
    )
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" fill="{_e(fill)}" font-size="{size}"{attributes}>'
        f"{_e(text)}</text>"
    )


def _rect(
    x: float, y: float, w: float, h: float, fill: str, title: str = "", *, edge: str = ""
) -> str:
    stroke = f' stroke="{_e(edge)}" stroke-width="0.8"' if edge else ""
    tip = f"<title>{_e(title)}</title>" if title else ""
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(h)}"'
        f' fill="{_e(fill)}"{stroke}>{tip}</rect>'
    )


def svg_document(body: str, height: float, label: str) -> SafeString:
    """The ``<svg>`` element around ``body`` (markup built by this module, its texts escaped):
    scales to its column (viewBox), an image with ``label`` for screen readers, and a valid
    standalone SVG document too (its namespace)."""
    return mark_safe(  # noqa: S308 - every text in it went through _e
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}"'
        f' width="100%" role="img" aria-label="{_e(label)}" font-family="sans-serif"'
        f' font-size="{FONT}"><rect width="100%" height="100%" fill="#fff"/>{body}</svg>'
    )


def _legend(items: Sequence[tuple[str, str]], y: float) -> str:
    parts: list[str] = []
    x: float = PAD
    for colour, name in items:
        parts.append(_rect(x, y - 10, 11, 11, colour, edge=TRACK_EDGE if colour == TRACK else ""))
        parts.append(_text(x + 16, y, name, size=FONT - 1))
        x += 16 + 7.2 * len(name) + 18
    return _join(parts)


def _label(lines: Sequence[str], y: float) -> tuple[str, float]:
    """The row's label from the left edge, its first line's baseline below ``y``; the y under it."""
    parts = [_text(PAD, y + LINE * (i + 1) - 4, line) for i, line in enumerate(lines)]
    return _join(parts), y + LINE * len(lines) + 3


@lru_cache(maxsize=4096)
def _lines(text: str) -> tuple[str, ...]:
    """The label in two lines at most. Most labels fit on one line and have no whitespace that
    ``textwrap`` would rewrite or drop: they are their own line, without its cost; the others
    are wrapped once (the same indicators' names come back on every page)."""
    if (
        0 < len(text) <= LABEL_CHARS
        and not text[-1].isspace()
        and not text[0].isspace()
        and _WRAPPED_SPACE.isdisjoint(text)
    ):
        return (text,)
    return tuple(textwrap.wrap(text, LABEL_CHARS)[:2]) or ("",)


def _empty(label: str) -> SafeString:
    return svg_document(
        _text(WIDTH / 2, 26, _("No data"), fill=MUTED, text_anchor="middle"), 40, label
    )


def _bars(
    rows: Sequence[ProgressRow],
    draw: Callable[[ProgressRow, float], list[str]],
    legend: list[tuple[str, str]],
    label: str,
) -> SafeString:
    """Horizontal bars, one row each: its label (one or two lines) above its bar."""
    if not rows:
        return _empty(label)
    parts = [_legend(legend, PAD + 12)]
    y: float = PAD + LEGEND
    for row in rows:
        text, y = _label(_lines(row.label), y)
        parts.append(text)
        parts.extend(draw(row, y))
        y += BAR + GAP
    return svg_document(_join(parts), y, label)


def progress_svg(rows: Sequence[ProgressRow], label: str) -> SafeString:
    """Results against targets as a share of each row's target (indicators count different
    things): the grey track is the target (100 %), the bar the result, green when met, the
    numbers beside it (``5 / 10 (50%)``); a row without a target shows its result as text."""
    top = max([100, *[row.percent for row in rows if row.percent is not None]])
    scale = BARS / top
    target_title = _("Target: %(value)s")

    def draw(row: ProgressRow, y: float) -> list[str]:
        percent, ratio = row.percent, _ratio(row)
        if percent is None:
            return [_text(PAD, y + BAR - 3, ratio, fill=MUTED, size=FONT - 1)]
        shown = max(percent, 0)
        colour = MET if percent >= 100 else ACCENT
        return [
            _rect(
                PAD,
                y,
                100 * scale,
                BAR,
                TRACK,
                target_title % {"value": _number(row.target)},
                edge=TRACK_EDGE,
            ),
            _rect(PAD, y, shown * scale, BAR, colour, ratio),
            _text(PAD + max(shown, 100) * scale + 6, y + BAR - 3, ratio, size=FONT - 1),
        ]

    return _bars(
        rows,
        draw,
        [(ACCENT, _("Result")), (MET, _("Target met")), (TRACK, _("Target (100%)"))],
        label,
    )


def units_svg(rows: Sequence[ProgressRow], label: str) -> SafeString:
    """One indicator across units: each unit's result as a bar over its target (grey track),
    in the indicator's own numbers, all rows on one scale."""
    top = max([1.0, *[float(r.actual) for r in rows], *[float(r.target or 0) for r in rows]])
    scale = BARS / top
    target_title = _("Target: %(value)s")

    def draw(row: ProgressRow, y: float) -> list[str]:
        actual, target = float(row.actual), float(row.target or 0)
        met = bool(target) and actual >= target
        ratio = _ratio(row)
        parts = []
        if target:
            parts.append(
                _rect(
                    PAD,
                    y,
                    target * scale,
                    BAR,
                    TRACK,
                    target_title % {"value": _number(row.target)},
                    edge=TRACK_EDGE,
                )
            )
        if actual:
            parts.append(_rect(PAD, y, actual * scale, BAR, MET if met else ACCENT, ratio))
        parts.append(
            _text(PAD + max(actual, target) * scale + 6, y + BAR - 3, ratio, size=FONT - 1)
        )
        return parts

    return _bars(
        rows, draw, [(ACCENT, _("Result")), (MET, _("Target met")), (TRACK, _("Target"))], label
    )


def _stacked(
    y: float, parts: list[tuple[int, str, str]], *, left: float, width: float
) -> list[str]:
    """A bar of ``width`` split into ``parts`` (count, colour, name); a share wide enough
    prints its count, every share has it as its title."""
    total = sum(count for count, _colour, _name in parts)
    drawn: list[str] = []
    start = left
    for count, colour, name in parts:
        if count <= 0 or total <= 0:
            continue
        size = width * count / total
        drawn.append(_rect(start, y, size, BAR, colour, f"{name}: {_number(count)}"))
        if size >= 9 * len(_number(count)) + 4:
            drawn.append(
                _text(
                    start + size / 2,
                    y + BAR - 3,
                    _number(count),
                    fill="#fff",
                    size=FONT - 2,
                    text_anchor="middle",
                    font_weight="bold",
                )
            )
        start += size
    return drawn


def participants_svg(rows: Sequence[ParticipantRow], label: str) -> SafeString:
    """Participants of each indicator's events as three bars of shares: women and men, ethnic
    minority and not, adults and children; each share prints its count."""
    rows = [row for row in rows if row.total > 0]
    if not rows:
        return _empty(label)
    names = {
        "women": _("Women"),
        "men": _("Men"),
        "minority": _("Ethnic minority"),
        "not_minority": _("Not a minority"),
        "adults": _("Adults"),
        "children": _("Children (under 16)"),
    }
    parts = [
        _legend(
            [(WOMEN, names["women"]), (MEN, names["men"]), (MINORITY, names["minority"])], PAD + 12
        ),
        _legend(
            [
                (NOT_MINORITY, names["not_minority"]),
                (ADULTS, names["adults"]),
                (CHILDREN, names["children"]),
            ],
            PAD + 12 + LEGEND,
        ),
    ]
    y: float = PAD + 2 * LEGEND
    kinds = [
        (_("Sex"), lambda r: [(r.women, WOMEN, names["women"]), (r.men, MEN, names["men"])]),
        (
            _("Ethnicity"),
            lambda r: [
                (r.minority, MINORITY, names["minority"]),
                (r.not_minority, NOT_MINORITY, names["not_minority"]),
            ],
        ),
        (
            _("Age group"),
            lambda r: [
                (r.adults, ADULTS, names["adults"]),
                (r.children, CHILDREN, names["children"]),
            ],
        ),
    ]
    heading_text = _("%(label)s: %(count)s participants")
    for row in rows:
        heading = heading_text % {
            "label": row.label,
            "count": _number(row.total),
        }
        text, y = _label(_lines(heading), y)
        parts.append(text)
        for name, shares in kinds:
            parts.append(_text(PAD, y + BAR - 3, name, fill=MUTED, size=FONT - 1))
            parts.extend(_stacked(y, shares(row), left=PAD + 140, width=WIDTH - 2 * PAD - 140))
            y += BAR + 6
        y += GAP
    return svg_document(_join(parts), y, label)


def completeness_svg(rows: Sequence[CompletenessRow], label: str) -> SafeString:
    """Each deadline's units as one bar: reported on time, late, not reported, not yet due."""
    rows = [row for row in rows if row.expected > 0]
    if not rows:
        return _empty(label)
    names = {
        "on_time": _("On time"),
        "late": _("Late"),
        "missing": _("Not reported"),
        "waiting": _("Not yet due"),
    }
    top = max(row.expected for row in rows)
    parts = [
        _legend(
            [
                (ON_TIME, names["on_time"]),
                (LATE, names["late"]),
                (MISSING, names["missing"]),
                (WAITING, names["waiting"]),
            ],
            PAD + 12,
        )
    ]
    y: float = PAD + LEGEND
    for row in rows:
        text, y = _label(_lines(row.label), y)
        parts.append(text)
        shares = [
            (row.on_time, ON_TIME, names["on_time"]),
            (row.late, LATE, names["late"]),
            (row.missing, MISSING, names["missing"]),
            (row.waiting, WAITING, names["waiting"]),
        ]
        width = (WIDTH - 2 * PAD - 60) * row.expected / top
        parts.extend(_stacked(y, shares, left=PAD, width=width))
        parts.append(
            _text(PAD + width + 6, y + BAR - 3, _number(row.expected), fill=MUTED, size=FONT - 1)
        )
        y += BAR + GAP
    return svg_document(_join(parts), y, label)


SERIES_HEIGHT = 200  # the bars' area


def series_svg(rows: Sequence[SeriesRow], label: str) -> SafeString:
    """Each year's result as a bar over its target (grey, wider); years whose element is
    provisional drawn hatched; a dotted line where the program changes."""
    if not rows or all(row.actual is None for row in rows):
        return _empty(label)
    top = max([1.0, *(float(r.actual or 0) for r in rows), *(float(r.target or 0) for r in rows)])
    legend = [(ACCENT, _("Result")), (TRACK, _("Target"))]
    provisional = any(row.provisional for row in rows)
    if provisional:
        legend.append(("url(#series-hatch)", _("Unverified structure")))
    base = PAD + LEGEND + 24 + SERIES_HEIGHT
    step = (WIDTH - 2 * PAD) / len(rows)
    scale = SERIES_HEIGHT / top
    parts = [
        '<defs><pattern id="series-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        f' patternTransform="rotate(45)"><rect width="6" height="6" fill="{_e(ACCENT)}"/>'
        '<rect width="2" height="6" fill="#fff"/></pattern></defs>',
        _legend(legend, PAD + 12),
    ]
    target_title = _("Target: %(value)s")
    for index, row in enumerate(rows):
        centre = PAD + step * (index + 0.5)
        actual, target = float(row.actual or 0), float(row.target or 0)
        value = _number(row.actual) + (f"/{_number(row.target)}" if row.target else "")
        if target:
            parts.append(
                _rect(
                    centre - step * 0.35,
                    base - target * scale,
                    step * 0.7,
                    target * scale,
                    TRACK,
                    target_title % {"value": _number(row.target)},
                    edge=TRACK_EDGE,
                )
            )
        if actual:
            fill = "url(#series-hatch)" if row.provisional else ACCENT
            parts.append(
                _rect(
                    centre - step * 0.22,
                    base - actual * scale,
                    step * 0.44,
                    actual * scale,
                    fill,
                    f"{row.year}: {value}",
                )
            )
        parts.append(
            _text(
                centre,
                base - max(actual, target) * scale - 4,
                value,
                size=FONT - 1,
                text_anchor="middle",
            )
        )
        parts.append(
            _text(centre, base + 16, str(row.year), fill=MUTED, size=FONT - 1, text_anchor="middle")
        )
    for x in _program_changes(rows):
        at = PAD + step * (x + 0.5)
        parts.append(
            f'<line x1="{_n(at)}" y1="{_n(PAD + LEGEND + 4)}" x2="{_n(at)}" y2="{_n(base)}"'
            f' stroke="{_e(MUTED)}" stroke-dasharray="2 3"/>'
        )
        parts.append(_text(at + 4, PAD + LEGEND + 16, _("New program"), fill=MUTED, size=FONT - 2))
    parts.append(
        f'<line x1="{PAD}" y1="{base}" x2="{WIDTH - PAD}" y2="{base}" stroke="{_e(TRACK_EDGE)}"/>'
    )
    return svg_document(_join(parts), base + 24, label)
