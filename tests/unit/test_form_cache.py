"""`{% cached_form %}` (core.templatetags.form_cache): an unbound form is rendered once for
the same fields and language; a changed field, a bound form, or a block holding a CSRF token
or a nonce is rendered afresh."""

from __future__ import annotations

import pytest
from django import forms
from django.core.cache import cache
from django.template import engines
from django.utils import translation


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()

FORM_TEMPLATE = "{% load form_cache %}{% cached_form form %}{{ form.as_p }}{{ marker }}{% endcached_form %}"


class PickForm(forms.Form):
    name = forms.CharField(required=False)
    kind = forms.ChoiceField(choices=[("a", "Apple"), ("b", "Banana")], required=False)


def render_form(form, marker: str = "first") -> str:
    return engines["django"].from_string(FORM_TEMPLATE).render({"form": form, "marker": marker})


def test_an_unbound_form_is_rendered_once_for_the_same_fields():
    first = render_form(PickForm())
    assert first.endswith("first")
    assert render_form(PickForm(), marker="second") == first


@pytest.mark.parametrize("change", [
    lambda form: form.fields["kind"].__setattr__("choices", [("a", "Apricot"), ("b", "Banana")]),
    lambda form: form.fields["kind"].__setattr__("choices", [("a", "Apple")]),
    lambda form: form.fields["name"].__setattr__("label", "Full name"),
    lambda form: form.fields["name"].widget.attrs.update(placeholder="Your name"),
    lambda form: form.initial.update(name="Ann"),
])
def test_a_changed_label_choice_initial_value_or_widget_renders_the_form_afresh(change):
    render_form(PickForm())
    form = PickForm()
    change(form)
    assert render_form(form, marker="second").endswith("second")


def test_each_language_has_its_own_form():
    with translation.override("fa"):
        render_form(PickForm())
    with translation.override("en"):
        assert render_form(PickForm(), marker="english").endswith("english")


def test_a_bound_form_is_never_kept_nor_served_from_what_was_kept():
    render_form(PickForm())
    bound = render_form(PickForm({"name": "<typed>", "kind": "zzz"}), marker="bound")
    assert "&lt;typed&gt;" in bound and 'class="errorlist"' in bound and bound.endswith("bound")
    assert render_form(PickForm(), marker="again").endswith("first")


@pytest.mark.parametrize("block", [
    '<input name="csrfmiddlewaretoken" value="{{ token }}">', '<script nonce="{{ token }}"></script>',
])
def test_a_block_holding_a_csrf_token_or_a_nonce_is_not_kept(block):
    template = engines["django"].from_string(
        "{% load form_cache %}{% cached_form form %}" + block + "{% endcached_form %}"
    )
    assert "one" in template.render({"form": PickForm(), "token": "one"})
    assert "two" in template.render({"form": PickForm(), "token": "two"})
