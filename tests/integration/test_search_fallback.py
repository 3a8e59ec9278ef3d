"""Elasticsearch down (a closed local port, a real client): shop writes succeed and are
queued for reindexing, the search page and API answer from the database, never a 500."""

from __future__ import annotations

import logging

import pytest

from search.models import PendingIndex, SearchDocument
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _log_every_query(settings):
    settings.SEARCH_LOG_BATCH = 1  # the query log written at once, not in batches

DEAD_ENGINE = "http://127.0.0.1:9"


def test_search_falls_back_to_the_database(client, settings, caplog):
    settings.ELASTICSEARCH_URL = DEAD_ENGINE
    with caplog.at_level(logging.WARNING, logger="search.service"):
        response = client.get("/fa/search/", {"q": "سماور"})
    assert response.status_code == 200
    assert response.context["result"].backend == "database" and response.context["hits"]
    assert "answered from the database" in caplog.text
    assert client.get("/api/v1/search/", {"q": "سماور"}).json()["backend"] == "database"
    assert client.get("/fa/search/suggest/", {"q": "سما"}).json()["results"]


def test_writes_succeed_and_are_queued(settings, django_capture_on_commit_callbacks):
    settings.ELASTICSEARCH_URL = DEAD_ENGINE
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductFactory(title="سماور مسی آزمایشی", title_en="Copper samovar")
    assert SearchDocument.objects.filter(kind="product", object_id=product.pk).exists()
    assert PendingIndex.objects.filter(kind="product", object_id=product.pk).exists()


def test_search_index_rebuild_command():
    from django.core.management import call_command

    SearchDocument.objects.filter(kind="service").delete()
    call_command("search_index", "--rebuild", "--quiet", stdout=open("/dev/null", "w"))
    assert SearchDocument.objects.filter(kind="service").exists()
    assert SearchDocument.objects.filter(kind="product").count() >= 30
    assert SearchDocument.objects.filter(kind="help", language="en").exists()
