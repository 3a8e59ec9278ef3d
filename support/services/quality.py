"""S16: the weekly random sample of completed jobs for quality calls."""

from __future__ import annotations

import datetime
import math
import random
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import transaction

from core import clock
from support.conf import quality_sample_share
from support.models import QualityCall


def week_start(moment: datetime.datetime) -> datetime.date:
    """The Saturday that starts the (Iranian) week of `moment`."""
    day = moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    return day - datetime.timedelta(days=(day.weekday() - 5) % 7)


def sample_quality_calls(*, now: datetime.datetime | None = None, share: float | None = None,
                         rng: random.Random | None = None) -> int:
    """Put a random share of the jobs completed in the past week on this week's call list,
    once per week (a second run in the same week adds nothing). Returns how many."""
    when = clock.now(now)
    week = week_start(when)
    share = quality_sample_share() if share is None else share
    if not apps.is_installed("services_catalog") or QualityCall.objects.filter(week=week).exists():
        return 0
    Job = apps.get_model("services_catalog", "Job")
    since = when - datetime.timedelta(days=7)
    done = list(Job.objects.filter(status="completed", completed_at__gte=since, completed_at__lte=when)
                .exclude(quality_call__isnull=False).values_list("pk", flat=True))
    if not done or share <= 0:
        return 0
    picked = (rng or random.SystemRandom()).sample(done, min(len(done), max(1, math.ceil(len(done) * share))))
    with transaction.atomic():
        QualityCall.objects.bulk_create([QualityCall(job_id=pk, week=week) for pk in picked], ignore_conflicts=True)
    return len(picked)
