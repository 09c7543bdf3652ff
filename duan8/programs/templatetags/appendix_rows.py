"""The rows of the first appendix on the plan page (``programs/_appendix_activities.html``): built
in one pass rather than by a template loop (its ``if`` nodes and lookups, for each of a plan's
35 lines, cost about 2 ms of the page). The HTML is the loop's, byte for byte (its indentation
included); values are escaped as the template escaped them."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from duan8.programs.views import AppendixRow

register = template.Library()


def _text(value: str) -> str:
    return str(conditional_escape(value))


def _row(row: AppendixRow, labels: tuple[str, str, str]) -> str:
    if row.is_heading:
        branch = (
            '\n                <tr class="row-content"><th scope="rowgroup" colspan="4">'
            f"{_text(row.heading)}</th></tr>\n            "
        )
    else:
        both, commune, village = labels
        if row.spanning_note:
            targets = (
                f'\n                    <td colspan="2" class="note-suspended" data-label="{both}">'
                f"{_text(row.spanning_note)}</td>\n                  "
            )
        else:
            targets = (
                f'\n                    <td class="target" data-label="{commune}">'
                f"{_text(row.commune_display)}</td>"
                f'\n                    <td class="target" data-label="{village}">'
                f"{_text(row.village_display)}</td>\n                  "
            )
        branch = (
            f'\n                <tr class="row-{_text(row.kind)}">'
            f'\n                  <td class="number">{_text(row.number)}</td>'
            f"\n                  <td>{_text(row.title)}</td>\n                  "
            f"{targets}\n                </tr>\n            "
        )
    return f"\n            {branch}\n          "


@register.simple_tag
def appendix_rows(rows: list[AppendixRow]) -> SafeString:
    """The appendix's body rows: a content without targets as a heading across the table, else
    the line's number, title and targets (a suspension note across both target columns)."""
    labels = (
        _text(gettext("Commune and village")),
        _text(gettext("Commune")),
        _text(gettext("Village")),
    )
    return SafeString("".join(_row(row, labels) for row in rows))
