"""Reads of the message log, for tests, dashboards and the admin."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Message


def messages_for(
    *, event: str | None = None, to: str | None = None, channel: str | None = None, recipient=None
) -> QuerySet[Message]:
    """Stored messages, oldest first, narrowed by any of the given fields."""
    messages = Message.objects.all()
    if event is not None:
        messages = messages.filter(event=event)
    if to is not None:
        messages = messages.filter(to=to)
    if channel is not None:
        messages = messages.filter(channel=channel)
    if recipient is not None:
        messages = messages.filter(recipient=recipient)
    return messages.order_by("created", "pk")
