"""Celery tasks of search: one document at a time, by primary key (eager by default)."""

from __future__ import annotations

from celery import shared_task

from search.indexing import index_objects, replay_pending


@shared_task(name="search.index_object", ignore_result=True)
def index_object(kind: str, pk: int) -> None:
    index_objects(kind, [pk])


@shared_task(name="search.index_objects", ignore_result=True)
def index_many(kind: str, pks: list[int]) -> None:
    index_objects(kind, pks)


@shared_task(name="search.replay_pending", ignore_result=True)
def replay() -> int:
    return replay_pending()
