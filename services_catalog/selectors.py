"""Reads that pages, the API and dashboards share, each written to a fixed query budget
(the number of queries does not grow with the number of rows)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum

from core.permissions import Ability, has_any_ability
from core.text import normalize_identifier
from services_catalog.models import (
    SLOTS,
    ZERO,
    Area,
    Complaint,
    Job,
    JobCharge,
    JobEvent,
    Provider,
    ProviderAvailability,
    Service,
    ServiceCategory,
    SlotBooking,
    WarrantyClaim,
)

# Staff abilities that let their holder read any job (its page, its history).
JOB_READERS = (
    Ability.MANAGE_JOBS, Ability.QUOTE_JOB, Ability.RECORD_CASH, Ability.REFUND_PAYMENT, Ability.FILE_FOR_CALLER,
    Ability.JUDGE_WARRANTY, Ability.RESOLVE_COMPLAINTS, Ability.VIEW_CUSTOMER_HISTORY,
)


def services_list(
    category: ServiceCategory | str | None = None, area: Area | str | None = None
) -> QuerySet[Service]:
    """Active services, optionally of one category and/or offered in one area (instances
    or slugs). Three queries however many services: services with their category, then
    their areas and their volume tiers."""
    services = (
        Service.objects.filter(is_active=True)
        .select_related("category")
        .prefetch_related("areas", "price_tiers")
        .order_by("category__ordering", "category_id", "name", "pk")
    )
    if category is not None:
        services = services.filter(**({"category__slug": category} if isinstance(category, str)
                                      else {"category": category}))
    if area is not None:
        services = services.filter(**({"areas__slug": area} if isinstance(area, str) else {"areas": area}))
    return services


def service_detail(*, slug: str) -> Service:
    """One active service with everything its page shows (Service.DoesNotExist if none)."""
    return (
        Service.objects.filter(is_active=True)
        .select_related("category")
        .prefetch_related("areas", "price_tiers", "required_documents")
        .get(slug=slug)
    )


def _jobs() -> QuerySet[Job]:
    return Job.objects.select_related("service", "service__category", "area", "provider", "customer")


def jobs_for_customer(user, *, statuses: tuple[str, ...] | None = None) -> QuerySet[Job]:
    """The customer's jobs, newest first (one query)."""
    jobs = _jobs().filter(customer=user)
    if statuses:
        jobs = jobs.filter(status__in=statuses)
    return jobs.order_by("-created", "-pk")


def jobs_for_provider(provider: Provider, *, statuses: tuple[str, ...] | None = None) -> QuerySet[Job]:
    """The jobs assigned to `provider` (including finished ones), by date and slot (one query)."""
    jobs = _jobs().filter(provider=provider)
    if statuses:
        jobs = jobs.filter(status__in=statuses)
    return jobs.order_by("preferred_date", "slot", "pk")


def jobs_for_staff(*, statuses: tuple[str, ...] | None = None, query: str = "") -> QuerySet[Job]:
    """Every job for the staff dashboard; `query` matches a job number or a customer's name/username."""
    jobs = _jobs()
    if statuses:
        jobs = jobs.filter(status__in=statuses)
    query = normalize_identifier(query)
    if query:
        jobs = jobs.filter(
            Q(number__iexact=query)
            | Q(customer__username__icontains=query)
            | Q(customer__last_name__icontains=query)
        )
    return jobs.order_by("-created", "-pk")


def jobs_with_cash_refund_due() -> QuerySet[Job]:
    """Jobs whose customer is owed money paid in cash that staff have not yet handed back
    (`services.job_record_cash_refund` confirms it), oldest cancellation first (one query)."""
    return _jobs().filter(cash_refund_due__gt=ZERO).order_by("cancelled_at", "pk")


def job_visible_to(job: Job, user) -> bool:
    """The customer, the assigned provider and staff who work on jobs or see customers'
    history may see a job; nobody else."""
    if user is None or not user.is_authenticated:
        return False
    if job.customer_id == user.pk or has_any_ability(user, JOB_READERS):
        return True
    return bool(job.provider_id and job.provider.user_id == user.pk)


def job_detail(*, number: str) -> Job:
    """A job with what its page shows: quotes with lines, change orders, charges, documents,
    photos, ratings (a fixed number of queries). Job.DoesNotExist if there is none."""
    return (
        _jobs()
        .prefetch_related(
            "quotes__lines", "change_orders", "charges", "documents__requirement", "photos", "ratings",
            "receipts", "warranty_claims",
        )
        .get(number=number)
    )


def job_timeline(job: Job, for_customer: bool = True) -> list[JobEvent]:
    """S7: the job's steps in order; the customer sees only the steps meant for them."""
    events = JobEvent.objects.filter(job=job).select_related("actor")
    if for_customer:
        events = events.filter(visible_to_customer=True)
    return list(events.order_by("created", "pk"))


def job_statement(job: Job) -> list[JobCharge]:
    """The customer's statement for a job: charges, credits, fees and refunds in order."""
    return list(job.charges.order_by("created", "pk"))


def current_quote(job: Job):
    """The quote the customer can accept now (sent, not superseded), or None."""
    return job.quotes.filter(status="sent").prefetch_related("lines").order_by("-version").first()


def provider_calendar(
    provider: Provider, *, start: datetime.date, days: int = 14
) -> list[dict]:
    """S13: each day and slot from `start` for `days` days: whether the provider works it and
    the job booked there. Two queries however many days."""
    end = start + datetime.timedelta(days=days)
    bookings = {
        (booking.date, booking.slot): booking.job
        for booking in SlotBooking.objects.filter(provider=provider, date__gte=start, date__lt=end)
        .select_related("job", "job__service", "job__area")
    }
    return calendar_grid(provider, start=start, days=days, bookings=bookings)


def calendar_grid(provider: Provider, *, start: datetime.date, days: int, bookings: dict) -> list[dict]:
    """The cells of `provider_calendar` around `bookings` ((day, slot) to what is booked
    there, a Job or the values a page shows of it), with the provider's weekly slots (one
    query)."""
    works = set(ProviderAvailability.objects.filter(provider=provider).values_list("weekday", "slot"))
    calendar = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        for slot in SLOTS:
            job = bookings.get((day, slot))
            calendar.append(
                {"date": day, "slot": slot, "available": (day.weekday(), slot) in works, "job": job,
                 "free": job is None and (day.weekday(), slot) in works}
            )
    return calendar


def provider_earnings(provider: Provider) -> Decimal:
    """S17: what the platform owes the provider now (their payable balance; negative after fines)."""
    from ledger.models import Account

    balance = Account.objects.filter(code=provider.payable_account_code).values_list("balance", flat=True).first()
    return balance if balance is not None else ZERO


def provider_statement(provider: Provider, *, limit: int = 50) -> list:
    """The provider's ledger legs (credits for jobs, fines), newest first."""
    from ledger.models import Account
    from ledger.selectors import account_statement

    account = Account.objects.filter(code=provider.payable_account_code).first()
    return list(account_statement(account=account, limit=limit)) if account is not None else []


def providers_ranked(*, service: Service | None = None, area: Area | None = None) -> QuerySet[Provider]:
    """Providers best rated first (the order matching offers jobs in)."""
    providers = Provider.objects.select_related("user").prefetch_related("areas", "services")
    if service is not None:
        providers = providers.filter(services=service)
    if area is not None:
        providers = providers.filter(areas=area)
    from services_catalog.matching import ranking_score

    return providers.distinct().annotate(score=ranking_score()).order_by("-score", "-rating_count", "pk")


def open_warranty_claims() -> QuerySet[WarrantyClaim]:
    return (
        WarrantyClaim.objects.filter(status=WarrantyClaim.Status.REPORTED)
        .select_related("job", "job__customer", "job__provider", "job__service")
        .order_by("created", "pk")
    )


def open_complaints() -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(status=Complaint.Status.OPEN)
        .select_related("provider", "customer", "job")
        .order_by("created", "pk")
    )


def categories_with_services() -> QuerySet[ServiceCategory]:
    """Categories that have active services, each with them prefetched (two queries)."""
    active = Service.objects.filter(is_active=True).order_by("name", "pk")
    return (
        ServiceCategory.objects.filter(services__is_active=True)
        .distinct()
        .prefetch_related(Prefetch("services", queryset=active, to_attr="active_services"))
        .order_by("ordering", "pk")
    )


# ------------------------------------------------------------------ a job's balance
def billed_total(job: Job) -> Decimal:
    """What the customer has been billed for `job` (every statement line except refunds)."""
    total = job.charges.exclude(kind=JobCharge.Kind.REFUND).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def amount_owed(job: Job) -> Decimal:
    """Billed minus paid (net of refunds); negative when the customer has paid too much,
    including while a cash refund is owed to them and not yet handed back
    (`Job.cash_refund_due`)."""
    return billed_total(job) - job.net_paid
