"""Query plans of the work pages' lists on SQLite (issue 16): the page's rows are read in
order from an index, and counts from an index alone, whatever the number of rows.

PostgreSQL picks its plans from the table statistics, which the test data is too small
to give; the bench (`make bench`, ANALYZE after seeding) covers it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services_catalog import selectors
from services_catalog.models import Job, Provider
from services_catalog.provider_views import BUCKETS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL's needs real statistics"),
]


def test_a_providers_current_jobs_are_read_in_page_order_from_an_index():
    page = selectors.jobs_for_provider(Provider(pk=1), statuses=BUCKETS["current"])[:30]
    found = page.explain()
    assert "job_provider_day_slot" in found
    assert "TEMP B-TREE" not in found  # no sort of the provider's jobs to show 30


def test_a_providers_job_count_reads_only_the_index():
    counted = Job.objects.filter(provider_id=1, status__in=BUCKETS["current"])
    with CaptureQueriesContext(connection) as context:
        counted.count()  # the paginator's count
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + context.captured_queries[-1]["sql"])
        found = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "COVERING INDEX job_provider_status" in found
