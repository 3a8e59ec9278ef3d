"""core.compiled_queries: the SQL built once runs with each key, on both databases."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from core.compiled_queries import STAND_IN_PK, CompiledQuery

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
