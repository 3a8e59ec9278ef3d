"""Celery app. With no REDIS_URL the settings make every task run inline (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("chaarsoo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
