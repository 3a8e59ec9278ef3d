"""core.round_trips: several counts in one query, a fixed query's rows, read fresh on
every call from SQL built once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.round_trips import KeptCounts, KeptRows

pytestmark = pytest.mark.django_db


def test_the_counts_are_each_querysets_count_in_one_query_and_fresh():
    kept = KeptCounts(
        groups=lambda: Group.objects.filter(name__startswith="round-trip"),
        permissions=lambda: Permission.objects.filter(codename__startswith="add_"),
        none=lambda: Group.objects.filter(pk=-1),
    )
    with CaptureQueriesContext(connection) as captured:
        first = kept.counts()
    assert len(captured.captured_queries) == 1
    expected = Permission.objects.filter(codename__startswith="add_").count()
    assert first == {"groups": 0, "permissions": expected, "none": 0}
    Group.objects.create(name="round-trip one")
    Group.objects.create(name="round-trip two")
    assert kept.counts()["groups"] == 2


def test_kept_rows_are_read_fresh():
    kept = KeptRows(lambda: Group.objects.filter(name__startswith="kept-rows").order_by("name").values_list("name"))
    assert kept.rows() == []
    Group.objects.create(name="kept-rows b")
    Group.objects.create(name="kept-rows a")
    assert kept.rows() == [("kept-rows a",), ("kept-rows b",)]


def test_nothing_to_count_is_refused():
    with pytest.raises(ValueError):
        KeptCounts()
