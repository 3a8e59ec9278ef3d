"""`{% cached_rows %}` (core.templatetags.row_cache): a block of rows is rendered once for
the same row values and language, and afresh when any value or the language changes."""

from __future__ import annotations

import pytest
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
