"""Every write a service job knows, from request to rating (S1–S8, S10–S13, S15, S17).

Conventions (the same as payments/ and ledger/):
- keyword-only arguments, each function one `transaction.atomic` block;
- locks are taken in one global order, so no two transitions can wait on each other in a
  cycle: the job row first (`select_for_update`; payments/ locks a payable before its
  payment rows, the same order), then its quote / change order / claim / complaint, then
  the provider, then ledger accounts (ledger.services locks those in pk order), and last
  the payment rows a card refund touches. Provider rows are locked FOR NO KEY UPDATE
  (`_lock_provider`): that lock does not conflict with the key-share lock PostgreSQL takes
  on a provider when another transaction books them (a SlotBooking or a job pointing at
  them), so fining provider Q while a warranty redo is booked to Q cannot deadlock;
- a card refund is sent to Stripe as the LAST step of its transaction
  (`_send_card_refunds`), after every other write, so nothing later can roll the job back
  once the card is refunded; its idempotency key names the business event (the job's
  cancellation, a duplicate payment...), so a retried transition reuses Stripe's refund;
- permission checks happen here, with typed errors (`services_catalog.errors`);
- every status change writes a JobEvent (who, when, from, to, why) and notifies the
  customer by SMS and email through `notifications.services.notify`, whose messages are
  sent only once the transaction commits;
- a transition fired twice (double click, replayed webhook) is a no-op that returns the
  same result, never a second charge, refund or credit.

Money: the customer's statement for a job is its JobCharge lines (billed = every line
except refunds); JobReceipt rows record what was paid, one per purpose (full, deposit,
balance). The provider is credited on the ledger (S17) once the job is completed and fully
paid, whatever the method: a card payment (payments/, through the payable adapter in
`services_catalog.payables`) or cash recorded by staff (`job_record_cash_payment`).
Cash handed to a provider in person is not money the platform holds, so it is only
recorded when staff have received it. Likewise a refund of money paid in cash is owed
(`Job.cash_refund_due`) until staff confirm they handed it back (`job_record_cash_refund`);
only then does it count in `amount_refunded`.
"""

from __future__ import annotations

import datetime
import enum
import logging
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.quality import quality_policy
from services_catalog import matching
from services_catalog.errors import (
    AreaNotServed,
    ClaimAlreadyDecided,
    InvalidAmount,
    InvalidQuote,
    InvalidTransition,
    InvalidVisitTime,
    JobError,
    LeadTimeTooShort,
    MissingDocuments,
    NotAllowed,
    ProviderUnavailable,
    QuoteExpired,
    QuoteNotCurrent,
    RatingNotAllowed,
    ServiceUnavailable,
    TierNotAllowed,
    TooEarly,
    WarrantyExpired,
)
from services_catalog.fees import SYSTEM, CancellationQuote, cancellation_quote
from services_catalog.models import (
    SLOTS,
    ZERO,
    ChangeOrder,
    Complaint,
    Job,
    JobCharge,
    JobDecline,
    JobDocument,
    JobEvent,
    JobPhoto,
    JobReceipt,
    Provider,
    ProviderAvailability,
    ProviderSanction,
    Quote,
    QuoteLine,
    Rating,
    RequiredDocument,
    Service,
    WarrantyClaim,
    money,
)

logger = logging.getLogger(__name__)

Status = Job.Status
Action = JobEvent.Action
WORKING_STATUSES = (Status.ASSIGNED, Status.DISPATCHED, Status.IN_PROGRESS)
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# A form submitted twice within this window with the same content is one request.
DUPLICATE_REQUEST_WINDOW = datetime.timedelta(minutes=2)
# A provider may start a job this long before the visit time they set (arriving a little
# early happens); earlier than that the job has not begun, so no work can be recorded
# that would raise the S8 cancellation fee before the visit.
START_EARLY_GRACE = datetime.timedelta(minutes=30)


class _Unchecked(enum.Enum):
    UNCHECKED = "unchecked"


# `job_reassign(expected_provider_id=...)` default: no check. None is a real value there
# ("the staff member saw the job without a provider").
UNCHECKED = _Unchecked.UNCHECKED

# Ledger accounts (see ledger/): platform-side accounts are clearing/income accounts
# without a floor; a provider's payable account has no floor either, since a fine can
# leave a provider owing the platform (S11).
PLATFORM_SERVICES_ACCOUNT = "platform:services"
PLATFORM_COMMISSION_ACCOUNT = "platform:commission"
PLATFORM_FINES_ACCOUNT = "platform:fines"


# --------------------------------------------------------------------------- settings
def quote_valid_days() -> int:
    return int(getattr(settings, "CHAARSOO_JOB_QUOTE_VALID_DAYS", 3))


def match_hours() -> int:
    """Hours a paid job may wait for a provider before it is cancelled with a full refund."""
    return int(getattr(settings, "CHAARSOO_JOB_MATCH_HOURS", 48))


def payment_hours() -> int:
    """Hours an accepted job may wait for its upfront payment or deposit."""
    return int(getattr(settings, "CHAARSOO_JOB_PAYMENT_HOURS", 24))


def warranty_days() -> int:
    return int(getattr(settings, "CHAARSOO_WARRANTY_DAYS", 90))


# --------------------------------------------------------------------------- helpers
def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now if now is not None else timezone.now()


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _actor(user):
    return user if _authenticated(user) else None


def _is_staff(user) -> bool:
    return _authenticated(user) and bool(user.is_staff)


def provider_for(user) -> Provider | None:
    """The provider profile of `user`, if they are one."""
    if not _authenticated(user):
        return None
    return Provider.objects.filter(user=user).first()


def _locked(job: Job) -> Job:
    return (
        Job.objects.select_for_update(of=("self",))
        .select_related("service", "area", "provider", "customer")
        .get(pk=job.pk)
    )


def _lock_provider(pk: int) -> Provider:
    """Lock a provider row FOR NO KEY UPDATE (see the module docstring: it must not block
    other transactions from booking this provider, which take a key-share lock)."""
    return Provider.objects.select_for_update(no_key=True).get(pk=pk)


def _require_staff(user) -> None:
    if not _is_staff(user):
        raise NotAllowed(_("Only Chaarsoo staff can do this."))


def _require_customer(job: Job, user, *, staff_may: bool = True) -> None:
    if _authenticated(user) and user.pk == job.customer_id:
        return
    if staff_may and _is_staff(user):
        return
    raise NotAllowed(_("Only the customer who requested job %(number)s can do this.") % {"number": job.number})


def _require_job_provider(job: Job, user) -> None:
    if _is_staff(user):
        return
    if _authenticated(user) and job.provider_id and job.provider.user_id == user.pk:
        return
    raise NotAllowed(_("Only the provider assigned to job %(number)s can do this.") % {"number": job.number})


def _require_status(job: Job, *allowed: str) -> None:
    if job.status not in allowed:
        raise InvalidTransition(
            _("Job %(number)s is %(status)s, so this step is not possible now.")
            % {"number": job.number, "status": job.get_status_display()}
        )


def _event(
    job: Job, action: str, *, old: str, actor=None, note: str = "", visible: bool = True
) -> JobEvent:
    return JobEvent.objects.create(
        job=job,
        action=action,
        from_status=old,
        to_status=job.status,
        actor=_actor(actor),
        note=str(note)[:2000],
        visible_to_customer=visible,
    )


def _move(job: Job, to_status: str, action: str, *, actor=None, note: str = "", visible: bool = True,
          **fields: Any) -> JobEvent:
    """Change the job's status (and the given fields), save, and log the step."""
    old = job.status
    job.status = to_status
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    return _event(job, action, old=old, actor=actor, note=note, visible=visible)


def _notify(event: str, *, recipient, phone: str | None = None, **context: Any) -> None:
    # notifications stores the messages now and sends them when the transaction commits.
    from notifications.services import notify

    notify(event=event, recipient=recipient, phone=phone or None, context=context)


def _notify_customer(job: Job, event: str, **context: Any) -> None:
    _notify(event, recipient=job.customer, job=job, **context)


def _notify_provider(job: Job, event: str, **context: Any) -> None:
    provider = job.provider
    if provider is None:
        return
    _notify(event, recipient=provider.user, phone=provider.phone, job=job, provider=provider, **context)


def _new_number() -> str:
    while True:
        number = "J-" + "".join(secrets.choice(NUMBER_ALPHABET) for _position in range(7))
        if not Job.objects.filter(number=number).exists():
            return number


def _decimal(value: Any, *, field: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidAmount(_("%(field)s must be a number.") % {"field": field}) from None
    if not result.is_finite():
        raise InvalidAmount(_("%(field)s must be a number.") % {"field": field})
    return result


def billed_total(job: Job) -> Decimal:
    """What the customer has been billed for `job` (every statement line except refunds)."""
    total = job.charges.exclude(kind=JobCharge.Kind.REFUND).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def amount_owed(job: Job) -> Decimal:
    """Billed minus paid (net of refunds); negative when the customer has paid too much,
    including while a cash refund is owed to them and not yet handed back
    (`Job.cash_refund_due`)."""
    return billed_total(job) - job.net_paid


def _ledger_account(code: str, *, currency: str, name: str, owner=None):
    from ledger.services import account_get_or_create

    return account_get_or_create(code=code, currency=currency, name=name, floor=None, owner=owner)


def provider_account(provider: Provider, *, currency: str | None = None):
    """The provider's payable account on the ledger (S17): positive = the platform owes them."""
    return _ledger_account(
        provider.payable_account_code,
        currency=currency or settings.OSCAR_DEFAULT_CURRENCY,
        name=f"Provider {provider.display_name}: payable",
        owner=provider,
    )


# --------------------------------------------------------------------------- request (S1, S3, S6, A2, A5)
def _check_documents(service: Service, documents: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """S6: every required document provided; an original must travel by post or courier
    or be collected; an upload needs a file."""
    requirements = {doc.pk: doc for doc in service.required_documents.all()}
    cleaned: list[dict[str, Any]] = []
    for raw in documents:
        requirement = raw.get("requirement")
        delivery = raw.get("delivery") or JobDocument.Delivery.UPLOAD
        upload = raw.get("file")
        if delivery not in JobDocument.Delivery.values:
            raise MissingDocuments(_("Choose how the document reaches us: upload, post, courier or collection."))
        if requirement is not None and requirement.pk not in requirements:
            raise MissingDocuments(_("That document does not belong to this service."))
        if delivery == JobDocument.Delivery.UPLOAD and not upload:
            raise MissingDocuments(_("Attach the file to upload."))
        cleaned.append({"requirement": requirement, "delivery": delivery, "file": upload})
    missing: list[RequiredDocument] = []
    for requirement in requirements.values():
        given = [doc for doc in cleaned if doc["requirement"] is not None and doc["requirement"].pk == requirement.pk]
        if not given:
            missing.append(requirement)
        elif requirement.original_needed and all(doc["delivery"] == JobDocument.Delivery.UPLOAD for doc in given):
            missing.append(requirement)
    if missing:
        names = "، ".join(doc.get_name() for doc in missing)
        raise MissingDocuments(
            _("These documents are needed (originals by post, courier or collection): %(names)s")
            % {"names": names}
        )
    return cleaned


def earliest_date(service: Service, *, today: datetime.date | None = None) -> datetime.date:
    """S1: the first date a request for `service` may ask for."""
    return (today or timezone.localdate()) + datetime.timedelta(days=service.min_lead_days)


def job_request(
    *,
    customer,
    service: Service,
    area,
    address: str,
    preferred_date: datetime.date,
    slot: str,
    quantity: int = 1,
    description: str = "",
    photos: Iterable = (),
    documents: Sequence[Mapping[str, Any]] = (),
    filed_by=None,
    today: datetime.date | None = None,
) -> Job:
    """A customer (or an operator for a caller, A2) requests a service.

    `documents` items are mappings with `requirement` (a RequiredDocument or None),
    `delivery` (upload|post|courier|collected) and `file` (needed for upload).
    Fixed-price and per-unit services get their quote at once (S3); quote-required
    services wait for review (S2). The same request submitted again within two minutes
    returns the first job.
    """
    from core.templatetags.locale_format import date as format_date
    from customers.services import profile_for

    if filed_by is not None:
        _require_staff(filed_by)
    if not _authenticated(customer) or not customer.is_active:
        raise NotAllowed(_("Sign in to request a service."))
    if not service.is_active:
        raise ServiceUnavailable(_("This service is not offered at the moment."))
    if slot not in SLOTS:
        raise InvalidVisitTime(_("Choose a morning, afternoon or evening slot."))
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if quantity < 1:
        raise InvalidAmount(_("The quantity must be at least 1."))
    address = (address or "").strip()
    if not address:
        raise JobError(_("Enter the address where the work is done."), code="address_required")
    if not service.areas.filter(pk=area.pk).exists():
        raise AreaNotServed(
            _("%(service)s is not offered in %(area)s yet.") % {"service": service.get_name(), "area": area.get_name()}
        )
    tier = profile_for(customer).tier
    if not service.allows_tier(tier):
        raise TierNotAllowed(
            _("%(service)s is offered to loyal customers only. Call us to learn how to become one.")
            % {"service": service.get_name()}
            if service.for_loyal and not (service.for_registered or service.for_one_off)
            else _("%(service)s is not offered to your customer tier.") % {"service": service.get_name()}
        )
    earliest = earliest_date(service, today=today)
    if preferred_date < earliest:
        error = LeadTimeTooShort(
            _("%(service)s needs %(days)s day(s) notice: the earliest date you can choose is %(date)s.")
            % {"service": service.get_name(), "days": service.min_lead_days, "date": format_date(earliest)}
        )
        error.earliest = earliest
        raise error
    cleaned_documents = _check_documents(service, documents)
    description = (description or "").strip()
    now = timezone.now()
    with transaction.atomic():
        # Serialise one customer's requests, so a double-submitted form is found below
        # (NO KEY: rows pointing at the customer, like a warranty redo, are not blocked).
        get_user_model().objects.select_for_update(no_key=True).filter(pk=customer.pk).first()
        duplicate = Job.objects.filter(
            customer=customer, service=service, area=area, address=address, preferred_date=preferred_date,
            slot=slot, quantity=quantity, description=description, status__in=Job.OPEN_STATUSES,
            created__gte=now - DUPLICATE_REQUEST_WINDOW,
        ).first()
        if duplicate is not None:
            return duplicate
        job = Job.objects.create(
            number=_new_number(),
            customer=customer,
            service=service,
            area=area,
            address=address,
            preferred_date=preferred_date,
            slot=slot,
            quantity=quantity,
            description=description,
            currency=service.currency,
            payment_rule=service.payment_rule,
            deposit_percent=service.deposit_percent,
            handling_fee=service.handling_fee,
            callout_fee=service.callout_fee,
            filed_by=filed_by,
        )
        for photo in photos:
            JobPhoto.objects.create(job=job, image=photo)
        for doc in cleaned_documents:
            JobDocument.objects.create(
                job=job, requirement=doc["requirement"], delivery=doc["delivery"], file=doc["file"] or ""
            )
        note = _("Filed by phone through an operator") if filed_by is not None else ""
        _event(job, Action.REQUESTED, old="", actor=filed_by or customer, note=note)
        _notify_customer(job, "services_job_requested")
        if service.is_quoted_automatically:
            _send_quote(job, lines=_automatic_lines(job), user=None, valid_days=quote_valid_days(), now=now)
    return job


def _automatic_lines(job: Job) -> list[dict[str, Any]]:
    service = job.service
    if service.pricing_model == Service.PricingModel.FIXED:
        return [{"description": service.name, "quantity": 1, "unit_price": service.base_price}]
    unit = service.unit_name or "واحد"
    return [
        {
            "description": f"{service.name} ({job.quantity} {unit})",
            "quantity": job.quantity,
            "unit_price": service.unit_price_for(job.quantity),
        }
    ]


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
        cleaned.append((description[:300], quantity, money(unit_price), money(quantity * unit_price)))
    if not cleaned:
        raise InvalidQuote(_("A quote needs at least one line."))
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
    _move(job, Status.QUOTED, action, actor=user, note=f"v{version}: {total} {job.currency}", quoted_at=now)
    _notify_customer(job, "services_quote_ready", quote=quote)
    return quote


def _require_reviewer(job: Job, user) -> None:
    """Staff review every request; the provider already on a job (a redo, a reassignment) may too."""
    if _is_staff(user):
        return
    if _authenticated(user) and job.provider_id and job.provider.user_id == user.pk:
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
        _move(job, Status.NOT_FEASIBLE, Action.NOT_FEASIBLE, actor=user, note=reason, not_feasible_reason=reason)
        _notify_customer(job, "services_job_not_feasible", reason=reason)
        return job


def _require_acceptor(job: Job, user) -> str:
    """Who may accept a quote: the customer, or (A2) staff for a job an operator filed for
    a caller, who then accepts on the phone. Returns the note for the event."""
    if _authenticated(user) and user.pk == job.customer_id:
        return ""
    if _is_staff(user) and job.filed_by_id is not None:
        operator = user.get_full_name() or user.get_username()
        return str(_("Accepted by phone through operator %(operator)s") % {"operator": operator})
    if _is_staff(user):
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
                % {"date": timezone.localtime(quote.valid_until).date().isoformat()}
            )
        quote.status = Quote.Status.ACCEPTED
        quote.accepted_at = now
        quote.save(update_fields=["status", "accepted_at"])
        JobCharge.objects.create(
            job=job, kind=JobCharge.Kind.QUOTE, amount=quote.total, description=f"v{quote.version}"
        )
        note = f"{quote.total} {job.currency}" + (f" ({by_phone})" if by_phone else "")
        _move(job, Status.ACCEPTED, Action.QUOTE_ACCEPTED, actor=user, note=note, price_total=quote.total,
              accepted_at=now)
        upfront = job.upfront_amount()
        if upfront > ZERO:
            _notify_customer(job, "services_payment_due", amount=upfront, purpose=_purpose_label(job))
        else:
            _start_matching(job, actor=user, now=now)
        return job


def _purpose_label(job: Job) -> str:
    from payments.models import Payment
    from services_catalog.payables import purpose_due

    purpose = purpose_due(job)
    return str(Payment.Purpose(purpose).label) if purpose else ""


# --------------------------------------------------------------------------- matching (S4, S13)
def _start_matching(job: Job, *, actor, now: datetime.datetime) -> Provider | None:
    # Every entry into matching starts the full waiting window (expire_unmatched_jobs).
    _move(job, Status.MATCHING, Action.MATCHING, actor=actor, matching_since=now)
    return _match(job, actor=None, now=now)


def _match(job: Job, *, actor, now: datetime.datetime, exclude_ids: Iterable[int] = ()) -> Provider | None:
    provider = matching.book_first_free(job, exclude_ids=exclude_ids)
    if provider is None:
        return None
    _assign(job, provider, actor=actor, now=now)
    return provider


def _assign(job: Job, provider: Provider, *, actor, now: datetime.datetime, note: str = "") -> None:
    _move(
        job, Status.ASSIGNED, Action.ASSIGNED, actor=actor, note=note or provider.display_name,
        provider=provider, assigned_at=now, visit_at=None,
    )
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
    _require_staff(staff_user)
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
        _move(job, Status.MATCHING, Action.REASSIGNED, actor=staff_user, provider=None, visit_at=None,
              matching_since=now)
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
        _move(job, Status.MATCHING, Action.DECLINED, actor=provider_user, note=reason, visible=False,
              provider=None, visit_at=None, matching_since=now)
        _match(job, actor=None, now=now)
        return job


def expire_unmatched_jobs(*, now: datetime.datetime | None = None, hours: int | None = None) -> list[Job]:
    """Cancel, with a full refund, the jobs no provider took within `hours` (settings:
    CHAARSOO_JOB_MATCH_HOURS) or whose date has passed. Each gets one last matching try.

    Each job is its own transaction: a refund Stripe refuses leaves that job waiting (and
    logged) without stopping the others.
    """
    now = _now(now)
    hours = match_hours() if hours is None else hours
    cutoff = now - datetime.timedelta(hours=hours)
    today = timezone.localtime(now).date()
    waiting = Job.objects.filter(status=Status.MATCHING).values_list("pk", "matching_since", "preferred_date")
    due = [pk for pk, since, day in waiting if (since and since <= cutoff) or day < today]
    expired: list[Job] = []
    for pk in due:
        try:
            with transaction.atomic():
                job = _locked(Job(pk=pk))
                if job.status != Status.MATCHING:
                    continue
                if job.preferred_date >= today and _match(job, actor=None, now=now):
                    continue
                quote = cancellation_quote(job=job, cancelled_by=SYSTEM, now=now)
                _cancel(job, quote=quote, actor=None, now=now,
                        reason=str(_("No provider was free for this date and slot.")))
                _send_card_refunds(job)
                expired.append(job)
        except Exception:
            logger.exception("Could not expire unmatched job %s", pk)
    return expired


def expire_unpaid_jobs(*, now: datetime.datetime | None = None, hours: int | None = None) -> list[Job]:
    """Cancel (free) accepted jobs whose upfront payment or deposit did not arrive within
    `hours` (settings: CHAARSOO_JOB_PAYMENT_HOURS).

    Like payments' `order_expire_unpaid`, every card payment still under way is first
    cancelled at Stripe, outside any lock; if Stripe says one was paid after all, the
    payment is recorded instead (the job goes on to matching) and the job is kept. A job
    whose payment Stripe is still processing, or that Stripe cannot be asked about, waits
    for the next run. A payment that lands after the cancellation is refunded (`_settle`).
    Each job is its own transaction, so one failure never stops the others.
    """
    now = _now(now)
    hours = payment_hours() if hours is None else hours
    cutoff = now - datetime.timedelta(hours=hours)
    expired: list[Job] = []
    for pk in Job.objects.filter(status=Status.ACCEPTED, accepted_at__lte=cutoff).values_list("pk", flat=True):
        try:
            if not _stop_card_payments(pk):
                continue
            with transaction.atomic():
                job = _locked(Job(pk=pk))
                if job.status != Status.ACCEPTED or _card_payments_under_way(job).exists():
                    continue  # paid meanwhile, or a new attempt started: the next run decides
                quote = cancellation_quote(job=job, cancelled_by=SYSTEM, now=now)
                _cancel(job, quote=quote, actor=None, now=now,
                        reason=str(_("The payment did not arrive in time.")))
                _send_card_refunds(job)
                expired.append(job)
        except Exception:
            logger.exception("Could not expire unpaid job %s", pk)
    return expired


def _card_payments_under_way(job: Job):
    """The job's card payments that could still be charged (neither cancelled nor paid)."""
    from payments.models import Payment

    return Payment.objects.filter(
        payable_type=ContentType.objects.get_for_model(Job), payable_id=job.pk,
    ).exclude(status__in=[Payment.Status.CANCELED, Payment.Status.SUCCEEDED])


def _stop_card_payments(job_pk: int) -> bool:
    """Cancel at Stripe every card payment of the job still under way and record what
    Stripe answers (a payment it says succeeded is applied: the job moves on). True when
    none is left under way, so the job may be cancelled."""
    from payments import gateway
    from payments.models import Payment
    from payments.services import payment_sync

    stopped = True
    for payment in _card_payments_under_way(Job(pk=job_pk)):
        if payment.stripe_payment_intent_id:
            gateway.cancel_payment_intent(payment.stripe_payment_intent_id)
            payment = payment_sync(payment=payment, source="expiry")
        if payment.status not in (Payment.Status.CANCELED, Payment.Status.SUCCEEDED):
            stopped = False
    return stopped


# --------------------------------------------------------------------------- visit and work (S4, S12)
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
                % {"date": job.preferred_date.isoformat(), "start": start.strftime("%H:%M"),
                   "end": end.strftime("%H:%M")}
            )
        action = Action.VISIT_RESCHEDULED if job.status == Status.DISPATCHED else Action.DISPATCHED
        _move(job, Status.DISPATCHED, action, actor=user, visit_at=visit_at, dispatched_at=now,
              note=timezone.localtime(visit_at).strftime("%Y-%m-%d %H:%M"))
        _notify_customer(job, "services_visit_scheduled")
        return job


def _require_visit_due(job: Job, now: datetime.datetime) -> None:
    """Work begins at the visit: not earlier than START_EARLY_GRACE before `visit_at`."""
    if job.visit_at is None or now >= job.visit_at - START_EARLY_GRACE:
        return
    from core.templatetags.locale_format import date as format_date

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
        _move(job, Status.IN_PROGRESS, Action.STARTED, actor=user, started_at=now)
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
        _event(job, Action.WORK_RECORDED, old=job.status, actor=user,
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
        _event(job, Action.CHANGE_PROPOSED, old=job.status, actor=provider_user,
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
        _require_customer(job, customer, staff_may=False)
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
        _event(job, action, old=job.status, actor=customer, note=f"{change.description}: {change.amount}")
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
        _move(job, Status.COMPLETED, Action.COMPLETED, actor=provider_user, completed_at=now,
              started_at=job.started_at or now)
        owed = max(amount_owed(job), ZERO)
        _notify_customer(job, "services_work_done", amount_due=owed, purpose=_purpose_label(job) if owed else "")
        _notify_customer(job, "services_rating_request")
        _settle(job, actor=provider_user, now=now)
        _send_card_refunds(job)
        return job


# --------------------------------------------------------------------------- payments (S5, S17)
def _receive(job: Job, *, purpose: str, amount: Decimal, method: str, payment=None, user=None,
             now: datetime.datetime) -> JobReceipt:
    receipt = JobReceipt.objects.create(
        job=job, purpose=purpose, method=method, amount=amount, currency=job.currency, payment=payment,
        received_by=_actor(user),
    )
    job.amount_paid += amount
    job.save(update_fields=["amount_paid", "updated"])
    _event(job, Action.PAID, old=job.status, actor=user, note=f"{purpose}: {amount} {job.currency} ({method})")
    _notify_customer(job, "services_receipt", receipt=receipt)
    if job.status == Status.ACCEPTED and job.net_paid >= job.upfront_amount():
        _start_matching(job, actor=user, now=now)
    # A job receives each purpose once, so the purpose names the business event of a
    # refund this payment may cause (paid after the job was cancelled).
    _settle(job, actor=user, now=now, refund_event=f"paid-after-cancel:{purpose}")
    return receipt


def job_payment_received(*, job: Job, payment, now: datetime.datetime | None = None) -> JobReceipt:
    """A card payment for `job` succeeded (called by the payable adapter's on_paid, with
    the job already locked by payments/). The same payment again changes nothing; a
    second payment for a purpose already settled (cash taken meanwhile) is refunded."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(job)
        same = JobReceipt.objects.filter(payment=payment).first()
        if same is not None:
            return same
        existing = JobReceipt.objects.filter(job=job, purpose=payment.purpose).first()
        if existing is not None:
            from payments.services import refund_create

            _event(job, Action.DUPLICATE_PAYMENT_REFUNDED, old=job.status,
                   note=f"{payment.amount} {payment.currency}")
            # Last step, keyed by the business event (this payment was a duplicate).
            refund_create(payment=payment, amount=payment.refundable_amount, user=None,
                          reason=f"job {job.number}: {payment.purpose} already paid",
                          idempotency_key=f"services:job:{job.pk}:duplicate:payment:{payment.pk}")
            return existing
        receipt = _receive(job, purpose=payment.purpose, amount=payment.amount, method=JobReceipt.Method.CARD,
                           payment=payment, user=payment.user, now=now)
        _send_card_refunds(job)
        return receipt


def job_record_cash_payment(*, job: Job, staff_user, now: datetime.datetime | None = None) -> JobReceipt:
    """Staff record that the amount now due was received in cash. Recording twice
    returns the receipt already recorded."""
    from payments.errors import NotPayable
    from services_catalog.payables import amount_for, purpose_due

    _require_staff(staff_user)
    with transaction.atomic():
        job = _locked(job)
        purpose = purpose_due(job)
        if purpose is None:
            last = job.receipts.filter(method=JobReceipt.Method.CASH).order_by("-created", "-pk").first()
            if last is not None:
                return last
            raise NotPayable(_("Nothing is due for job %(number)s now.") % {"number": job.number})
        receipt = _receive(job, purpose=purpose, amount=amount_for(job, purpose), method=JobReceipt.Method.CASH,
                           user=staff_user, now=_now(now))
        _send_card_refunds(job)
        return receipt


def _settle(job: Job, *, actor, now: datetime.datetime, refund_event: str = "overpaid") -> None:
    """On a finished job: give back what was overpaid (a payment that landed after a
    cancellation) and is not already owed back in cash, mark it paid in full, and credit
    the provider. `refund_event` names the business event for the refund's idempotency."""
    if job.status not in (Status.COMPLETED, Status.CANCELLED):
        return
    owed = amount_owed(job)
    if owed > ZERO:
        return
    overpaid = -owed - job.cash_refund_due
    if overpaid > ZERO and job.status == Status.CANCELLED:
        _refund(job, overpaid, user=actor, reason=str(_("Paid after the job was cancelled")), event=refund_event)
    if job.paid_in_full_at is None:
        job.paid_in_full_at = now
        job.save(update_fields=["paid_in_full_at", "updated"])
    _credit_provider(job, now=now)


def _charge_sum(job: Job, *kinds: str) -> Decimal:
    return job.charges.filter(kind__in=kinds).aggregate(total=Sum("amount"))["total"] or ZERO


def _credit_provider(job: Job, *, now: datetime.datetime) -> None:
    """S17: the provider's share minus commission, on the ledger, once per job.

    A completed job shares its value (locked price plus accepted extras). A job cancelled
    after dispatch shares the call-out fee and work done it earned; a handling fee is the
    platform's. Money comes from `platform:services` (the customers' payments, cleared).
    """
    from ledger.services import transfer_post

    if job.provider_credited_at is not None or job.provider_id is None:
        return
    provider = job.provider
    if job.status == Status.COMPLETED:
        work_value, platform_only = job.value, ZERO
    else:
        work_value = _charge_sum(job, JobCharge.Kind.CALLOUT_FEE, JobCharge.Kind.WORK_DONE)
        platform_only = _charge_sum(job, JobCharge.Kind.CANCELLATION_FEE)
    rate = provider.commission_rate
    commission = money(work_value * rate)
    share = work_value - commission
    job.commission_rate = rate
    job.provider_credited_at = now
    job.save(update_fields=["commission_rate", "provider_credited_at", "updated"])
    if work_value + platform_only <= ZERO:
        return
    currency = job.currency
    legs = [
        (_ledger_account(PLATFORM_SERVICES_ACCOUNT, currency=currency, name="Service jobs: customer payments"),
         -(work_value + platform_only)),
        (provider_account(provider, currency=currency), share),
        (_ledger_account(PLATFORM_COMMISSION_ACCOUNT, currency=currency, name="Platform commission"),
         commission + platform_only),
    ]
    transfer_post(
        idempotency_key=f"services:job:{job.pk}:settlement",
        kind="service_job_settlement",
        legs=[(account, amount) for account, amount in legs if amount != ZERO],
        memo=f"Job {job.number}: provider share {share}, commission {commission + platform_only}",
        metadata={"job": job.number, "share": str(share), "commission": str(commission)},
    )
    _event(job, Action.PROVIDER_CREDITED, old=job.status, visible=False,
           note=f"share {share}, commission {commission + platform_only} {currency}")


@dataclass(frozen=True)
class _CardRefund:
    """A card refund booked on the job's statement, to be sent to Stripe at the very end
    of the transaction (`_send_card_refunds`)."""

    payment: Any
    amount: Decimal
    user: Any
    reason: str
    idempotency_key: str


def _refund(job: Job, amount: Decimal, *, user, reason: str, event: str) -> None:
    """Give `amount` back: to the cards that paid (newest first) through payments/, and
    what was paid in cash becomes a cash refund owed to the customer (`cash_refund_due`),
    which counts as refunded only once staff hand it back (`job_record_cash_refund`).

    The statement lines are written now; the card refunds are only queued on `job`, for
    the caller to send to Stripe as the last step of its transaction. `event` names the
    business event (e.g. "cancel"), which keys the Stripe refund: a retried transition
    whose first attempt rolled back after Stripe refunded gets that same refund back.
    """
    from payments.models import Payment

    total = money(amount)
    if total <= ZERO:
        return
    remaining = total
    queued: list[_CardRefund] = job.__dict__.setdefault("_card_refunds", [])
    payments = Payment.objects.filter(
        payable_type=ContentType.objects.get_for_model(Job), payable_id=job.pk, status=Payment.Status.SUCCEEDED
    ).order_by("-succeeded_at", "-pk")
    for payment in payments:
        take = min(remaining, payment.refundable_amount - sum(
            (item.amount for item in queued if item.payment.pk == payment.pk), ZERO))
        if take <= ZERO:
            continue
        JobCharge.objects.create(job=job, kind=JobCharge.Kind.REFUND, amount=take,
                                 description=str(_("Refunded to your card")))
        queued.append(_CardRefund(
            payment=payment, amount=take, user=_actor(user), reason=f"job {job.number}: {reason}"[:255],
            idempotency_key=f"services:job:{job.pk}:{event}:payment:{payment.pk}",
        ))
        remaining -= take
        if remaining <= ZERO:
            break
    job.amount_refunded += total - remaining
    update = ["amount_refunded", "updated"]
    if remaining > ZERO:
        # Paid in cash: nobody has given it back yet, so it is owed, not refunded.
        job.cash_refund_due += remaining
        update.append("cash_refund_due")
    job.save(update_fields=update)
    if remaining > ZERO:
        _event(job, Action.CASH_REFUND_DUE, old=job.status, note=f"{remaining} {job.currency}")


def _send_card_refunds(job: Job) -> None:
    """Send the card refunds queued on `job` to Stripe. Call it as the last step of the
    transaction: if Stripe refuses, the transaction (the cancellation with it) rolls back."""
    from payments.services import refund_create

    queued: list[_CardRefund] = job.__dict__.pop("_card_refunds", [])
    for item in queued:
        refund_create(payment=item.payment, amount=item.amount, user=item.user, reason=item.reason,
                      idempotency_key=item.idempotency_key)


def job_record_cash_refund(*, job: Job, staff_user, now: datetime.datetime | None = None) -> Job:
    """Staff confirm they handed the customer back, in cash, the refund owed for money paid
    in cash (`Job.cash_refund_due`, left by a cancellation). Only then does it count as
    refunded: a statement line is written, the customer is told. Confirming again changes
    nothing."""
    now = _now(now)
    _require_staff(staff_user)
    with transaction.atomic():
        job = _locked(job)
        due = job.cash_refund_due
        if due <= ZERO:
            if job.events.filter(action=Action.CASH_REFUNDED).exists():
                return job
            raise InvalidTransition(
                _("No cash refund is owed to the customer of job %(number)s.") % {"number": job.number}
            )
        JobCharge.objects.create(job=job, kind=JobCharge.Kind.REFUND, amount=due,
                                 description=str(_("Handed back in cash by Chaarsoo staff")))
        job.amount_refunded += due
        job.cash_refund_due = ZERO
        job.save(update_fields=["amount_refunded", "cash_refund_due", "updated"])
        _event(job, Action.CASH_REFUNDED, old=job.status, actor=staff_user,
               note=f"{due} {job.currency}, {timezone.localtime(now):%Y-%m-%d %H:%M}")
        _notify_customer(job, "services_cash_refunded", amount=due)
        return job


# --------------------------------------------------------------------------- cancellation (S8)
def _canceller(job: Job, user) -> str:
    if _authenticated(user) and user.pk == job.customer_id:
        return Job.CancelledBy.CUSTOMER
    if _authenticated(user) and job.provider_id and job.provider.user_id == user.pk:
        return Job.CancelledBy.PROVIDER
    if _is_staff(user):
        return Job.CancelledBy.STAFF
    raise NotAllowed(_("Only the customer, the assigned provider or staff can cancel job %(number)s.")
                     % {"number": job.number})


def job_cancellation_preview(*, job: Job, user, now: datetime.datetime | None = None) -> CancellationQuote:
    """What cancelling would cost `user`'s side now: shown before they confirm (S8)."""
    job = Job.objects.select_related("provider").get(pk=job.pk)
    if not job.can_cancel():
        raise InvalidTransition(_("Job %(number)s can no longer be cancelled.") % {"number": job.number})
    return cancellation_quote(job=job, cancelled_by=_canceller(job, user), now=_now(now))


def job_cancel(
    *,
    job: Job,
    user,
    reason: str,
    now: datetime.datetime | None = None,
    expected_fee: Decimal | None = None,
) -> Job:
    """S8: cancel at any open stage. Fees follow `fees.cancellation_quote`, are recorded
    as statement lines, and the rest of what was paid is refunded (by card through
    payments/). Pass the fee the customer saw as `expected_fee`: if it changed meanwhile
    (the provider was dispatched), nothing happens and FeeChanged asks them to look again.
    Cancelling a cancelled job changes nothing."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(job)
        if job.status == Status.CANCELLED:
            return job
        if not job.can_cancel():
            raise InvalidTransition(_("Job %(number)s can no longer be cancelled.") % {"number": job.number})
        quote = cancellation_quote(job=job, cancelled_by=_canceller(job, user), now=now)
        if expected_fee is not None and money(_decimal(expected_fee, field=_("Fee"))) != quote.fee_total:
            raise InvalidTransition(
                _("The cancellation fee is now %(fee)s %(currency)s. Please review it and confirm again.")
                % {"fee": quote.fee_total, "currency": quote.currency},
                code="fee_changed",
            )
        _cancel(job, quote=quote, actor=user, reason=(reason or "").strip(), now=now)
        _send_card_refunds(job)
        return job


def _cancel(job: Job, *, quote: CancellationQuote, actor, reason: str, now: datetime.datetime) -> None:
    """Cancel the locked `job`. The caller must end its transaction with
    `_send_card_refunds(job)`, so the card refunds are the last step."""
    billed = billed_total(job)
    if billed != ZERO:
        JobCharge.objects.create(job=job, kind=JobCharge.Kind.CANCELLATION_CREDIT, amount=-billed,
                                 description=str(_("Agreed price released")))
    for line in quote.lines:
        JobCharge.objects.create(job=job, kind=line.kind, amount=line.amount, description=str(line.description))
    job.change_orders.filter(status=ChangeOrder.Status.PROPOSED).update(
        status=ChangeOrder.Status.DECLINED, decided_at=now
    )
    job.quotes.filter(status=Quote.Status.SENT).update(status=Quote.Status.SUPERSEDED)
    matching.release(job)
    _move(job, Status.CANCELLED, Action.CANCELLED, actor=actor, note=reason, cancelled_by=quote.cancelled_by,
          cancel_reason=reason, cancelled_at=now)
    if quote.refund_total > ZERO:
        # Booked now; the card part goes to Stripe when the caller ends the transaction
        # (`_send_card_refunds`), after the notifications and the ledger below.
        _refund(job, quote.refund_total, user=actor, reason=reason or "cancelled", event="cancel")
    _notify_customer(job, "services_job_cancelled", cancellation=quote, reason=reason,
                     cash_refund_due=job.cash_refund_due)
    if quote.cancelled_by != Job.CancelledBy.PROVIDER:
        _notify_provider(job, "services_provider_job_cancelled", reason=reason)
    if quote.amount_due > ZERO:
        _notify_customer(job, "services_payment_due", amount=quote.amount_due, purpose=_purpose_label(job))
    _settle(job, actor=actor, now=now)


# --------------------------------------------------------------------------- ratings (S15)
def rating_submit(*, job: Job, user, score: int, comment: str = "") -> Rating:
    """S15: each side rates the other once, after completion, participants only. The
    customer's ratings feed the provider's average (matching ranks by it). Rating again
    returns the first rating unchanged."""
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise RatingNotAllowed(_("Choose a score from 1 to 5."))
    with transaction.atomic():
        job = _locked(job)
        if _authenticated(user) and user.pk == job.customer_id:
            side = Rating.Side.CUSTOMER
        elif _authenticated(user) and job.provider_id and job.provider.user_id == user.pk:
            side = Rating.Side.PROVIDER
        else:
            raise NotAllowed(_("Only the customer and the provider of a job can rate it."))
        if job.status != Status.COMPLETED:
            raise RatingNotAllowed(_("A job can be rated once it is completed."))
        existing = job.ratings.filter(side=side).first()
        if existing is not None:
            return existing
        rating = Rating.objects.create(job=job, side=side, rater=user, score=score, comment=(comment or "").strip())
        if side == Rating.Side.CUSTOMER:
            provider = _lock_provider(job.provider_id)
            stats = Rating.objects.filter(side=Rating.Side.CUSTOMER, job__provider=provider).aggregate(
                total=Sum("score"), count=Count("pk")
            )
            provider.rating_count = stats["count"]
            provider.rating_average = (Decimal(stats["total"]) / Decimal(stats["count"])).quantize(Decimal("0.01"))
            provider.save(update_fields=["rating_count", "rating_average"])
        _event(job, Action.RATED, old=job.status, actor=user, note=f"{side}: {score}")
        return rating


# --------------------------------------------------------------------------- warranty (S11)
def warranty_report(*, job: Job, customer, reason: str, now: datetime.datetime | None = None) -> WarrantyClaim:
    """S11: within the warranty (90 days from completion) the customer reports that the
    job must be redone. Reporting again while a claim is open returns that claim."""
    now = _now(now)
    reason = (reason or "").strip()
    if not reason:
        raise JobError(_("Tell us what must be redone."), code="reason_required")
    with transaction.atomic():
        job = _locked(job)
        _require_customer(job, customer)
        if job.status != Status.COMPLETED or job.completed_at is None:
            raise InvalidTransition(_("Only a completed job can be reported under warranty."))
        open_claim = job.warranty_claims.filter(status=WarrantyClaim.Status.REPORTED).first()
        if open_claim is not None:
            return open_claim
        if job.warranty_claims.filter(status=WarrantyClaim.Status.CONFIRMED).exists():
            raise InvalidTransition(_("This job was already redone; report a problem with the redo job instead."))
        ends = job.completed_at + datetime.timedelta(days=warranty_days())
        if now > ends:
            raise WarrantyExpired(
                _("The %(days)s-day warranty of this job ended on %(date)s.")
                % {"days": warranty_days(), "date": timezone.localtime(ends).date().isoformat()}
            )
        claim = WarrantyClaim.objects.create(job=job, reason=reason)
        _event(job, Action.WARRANTY_REPORTED, old=job.status, actor=customer, note=reason)
        return claim


def _fine_provider(provider: Provider, *, amount: Decimal, currency: str, key: str, reason: str, staff_user,
                   complaint: Complaint | None = None, claim: WarrantyClaim | None = None) -> ProviderSanction:
    """Move a fine from the provider's payable account to `platform:fines` (their balance
    may go below zero: they then owe the platform) and record the sanction."""
    from ledger.services import transfer_move

    transfer_move(
        idempotency_key=key,
        kind="provider_fine",
        source=provider_account(provider, currency=currency),
        destination=_ledger_account(PLATFORM_FINES_ACCOUNT, currency=currency, name="Provider fines"),
        amount=amount,
        memo=reason[:200],
        user=_actor(staff_user),
    )
    return ProviderSanction.objects.create(
        provider=provider, kind=ProviderSanction.Kind.FINE, amount=amount, reason=reason,
        complaint=complaint, warranty_claim=claim, created_by=_actor(staff_user),
    )


def _suspend(provider: Provider, *, reason: str, staff_user, complaint: Complaint | None = None,
             claim: WarrantyClaim | None = None) -> ProviderSanction | None:
    if provider.status == Provider.Status.SUSPENDED:
        return None
    provider.status = Provider.Status.SUSPENDED
    provider.save(update_fields=["status"])
    return ProviderSanction.objects.create(
        provider=provider, kind=ProviderSanction.Kind.SUSPENSION, reason=reason, complaint=complaint,
        warranty_claim=claim, created_by=_actor(staff_user),
    )


def warranty_confirm(
    *,
    claim: WarrantyClaim,
    staff_user,
    now: datetime.datetime | None = None,
    preferred_date: datetime.date | None = None,
    slot: str | None = None,
) -> WarrantyClaim:
    """S11: staff confirm the redo. A free redo job (price 0) linked to the job that failed
    is created and sent to matching (never to a provider whose work on it failed); the
    failed job's provider is fined 7% (quality policy) of the ORIGINAL job's value on the
    ledger: for a redo of a redo (worth 0 itself) the value of the first, paid job at the
    root of the chain; enough confirmed redos within the policy's window suspend them.
    Confirming twice changes nothing.

    Who pays the redo provider: nobody. The customer pays nothing for a redo (S11), so the
    redo job is worth 0 and settles with no transfer; the fine stays with the platform
    (`platform:fines`). Extra work on a redo that the customer accepts (a change order,
    S12) is billed and shared like any job's."""
    now = _now(now)
    _require_staff(staff_user)
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
        _event(redo, Action.REQUESTED, old="", actor=staff_user,
               note=str(_("Free warranty redo of %(number)s") % {"number": job.number}))
        policy = quality_policy("provider")
        fine = policy.fine_for(_original_job(job).value)
        provider = _lock_provider(job.provider_id) if job.provider_id else None
        claim.status = WarrantyClaim.Status.CONFIRMED
        claim.redo_job = redo
        claim.decided_by = staff_user
        claim.decided_at = now
        claim.fine_amount = fine if provider is not None and fine > ZERO else None
        claim.save()
        if provider is not None:
            if fine > ZERO:
                _fine_provider(provider, amount=fine, currency=job.currency, key=f"services:warranty:{claim.pk}:fine",
                               reason=f"Warranty redo of job {job.number}", staff_user=staff_user, claim=claim)
            window_start = now - datetime.timedelta(days=policy.window_days)
            failures = WarrantyClaim.objects.filter(
                job__provider=provider, status=WarrantyClaim.Status.CONFIRMED, decided_at__gte=window_start
            ).count()
            if policy.should_suspend(failures):
                _suspend(provider, staff_user=staff_user, claim=claim,
                         reason=f"{failures} confirmed warranty redos within {policy.window_days} days")
        _event(job, Action.WARRANTY_CONFIRMED, old=job.status, actor=staff_user,
               note=str(_("Free redo: job %(number)s") % {"number": redo.number}))
        _notify_customer(job, "services_warranty_decision", claim=claim, redo=redo)
        _start_matching(redo, actor=staff_user, now=now)
        return claim


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
    """Staff reject a warranty claim, telling the customer why. Rejecting twice changes nothing."""
    _require_staff(staff_user)
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
        _event(job, Action.WARRANTY_REJECTED, old=job.status, actor=staff_user, note=note)
        _notify_customer(job, "services_warranty_decision", claim=claim, redo=None)
        return claim


# --------------------------------------------------------------------------- complaints (S10)
def complaint_file(*, customer, text: str, job: Job | None = None, provider: Provider | None = None) -> Complaint:
    """S10: a customer complains about a provider (about one of their jobs, or in general).
    The same open complaint filed twice is one complaint."""
    text = (text or "").strip()
    if not text:
        raise JobError(_("Tell us what happened."), code="text_required")
    if not _authenticated(customer):
        raise NotAllowed(_("Sign in to send a complaint."))
    with transaction.atomic():
        if job is not None:
            job = _locked(job)
            _require_customer(job, customer, staff_may=False)
            if job.provider_id is None:
                raise InvalidTransition(_("No provider has worked on this job yet."))
            provider = job.provider
        if provider is None:
            raise JobError(_("Choose the provider the complaint is about."), code="provider_required")
        existing = Complaint.objects.filter(
            customer=customer, provider=provider, job=job, text=text, status=Complaint.Status.OPEN
        ).first()
        if existing is not None:
            return existing
        complaint = Complaint.objects.create(job=job, provider=provider, customer=customer, text=text)
        if job is not None:
            _event(job, Action.COMPLAINT_FILED, old=job.status, actor=customer, note=text)
        return complaint


def complaint_resolve(
    *,
    complaint: Complaint,
    staff_user,
    action: str,
    amount: Decimal | None = None,
    note: str = "",
) -> Complaint:
    """S10: staff close a complaint with no action, a warning, a fine (on the ledger) or a
    suspension. Resolving a closed complaint again changes nothing."""
    _require_staff(staff_user)
    if action not in Complaint.Action.values:
        raise JobError(_("Choose no action, a warning, a fine or a suspension."), code="invalid_action")
    fine = None
    if action == Complaint.Action.FINE:
        fine = money(_decimal(amount, field=_("Fine")))
        if fine <= ZERO:
            raise InvalidAmount(_("A fine must be more than zero."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.status == Complaint.Status.CLOSED:
            return complaint
        provider = _lock_provider(complaint.provider_id)
        reason = note.strip() or complaint.text
        sanction = None
        if action == Complaint.Action.WARNING:
            sanction = ProviderSanction.objects.create(
                provider=provider, kind=ProviderSanction.Kind.WARNING, reason=reason, complaint=complaint,
                created_by=staff_user,
            )
        elif action == Complaint.Action.FINE:
            sanction = _fine_provider(
                provider, amount=fine, currency=settings.OSCAR_DEFAULT_CURRENCY,
                key=f"services:complaint:{complaint.pk}:fine", reason=reason, staff_user=staff_user,
                complaint=complaint,
            )
        elif action == Complaint.Action.SUSPENSION:
            sanction = _suspend(provider, reason=reason, staff_user=staff_user, complaint=complaint)
        complaint.status = Complaint.Status.CLOSED
        complaint.action = action
        complaint.staff_note = note.strip()
        complaint.resolved_by = staff_user
        complaint.resolved_at = timezone.now()
        complaint.save()
        if sanction is not None:
            _notify(
                "services_provider_sanction", recipient=provider.user, phone=provider.phone, provider=provider,
                sanction=sanction,
            )
        return complaint


# --------------------------------------------------------------------------- providers
def provider_reinstate(*, provider: Provider, staff_user) -> Provider:
    """Staff lift a suspension (matching offers the provider jobs again)."""
    _require_staff(staff_user)
    with transaction.atomic():
        provider = _lock_provider(provider.pk)
        if provider.status != Provider.Status.ACTIVE:
            provider.status = Provider.Status.ACTIVE
            provider.save(update_fields=["status"])
        return provider


def provider_set_availability(*, provider: Provider, user, slots: Iterable[tuple[int, str]]) -> None:
    """S13: the provider's weekly slots, replaced by `slots` ((weekday 0=Monday, slot) pairs)."""
    if not (_is_staff(user) or (_authenticated(user) and provider.user_id == user.pk)):
        raise NotAllowed(_("Only the provider or staff can change this availability."))
    wanted = set()
    for weekday, slot in slots:
        if slot not in SLOTS or not 0 <= int(weekday) <= 6:
            raise InvalidVisitTime(_("Choose a weekday and a morning, afternoon or evening slot."))
        wanted.add((int(weekday), slot))
    with transaction.atomic():
        _lock_provider(provider.pk)
        current = set(ProviderAvailability.objects.filter(provider=provider).values_list("weekday", "slot"))
        for weekday, slot in current - wanted:
            ProviderAvailability.objects.filter(provider=provider, weekday=weekday, slot=slot).delete()
        ProviderAvailability.objects.bulk_create(
            ProviderAvailability(provider=provider, weekday=weekday, slot=slot) for weekday, slot in wanted - current
        )


# --------------------------------------------------------------------------- documents (S6)
def job_document_add(
    *, job: Job, user, requirement: RequiredDocument | None = None, file=None, delivery: str = "upload"
) -> JobDocument:
    """The customer (or staff) adds a document after the request."""
    with transaction.atomic():
        job = _locked(job)
        _require_customer(job, user)
        if not job.is_open:
            raise InvalidTransition(_("Documents can be added while the job is open."))
        cleaned = _check_documents_one(job.service, requirement=requirement, file=file, delivery=delivery)
        document = JobDocument.objects.create(job=job, **cleaned)
        _event(job, Action.DOCUMENT_ADDED, old=job.status, actor=user, note=str(document))
        return document


def _check_documents_one(service: Service, *, requirement, file, delivery) -> dict[str, Any]:
    if delivery not in JobDocument.Delivery.values:
        raise MissingDocuments(_("Choose how the document reaches us: upload, post, courier or collection."))
    if requirement is not None and requirement.service_id != service.pk:
        raise MissingDocuments(_("That document does not belong to this service."))
    if delivery == JobDocument.Delivery.UPLOAD and not file:
        raise MissingDocuments(_("Attach the file to upload."))
    return {"requirement": requirement, "file": file or "", "delivery": delivery}


def job_document_mark(*, document: JobDocument, user, returned: bool = False,
                      now: datetime.datetime | None = None) -> JobDocument:
    """S6: the provider or staff record that an original arrived (or went back to the customer)."""
    now = _now(now)
    with transaction.atomic():
        job = _locked(document.job)
        _require_job_provider(job, user)
        document = JobDocument.objects.select_for_update().get(pk=document.pk)
        field = "returned_at" if returned else "received_at"
        if getattr(document, field) is None:
            setattr(document, field, now)
            document.save(update_fields=[field])
            action = Action.DOCUMENT_RETURNED if returned else Action.DOCUMENT_RECEIVED
            _event(job, action, old=job.status, actor=user, note=str(document))
        return document
