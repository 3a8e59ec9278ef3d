"""Late errands (A3): a step past its time target is announced once to both offices and
logged for staff (the periodic duty `flag_late_errands`)."""

from __future__ import annotations

import datetime

from django.db import transaction

from offices.models import Errand
from offices.services._common import fire, lock, notify_errand, now_or


def flag_late_errands(*, now: datetime.datetime | None = None) -> list[Errand]:
    now = now_or(now)
    flagged = []
    candidates = Errand.objects.filter(status__in=Errand.OPEN_STATUSES, hop_due_at__lt=now).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            errand = lock(pk)
            if not errand.is_open or errand.hop_due_at is None or errand.hop_due_at >= now:
                continue
            if errand.late_flagged_due == errand.hop_due_at:
                continue  # this step's lateness was announced already
            fire(errand, "late", now=now, note=errand.get_status_display(), late_flagged_due=errand.hop_due_at)
            notify_errand(errand, "late", customer=False)
            flagged.append(errand)
    return flagged
