"""`{% cached_rows %}` (core.templatetags.row_cache): a block of rows is rendered once for
the same row values and language, and afresh when any value or the language changes."""

from __future__ import annotations

import pytest
from django import forms
from django.core.cache import cache
from django.template import engines
from django.utils import translation

TEMPLATE = (
    "{% load row_cache %}{% cached_rows rows %}{% for row in rows %}"
    "<i>{{ row.name }}:{{ row.count }}:{{ marker }}</i>{% empty %}none{% endfor %}{% endcached_rows %}"
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def render(rows, marker: str = "first") -> str:
    return engines["django"].from_string(TEMPLATE).render({"rows": rows, "marker": marker})


def test_the_same_rows_are_rendered_once():
    rows = [{"name": "a", "count": 1}, {"name": "b", "count": 2}]
    assert render(rows) == "<i>a:1:first</i><i>b:2:first</i>"
    # `marker` is not a row value: the kept block shows it was not rendered again.
    assert render([dict(row) for row in rows], marker="second") == "<i>a:1:first</i><i>b:2:first</i>"


@pytest.mark.parametrize("changed", [
    [{"name": "a", "count": 1}, {"name": "b", "count": 3}],
    [{"name": "a", "count": 1}],
    [{"name": "b", "count": 2}, {"name": "a", "count": 1}],
    [{"name": "a", "count": 1}, {"name": "b", "count": 2, "extra": None}],
])
def test_any_change_in_the_rows_renders_them_afresh(changed):
    render([{"name": "a", "count": 1}, {"name": "b", "count": 2}])
    assert "second" in render(changed, marker="second")


def test_each_language_has_its_own_rendering():
    rows = [{"name": "a", "count": 1}]
    with translation.override("fa"):
        render(rows)
    with translation.override("en"):
        assert render(rows, marker="english") == "<i>a:1:english</i>"


def test_no_rows_render_the_empty_branch_every_time():
    assert render([]) == "none"
    assert render([], marker="second") == "none"


# ------------------------------------------------------------------ {% cached_form %}
FORM_TEMPLATE = "{% load row_cache %}{% cached_form form %}{{ form.as_p }}{{ marker }}{% endcached_form %}"


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
        "{% load row_cache %}{% cached_form form %}" + block + "{% endcached_form %}"
    )
    assert "one" in template.render({"form": PickForm(), "token": "one"})
    assert "two" in template.render({"form": PickForm(), "token": "two"})
