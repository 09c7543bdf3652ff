"""Template tags of the progress pages and of the header's links to the user's work."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from duan8.activities.selectors.progress import records_units_of
from duan8.orgunits.models import OrgUnit

register = template.Library()


@register.simple_tag(takes_context=True)
def own_work_unit(context: template.Context) -> OrgUnit | None:
    """The highest unit where the signed-in user reads records; None when there is none.
    No query: the memberships are read once per request (``active_memberships``)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return None
    units = records_units_of(user)
    return units[0] if units else None


@register.simple_tag
def progress_bar(bar: int | None, percent: int | None) -> SafeString:
    """A bar filled to ``bar`` of 100: an SVG drawn with attributes only (the strict CSP allows
    no style attribute). A tag, not an include: a page with 30 villages draws a thousand."""
    if bar is None or percent is None:
        return SafeString("")
    return format_html(
        '<svg class="bar{}" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"'
        ' focusable="false"><rect class="bar-track" width="100" height="8"/>'
        '<rect class="bar-fill" width="{}" height="8"/></svg>',
        " bar-met" if percent >= 100 else "",
        int(bar),
    )
