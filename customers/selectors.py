"""Reads the profile page and the API share."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from core import clock
from customers.models import DeviceToken


def devices_for(*, user, now: datetime | None = None) -> QuerySet[DeviceToken]:
    """The user's live device tokens (signed-in devices), newest first."""
    now = clock.now(now)
    return DeviceToken.objects.filter(user=user).filter(Q(expiry__isnull=True) | Q(expiry__gt=now)).order_by(
        "-created"
    )
