"""Constant ``{% translate %}`` tags are kept per language (duan8/core/template_i18n.py): a page
in Vietnamese, then the same template in English, each shows its own language's text; the other
forms of the tag still read their values on every render."""

from django.template import engines
from django.utils import translation

from duan8.core import template_i18n


def _render(source: str, language: str, **context: object) -> str:
    template = engines["django"].from_string(source)
    with translation.override(language):
        return template.render(context)


def test_i18n_library_is_ours_in_every_template() -> None:
    engine = engines["django"].engine
    assert engine.template_libraries["i18n"].tags["translate"] is template_i18n.do_translate


def test_a_constant_shows_each_language_in_turn_from_one_template() -> None:
    template = engines["django"].from_string('{% load i18n %}<b>{% translate "Plans" %}</b>')
    with translation.override("vi"):
        assert template.render({}) == "<b>Kế hoạch</b>"
    with translation.override("en"):
        assert template.render({}) == "<b>Plans</b>"
    with translation.override("vi"):
        assert template.render({}) == "<b>Kế hoạch</b>"


def test_percent_signs_and_as_variable_render_as_django_renders_them() -> None:
    source = '{% load i18n %}{% translate "Disbursed (%)" as label %}[{{ label }}]'
    assert _render(source, "vi") == "[Tỷ lệ giải ngân (%)]"
    assert _render(source, "en") == "[Disbursed (%)]"


def test_variables_filters_and_contexts_are_read_on_every_render() -> None:
    source = '{% load i18n %}{% translate word %}|{% translate "Plans"|upper %}'
    assert _render(source, "vi", word="Save") == "Lưu|KẾ HOẠCH"
    assert _render(source, "vi", word="Plans") == "Kế hoạch|KẾ HOẠCH"
    assert _render(source, "en", word="Save") == "Save|PLANS"


def test_a_variable_holding_markup_is_still_escaped() -> None:
    assert _render("{% load i18n %}{% translate word %}", "vi", word="<i>x</i>") == (
        "&lt;i&gt;x&lt;/i&gt;"
    )


def test_kept_texts_are_forgotten_when_a_translation_file_changes(tmp_path) -> None:
    template = engines["django"].from_string('{% load i18n %}{% translate "Plans" %}')
    with translation.override("vi"):
        assert template.render({}) == "Kế hoạch"
    node = next(n for n in template.template.nodelist if hasattr(n, "by_language"))
    assert node.by_language
    template_i18n._translation_file_changed(None, file_path=tmp_path / "django.mo")
    assert not node.by_language


def test_the_check_accepts_this_replacement_and_still_warns_of_another(settings) -> None:
    backend = engines["django"]
    assert backend._check_for_template_tags_with_the_same_name() == []
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "libraries": {
                    "i18n": "duan8.core.template_i18n",
                    "static": "duan8.core.template_i18n",
                },
            },
        }
    ]
    warnings = engines["django"]._check_for_template_tags_with_the_same_name()
    assert [w.id for w in warnings] == ["templates.W003"]
    assert "'static'" in warnings[0].msg
