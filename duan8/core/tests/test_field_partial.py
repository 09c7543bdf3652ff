"""The form field partial (``_partials/field.html``, used by most forms): what a screen reader
is pointed to from the input exists on the page."""

import lxml.html
from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    title = forms.CharField(help_text="Tên buổi sinh hoạt")
    cost = forms.IntegerField()


def missing_pointers(html: str) -> list[str]:
    """The ids an input's aria-describedby names that no element of the page has."""
    page = lxml.html.fromstring(html)
    ids = set(page.xpath("//@id"))
    return [
        name
        for control in page.xpath("//*[@aria-describedby]")
        for name in control.get("aria-describedby").split()
        if name not in ids
    ]


def _described(html: str) -> list[tuple[str, bool]]:
    """Each id an input's aria-describedby names, and whether an element on the page has it."""
    page = lxml.html.fromstring(f"<div>{html}</div>")
    return [
        (name, bool(page.xpath(f'//*[@id="{name}"]')))
        for control in page.xpath("//input[@aria-describedby]")
        for name in control.get("aria-describedby").split()
    ]


def test_the_help_and_the_errors_an_input_points_to_are_on_the_page():
    form = _Form(data={"title": "", "cost": "nhiều"})
    assert not form.is_valid()

    html = "".join(
        render_to_string("_partials/field.html", {"field": form[n]}) for n in form.fields
    )

    assert _described(html) == [
        ("id_title_helptext", True),
        ("id_title_error", True),
        ("id_cost_error", True),
    ]
    page = lxml.html.fromstring(f"<div>{html}</div>")
    assert page.xpath('//*[@id="id_cost_error"]/p[@class="field-error"]/text()')
