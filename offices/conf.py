"""Settings of partner offices, read when needed (tests override them with `settings`)."""

from __future__ import annotations

import datetime

from django.conf import settings


def hop_hours(status: str) -> int:
    """Hours each step of an errand may take before it is flagged late (A3)."""
    defaults = {"routed": 24, "accepted": 72, "in_progress": 72, "result_ready": 48}
    targets = {**defaults, **getattr(settings, "CHAARSOO_ERRAND_HOP_HOURS", {})}
    return int(targets.get(status, 0))


def hop_due(status: str, now: datetime.datetime) -> datetime.datetime | None:
    hours = hop_hours(status)
    return now + datetime.timedelta(hours=hours) if hours else None
