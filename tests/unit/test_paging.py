"""core.paging.KeysFirst: the same pages as Django's Paginator, read keys first (issue 16)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count

from core.paging import KeysFirst
from services_catalog.models import Job
from tests.factories_services import make_customer, make_job, make_service, make_user

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


@pytest.fixture
def jobs() -> list[int]:
    service, customer = make_service(), make_customer()
    return [make_job(customer, service, status=Job.Status.QUOTED).pk for _ in range(4)]


def test_the_default_ordering_of_the_model_is_kept(jobs):
    listed = Job.objects.filter(pk__in=jobs)  # Meta.ordering: newest first
    assert [job.pk for job in KeysFirst(listed)[1:3]] == list(listed.values_list("pk", flat=True)[1:3])


def test_a_page_reads_its_rows_with_their_related_objects_in_one_query(jobs, django_assert_num_queries):
    listed = Job.objects.filter(pk__in=jobs).select_related("service", "area").order_by("-created", "-pk")
    page = KeysFirst(listed)[0:3]
    with django_assert_num_queries(1):
        rows = [(job.pk, job.service.name, job.area.name) for job in page]
    assert [pk for pk, _service, _area in rows] == list(listed.values_list("pk", flat=True)[:3])
    assert all(service and area for _pk, service, area in rows)


def test_an_unordered_or_annotated_list_is_refused():
    with pytest.raises(ValueError, match="ordered"):
        KeysFirst(User.objects.order_by())
    with pytest.raises(ValueError, match="annotations"):
        KeysFirst(User.objects.annotate(groups_held=Count("groups")).order_by("pk"))
    with pytest.raises(TypeError):
        KeysFirst(User.objects.order_by("pk"))[0]
