"""The errand as a job done by partner offices (services_catalog.job_hooks).

Registered from AppConfig.ready(): a job that has an errand is routed to an office
instead of matched to a provider, the performing office's clerks act where a provider
would (start, complete, originals), the originating office's clerks take its cash at the
counter, and its fee is split between the platform and the two offices."""

from __future__ import annotations

import datetime

from offices.models import Errand
from offices.services import money, routes
from offices.services._common import fire, is_origin_clerk, is_performer_clerk, lock, notify_errand
from services_catalog.models import Job


def _errand(job: Job) -> Errand | None:
    cached = getattr(job, "_office_errand", False)
    if cached is not False:
        return cached
    errand = Errand.objects.filter(job_id=job.pk).select_related("origin", "performer").first()
    job._office_errand = errand
    return errand


class ErrandDelegate:
    def claims(self, job: Job) -> bool:
        return job.pk is not None and _errand(job) is not None

    def route(self, job: Job, *, now: datetime.datetime):
        return routes.errand_route(job=job, now=now)

    def acts_for_provider(self, user, job: Job) -> bool:
        errand = Errand.objects.filter(job_id=job.pk).first()
        return errand is not None and is_performer_clerk(user, errand)

    def takes_cash(self, user, job: Job) -> bool:
        errand = _errand(job)
        return errand is not None and is_origin_clerk(user, errand)

    def settle(self, job: Job, *, now: datetime.datetime) -> None:
        money.errand_split_post(job=job, now=now)


def on_job_fired(job: Job, event, spec) -> None:
    """The job's machine hook (services_catalog.machine.JOB.on_fired): a cancelled job
    (by the customer, staff, or the expiry of an errand no office took) cancels its errand."""
    if spec.name != "cancelled":
        return
    errand = Errand.objects.filter(job_id=job.pk).first()
    if errand is None or not errand.is_open:
        return
    errand = lock(errand)
    # The job's own event names who cancelled; the errand follows the job (the system's step).
    fire(errand, "cancelled", note=event.note, hop_due_at=None)
    notify_errand(errand, "cancelled", customer=False)
