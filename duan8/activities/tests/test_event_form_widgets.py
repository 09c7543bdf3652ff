"""The widgets written directly (``core.form_renderer``, every form's renderer) give the HTML of
Django's widget templates: the same attributes, selected option, escaping and whitespace."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe

from duan8.activities.forms.events import ActivitySelect, CountInputWidget
from duan8.core.form_renderer import DirectWidgets
from duan8.orgunits.forms import DateInput

TRICKY = 'Thôn "Nước" <Đang> & Co'


class Sample(forms.Form):
    unit = forms.ChoiceField(choices=[("", "---------"), ("1", TRICKY), ("2", "Làng Hà")])
    activity = forms.ChoiceField(
        required=False,
        choices=[("", "---------"), ("5", "1.1 Truyền thông"), ("6", "1.2 <Tập huấn>")],
        widget=ActivitySelect({"6": 'training"x'}),
    )
    grouped = forms.ChoiceField(choices=[("Nhóm", [("a", "A"), ("b", "B")])], required=False)
    radio = forms.ChoiceField(choices=[("F", "Nữ"), ("M", "Nam")], widget=forms.RadioSelect)
    held_on = forms.DateField(widget=DateInput())
    title = forms.CharField(max_length=255, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    count = forms.IntegerField(required=False, min_value=0, widget=CountInputWidget())
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    safe = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": mark_safe("a &amp; b")})
    )


def rendered(form: forms.Form) -> dict[str, str]:
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "unit": "1",
            "activity": "6",
            "radio": "F",
            "held_on": "2026-02-03",
            "title": TRICKY,
            "count": "-1",
            "notes": f"dòng 1\n{TRICKY}",
            "version": "3",
            "agree": "on",
            "safe": "<x>",
        },
        {"unit": "9", "activity": "", "title": "", "count": "abc", "held_on": "x"},
    ],
)
def test_the_direct_widgets_write_what_the_templates_write(data):
    initial = {"unit": "2", "held_on": datetime.date(2026, 1, 5), "notes": "", "version": 1}
    by_templates = Sample(data, initial=initial, renderer=DjangoTemplates())
    direct = Sample(data, initial=initial)

    assert rendered(direct) == rendered(by_templates)


def test_a_select_marks_its_choice_and_escapes_labels():
    form = Sample({"activity": "6", "unit": "1"})

    html = str(form["activity"]) + str(form["unit"])

    assert (
        '<option value="6" selected data-kind="training&quot;x">1.2 &lt;Tập huấn&gt;</option>'
        in (html)
    )
    assert "Thôn &quot;Nước&quot; &lt;Đang&gt; &amp; Co" in html
    assert "<Đang>" not in html


def test_every_form_draws_its_widgets_directly():
    assert isinstance(get_default_renderer(), DirectWidgets)
    assert isinstance(Sample().renderer, DirectWidgets)
