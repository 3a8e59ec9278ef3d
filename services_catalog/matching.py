"""Finding a provider for a job (S4, S13) and holding their slot.

A provider is a candidate when they are active, serve the job's area and service, work
that slot on that weekday, hold no booking at that date and slot, are not off the job
(declined it, or removed by staff), and (for a warranty redo) are not a provider whose work
on the redone job failed. Best rated first. Staff choosing a provider by hand
(`provider_can_serve`) pass the same checks.

Holding the slot is an INSERT into SlotBooking under its unique (provider, date, slot)
constraint, each attempt inside its own savepoint: when two jobs race for one provider's
slot, the database lets exactly one insert through and the other attempt fails with an
IntegrityError, which simply moves that job on to the next candidate. The constraint, not
a read-then-write check, is what guarantees no double booking on every database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case, DecimalField, F, QuerySet, Value, When

from services_catalog.models import SLOTS, Job, Provider, ProviderAvailability, SlotBooking

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


def failed_provider_ids(job: Job) -> set[int]:
    """S11: for a warranty redo, every provider whose work on the chain of jobs it redoes
    failed (the original's provider, and for a redo of a redo, the first redo's too)."""
    failed: set[int] = set()
    seen: set[int] = set()
    parent_id = job.redo_of_id
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        provider_id, parent_id = Job.objects.values_list("provider_id", "redo_of_id").get(pk=parent_id)
        if provider_id is not None:
            failed.add(provider_id)
    return failed


def excluded_provider_ids(job: Job) -> set[int]:
    """Providers who may never get `job`: those who declined it or whom staff removed from
    it (JobDecline), and for a redo the providers whose work failed."""
    excluded = set(job.declines.values_list("provider_id", flat=True))
    excluded.update(failed_provider_ids(job))
    return excluded


def serving_providers(*, service_id: int, area_id: int) -> QuerySet[Provider]:
    """Active providers who offer the service in the area (S4): the pool both matching and
    the free slots shown before a request draw from."""
    return Provider.objects.filter(status=Provider.Status.ACTIVE, areas=area_id, services=service_id)


def candidate_providers(job: Job, *, exclude_ids: Iterable[int] = ()) -> QuerySet[Provider]:
    """Providers who could take `job` at its date and slot, best rated first."""
    excluded = set(exclude_ids) | excluded_provider_ids(job)
    booked = SlotBooking.objects.filter(date=job.preferred_date, slot=job.slot).values("provider_id")
    return (
        serving_providers(service_id=job.service_id, area_id=job.area_id)
        .filter(availability__weekday=job.preferred_date.weekday(), availability__slot=job.slot)
        .exclude(pk__in=booked)
        .exclude(pk__in=excluded)
        .distinct()
        .annotate(score=ranking_score())
        .order_by("-score", "-rating_count", "pk")
    )


def free_slots(
    *, service_id: int, area_id: int, start: datetime.date, days: int
) -> list[tuple[datetime.date, str, int]]:
    """S13: for each day from `start` for `days` days and each slot, how many providers
    serving the service in the area work then and hold no booking (the slots a request
    would be matched in). Three queries however many days and providers."""
    pool = list(serving_providers(service_id=service_id, area_id=area_id).values_list("pk", flat=True))
    works: dict[tuple[int, str], set[int]] = {}
    for provider_id, weekday, slot in ProviderAvailability.objects.filter(provider_id__in=pool).values_list(
        "provider_id", "weekday", "slot"
    ):
        works.setdefault((weekday, slot), set()).add(provider_id)
    end = start + datetime.timedelta(days=days)
    booked: dict[tuple[datetime.date, str], set[int]] = {}
    for provider_id, day, slot in SlotBooking.objects.filter(
        provider_id__in=pool, date__gte=start, date__lt=end
    ).values_list("provider_id", "date", "slot"):
        booked.setdefault((day, slot), set()).add(provider_id)
    result = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        for slot in SLOTS:
            free = works.get((day.weekday(), slot), set()) - booked.get((day, slot), set())
            result.append((day, slot, len(free)))
    return result


def provider_unavailable_reason(provider: Provider, job: Job) -> str | None:
    """Why staff may not hand `job` to `provider` (None: they may), checking the same rules
    as matching except the booking itself, which `book` decides under its constraint."""
    from django.utils.translation import gettext as _

    if provider.status != Provider.Status.ACTIVE:
        return _("%(provider)s is suspended.") % {"provider": provider.display_name}
    if not provider.areas.filter(pk=job.area_id).exists():
        return _("%(provider)s does not work in this area.") % {"provider": provider.display_name}
    if not provider.services.filter(pk=job.service_id).exists():
        return _("%(provider)s does not offer this service.") % {"provider": provider.display_name}
    if not provider.availability.filter(weekday=job.preferred_date.weekday(), slot=job.slot).exists():
        return _("%(provider)s does not work at this job's weekday and slot.") % {"provider": provider.display_name}
    if provider.pk in failed_provider_ids(job):
        return _("%(provider)s did the work this warranty redo replaces.") % {"provider": provider.display_name}
    if job.declines.filter(provider=provider).exists():
        return _("%(provider)s declined this job or was removed from it.") % {"provider": provider.display_name}
    return None


def provider_can_serve(provider: Provider, job: Job) -> bool:
    """Whether staff may hand `job` to `provider`: active, serving the area and service,
    working that weekday and slot (S13), not off the job (declined or removed) and not the
    provider a redo replaces (S11). The slot itself is checked by booking it."""
    return provider_unavailable_reason(provider, job) is None


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
