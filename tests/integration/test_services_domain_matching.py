"""Service jobs against the database, from the payment rule to a provider (S4, S5, S13):
matching, declines and staff reassignment, and what repeating a step does (nothing)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from notifications.services import messages_for
from services_catalog import services
from services_catalog.errors import (
    NotAllowed,
    ProviderUnavailable,
)
from services_catalog.models import Job, SlotBooking
from tests.factories_services import (
    future_date,
    make_area,
    make_customer,
    make_job,
    make_provider,
    make_provider_for,
    make_service,
    make_staff,
)
from tests.helpers.jobs import actions, request

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
D = Decimal
Status = Job.Status


def expired_of(job: Job, expired: list[Job]) -> list[int]:
    """The sweeps run over every job in the database (the demo's too, when it is loaded):
    only whether this test's job was among them is the test's business."""
    return [j.pk for j in expired if j.pk == job.pk]


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def customer():
    return make_customer(phone="+989121110001")


@pytest.fixture
def quote_service():
    return make_service(pricing_model="quote", base_price="0")


def test_S5_an_upfront_job_waits_for_its_payment_then_goes_to_a_provider(customer, staff):
    service = make_service(payment_rule="upfront")
    provider = make_provider_for(service)
    job = services.quote_accept(quote=request(customer, service).quotes.get(), user=customer)
    assert job.status == Status.ACCEPTED and job.provider is None
    assert messages_for(event="services_payment_due", recipient=customer).exists()
    services.job_record_cash_payment(job=job, staff_user=staff)
    job.refresh_from_db()
    assert (job.status, job.provider) == (Status.ASSIGNED, provider)


def test_S5_an_on_completion_job_goes_straight_to_matching(customer):
    service = make_service(payment_rule="on_completion")
    provider = make_provider_for(service)
    job = services.quote_accept(quote=request(customer, service).quotes.get(), user=customer)
    assert (job.status, job.provider) == (Status.ASSIGNED, provider)
    assert actions(job)[-3:] == ["quote_accepted", "matching", "assigned"]
    assert SlotBooking.objects.get(job=job).provider == provider
    assert messages_for(event="services_provider_assigned", recipient=customer).exists()
    assert messages_for(event="services_provider_new_job", recipient=provider.user).exists()


def test_S4_the_best_rated_free_provider_serving_the_area_and_service_gets_the_job(customer):
    area, elsewhere = make_area(), make_area()
    service = make_service(areas=[area])
    day = future_date(service)
    make_provider(areas=[area], services=[service], rating="4.50", display_name="good")
    best = make_provider(areas=[area], services=[service], rating="4.80", display_name="best")
    make_provider(areas=[elsewhere], services=[service], rating="5.00", display_name="other area")
    make_provider(areas=[area], services=[make_service(areas=[area])], rating="5.00", display_name="other service")
    make_provider(areas=[area], services=[service], rating="5.00", status="suspended", display_name="suspended")
    make_provider(areas=[area], services=[service], rating="5.00", display_name="not that day",
                  slots=[((day.weekday() + 1) % 7, "morning")])
    make_provider(areas=[area], services=[service], rating="5.00", display_name="not that slot",
                  slots=[(day.weekday(), "evening")])
    job = make_job(customer, service, status=Status.ASSIGNED, preferred_date=day)
    assert job.provider == best


def test_S13_a_provider_booked_at_the_slot_is_skipped(customer):
    service = make_service()
    second = make_provider_for(service, rating="4.00")
    best = make_provider_for(service, rating="5.00")
    day = future_date(service)
    first_job = make_job(customer, service, status=Status.ASSIGNED, preferred_date=day, address="A")
    other_job = make_job(make_customer(), service, status=Status.ASSIGNED, preferred_date=day, address="B")
    evening_job = make_job(make_customer(), service, status=Status.ASSIGNED, preferred_date=day, slot="evening")
    assert (first_job.provider, other_job.provider, evening_job.provider) == (best, second, best)


def test_S13_the_database_refuses_a_second_booking_of_a_providers_slot(customer):
    service = make_service()
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.ASSIGNED)
    other = make_job(make_customer(), service, status=Status.QUOTED, preferred_date=job.preferred_date)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotBooking.objects.create(provider=provider, date=job.preferred_date, slot=job.slot, job=other)


def test_a_job_nobody_can_take_waits_and_is_matched_when_a_provider_joins(customer):
    service = make_service()
    job = make_job(customer, service, status=Status.MATCHING)
    assert services.job_match(job=job) is None
    provider = make_provider_for(service)
    call_command("match_waiting_jobs", stdout=open("/dev/null", "w"))
    job.refresh_from_db()
    assert (job.status, job.provider) == (Status.ASSIGNED, provider)
    assert services.job_match(job=job) == provider  # a matched job is left as it is


def test_a_declining_provider_frees_the_slot_and_the_job_goes_to_the_next_one_never_back(customer):
    service = make_service()
    runner_up = make_provider_for(service, rating="4.00")
    best = make_provider_for(service, rating="5.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    assert job.provider == best
    job = services.job_decline(job=job, provider_user=best.user, reason="Van broken")
    assert (job.status, job.provider) == (Status.ASSIGNED, runner_up)
    assert not SlotBooking.objects.filter(provider=best).exists()
    again = services.job_decline(job=job, provider_user=best.user, reason="Van broken")
    assert again.provider == runner_up and job.declines.count() == 1
    job = services.job_decline(job=job, provider_user=runner_up.user, reason="Busy")
    assert (job.status, job.provider) == (Status.MATCHING, None)
    declined = job.events.get(action="declined", actor=best.user)
    assert not declined.visible_to_customer and declined.note == "Van broken"
    with pytest.raises(NotAllowed):
        services.job_decline(job=job, provider_user=make_provider_for(service).user, reason="?")


def test_staff_reassign_a_job_to_a_chosen_provider_or_to_the_next_free_one(customer, staff):
    service = make_service()
    other = make_provider_for(service, rating="3.00")
    first = make_provider_for(service, rating="5.00")
    third = make_provider_for(service, rating="2.00")
    job = make_job(customer, service, status=Status.DISPATCHED)
    assert job.provider == first
    job = services.job_reassign(job=job, staff_user=staff, provider=other)
    assert (job.status, job.provider, job.visit_at) == (Status.ASSIGNED, other, None)
    assert SlotBooking.objects.get(job=job).provider == other
    assert services.job_reassign(job=job, staff_user=staff, provider=other).provider == other
    job = services.job_reassign(job=job, staff_user=staff)
    assert job.provider == third  # the next best free one, never back to the provider staff removed
    with pytest.raises(NotAllowed):
        services.job_reassign(job=job, staff_user=customer, provider=other)


def test_staff_cannot_reassign_to_a_provider_already_booked_or_not_serving(customer, staff):
    service = make_service()
    busy = make_provider_for(service, rating="5.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    spare = make_provider_for(service, rating="1.00")
    other = make_job(make_customer(), service, status=Status.ASSIGNED, preferred_date=job.preferred_date)
    assert (job.provider, other.provider) == (busy, spare)
    with pytest.raises(ProviderUnavailable):
        services.job_reassign(job=other, staff_user=staff, provider=busy)
    with pytest.raises(ProviderUnavailable):
        services.job_reassign(job=other, staff_user=staff, provider=make_provider(areas=[make_area()],
                                                                                   services=[service]))
    other.refresh_from_db()
    assert other.provider == spare and SlotBooking.objects.get(job=other).provider == spare


def test_a_double_submitted_next_best_reassignment_moves_the_job_once(customer, staff):
    service = make_service()
    first = make_provider_for(service, rating="5.00")
    second = make_provider_for(service, rating="4.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    assert job.provider == first
    moved = services.job_reassign(job=job, staff_user=staff, expected_provider_id=first.pk)
    again = services.job_reassign(job=job, staff_user=staff, expected_provider_id=first.pk)  # the second click
    assert moved.provider == second and again.provider == second
    job.refresh_from_db()
    assert (job.status, job.provider) == (Status.ASSIGNED, second)
    assert actions(job).count("reassigned") == 1
    assert SlotBooking.objects.get(job=job).provider == second


def test_a_provider_staff_removed_never_gets_the_job_back(customer, staff):
    service = make_service()
    first = make_provider_for(service, rating="5.00")
    second = make_provider_for(service, rating="4.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    job = services.job_reassign(job=job, staff_user=staff)  # next best, no expectation given
    assert job.provider == second
    removal = job.declines.get(provider=first)
    assert removal.removed_by == staff
    # staff take it from the second provider too: the first is not offered it again
    job = services.job_reassign(job=job, staff_user=staff, expected_provider_id=second.pk)
    assert (job.status, job.provider) == (Status.MATCHING, None)
    assert services.job_match(job=job) is None
    with pytest.raises(ProviderUnavailable):
        services.job_reassign(job=job, staff_user=staff, provider=first)


def test_S13_staff_cannot_hand_a_job_to_a_provider_off_that_weekday_or_slot(customer, staff):
    service = make_service()
    make_provider_for(service, rating="5.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    day = job.preferred_date.weekday()
    other_day = make_provider(areas=list(service.areas.all()), services=[service], slots=[((day + 1) % 7, "morning")])
    other_slot = make_provider(areas=list(service.areas.all()), services=[service], slots=[(day, "evening")])
    for provider in (other_day, other_slot):
        with pytest.raises(ProviderUnavailable):
            services.job_reassign(job=job, staff_user=staff, provider=provider)
    able = make_provider(areas=list(service.areas.all()), services=[service], slots=[(day, "morning")])
    assert services.job_reassign(job=job, staff_user=staff, provider=able).provider == able


def test_staff_cannot_hand_a_job_back_to_a_provider_who_declined_it(customer, staff):
    service = make_service()
    best = make_provider_for(service, rating="5.00")
    make_provider_for(service, rating="4.00")
    job = make_job(customer, service, status=Status.ASSIGNED)
    job = services.job_decline(job=job, provider_user=best.user, reason="Busy")
    with pytest.raises(ProviderUnavailable):
        services.job_reassign(job=job, staff_user=staff, provider=best)
    assert Job.objects.get(pk=job.pk).provider != best


def test_a_job_back_in_matching_after_a_decline_waits_the_full_window_again(customer):
    service = make_service(min_lead_days=3)
    best = make_provider_for(service, rating="5.00")
    job = make_job(customer, service, status=Status.ASSIGNED, preferred_date=future_date(service, extra_days=10))
    first_entry = job.matching_since
    declined_at = first_entry + datetime.timedelta(hours=47)
    job = services.job_decline(job=job, provider_user=best.user, reason="Ill", now=declined_at)
    assert (job.status, job.matching_since) == (Status.MATCHING, declined_at)
    # 49 hours after the job first waited, but only 2 since the decline: it keeps waiting
    swept = services.expire_unmatched_jobs(now=first_entry + datetime.timedelta(hours=49), hours=48)
    assert expired_of(job, swept) == []
    assert Job.objects.get(pk=job.pk).status == Status.MATCHING
    expired = services.expire_unmatched_jobs(now=declined_at + datetime.timedelta(hours=48, seconds=1), hours=48)
    assert expired_of(job, expired) == [job.pk]


def test_a_job_staff_send_back_to_matching_waits_the_full_window_again(customer, staff):
    service = make_service(min_lead_days=3)
    make_provider_for(service)
    job = make_job(customer, service, status=Status.ASSIGNED, preferred_date=future_date(service, extra_days=10))
    moved_at = job.matching_since + datetime.timedelta(hours=40)
    job = services.job_reassign(job=job, staff_user=staff, now=moved_at)
    assert (job.status, job.matching_since) == (Status.MATCHING, moved_at)
    swept = services.expire_unmatched_jobs(now=moved_at + datetime.timedelta(hours=10), hours=48)
    assert expired_of(job, swept) == []
