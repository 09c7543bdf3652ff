"""The header's links to pages only some users may use (users, audit trail)."""

from django import template

from duan8.core.selectors import holds_somewhere

register = template.Library()


@register.simple_tag(takes_context=True)
def holds_permission(context: template.Context, permission: str) -> bool:
    """True when the signed-in user holds ``permission`` in at least one unit."""
    user = context.get("user")
    return user is not None and holds_somewhere(user, permission)
