"""core.form_renderer prints the same bytes as Django's widget templates (issue 16): every
input type, attributes that are True, False, numbers, safe and unsafe text, no value, a
checked box, a management form; and Django's templates still are what the shortcut copies."""

from __future__ import annotations

from pathlib import Path

import django.forms
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.form_renderer import FORM_TEMPLATE, INPUT_TEMPLATES, FastInputRenderer

TEMPLATES = Path(django.forms.__file__).parent / "templates"


def test_the_shortcut_templates_are_still_django_s_plain_input():
    for name in INPUT_TEMPLATES - {"django/forms/widgets/input.html"}:
        assert (TEMPLATES / name).read_text().strip() == '{% include "django/forms/widgets/input.html" %}', name
    assert (TEMPLATES / "django/forms/widgets/input.html").read_text().strip() == (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}{% include \"django/forms/widgets/attrs.html\" %}>"
    )
    assert (TEMPLATES / "django/forms/widgets/attrs.html").read_text().strip() == (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
    )
    assert FORM_TEMPLATE == "django/forms/div.html"


class Everything(forms.Form):
    text = forms.CharField(max_length=10, widget=forms.TextInput(attrs={"class": "a<b", "data-x": mark_safe("&amp;")}))
    number = forms.IntegerField(
        min_value=0, max_value=33, widget=forms.NumberInput(attrs={"readonly": True, "x": False})
    )
    hidden = forms.CharField(widget=forms.HiddenInput)
    box = forms.BooleanField(required=False)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    when = forms.DateField(required=False)
    url = forms.URLField(required=False)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])  # not a shortcut: Django renders it


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": '"quoted" & <b>', "number": "7", "hidden": "x'y", "box": "on", "email": "a@b.c",
         "password": "p<", "when": "2024-01-02", "url": "http://a?b=c&d", "choice": "b"},
        {"number": "99", "box": ""},
    ],
)
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_every_field_renders_as_django_renders_it(data, lang):
    from django.utils import translation

    with translation.override(lang):
        initial = {"text": "<i>", "number": 5, "hidden": 3, "box": True}
        fast = Everything(data, initial=initial, renderer=FastInputRenderer())
        plain = Everything(data, initial=initial, renderer=DjangoTemplates())
        for name in plain.fields:
            assert str(fast[name]) == str(plain[name]), name
            assert fast[name].as_hidden() == plain[name].as_hidden(), name
        assert str(fast) == str(plain)  # a form with visible fields (and errors) goes to Django


@pytest.mark.parametrize("data", [None, {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "x"}])
def test_a_management_form_renders_as_django_renders_it(data):
    fast = forms.formset_factory(Everything, extra=2, renderer=FastInputRenderer())(data)
    plain = forms.formset_factory(Everything, extra=2, renderer=DjangoTemplates())(data)
    assert str(fast.management_form) == str(plain.management_form)
