"""The rows of the progress table (``activities/_progress_table.html``), on the plan page and the
progress page: built here in one pass rather than by a template loop, whose variable lookups,
``with`` / ``if`` nodes and translations, repeated for each of a plan's 35 lines, cost about
as much as the thousand village cells drawn by ``village_cells``. The HTML is the loop's, byte
for byte (its indentation included); values are escaped as the template escaped them."""

from django import template
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from duan8.activities.templatetags.progress_tags import _bar_html, village_cells
from duan8.activities.views.progress import ProgressRow

register = template.Library()


def _text(value: str) -> str:
    return str(conditional_escape(value))


def _row(row: ProgressRow, colspan: str, words: dict[str, str]) -> str:
    """One line's ``<tr>``, with the whitespace the template's loop gave it."""
    if row.is_heading:
        branch = (
            f'\n              <tr class="row-content"><th scope="rowgroup" colspan="{colspan}">'
            f"{_text(row.heading)}</th></tr>\n            "
        )
        return f"\n          \n            {branch}\n          \n        "
    p, el = row.progress, row.element
    number = f'<span class="number">{_text(el.number)}</span> ' if el.number else ""
    allocation = (
        f' <span class="muted">{words["allocation"]}</span>' if p.target_from_allocation else ""
    )
    village = p.line.village.display if p.line.village is not None else ""
    if p.measured:
        links = ""
        if row.links:
            links = get_template("activities/progress_records.html").render(
                {"links": row.links, "more": p.more_records}
            )
        percent = p.percent
        shown = "" if percent is None else f"{percent}%" + _bar(p.bar, percent)
        cells = (
            f'\n                  <td class="actual" data-label="{words["actual"]}"><strong>'
            f"{p.actual}</strong>\n                    {links}</td>"
            f'\n                  <td class="percent" data-label="%">{shown}</td>'
        )
    else:
        note = f'— <span class="note">{words["not_computed"]}</span>' if row.has_target else ""
        cells = (
            f'\n                  <td class="actual not-measured" data-label="{words["actual"]}">'
            f'{note}</td>\n                  <td class="percent" data-label="%"></td>'
        )
    branch = (
        f'\n              <tr class="row-{_text(el.kind)} depth-{p.line.depth}" id="line-{el.pk}">'
        f'\n                <th scope="row" class="progress-activity">{number}'
        f"{_text(el.title)}</th>"
        f'\n                <td class="target target-commune" data-label="{words["commune"]}">'
        f"{_text(p.target_display)}{allocation}</td>"
        f'\n                <td class="target target-village" data-label="{words["village"]}">'
        f"{_text(village) if village else ''}</td>\n                "
        f"{cells}\n                  {village_cells(p)}\n                "
        "\n              </tr>\n            "
    )
    return f"\n          \n            {branch}\n          \n        "


def _bar(bar: int | None, percent: int) -> str:
    return "" if bar is None else _bar_html(bar, percent)


@register.simple_tag
def progress_rows(rows: list[ProgressRow], colspan: int) -> SafeString:
    """The table's body rows: a heading across the table for a content without targets, else
    the line's targets, actual (with the records listed under a text target), percent and
    villages' cells."""
    words = {
        "commune": _text(gettext("Commune target")),
        "village": _text(gettext("Target per village")),
        "actual": _text(gettext("Actual")),
        "allocation": _text(gettext("(allocation table)")),
        "not_computed": _text(gettext("not computed automatically")),
    }
    return SafeString("".join(_row(row, str(colspan), words) for row in rows))
