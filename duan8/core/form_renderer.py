"""The forms' renderer (``FORM_RENDERER``): it writes the markup of the common widgets directly.

Django renders every widget, and every ``<option>`` of a select, through a template
(``django/forms/widgets/*.html``): on the event entry form, the most used page on a phone, the
~75 options and 20 inputs took a third of the page's CPU; the filters of the event list and of
the dashboard, and the plan page's comment form, draw dozens more. ``DirectWidgets`` builds the
same HTML as those templates (the same attributes in the same order, escaped the same way, the
same whitespace) from the same widget context, so the widgets' own logic (``get_context``: values,
``selected``, ``required``, ``data-kind``) is untouched. Anything else (radio buttons, grouped
options, another option template, the form and field templates) falls back to the templates.

Every form takes it (``settings.FORM_RENDERER``); ``DjangoTemplates`` draws the same HTML.
"""

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
OPTION_TEMPLATE = WIDGETS + "select_option.html"
# The input widgets whose template is only {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = {
    WIDGETS + f"{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "hidden",
        "date",
        "datetime",
        "time",
        "email",
        "url",
        "password",
        "search",
        "tel",
        "color",
        "checkbox",
        "file",
    )
}


def _shown(value: Any) -> str:
    """``{{ value }}``: localized, then escaped unless marked safe."""
    return conditional_escape(localize(value))


def attrs_html(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ``name="value"`` in order, a bare ``name`` for True,
    nothing for False. Values as ``|stringformat:'s'``: str(), escaped unless marked safe."""
    out = []
    for name, value in attrs.items():
        if value is True:
            out.append(f" {conditional_escape(name)}")
        elif value is not False:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def input_html(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{shown}'
        f"{attrs_html(widget['attrs'])}>"
    )


def textarea_html(widget: dict[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_shown(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{_shown(value) if value else ''}</textarea>"
    )


def select_html(widget: dict[str, Any]) -> str | None:
    """select.html with its select_option.html per option; None for grouped options or another
    option template (the templates render those)."""
    parts = [f'<select name="{_shown(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            return None
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            attrs = attrs_html(option["attrs"]) if option["attrs"] else ""
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{attrs}>'
                f"{_shown(option['label'])}</option>\n"
            )
    parts.append("\n</select>")
    return "".join(parts)


BUILDERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    **dict.fromkeys(INPUT_TEMPLATES, input_html),
    WIDGETS + "textarea.html": textarea_html,
    WIDGETS + "select.html": select_html,
}


class DirectWidgets(DjangoTemplates):
    """Django's template renderer, except for the widgets of ``BUILDERS``."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        build = BUILDERS.get(template_name)
        html = build(context["widget"]) if build is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return mark_safe(html)  # noqa: S308 (every value escaped above)
