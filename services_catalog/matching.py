"""Finding a provider for a job (S4, S13) and holding their slot.

A provider is a candidate when they are active, serve the job's area and service, work
that slot on that weekday, hold no booking at that date and slot, have not declined the
job, and (for a warranty redo) are not the provider whose work failed. Best rated first.

Holding the slot is an INSERT into SlotBooking under its unique (provider, date, slot)
constraint, each attempt inside its own savepoint: when two jobs race for one provider's
slot, the database lets exactly one insert through and the other attempt fails with an
IntegrityError, which simply moves that job on to the next candidate. The constraint, not
a read-then-write check, is what guarantees no double booking on every database.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, DecimalField, F, QuerySet, Value, When

from services_catalog.models import Job, Provider, SlotBooking

# A provider nobody has rated yet ranks as an average one, so a single poor rating puts a
# provider behind newcomers rather than ahead of them.
UNRATED_SCORE = Decimal("3.00")


def ranking_score() -> Case:
    """The score matching ranks providers by (S15 ratings feed the ranking)."""
    return Case(
        When(rating_count=0, then=Value(UNRATED_SCORE)),
        default=F("rating_average"),
        output_field=DecimalField(max_digits=3, decimal_places=2),
    )


def candidate_providers(job: Job, *, exclude_ids: Iterable[int] = ()) -> QuerySet[Provider]:
    """Providers who could take `job` at its date and slot, best rated first."""
    excluded = set(exclude_ids)
    excluded.update(job.declines.values_list("provider_id", flat=True))
    if job.redo_of_id and job.redo_of.provider_id:
        excluded.add(job.redo_of.provider_id)
    booked = SlotBooking.objects.filter(date=job.preferred_date, slot=job.slot).values("provider_id")
    return (
        Provider.objects.filter(
            status=Provider.Status.ACTIVE,
            areas=job.area_id,
            services=job.service_id,
            availability__weekday=job.preferred_date.weekday(),
            availability__slot=job.slot,
        )
        .exclude(pk__in=booked)
        .exclude(pk__in=excluded)
        .distinct()
        .annotate(score=ranking_score())
        .order_by("-score", "-rating_count", "pk")
    )


def provider_can_serve(provider: Provider, job: Job) -> bool:
    """Whether staff may hand `job` to `provider` (active, area and service); the slot is
    checked by booking it."""
    return (
        provider.status == Provider.Status.ACTIVE
        and provider.areas.filter(pk=job.area_id).exists()
        and provider.services.filter(pk=job.service_id).exists()
    )


def book(provider: Provider, job: Job) -> bool:
    """Hold `provider`'s slot for `job`. False if someone else holds it (never raises for that)."""
    try:
        with transaction.atomic():
            SlotBooking.objects.create(provider=provider, date=job.preferred_date, slot=job.slot, job=job)
    except IntegrityError:
        return False
    return True


def release(job: Job) -> None:
    """Free whatever slot `job` holds."""
    SlotBooking.objects.filter(job=job).delete()


def book_first_free(job: Job, *, exclude_ids: Iterable[int] = ()) -> Provider | None:
    """Book the best candidate still free when we try; None if nobody is."""
    release(job)
    for provider in candidate_providers(job, exclude_ids=exclude_ids):
        if book(provider, job):
            return provider
    return None
