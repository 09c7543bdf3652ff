"""``{% load i18n %}`` (Django's library), with ``{% translate "a constant" %}`` rendered once per
language instead of on every page.

A page's templates hold a hundred or more constant ``{% translate %}`` tags (the navigation, the
headings, the buttons). Django's tag makes a lazy string, asks the active translation through a
context-local lookup and escapes the result, each time: about 2 ms of every request on the load
machine (bench/README.md, "Session 15"). The text of a constant depends only on the language, so
each tag keeps what it rendered per language.

Only a constant without filters, context (``context "…"``) or ``noop`` is kept; every other form
goes through Django's node as before. Registered under the name ``i18n`` in ``TEMPLATES``
(``OPTIONS["libraries"]``), so the templates are unchanged; the backend ``Templates`` is Django's,
except that its check of libraries registered twice under one name (``templates.W003``) accepts
this one, deliberate, replacement. The kept texts are dropped when a translation file changes (the
development server's reloader, as Django drops its catalogues) or a test changes the languages'
settings.
"""

import weakref
from typing import Any

from django.core.checks import CheckMessage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, Library
from django.template.backends.django import DjangoTemplates
from django.template.base import Parser, Token, render_value_in_context
from django.templatetags import i18n as django_i18n
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeData, mark_safe

register = Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

# every node alive (a template compiled from a string is dropped with it), to forget their texts
_NODES: "weakref.WeakSet[ConstantTranslateNode]" = weakref.WeakSet()


class ConstantTranslateNode(django_i18n.TranslateNode):
    """A ``{% translate "constant" %}``: Django's rendering, kept per language."""

    def __init__(self, node: django_i18n.TranslateNode) -> None:
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        self.filter_expression.var.translate = True
        self.by_language: dict[str | None, str] = {}
        _NODES.add(self)

    def render(self, context: Context) -> str:
        language = translation.get_language()
        value = self.by_language.get(language)
        if value is None:
            # Django's TranslateNode.render: the constant translated, the doubled percent signs
            # restored. A constant's translation is safe (its text is the template's), so its
            # escaping does not depend on the context; were it not, it is not kept.
            value = render_value_in_context(self.filter_expression.resolve(context), context)
            if not isinstance(value, SafeData):
                return super().render(context)
            kept = value.replace("%%", "%")  # safe before, and no markup is added
            value = self.by_language[language] = mark_safe(kept)  # noqa: S308
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


def _constant(node: django_i18n.TranslateNode) -> bool:
    expression = node.filter_expression
    return (
        not node.noop
        and node.message_context is None
        and not expression.filters
        and getattr(expression.var, "literal", None) is not None
        and getattr(expression.var, "lookups", None) is None
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Parser, token: Token) -> django_i18n.TranslateNode:
    node = django_i18n.do_translate(parser, token)
    return ConstantTranslateNode(node) if _constant(node) else node


def _forget() -> None:
    for node in _NODES:
        node.by_language.clear()


@receiver(file_changed, dispatch_uid="duan8_template_i18n_file_changed")
def _translation_file_changed(sender: object, file_path: Any, **kwargs: object) -> None:
    if str(file_path).endswith(".mo"):
        _forget()


@receiver(setting_changed, dispatch_uid="duan8_template_i18n_setting_changed")
def _languages_changed(setting: str, **kwargs: object) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _forget()


# The one library name this module takes over from Django, and the two modules then named by it.
REPLACED = ("i18n", {django_i18n.__name__, __name__})


class Templates(DjangoTemplates):
    """Django's template backend; its check that no two libraries share a name lets ``i18n``
    be this module (and still warns of any other such name)."""

    def _check_for_template_tags_with_the_same_name(self) -> list[CheckMessage]:
        name, modules = REPLACED
        found = super()._check_for_template_tags_with_the_same_name()  # type: ignore[misc]  # private, not in django-stubs
        return [
            warning
            for warning in found
            if warning.msg
            != f"{name!r} is used for multiple template tag modules: "
            + ", ".join(repr(m) for m in sorted(modules))
        ]
