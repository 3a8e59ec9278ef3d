"""Celery tasks of the core app."""

from __future__ import annotations

from celery import shared_task

from core.periodic import run_periodic as run_periodic_duties


@shared_task(name="core.run_periodic", ignore_result=True)
def run_periodic() -> dict[str, str]:
    """Celery beat runs this every five minutes (CELERY_BEAT_SCHEDULE in settings)."""
    return run_periodic_duties()
