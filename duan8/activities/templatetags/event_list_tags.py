"""Template tags of the list of events."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from duan8.activities.models import Event

register = template.Library()


@register.simple_tag
def event_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The lines of the list, one event each (``views.event_list``), each cell labelled with its
    column (a card on a phone). A tag, not a template loop: 50 lines of 8 cells cost the
    template engine a third of the page's time."""
    labels = [
        escape(_(text))
        for text in (
            "Date held",
            "Held in",
            "Kind of event",
            "Title",
            "Plan activity",
            "Participants (women/men)",
            "Cost (đồng)",
            "Files",
        )
    ]
    held, where, kind, title, activity, people, cost, files = labels
    # ``get_kind_display`` rebuilds the choices' dict at each call: a third of the lines' time
    kinds = {value: escape(label) for value, label in Event._meta.get_field("kind").flatchoices}
    lines = []
    for row in rows:
        event = row["event"]
        url = reverse("activities:event_detail", args=[event.pk])
        lines.append(
            "<tr>"
            f'<td data-label="{held}" class="nowrap">{event.held_on:%d/%m/%Y}</td>'
            f'<td data-label="{where}">{escape(event.org_unit.full_name)}</td>'
            f'<td data-label="{kind}">{kinds.get(event.kind) or escape(event.kind)}</td>'
            f'<td data-label="{title}"><a href="{escape(url)}">{escape(event.title)}</a></td>'
            f'<td data-label="{activity}">{escape(row["activity"])}</td>'
            f'<td data-label="{people}" class="number">{event.participants_total}'
            f" ({event.women_total}/{row['men']})</td>"
            f'<td data-label="{cost}" class="number">{escape(row["cost"])}</td>'
            f'<td data-label="{files}" class="number">{event.attachment_count}</td>'
            "</tr>"
        )
    return SafeString("\n".join(lines))
