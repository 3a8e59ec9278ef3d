"""Provider slots under real concurrency (S13, issue point 6): two jobs racing for one
provider's slot in two threads, each with its own PostgreSQL connection. The unique
(provider, date, slot) constraint lets exactly one booking through; the other job moves on
to the next provider or keeps waiting. Never double-booked."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Count

from services_catalog import services
from services_catalog.models import Job, SlotBooking
from tests.factories_services import future_date, make_customer, make_job, make_provider_for, make_service

Status = Job.Status


def skip_unless_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent row inserts need PostgreSQL (run with DATABASE_URL=postgres://...)")


def waiting_jobs(service, count: int) -> list[Job]:
    """`count` paid jobs for the same date and slot, all waiting for a provider."""
    day = future_date(service)
    return [make_job(make_customer(), service, status=Status.MATCHING, preferred_date=day) for _ in range(count)]


def race(jobs: list[Job]) -> list[object]:
    """Run job_match for every job at the same moment, one thread (and connection) each."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[object] = [None] * len(jobs)

    def match(index: int, job: Job) -> None:
        try:
            barrier.wait()
            outcomes[index] = services.job_match(job=job)
        except Exception as exc:  # recorded, so the assertion shows what went wrong
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=match, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def assert_never_double_booked() -> None:
    doubles = (
        SlotBooking.objects.values("provider", "date", "slot").annotate(n=Count("pk")).filter(n__gt=1)
    )
    assert list(doubles) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_S13_two_jobs_racing_for_one_providers_slot_book_it_once():
    skip_unless_postgres()
    service = make_service()
    first, second = waiting_jobs(service, 2)
    provider = make_provider_for(service)
    outcomes = race([first, second])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(str(o) for o in outcomes) == sorted([str(provider), "None"])
    jobs = list(Job.objects.filter(pk__in=[first.pk, second.pk]))
    assert sorted(job.status for job in jobs) == [Status.ASSIGNED, Status.MATCHING]
    assert SlotBooking.objects.filter(provider=provider).count() == 1
    assert_never_double_booked()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_S13_the_job_that_loses_the_race_goes_to_the_next_free_provider():
    skip_unless_postgres()
    service = make_service()
    jobs = waiting_jobs(service, 3)
    best = make_provider_for(service, rating="5.00")
    second = make_provider_for(service, rating="4.00")
    outcomes = race(jobs)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    statuses = sorted(Job.objects.filter(pk__in=[j.pk for j in jobs]).values_list("status", flat=True))
    assert statuses == [Status.ASSIGNED, Status.ASSIGNED, Status.MATCHING]
    assert set(SlotBooking.objects.values_list("provider", flat=True)) == {best.pk, second.pk}
    assert_never_double_booked()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_S13_the_database_constraint_refuses_a_double_booking_on_postgresql():
    skip_unless_postgres()
    service = make_service()
    first, second = waiting_jobs(service, 2)
    provider = make_provider_for(service)
    SlotBooking.objects.create(provider=provider, date=first.preferred_date, slot=first.slot, job=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotBooking.objects.create(provider=provider, date=second.preferred_date, slot=second.slot, job=second)
