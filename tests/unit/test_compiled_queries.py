"""core.compiled_queries: the SQL built once runs with each key, on both databases, and the
model instances it builds are the queryset's."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from core.compiled_queries import STAND_IN_PK, CompiledModelQuery, CompiledQuery

pytestmark = pytest.mark.django_db


def test_the_stand_in_key_fits_every_integer_primary_key_column():
    # PostgreSQL's integer (AutoField) is 32-bit; out of range, Django compiles "no rows".
    assert -(2**31) <= STAND_IN_PK < 0


def test_each_key_gets_its_own_rows_from_one_compiled_query():
    User = get_user_model()
    editors = Group.objects.create(name="compiled-editors")
    editors.permissions.add(Permission.objects.get(codename="add_group"))
    first = User.objects.create_user("compiled-first", "first@example.com", "x")
    second = User.objects.create_user("compiled-second", "second@example.com", "x")
    first.groups.add(editors)
    second.user_permissions.add(Permission.objects.get(codename="change_group"))

    query = CompiledQuery(
        lambda pk: Permission.objects.filter(group__user__pk=pk).order_by().values_list("codename")
        .union(Permission.objects.filter(user__pk=pk).order_by().values_list("codename"))
    )
    assert query.rows(first.pk) == [("add_group",)]
    assert query.rows(second.pk) == [("change_group",)]
    assert query.rows(first.pk + second.pk + 1000) == []
    assert len(query._compiled) == 1


def test_a_query_that_ignores_its_key_is_refused():
    with pytest.raises(ValueError):
        CompiledQuery(lambda pk: Group.objects.values_list("name")).rows(1)


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_the_model_instances_are_the_querysets_with_their_related_objects():
    from oscar.core.loading import get_model

    from shop.basket_loading import LINES
    from tests.integration.test_basket_page_render import add_line, shopper

    Line = get_model("basket", "Line")
    _client, basket = shopper("compiled-lines")
    add_line(basket, "9.00", 2)
    add_line(basket, "1250.50", 1)
    _other_client, other = shopper("compiled-lines-other")
    add_line(other, "3.00", 1)
    queryset = Line.objects.filter(basket_id=basket.pk).select_related(
        "product__product_class", "stockrecord__partner__contract"
    ).order_by("pk")
    expected, loaded = list(queryset), LINES.objects(basket.pk)
    assert [line.pk for line in loaded] == [line.pk for line in expected] and len(loaded) == 2
    for mine, theirs in zip(loaded, expected, strict=True):
        assert _fields(mine) == _fields(theirs) and not mine._state.adding and mine._state.db == "default"
        for path in ("product", "product.product_class", "stockrecord", "stockrecord.partner"):
            a, b = mine, theirs
            for name in path.split("."):
                a, b = getattr(a, name), getattr(b, name)
            assert _fields(a) == _fields(b)
        assert type(mine.price_incl_tax) is type(theirs.price_incl_tax)  # through the same converters
    assert [line.basket_id for line in LINES.objects(other.pk)] == [other.pk]
    with pytest.raises(ValueError):
        CompiledModelQuery(lambda pk: Group.objects.all()).objects(1)
