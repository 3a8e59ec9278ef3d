"""Matching (S4, S13): a waiting job goes to the best rated free provider; staff reassign; a provider declines."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability
from services_catalog import job_hooks, matching
from services_catalog.errors import NotAllowed, ProviderUnavailable
from services_catalog.models import Job, JobDecline, Provider
from services_catalog.services._common import (
    UNCHECKED,
    Action,
    Status,
    _actor,
    _fire,
    _locked,
    _notify_customer,
    _notify_provider,
    _now,
    _require,
    _require_status,
    _Unchecked,
    provider_for,
)


def _start_matching(job: Job, *, actor, now: datetime.datetime) -> Provider | None:
    # Every entry into matching starts the full waiting window (expire_unmatched_jobs).
    _fire(job, Action.MATCHING, actor=actor, matching_since=now)
    return _match(job, actor=None, now=now)


def _match(job: Job, *, actor, now: datetime.datetime, exclude_ids: Iterable[int] = ()) -> Provider | None:
    delegate = job_hooks.delegate_for(job)
    if delegate is not None:  # done by another app (a partner office): routed, not matched
        provider, why = delegate.route(job, now=now)
        if provider is not None:
            _assign(job, provider, actor=actor, now=now, note=why)
        return provider
    provider = matching.book_first_free(job, exclude_ids=exclude_ids)
    if provider is None:
        return None
    _assign(job, provider, actor=actor, now=now)
    return provider


def _assign(job: Job, provider: Provider, *, actor, now: datetime.datetime, note: str = "") -> None:
    _fire(job, Action.ASSIGNED, actor=actor, note=note or provider.display_name, provider=provider,
          assigned_at=now, visit_at=None)
    _notify_customer(job, "services_provider_assigned", provider=provider)
    _notify_provider(job, "services_provider_new_job")


def job_match(*, job: Job, now: datetime.datetime | None = None) -> Provider | None:
    """Give a job waiting for a provider to the best rated free one; None if nobody is free.

    On a job that is not waiting (already assigned, say) it changes nothing and returns
    the provider it has.
    """
    with transaction.atomic():
        job = _locked(job)
        if job.status != Status.MATCHING:
            return job.provider
        return _match(job, actor=None, now=_now(now))


def job_reassign(
    *,
    job: Job,
    staff_user,
    provider: Provider | None = None,
    now: datetime.datetime | None = None,
    expected_provider_id: int | None | _Unchecked = UNCHECKED,
) -> Job:
    """Staff move a job to `provider` (or, with None, to the next best free provider).

    The chosen provider must pass `matching.provider_can_serve` (active, area, service,
    weekly availability, not off the job, not a failed provider of a redo) and the slot
    must be free for them (the booking constraint decides). The provider taken off the job
    is recorded as removed by staff (a JobDecline with `removed_by`), so neither matching
    nor a later "next best" hands the job back to them.

    `expected_provider_id` is the provider the staff member saw on the job (None: no
    provider). If the job's provider has changed since (a double-submitted "next best", or
    a colleague was faster), nothing happens and the job is returned as it is. Reassigning
    to the provider the job already has changes nothing.
    """
    now = _now(now)
    _require(staff_user, Ability.MANAGE_JOBS, _("Only staff who manage jobs can reassign them."))
    with transaction.atomic():
        job = _locked(job)
        if expected_provider_id is not UNCHECKED and job.provider_id != expected_provider_id:
            return job
        _require_status(job, Status.MATCHING, Status.ASSIGNED, Status.DISPATCHED)
        if provider is not None and job.provider_id == provider.pk and job.status != Status.MATCHING:
            return job
        previous = job.provider
        if provider is not None:
            refused = matching.provider_unavailable_reason(provider, job)
            if refused is not None:
                raise ProviderUnavailable(refused)
            matching.release(job)
            if not matching.book(provider, job):
                raise ProviderUnavailable(
                    _("%(provider)s is already booked at that date and slot.") % {"provider": provider.display_name}
                )
            _remove_by_staff(job, previous, staff_user=staff_user)
            _assign(job, provider, actor=staff_user, now=now, note=_("Reassigned by staff"))
            return job
        matching.release(job)
        _remove_by_staff(job, previous, staff_user=staff_user)
        _fire(job, Action.REASSIGNED, actor=staff_user, provider=None, visit_at=None, matching_since=now)
        _match(job, actor=staff_user, now=now)
        return job


def _remove_by_staff(job: Job, provider: Provider | None, *, staff_user) -> None:
    """Record that staff took `job` from `provider`: an exclusion like a decline."""
    if provider is None:
        return
    JobDecline.objects.get_or_create(
        job=job, provider=provider,
        defaults={"removed_by": _actor(staff_user), "reason": str(_("Removed from the job by staff"))},
    )


def job_decline(*, job: Job, provider_user, reason: str, now: datetime.datetime | None = None) -> Job:
    """The assigned provider declines: their slot is freed and the job goes back to
    matching (never to them again). Declining twice changes nothing."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(job)
        provider = provider_for(provider_user)
        if provider is None:
            raise NotAllowed(_("Only providers can decline jobs."))
        if job.provider_id != provider.pk:
            if JobDecline.objects.filter(job=job, provider=provider).exists():
                return job
            raise NotAllowed(_("Only the provider assigned to job %(number)s can do this.") % {"number": job.number})
        _require_status(job, Status.ASSIGNED, Status.DISPATCHED)
        JobDecline.objects.create(job=job, provider=provider, reason=(reason or "").strip())
        matching.release(job)
        # Back in matching: the waiting window starts again (a job declined after 47 of 48
        # hours must not be cancelled by the next expiry run).
        _fire(job, Action.DECLINED, actor=provider_user, note=reason, visible=False,
              provider=None, visit_at=None, matching_since=now)
        _match(job, actor=None, now=now)
        return job
