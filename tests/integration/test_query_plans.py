"""Query plans of the work pages' lists on SQLite (issue 16): a page's keys are read in
order from an index alone (core.paging.KeysFirst), then only that page's rows; counts come
from an index alone, whatever the number of rows.

PostgreSQL picks its plans from the table statistics, which the test data is too small
to give; the bench (`make bench`, ANALYZE after seeding) covers it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.paging import KeysFirst
from services_catalog import selectors
from services_catalog.models import Job, Provider
from services_catalog.provider_views import BUCKETS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's needs real statistics"),
]


def _page_plan(listed) -> str:
    return KeysFirst(listed)[30:60].explain()


def test_a_providers_current_jobs_page_keys_come_from_an_index_alone():
    found = _page_plan(selectors.jobs_for_provider(Provider(pk=1), statuses=BUCKETS["current"]))
    # The keys in page order, the status tested in the index: no sort of the provider's
    # jobs and no read of the ones the page does not show.
    assert "LIST SUBQUERY" in found
    assert "COVERING INDEX job_provider_agenda" in found
    assert "SEARCH services_catalog_job USING INTEGER PRIMARY KEY" in found


def test_a_customers_jobs_page_keys_come_from_an_index_alone(customer):
    found = _page_plan(selectors.jobs_for_customer(customer))
    assert "LIST SUBQUERY" in found
    assert "COVERING INDEX job_customer_newest" in found
    assert "SEARCH services_catalog_job USING INTEGER PRIMARY KEY" in found


def test_a_providers_job_count_reads_only_the_index():
    counted = Job.objects.filter(provider_id=1, status__in=BUCKETS["current"])
    with CaptureQueriesContext(connection) as context:
        counted.count()  # the paginator's count
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + context.captured_queries[-1]["sql"])
        found = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX job_provider_status" in found
