"""Keeping the index in step with the rows.

`index_objects(kind, pks)` rebuilds those documents (and deletes the ones that must no
longer be found) in the database backend, which is also the fallback, and in
Elasticsearch when it is configured. When Elasticsearch cannot be reached the change is
kept in PendingIndex and replayed by `replay_pending()` (a periodic duty, and the end of
every rebuild), so a shop write never fails because of search.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

from search import documents
from search.backends import database_backend, external_backend
from search.models import PendingIndex
from search.query import bump_version

logger = logging.getLogger(__name__)


def _write(backend, kind: str, docs: list[dict], pks: list[int]) -> None:
    found = {doc["object_id"] for doc in docs}
    gone = [pk for pk in pks if pk not in found]
    if gone:
        backend.delete(kind, gone)
    backend.index(docs)


def index_objects(kind: str, pks: Iterable[int]) -> None:
    pks = list(pks)
    docs = [doc for batch in documents.BUILDERS[kind](pks) for doc in batch]
    with transaction.atomic():
        _write(database_backend(), kind, docs, pks)
        transaction.on_commit(bump_version)
    external = external_backend()
    if external is None:
        return
    try:
        _write(external, kind, docs, pks)
    except Exception as error:  # down, or a rebuild under way: queue it, never fail the shop write
        logger.warning("search: Elasticsearch did not take %s %s (%s); queued for reindexing", kind, pks, error)
        PendingIndex.objects.bulk_create([PendingIndex(kind=kind, object_id=pk) for pk in pks],
                                         ignore_conflicts=True)


def replay_pending(limit: int = 5000) -> int:
    """Send the queued changes to Elasticsearch again; returns how many were taken."""
    external = external_backend()
    if external is None:
        return 0
    done = 0
    for kind in documents.KINDS:
        rows = list(PendingIndex.objects.filter(kind=kind).order_by("pk")[:limit])
        if not rows:
            continue
        pks = [row.object_id for row in rows]
        docs = [doc for batch in documents.BUILDERS[kind](pks) for doc in batch]
        try:
            _write(external, kind, docs, pks)
        except Exception as error:
            logger.warning("search: Elasticsearch still unreachable (%s); %d changes stay queued", error, len(pks))
            return done
        PendingIndex.objects.filter(pk__in=[row.pk for row in rows]).delete()
        done += len(rows)
    return done


def rebuild_database(progress: Callable[[int, int], None] | None = None) -> int:
    """Every document again, in the database backend (kind by kind, batch by batch)."""
    backend = database_backend()
    total = documents.product_count()
    done = 0
    for kind in documents.KINDS:
        with transaction.atomic():
            backend.clear(kind)
        for batch in documents.BUILDERS[kind]():
            with transaction.atomic():
                backend.index(batch)
            if kind == "product":
                done += len(batch)
                if progress:
                    progress(done, total)
    bump_version()
    return done


def rebuild_external(engine=None, progress: Callable[[int, int], None] | None = None) -> str:
    """A new Elasticsearch index behind the alias, then the changes queued meanwhile."""
    engine = engine or external_backend()
    name = engine.rebuild(progress=progress)
    replay_pending()
    return name
