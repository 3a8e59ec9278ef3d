"""core.paging.KeysFirst: the same pages as Django's Paginator, read keys first (issue 16)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count

from core.paging import KeysFirst
from services_catalog.models import Job
from tests.factories_services import make_user

pytestmark = pytest.mark.django_db

User = get_user_model()


def _users(count: int) -> list[int]:
    # Two share a last name, so the pages depend on the key's tie-break too.
    return [make_user(last_name="Sameh" if n < 2 else f"Name{n:02d}").pk for n in range(count)]


def _pages(object_list, per_page: int) -> list[list[int]]:
    paginator = Paginator(object_list, per_page)
    return [[user.pk for user in paginator.page(number).object_list] for number in paginator.page_range]


def test_every_page_holds_the_rows_the_plain_paginator_shows_in_the_same_order():
    made = _users(7)
    listed = User.objects.filter(pk__in=made).order_by("-last_name", "-pk")
    assert _pages(KeysFirst(listed), 3) == _pages(listed, 3)
    assert sum(_pages(KeysFirst(listed), 3), []) == list(listed.values_list("pk", flat=True))
    assert Paginator(KeysFirst(listed), 3).count == 7


def test_the_default_ordering_of_the_model_is_kept():
    jobs = Job.objects.all()
    if jobs.count() < 3:
        pytest.skip("the demo data holds fewer than three jobs")
    assert [job.pk for job in KeysFirst(jobs)[0:3]] == list(jobs.values_list("pk", flat=True)[:3])


def test_a_page_reads_its_rows_with_their_related_objects_in_one_query(django_assert_num_queries):
    jobs = Job.objects.select_related("service", "area").order_by("-created", "-pk")
    if not jobs.exists():
        pytest.skip("the demo data holds no job")
    page = KeysFirst(jobs)[0:5]
    with django_assert_num_queries(1):
        assert all(job.service.name and job.area.name for job in page)


def test_an_unordered_or_annotated_list_is_refused():
    with pytest.raises(ValueError, match="ordered"):
        KeysFirst(User.objects.order_by())
    with pytest.raises(ValueError, match="annotations"):
        KeysFirst(User.objects.annotate(groups_held=Count("groups")).order_by("pk"))
    with pytest.raises(TypeError):
        KeysFirst(User.objects.order_by("pk"))[0]
