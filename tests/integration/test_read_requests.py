"""GET and HEAD views run without the request transaction; other methods keep it (issue 16,
core/read_requests.py): on SQLite the request transaction takes the write lock, and pages
that only read must not queue behind each other for it."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tests.helpers.transactions import in_atomic_block_of_this_thread, track_atomic_blocks

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo, pytest.mark.urls(__name__)]

SEEN: list[tuple[str, bool]] = []


@csrf_exempt
def probe(request):
    SEEN.append((request.method, in_atomic_block_of_this_thread()))
    return HttpResponse("ok")


@csrf_exempt
@transaction.non_atomic_requests
def probe_non_atomic(request):
    SEEN.append((request.method, in_atomic_block_of_this_thread()))
    return HttpResponse("ok")


urlpatterns = [path("probe/", probe), path("probe-non-atomic/", probe_non_atomic)]


@pytest.fixture(autouse=True)
def seen(monkeypatch):
    track_atomic_blocks(monkeypatch)
    SEEN.clear()
    return SEEN


def test_reads_run_outside_the_request_transaction_and_writes_inside_it(client, seen):
    for method in ("get", "head", "post", "put", "delete"):
        assert getattr(client, method)("/probe/").status_code == 200
    assert seen == [("GET", False), ("HEAD", False), ("POST", True), ("PUT", True), ("DELETE", True)]


def test_a_non_atomic_view_stays_outside_for_every_method(client, seen):
    client.get("/probe-non-atomic/")
    client.post("/probe-non-atomic/")
    assert seen == [("GET", False), ("POST", False)]
