"""Review and quotes (S2, S12): staff quote a request or find it not feasible; the customer accepts."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_AMOUNT, MAX_QUANTITY, amount_fits
from core.permissions import Ability
from core.templatetags.locale_format import date as format_date
from services_catalog.errors import InvalidQuote, JobError, NotAllowed, QuoteExpired, QuoteNotCurrent
from services_catalog.models import ZERO, Job, JobCharge, Quote, QuoteLine, money
from services_catalog.services._common import (
    Action,
    Status,
    _actor,
    _can,
    _decimal,
    _fire,
    _is_customer,
    _is_job_provider,
    _locked,
    _notify_customer,
    _now,
    _purpose_label,
    _require_status,
)
from services_catalog.services.matching import _start_matching


# --------------------------------------------------------------------------- review and quotes (S2, S12)
def _clean_lines(lines: Sequence[Mapping[str, Any]]) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    cleaned = []
    for line in lines:
        description = str(line.get("description", "")).strip()
        quantity = _decimal(line.get("quantity", 1), field=_("Quantity"))
        unit_price = _decimal(line.get("unit_price"), field=_("Unit price"))
        if not description:
            raise InvalidQuote(_("Every quote line needs a description."))
        if quantity <= 0:
            raise InvalidQuote(_("Quantities must be greater than zero."))
        if unit_price < 0:
            raise InvalidQuote(_("Prices cannot be negative."))
        if quantity > MAX_QUANTITY or not amount_fits(unit_price) or not amount_fits(quantity * unit_price):
            raise InvalidQuote(
                _("A quote line cannot come to more than %(max)s.") % {"max": MAX_AMOUNT}, code="amount_too_large"
            )
        cleaned.append((description[:300], quantity, money(unit_price), money(quantity * unit_price)))
    if not cleaned:
        raise InvalidQuote(_("A quote needs at least one line."))
    if not amount_fits(sum((line[3] for line in cleaned), ZERO)):
        raise InvalidQuote(
            _("A quote cannot come to more than %(max)s.") % {"max": MAX_AMOUNT}, code="amount_too_large"
        )
    return cleaned


def _send_quote(
    job: Job, *, lines: Sequence[Mapping[str, Any]], user, valid_days: int, now: datetime.datetime
) -> Quote:
    cleaned = _clean_lines(lines)
    if valid_days < 1:
        raise InvalidQuote(_("A quote must stay valid for at least one day."))
    current = job.quotes.filter(status=Quote.Status.SENT).first()
    if current is not None:
        existing = [(line.description, line.quantity, line.unit_price, line.amount) for line in current.lines.all()]
        if existing == cleaned:
            return current  # the same quote sent twice
        current.status = Quote.Status.SUPERSEDED
        current.save(update_fields=["status"])
    version = (job.quotes.aggregate(top=Max("version"))["top"] or 0) + 1
    total = money(sum((line[3] for line in cleaned), ZERO))
    quote = Quote.objects.create(
        job=job,
        version=version,
        valid_until=now + datetime.timedelta(days=valid_days),
        total=total,
        currency=job.currency,
        status=Quote.Status.SENT,
        created_by=_actor(user),
    )
    QuoteLine.objects.bulk_create(
        QuoteLine(quote=quote, description=d, quantity=q, unit_price=u, amount=a) for d, q, u, a in cleaned
    )
    action = Action.QUOTE_REVISED if current is not None else Action.QUOTE_SENT
    _fire(job, action, actor=user, note=f"v{version}: {total} {job.currency}", allowed=_is_job_provider,
          quoted_at=now)
    _notify_customer(job, "services_quote_ready", quote=quote)
    return quote


def _require_reviewer(job: Job, user) -> None:
    """Staff who quote jobs review every request; the provider already on a job (a redo, a
    reassignment) may too."""
    if _can(user, Ability.QUOTE_JOB) or _is_job_provider(user, job):
        return
    raise NotAllowed(_("Only Chaarsoo staff can review requests."))


def quote_send(
    *,
    job: Job,
    user,
    lines: Sequence[Mapping[str, Any]],
    valid_days: int = 3,
    now: datetime.datetime | None = None,
) -> Quote:
    """S2: send (or revise) the quote. `lines`: mappings with description, quantity, unit_price.

    A revision supersedes the quote sent before; sending identical lines again returns
    the quote already sent.
    """
    with transaction.atomic():
        job = _locked(job)
        _require_reviewer(job, user)
        _require_status(job, Status.REQUESTED, Status.QUOTED)
        return _send_quote(job, lines=lines, user=user, valid_days=valid_days, now=_now(now))


def job_review_not_feasible(*, job: Job, user, reason: str) -> Job:
    """S2: the request cannot be done; the customer is told why."""
    reason = (reason or "").strip()
    if not reason:
        raise JobError(_("Tell the customer why the job is not feasible."), code="reason_required")
    with transaction.atomic():
        job = _locked(job)
        _require_reviewer(job, user)
        if job.status == Status.NOT_FEASIBLE:
            return job
        _require_status(job, Status.REQUESTED, Status.QUOTED)
        job.quotes.filter(status=Quote.Status.SENT).update(status=Quote.Status.SUPERSEDED)
        _fire(job, Action.NOT_FEASIBLE, actor=user, note=reason, allowed=_is_job_provider,
              not_feasible_reason=reason)
        _notify_customer(job, "services_job_not_feasible", reason=reason)
        return job


def _require_acceptor(job: Job, user) -> str:
    """Who may accept a quote: the customer, or (A2) an operator (file_for_caller) for a job
    an operator filed for a caller, who then accepts on the phone. Returns the note for the
    event."""
    if _is_customer(user, job):
        return ""
    if _can(user, Ability.FILE_FOR_CALLER) and job.filed_by_id is not None:
        operator = user.get_full_name() or user.get_username()
        return str(_("Accepted by phone through operator %(operator)s") % {"operator": operator})
    if _can(user, Ability.FILE_FOR_CALLER):
        raise NotAllowed(
            _("Job %(number)s was requested online: only the customer can accept its quote.")
            % {"number": job.number}
        )
    raise NotAllowed(_("Only the customer who requested job %(number)s can do this.") % {"number": job.number})


def quote_accept(*, quote: Quote, user, now: datetime.datetime | None = None) -> Job:
    """S12: the customer accepts the current quote; the price is locked. Then the payment
    rule (S5) decides: upfront or deposit waits for the payment; on completion goes
    straight to matching. Accepting again returns the job unchanged.

    Staff may accept only for a job an operator filed for a caller (A2: the caller agrees
    on the phone); the event says so. A job the customer requested online needs the
    customer's own acceptance."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(quote.job)
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        by_phone = _require_acceptor(job, user)
        if quote.status == Quote.Status.ACCEPTED:
            return job
        if quote.status != Quote.Status.SENT or job.status != Status.QUOTED:
            raise QuoteNotCurrent(_("This quote is no longer current; open the job to see the latest one."))
        if quote.is_expired(now):
            raise QuoteExpired(
                _("This quote expired on %(date)s. Ask us for a new quote.")
                % {"date": format_date(timezone.localtime(quote.valid_until).date(), "j F Y")}
            )
        quote.status = Quote.Status.ACCEPTED
        quote.accepted_at = now
        quote.save(update_fields=["status", "accepted_at"])
        JobCharge.objects.create(
            job=job, kind=JobCharge.Kind.QUOTE, amount=quote.total, description=f"v{quote.version}"
        )
        note = f"{quote.total} {job.currency}" + (f" ({by_phone})" if by_phone else "")
        _fire(job, Action.QUOTE_ACCEPTED, actor=user, note=note, allowed=_is_customer, price_total=quote.total,
              accepted_at=now)
        upfront = job.upfront_amount()
        if upfront > ZERO:
            _notify_customer(job, "services_payment_due", amount=upfront, purpose=_purpose_label(job))
        else:
            _start_matching(job, actor=user, now=now)
        return job
