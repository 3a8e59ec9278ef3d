"""Settings of service jobs, read when needed (tests override them with `settings`)."""

from __future__ import annotations

from django.conf import settings


def quote_valid_days() -> int:
    """Days a quote a customer has not accepted stays valid (S2)."""
    return int(getattr(settings, "CHAARSOO_JOB_QUOTE_VALID_DAYS", 3))


def match_hours() -> int:
    """Hours a paid job may wait for a provider before it is cancelled with a full refund."""
    return int(getattr(settings, "CHAARSOO_JOB_MATCH_HOURS", 48))


def payment_hours() -> int:
    """Hours an accepted job may wait for its upfront payment or deposit."""
    return int(getattr(settings, "CHAARSOO_JOB_PAYMENT_HOURS", 24))


def warranty_days() -> int:
    """Days after completion within which a customer may ask for a free redo (S11)."""
    return int(getattr(settings, "CHAARSOO_WARRANTY_DAYS", 90))
