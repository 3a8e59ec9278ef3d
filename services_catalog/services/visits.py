"""The visit and the work (S4, S7, S8, S12): dispatch, start, work done, change orders, completion."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_AMOUNT, amount_fits
from core.templatetags.locale_format import date as format_date
from services_catalog.errors import InvalidAmount, InvalidTransition, InvalidVisitTime, JobError, TooEarly
from services_catalog.models import ZERO, ChangeOrder, Job, JobCharge, money
from services_catalog.selectors import amount_owed
from services_catalog.services._common import (
    WORKING_STATUSES,
    Action,
    Status,
    _actor,
    _decimal,
    _fire,
    _is_job_provider,
    _locked,
    _log,
    _notify_customer,
    _notify_provider,
    _now,
    _purpose_label,
    _require_customer,
    _require_job_provider,
    _require_status,
)
from services_catalog.services.billing import _settle

# A provider may start a job this long before the visit time they set (arriving a little
# early happens); earlier than that the job has not begun, so no work can be recorded
# that would raise the S8 cancellation fee before the visit.
START_EARLY_GRACE = datetime.timedelta(minutes=30)


def job_dispatch(*, job: Job, user, visit_at: datetime.datetime, now: datetime.datetime | None = None) -> Job:
    """The provider (or staff) sets the exact visit time, within the booked slot (S4, S7).
    Setting the same time again changes nothing; a new time within the slot reschedules."""
    now = _now(now)
    if timezone.is_naive(visit_at):
        visit_at = timezone.make_aware(visit_at)
    with transaction.atomic():
        job = _locked(job)
        _require_job_provider(job, user)
        if job.status == Status.DISPATCHED and job.visit_at == visit_at:
            return job
        _require_status(job, Status.ASSIGNED, Status.DISPATCHED)
        start, end = job.slot_bounds()
        if not start <= visit_at < end:
            raise InvalidVisitTime(
                _("The visit must be on %(date)s between %(start)s and %(end)s (the booked slot).")
                % {"date": format_date(job.preferred_date, "j F Y"), "start": start.strftime("%H:%M"),
                   "end": end.strftime("%H:%M")}
            )
        action = Action.VISIT_RESCHEDULED if job.status == Status.DISPATCHED else Action.DISPATCHED
        _fire(job, action, actor=user, allowed=_is_job_provider, visit_at=visit_at, dispatched_at=now,
              note=timezone.localtime(visit_at).strftime("%Y-%m-%d %H:%M"))
        _notify_customer(job, "services_visit_scheduled")
        return job


def _require_visit_due(job: Job, now: datetime.datetime) -> None:
    """Work begins at the visit: not earlier than START_EARLY_GRACE before `visit_at`."""
    if job.visit_at is None or now >= job.visit_at - START_EARLY_GRACE:
        return
    visit = timezone.localtime(job.visit_at)
    earliest = timezone.localtime(job.visit_at - START_EARLY_GRACE)
    raise TooEarly(
        _("The visit is set for %(date)s at %(time)s: the job can be started from %(earliest)s that day.")
        % {"date": format_date(visit.date()), "time": visit.strftime("%H:%M"), "earliest": earliest.strftime("%H:%M")}
    )


def job_start(*, job: Job, user, now: datetime.datetime | None = None) -> Job:
    """The provider starts the work at the visit (at most START_EARLY_GRACE, 30 minutes,
    before the visit time they set). Starting twice changes nothing."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(job)
        _require_job_provider(job, user)
        if job.status == Status.IN_PROGRESS:
            return job
        _require_status(job, Status.DISPATCHED)
        _require_visit_due(job, now)
        _fire(job, Action.STARTED, actor=user, allowed=_is_job_provider, started_at=now)
        return job


def job_record_work_done(*, job: Job, user, amount: Decimal, note: str = "") -> Job:
    """S8: the cost of the work done so far, charged if the customer cancels after dispatch.

    Only once the work has started (in progress): before the visit nothing has been done,
    and a figure recorded then would only inflate the cancellation fee."""
    amount = money(_decimal(amount, field=_("Amount")))
    with transaction.atomic():
        job = _locked(job)
        _require_job_provider(job, user)
        _require_status(job, Status.IN_PROGRESS)
        if amount < 0 or amount > job.value:
            raise InvalidAmount(
                _("The work done must be between 0 and the job's value, %(value)s %(currency)s.")
                % {"value": job.value, "currency": job.currency}
            )
        if job.work_done_amount == amount:
            return job
        job.work_done_amount = amount
        job.save(update_fields=["work_done_amount", "updated"])
        _log(job, Action.WORK_RECORDED, actor=user,
               note=f"{amount} {job.currency} {note}".strip())
        return job


def change_order_propose(*, job: Job, provider_user, description: str, amount: Decimal) -> ChangeOrder:
    """S12: extra work the provider needs; nothing is added until the customer accepts.
    Proposing the same change again returns the pending one."""
    description = (description or "").strip()
    amount = money(_decimal(amount, field=_("Amount")))
    if not description:
        raise JobError(_("Describe the extra work."), code="description_required")
    if amount <= 0:
        raise InvalidAmount(_("The extra work must cost more than zero."))
    if not amount_fits(amount) or not amount_fits(job.value + amount):
        raise InvalidAmount(_("The job cannot come to more than %(max)s.") % {"max": MAX_AMOUNT})
    with transaction.atomic():
        job = _locked(job)
        _require_job_provider(job, provider_user)
        _require_status(job, *WORKING_STATUSES)
        pending = job.change_orders.filter(
            status=ChangeOrder.Status.PROPOSED, description=description, amount=amount
        ).first()
        if pending is not None:
            return pending
        change = ChangeOrder.objects.create(
            job=job, description=description, amount=amount, proposed_by=_actor(provider_user)
        )
        _log(job, Action.CHANGE_PROPOSED, actor=provider_user,
               note=f"{description}: {amount} {job.currency}")
        _notify_customer(job, "services_change_order_proposed", change_order=change)
        return change


def change_order_decide(*, change_order: ChangeOrder, customer, accept: bool,
                        now: datetime.datetime | None = None) -> ChangeOrder:
    """S12: only the customer, in the app, accepts or declines extra work. Deciding the
    same way twice changes nothing; changing one's mind after deciding is refused."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(change_order.job)
        change = ChangeOrder.objects.select_for_update().get(pk=change_order.pk)
        _require_customer(job, customer)
        wanted = ChangeOrder.Status.ACCEPTED if accept else ChangeOrder.Status.DECLINED
        if change.status == wanted:
            return change
        if change.status != ChangeOrder.Status.PROPOSED:
            raise InvalidTransition(_("This change was already %(status)s.") % {"status": change.get_status_display()})
        _require_status(job, *WORKING_STATUSES)
        change.status = wanted
        change.decided_at = now
        change.save(update_fields=["status", "decided_at"])
        if accept:
            JobCharge.objects.create(
                job=job, kind=JobCharge.Kind.CHANGE_ORDER, amount=change.amount,
                description=change.description[:300], change_order=change,
            )
            job.extras_total += change.amount
            job.save(update_fields=["extras_total", "updated"])
        action = Action.CHANGE_ACCEPTED if accept else Action.CHANGE_DECLINED
        _log(job, action, actor=customer, note=f"{change.description}: {change.amount}")
        _notify_provider(job, "services_provider_change_order_decided", change_order=change)
        return change


def job_complete(*, job: Job, provider_user, now: datetime.datetime | None = None) -> Job:
    """The work is done. What is still owed becomes due (on completion, or the balance
    after a deposit); once all is paid the provider is credited (S17). Extra work still
    waiting for the customer's answer lapses (S12). Completing twice changes nothing.
    A job not yet started is started by completing it, so the visit must be due, as for
    `job_start`."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(job)
        _require_job_provider(job, provider_user)
        if job.status == Status.COMPLETED:
            return job
        _require_status(job, Status.DISPATCHED, Status.IN_PROGRESS)
        if job.status == Status.DISPATCHED:
            _require_visit_due(job, now)
        job.change_orders.filter(status=ChangeOrder.Status.PROPOSED).update(
            status=ChangeOrder.Status.DECLINED, decided_at=now
        )
        _fire(job, Action.COMPLETED, actor=provider_user, allowed=_is_job_provider, completed_at=now,
              started_at=job.started_at or now)
        owed = max(amount_owed(job), ZERO)
        _notify_customer(job, "services_work_done", amount_due=owed, purpose=_purpose_label(job) if owed else "")
        _notify_customer(job, "services_rating_request")
        # A completed job owes no card refund (only a cancelled one can be overpaid), so no
        # Stripe call follows this transaction.
        _settle(job, actor=provider_user, now=now)
        return job
