"""Factories for service jobs. Jobs reach a state by driving the real services, so a test
that starts from "a dispatched job" starts from exactly what production would have."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from core.permissions import assign_role
from services_catalog import services
from services_catalog.models import (
    SLOTS,
    Area,
    Job,
    PriceTier,
    Provider,
    ProviderAvailability,
    RequiredDocument,
    Service,
    ServiceCategory,
    slot_bounds,
)
from tests.factories import UserFactory

_counter = itertools.count(1)
ALL_SLOTS: tuple[tuple[int, str], ...] = tuple((day, slot) for day in range(7) for slot in SLOTS)
Status = Job.Status


def _n() -> int:
    return next(_counter)


def make_user(*, staff: bool = False, tier: str | None = None, phone: str | None = None, **kwargs):
    """A user; `tier` ("one_off", "registered", "loyal") and `phone` go on their customers profile."""
    user = UserFactory(is_staff=staff, **kwargs)
    if tier is not None or phone is not None:
        from customers.services import profile_for

        profile = profile_for(user)
        if tier is not None:
            profile.tier = tier
        if phone is not None:
            profile.phone = phone
        profile.save()
    return user


def make_customer(*, tier: str = "registered", **kwargs):
    return make_user(tier=tier, **kwargs)


def make_staff(**kwargs):
    """A back-office user holding the operator and finance roles."""
    user = make_user(staff=True, **kwargs)
    assign_role(user, "operator")
    assign_role(user, "finance")
    return user


def factory_staff():
    """The operator the factories act as when a step needs staff."""
    user, created = get_user_model().objects.get_or_create(
        username="services-factory-staff", defaults={"is_staff": True, "email": "services-staff@example.com"}
    )
    if created:
        assign_role(user, "operator")
        assign_role(user, "finance")
    return user


def make_area(*, slug: str | None = None, name: str | None = None, name_en: str | None = None) -> Area:
    n = _n()
    return Area.objects.create(
        slug=slug or f"test-area-{n}", name=name or f"منطقه آزمایشی {n}", name_en=name_en or f"Test area {n}"
    )


def make_category(*, kind: str = ServiceCategory.Kind.HOME_REPAIR, slug: str | None = None) -> ServiceCategory:
    n = _n()
    return ServiceCategory.objects.create(
        slug=slug or f"test-category-{n}", name=f"دسته آزمایشی {n}", name_en=f"Test category {n}", kind=kind
    )


def make_service(
    *,
    pricing_model: str = Service.PricingModel.FIXED,
    base_price: Decimal | str = "100.00",
    payment_rule: str = Service.PaymentRule.ON_COMPLETION,
    deposit_percent: int | None = None,
    min_lead_days: int = 1,
    areas: Iterable[Area] | None = None,
    category: ServiceCategory | None = None,
    tiers: Sequence[tuple[int, Decimal | str]] = (),
    required_documents: Sequence[tuple[str, bool]] = (),
    handling_fee: Decimal | str = "10.00",
    callout_fee: Decimal | str = "25.00",
    for_one_off: bool = True,
    for_registered: bool = True,
    for_loyal: bool = True,
    unit_name: str = "",
    is_active: bool = True,
    name: str | None = None,
    name_en: str | None = None,
) -> Service:
    """A service offered in `areas` (a fresh area when None). `tiers`: (min_quantity, unit_price);
    `required_documents`: (name, original_needed)."""
    n = _n()
    if payment_rule == Service.PaymentRule.DEPOSIT and deposit_percent is None:
        deposit_percent = 30
    service = Service.objects.create(
        name=name or f"خدمت آزمایشی {n}",
        name_en=name_en or f"Test service {n}",
        slug=f"test-service-{n}",
        summary="خلاصه",
        summary_en="Summary",
        category=category or make_category(),
        pricing_model=pricing_model,
        base_price=Decimal(base_price),
        unit_name=unit_name,
        min_lead_days=min_lead_days,
        payment_rule=payment_rule,
        deposit_percent=deposit_percent,
        handling_fee=Decimal(handling_fee),
        callout_fee=Decimal(callout_fee),
        for_one_off=for_one_off,
        for_registered=for_registered,
        for_loyal=for_loyal,
        is_active=is_active,
    )
    service.areas.set(list(areas) if areas is not None else [make_area()])
    service.save()  # ParentalManyToManyField commits on save
    for min_quantity, unit_price in tiers:
        PriceTier.objects.create(service=service, min_quantity=min_quantity, unit_price=Decimal(unit_price))
    for doc_name, original in required_documents:
        RequiredDocument.objects.create(service=service, name=doc_name, name_en=doc_name, original_needed=original)
    return service


def make_provider(
    *,
    user=None,
    areas: Iterable[Area] = (),
    services: Iterable[Service] = (),
    slots: Iterable[tuple[int, str]] | None = None,
    rating: Decimal | str = "0",
    rating_count: int | None = None,
    commission_rate: Decimal | str = "0.15",
    display_name: str | None = None,
    phone: str = "",
    status: str = Provider.Status.ACTIVE,
) -> Provider:
    """A provider serving `areas` and `services`, available at `slots` ((weekday, slot)
    pairs; every slot of every day when None). A non-zero `rating` counts as one rating
    unless `rating_count` says otherwise (unrated providers rank as average)."""
    n = _n()
    provider = Provider.objects.create(
        user=user or make_user(),
        display_name=display_name or f"Provider {n}",
        phone=phone,
        rating_average=Decimal(rating),
        rating_count=rating_count if rating_count is not None else (1 if Decimal(rating) > 0 else 0),
        commission_rate=Decimal(commission_rate),
        status=status,
    )
    provider.areas.set(list(areas))
    provider.services.set(list(services))
    ProviderAvailability.objects.bulk_create(
        ProviderAvailability(provider=provider, weekday=day, slot=slot)
        for day, slot in (ALL_SLOTS if slots is None else slots)
    )
    return provider


def make_provider_for(service: Service, **kwargs) -> Provider:
    """A provider serving every area of `service` and the service itself."""
    return make_provider(areas=list(service.areas.all()), services=[service], **kwargs)


def future_date(service: Service, *, extra_days: int = 0, today: datetime.date | None = None) -> datetime.date:
    return services.earliest_date(service, today=today) + datetime.timedelta(days=extra_days)


def visit_time(job: Job, *, minutes_in: int = 60) -> datetime.datetime:
    start, _end = slot_bounds(job.preferred_date, job.slot)
    return start + datetime.timedelta(minutes=minutes_in)


_ORDER = [
    Status.REQUESTED,
    Status.QUOTED,
    Status.ACCEPTED,
    Status.MATCHING,
    Status.ASSIGNED,
    Status.DISPATCHED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
]


def make_job(
    customer,
    service: Service,
    *,
    status: str = Status.REQUESTED,
    area: Area | None = None,
    preferred_date: datetime.date | None = None,
    slot: str = "morning",
    quantity: int = 1,
    quote_total: Decimal | str | None = None,
    address: str = "تهران، خیابان آزادی، پلاک ۱",
    description: str = "",
    documents: Sequence[dict] = (),
    staff=None,
    pay: bool = True,
    pay_balance: bool = False,
) -> Job:
    """A job driven through the real services up to `status`.

    - quote-required services get a staff quote of `quote_total` (default the base price);
    - upfront/deposit payments are recorded as cash by staff when `pay` (so no Stripe is
      needed; pass pay=False to stop at "accepted");
    - "assigned" and later need a provider able to take the job (make_provider_for);
    - "in_progress" starts at the visit time on the job's (future) date, as a provider
      could (job_start refuses earlier); "completed" is completed now, as before, so
      dates that tests and pages read (completion, warranty, earnings) stay near today;
    - "completed" with pay_balance=True also records the rest as cash (provider credited);
    - "cancelled" cancels a requested job as its customer; "not_feasible" is staff's review.
    """
    staff = staff or factory_staff()
    area = area or service.areas.first()
    job = services.job_request(
        customer=customer, service=service, area=area, address=address,
        preferred_date=preferred_date or future_date(service), slot=slot, quantity=quantity,
        description=description, documents=documents,
    )
    if status == Status.CANCELLED:
        return services.job_cancel(job=job, user=customer, reason="test")
    if status == Status.NOT_FEASIBLE:
        return services.job_review_not_feasible(job=job, user=staff, reason="Not possible in test")
    if status == Status.REQUESTED:
        if job.status != Status.REQUESTED:
            raise ValueError("A fixed or per-unit service is quoted at once; ask for status='quoted'.")
        return job
    target = _ORDER.index(status)
    if job.status == Status.REQUESTED:
        total = Decimal(quote_total if quote_total is not None else service.base_price)
        services.quote_send(job=job, user=staff, lines=[{"description": "Work", "quantity": 1, "unit_price": total}])
    job.refresh_from_db()
    if target <= _ORDER.index(Status.QUOTED):
        return job
    job = services.quote_accept(quote=job.quotes.get(status="sent"), user=customer)
    if job.status == Status.ACCEPTED and pay and target > _ORDER.index(Status.ACCEPTED):
        services.job_record_cash_payment(job=job, staff_user=staff)
    job.refresh_from_db()
    if status == Status.ACCEPTED:
        if job.status != Status.ACCEPTED:
            raise ValueError("Only upfront or deposit services wait at 'accepted'; others go on to matching.")
        return job
    if job.status == Status.ACCEPTED:
        raise ValueError("The job waits for its payment at 'accepted': pass pay=True.")
    if status == Status.MATCHING:
        if job.status != Status.MATCHING:
            raise ValueError(f"A provider took the job ({job.status}); for 'matching' leave the service unserved.")
        return job
    if job.status != Status.ASSIGNED:
        raise ValueError(f"Job is {job.status}: no provider could take it (use make_provider_for)")
    provider_user = job.provider.user
    if target >= _ORDER.index(Status.DISPATCHED):
        job = services.job_dispatch(job=job, user=provider_user, visit_at=visit_time(job))
    if target >= _ORDER.index(Status.IN_PROGRESS):
        # Work starts at the visit, never days before it (job_start refuses that).
        job = services.job_start(job=job, user=provider_user, now=job.visit_at)
    if target >= _ORDER.index(Status.COMPLETED):
        job = services.job_complete(job=job, provider_user=provider_user, now=timezone.now())
        if pay_balance and services.amount_owed(job) > 0:
            services.job_record_cash_payment(job=job, staff_user=staff)
    job.refresh_from_db()
    return job
