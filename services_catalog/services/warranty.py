"""Warranty (S11): the customer reports a redo; staff confirm (a free redo, the quality policy) or reject."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import minor_units
from core.permissions import Ability
from core.quality import PROVIDER, QualityOutcome, apply_quality_policy
from core.templatetags.locale_format import date as format_date
from services_catalog import conf
from services_catalog.errors import ClaimAlreadyDecided, InvalidTransition, InvalidVisitTime, JobError, WarrantyExpired
from services_catalog.models import SLOTS, ZERO, Job, Provider, WarrantyClaim
from services_catalog.services._common import (
    Action,
    Status,
    _lock_provider,
    _locked,
    _log,
    _new_number,
    _notify_customer,
    _now,
    _require,
    _require_customer,
)
from services_catalog.services.matching import _start_matching
from services_catalog.services.providers import _fine_provider, _suspend
from services_catalog.services.requests import earliest_date


def warranty_report(*, job: Job, customer, reason: str, now: datetime.datetime | None = None) -> WarrantyClaim:
    """S11: within the warranty (90 days from completion) the customer reports that the
    job must be redone (an operator may take the report on the phone: file_for_caller).
    Reporting again while a claim is open returns that claim."""
    now = _now(now)
    reason = (reason or "").strip()
    if not reason:
        raise JobError(_("Tell us what must be redone."), code="reason_required")
    with transaction.atomic():
        job = _locked(job)
        _require_customer(job, customer, staff_ability=Ability.FILE_FOR_CALLER)
        if job.status != Status.COMPLETED or job.completed_at is None:
            raise InvalidTransition(_("Only a completed job can be reported under warranty."))
        open_claim = job.warranty_claims.filter(status=WarrantyClaim.Status.REPORTED).first()
        if open_claim is not None:
            return open_claim
        if job.warranty_claims.filter(status=WarrantyClaim.Status.CONFIRMED).exists():
            raise InvalidTransition(_("This job was already redone; report a problem with the redo job instead."))
        ends = job.completed_at + datetime.timedelta(days=conf.warranty_days())
        if now > ends:
            raise WarrantyExpired(
                _("The %(days)s-day warranty of this job ended on %(date)s.")
                % {"days": conf.warranty_days(), "date": format_date(timezone.localtime(ends).date(), "j F Y")}
            )
        claim = WarrantyClaim.objects.create(job=job, reason=reason)
        _log(job, Action.WARRANTY_REPORTED, actor=customer, note=reason)
        return claim


def warranty_confirm(
    *,
    claim: WarrantyClaim,
    staff_user,
    now: datetime.datetime | None = None,
    preferred_date: datetime.date | None = None,
    slot: str | None = None,
) -> WarrantyClaim:
    """S11: staff who judge warranty claims confirm the redo. A free redo job (price 0) linked to the job that failed
    is created and sent to matching (never to a provider whose work on it failed); the
    failed job's provider is fined 7% (quality policy) of the ORIGINAL job's value on the
    ledger: for a redo of a redo (worth 0 itself) the value of the first, paid job at the
    root of the chain; enough confirmed redos within the policy's window suspend them.
    The fine and the suspension follow the one quality policy (core.quality), decided by
    the claim, so judge_warranty is enough (no fine_party). Confirming twice changes nothing.

    Who pays the redo provider: nobody. The customer pays nothing for a redo (S11), so the
    redo job is worth 0 and settles with no transfer; the fine stays with the platform
    (`platform:fines`). Extra work on a redo that the customer accepts (a change order,
    S12) is billed and shared like any job's."""
    now = _now(now)
    _require(staff_user, Ability.JUDGE_WARRANTY, _("Only staff who judge warranty claims can do this."))
    with transaction.atomic():
        job = _locked(claim.job)
        claim = WarrantyClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status == WarrantyClaim.Status.CONFIRMED:
            return claim
        if claim.status != WarrantyClaim.Status.REPORTED:
            raise ClaimAlreadyDecided(_("This warranty claim was already %(status)s.")
                                      % {"status": claim.get_status_display()})
        service = job.service
        redo_date = preferred_date or earliest_date(service, today=timezone.localtime(now).date())
        redo_slot = slot or job.slot
        if redo_slot not in SLOTS:
            raise InvalidVisitTime(_("Choose a morning, afternoon or evening slot."))
        redo = Job.objects.create(
            number=_new_number(), customer=job.customer, service=service, area=job.area, address=job.address,
            preferred_date=redo_date, slot=redo_slot, quantity=job.quantity,
            description=str(_("Warranty redo of %(number)s: %(reason)s") % {"number": job.number,
                                                                             "reason": claim.reason}),
            price_total=ZERO, currency=job.currency, payment_rule=job.payment_rule,
            deposit_percent=job.deposit_percent, redo_of=job, accepted_at=now,
        )
        _log(redo, Action.REQUESTED, from_status="", actor=staff_user,
             note=str(_("Free warranty redo of %(number)s") % {"number": job.number}))
        provider = _lock_provider(job.provider_id) if job.provider_id else None
        claim.status = WarrantyClaim.Status.CONFIRMED
        claim.redo_job = redo
        claim.decided_by = staff_user
        claim.decided_at = now
        claim.fine_amount = None
        claim.save()  # confirmed first, so the policy counts it
        if provider is not None:
            outcome = _apply_policy(claim, job=job, provider=provider, staff_user=staff_user, now=now)
            if outcome.fine > ZERO:
                claim.fine_amount = outcome.fine
                claim.save(update_fields=["fine_amount"])
        _log(job, Action.WARRANTY_CONFIRMED, actor=staff_user,
             note=str(_("Free redo: job %(number)s") % {"number": redo.number}))
        _notify_customer(job, "services_warranty_decision", claim=claim, redo=redo)
        _start_matching(redo, actor=staff_user, now=now)
        return claim


def _apply_policy(claim: WarrantyClaim, *, job: Job, provider: Provider, staff_user,
                  now: datetime.datetime) -> QualityOutcome:
    """The one quality policy (core.quality, S11 for providers, P3 for vendors) on the
    provider whose work failed: a fine on the ORIGINAL job's value, a suspension once
    enough redos are confirmed within the window. Both are keyed by the claim."""

    def fine(amount: Decimal) -> None:
        _fine_provider(provider, amount=amount, currency=job.currency, key=f"services:warranty:{claim.pk}:fine",
                       reason=f"Warranty redo of job {job.number}", staff_user=staff_user, claim=claim)

    def count_failures_since(since: datetime.datetime) -> int:
        return WarrantyClaim.objects.filter(
            job__provider=provider, status=WarrantyClaim.Status.CONFIRMED, decided_at__gte=since
        ).count()

    def suspend(failures: int, window_days: int) -> None:
        _suspend(provider, staff_user=staff_user, claim=claim,
                 reason=f"{failures} confirmed warranty redos within {window_days} days")

    return apply_quality_policy(
        kind=PROVIDER, value=_original_job(job).value, fine=fine, count_failures_since=count_failures_since,
        suspend=suspend, now=now, currency_places=minor_units(job.currency),
    )


def _original_job(job: Job) -> Job:
    """The first, paid job a chain of warranty redos started from (the job itself if it is
    not a redo)."""
    seen = {job.pk}
    while job.redo_of_id is not None and job.redo_of_id not in seen:
        seen.add(job.redo_of_id)
        job = Job.objects.get(pk=job.redo_of_id)
    return job


def warranty_reject(*, claim: WarrantyClaim, staff_user, note: str, now: datetime.datetime | None = None
                    ) -> WarrantyClaim:
    """Staff who judge warranty claims reject one, telling the customer why. Rejecting
    twice changes nothing."""
    _require(staff_user, Ability.JUDGE_WARRANTY, _("Only staff who judge warranty claims can do this."))
    note = (note or "").strip()
    if not note:
        raise JobError(_("Tell the customer why the claim is rejected."), code="reason_required")
    with transaction.atomic():
        job = _locked(claim.job)
        claim = WarrantyClaim.objects.select_for_update().get(pk=claim.pk)
        if claim.status == WarrantyClaim.Status.REJECTED:
            return claim
        if claim.status != WarrantyClaim.Status.REPORTED:
            raise ClaimAlreadyDecided(_("This warranty claim was already %(status)s.")
                                      % {"status": claim.get_status_display()})
        claim.status = WarrantyClaim.Status.REJECTED
        claim.decision_note = note
        claim.decided_by = staff_user
        claim.decided_at = _now(now)
        claim.save()
        _log(job, Action.WARRANTY_REJECTED, actor=staff_user, note=note)
        _notify_customer(job, "services_warranty_decision", claim=claim, redo=None)
        return claim
