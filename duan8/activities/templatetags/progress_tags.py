"""Template tags of the progress pages."""

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from duan8.activities.selectors.progress import ProgressLine

register = template.Library()

_BAR = (
    '<svg class="bar{}" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"'
    ' focusable="false"><rect class="bar-track" width="100" height="8"/>'
    '<rect class="bar-fill" width="{}" height="8"/></svg>'
)


def _bar_html(bar: int, percent: int) -> str:
    return _BAR.format(" bar-met" if percent >= 100 else "", int(bar))


@register.simple_tag
def progress_bar(bar: int | None, percent: int | None) -> SafeString:
    """A bar filled to ``bar`` of 100: an SVG drawn with attributes only (the strict CSP allows
    no style attribute). A tag, not an include: a page with 30 villages draws a thousand."""
    if bar is None or percent is None:
        return SafeString("")
    return SafeString(_bar_html(bar, percent))


@lru_cache(maxsize=4096)
def _label(name: str) -> str:
    """A village's name escaped for an attribute, once for the thousand cells of a page."""
    return str(escape(name))


@register.simple_tag
def village_cells(line: ProgressLine) -> SafeString:
    """The villages' cells of a line of the progress table: actual / target and a bar (a line
    without rules: "—" / target). A tag, not a template loop: 30 villages by 35 lines are a
    thousand cells, which cost the template engine about half the page's time."""
    cells = []
    for village in line.villages:
        shown = str(village.actual) if line.measured else "—"
        if village.target is None:
            value = shown if line.measured else ""
        else:
            value = f"{shown} / {escape(village.target_display)}"
            percent = village.percent
            if line.measured and percent is not None:
                value += _bar_html(max(0, min(percent, 100)), percent)
        label = _label(village.unit.name)
        cells.append(f'<td class="village-cell" data-label="{label}">{value}</td>')
    return SafeString("".join(cells))
