"""Celery tasks: delivery runs in a worker in production, inline (eager) by default."""

from __future__ import annotations

from celery import shared_task

from notifications import services


@shared_task(name="notifications.deliver_message", ignore_result=True)
def deliver_message(message_id: int) -> str:
    return services.message_deliver(message_id=message_id)


@shared_task(name="notifications.deliver_queued", ignore_result=True)
def deliver_queued(older_than_seconds: int = 300) -> int:
    """For celery beat: send what stayed queued while the broker was unreachable."""
    return services.messages_deliver_queued(older_than_seconds=older_than_seconds)
