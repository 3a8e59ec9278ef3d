"""Service jobs against the database, from the visit to completion (S4, S7, S8, S12, S6):
visit time, start, work done, change orders, the job's history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.services import messages_for
from services_catalog import services
from services_catalog.errors import (
    InvalidTransition,
    InvalidVisitTime,
    NotAllowed,
    TooEarly,
)
from services_catalog.models import ChangeOrder, Job, JobCharge, JobDocument, JobEvent, Service
from tests.factories_services import (
    make_customer,
    make_job,
    make_provider_for,
    make_service,
    make_staff,
    visit_time,
)
from tests.helpers.jobs import actions

pytestmark = pytest.mark.django_db
D = Decimal
Status = Job.Status


@pytest.fixture
def staff():
    return make_staff()


@pytest.fixture
def customer():
    return make_customer(phone="+989121110001")


@pytest.fixture
def quote_service():
    return make_service(pricing_model="quote", base_price="0")


def test_S4_the_provider_sets_the_exact_visit_time_within_the_slot(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.ASSIGNED, slot="afternoon")
    start, end = job.slot_bounds()
    with pytest.raises(InvalidVisitTime):
        services.job_dispatch(job=job, user=job.provider.user, visit_at=end)
    with pytest.raises(NotAllowed):
        services.job_dispatch(job=job, user=customer, visit_at=start)
    at = start + datetime.timedelta(hours=1, minutes=30)
    job = services.job_dispatch(job=job, user=job.provider.user, visit_at=at)
    assert (job.status, job.visit_at) == (Status.DISPATCHED, at)
    services.job_dispatch(job=job, user=job.provider.user, visit_at=at)
    assert actions(job).count("dispatched") == 1
    assert messages_for(event="services_visit_scheduled", recipient=customer).count() == 2
    job = services.job_dispatch(job=job, user=job.provider.user, visit_at=at + datetime.timedelta(minutes=30))
    assert actions(job)[-1] == "visit_rescheduled"


def test_S8_the_provider_cannot_start_days_before_the_visit(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.DISPATCHED)
    user = job.provider.user
    with pytest.raises(TooEarly) as early:
        services.job_start(job=job, user=user, now=job.visit_at - datetime.timedelta(days=1))
    assert early.value.code == "too_early" and job.visit_at.astimezone(
        timezone.get_default_timezone()).strftime("%H:%M") in str(early.value)
    with pytest.raises(TooEarly):
        services.job_start(job=job, user=user, now=job.visit_at - services.START_EARLY_GRACE
                           - datetime.timedelta(seconds=1))
    with pytest.raises(TooEarly):  # completing would start it just the same
        services.job_complete(job=job, provider_user=user, now=job.visit_at - datetime.timedelta(hours=2))
    assert Job.objects.get(pk=job.pk).status == Status.DISPATCHED
    job = services.job_start(job=job, user=user, now=job.visit_at - services.START_EARLY_GRACE)
    assert job.status == Status.IN_PROGRESS and job.started_at == job.visit_at - services.START_EARLY_GRACE


def test_S8_work_done_cannot_be_recorded_before_the_work_has_started(customer):
    service = make_service(base_price="100.00", callout_fee="10.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.DISPATCHED)
    with pytest.raises(InvalidTransition):
        services.job_record_work_done(job=job, user=job.provider.user, amount="90")
    job.refresh_from_db()
    assert job.work_done_amount == D("0")
    assert services.job_cancellation_preview(job=job, user=customer).fee_total == D("10.00")


def test_another_provider_can_never_act_on_a_job(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    stranger = make_provider_for(service).user
    with pytest.raises(NotAllowed):
        services.job_complete(job=job, provider_user=stranger)
    with pytest.raises(NotAllowed):
        services.change_order_propose(job=job, provider_user=stranger, description="x", amount="5")
    with pytest.raises(NotAllowed):
        services.job_cancel(job=job, user=stranger, reason="x")


def test_S12_extra_work_is_added_only_when_the_customer_accepts_it_in_the_app(customer, staff):
    service = make_service(base_price="100.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    change = services.change_order_propose(job=job, provider_user=job.provider.user,
                                           description="Replace the valve", amount="30.00")
    same = services.change_order_propose(job=job, provider_user=job.provider.user,
                                         description="Replace the valve", amount="30.00")
    assert change == same and Job.objects.get(pk=job.pk).value == D("100.00")
    assert messages_for(event="services_change_order_proposed", recipient=customer).exists()
    with pytest.raises(NotAllowed):  # not even staff accept for the customer
        services.change_order_decide(change_order=change, customer=staff, accept=True)
    change = services.change_order_decide(change_order=change, customer=customer, accept=True)
    services.change_order_decide(change_order=change, customer=customer, accept=True)
    job.refresh_from_db()
    assert change.status == ChangeOrder.Status.ACCEPTED and job.extras_total == D("30.00")
    assert job.value == D("130.00") and job.price_total == D("100.00")
    assert job.charges.filter(kind=JobCharge.Kind.CHANGE_ORDER).count() == 1
    with pytest.raises(InvalidTransition):
        services.change_order_decide(change_order=change, customer=customer, accept=False)


def test_S12_extra_work_still_unanswered_at_completion_lapses(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    change = services.change_order_propose(job=job, provider_user=job.provider.user, description="More", amount=9)
    job = services.job_complete(job=job, provider_user=job.provider.user)
    change.refresh_from_db()
    assert change.status == ChangeOrder.Status.DECLINED and job.extras_total == D("0")
    with pytest.raises(InvalidTransition):
        services.change_order_decide(change_order=change, customer=customer, accept=True)


def test_S7_completion_tells_the_customer_the_work_is_done_and_asks_for_a_rating(customer):
    service = make_service(base_price="80.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    job = services.job_complete(job=job, provider_user=job.provider.user)
    again = services.job_complete(job=job, provider_user=job.provider.user)
    assert again.status == Status.COMPLETED and actions(job).count("completed") == 1
    done = messages_for(event="services_work_done", recipient=customer, channel="email").get()
    assert "80.00" in done.body  # on completion: the amount now due
    assert messages_for(event="services_rating_request", recipient=customer).count() == 2


def test_S7_every_step_is_logged_with_who_from_and_to(customer):
    service = make_service()
    provider = make_provider_for(service)
    job = make_job(customer, service, status=Status.COMPLETED, pay_balance=True)
    steps = [(e.action, e.from_status, e.to_status) for e in job.events.order_by("pk")]
    assert steps[:8] == [
        ("requested", "", "requested"), ("quote_sent", "requested", "quoted"), ("quote_accepted", "quoted", "accepted"),
        ("matching", "accepted", "matching"), ("assigned", "matching", "assigned"),
        ("dispatched", "assigned", "dispatched"), ("started", "dispatched", "in_progress"),
        ("completed", "in_progress", "completed"),
    ]
    assert job.events.get(action="completed").actor == provider.user
    assert job.events.get(action="quote_accepted").actor == customer


def test_work_done_so_far_is_recorded_by_the_provider_within_the_jobs_value(customer):
    service = make_service(base_price="100.00")
    make_provider_for(service)
    job = make_job(customer, service, status=Status.IN_PROGRESS)
    with pytest.raises(Exception) as too_much:
        services.job_record_work_done(job=job, user=job.provider.user, amount="100.01")
    assert getattr(too_much.value, "code", "") == "invalid_amount"
    job = services.job_record_work_done(job=job, user=job.provider.user, amount="40")
    assert job.work_done_amount == D("40.00")
    assert JobEvent.objects.filter(job=job, action="work_recorded").count() == 1


def test_documents_can_be_added_later_by_the_customer_only(customer):
    service = make_service()
    job = make_job(customer, service, status=Status.QUOTED)
    document = services.job_document_add(job=job, user=customer, delivery="courier")
    assert document.delivery == JobDocument.Delivery.COURIER
    with pytest.raises(NotAllowed):
        services.job_document_add(job=job, user=make_customer(), delivery="courier")


def test_factory_drives_a_job_to_dispatched_with_a_visit_in_its_slot(customer):
    service = make_service()
    make_provider_for(service)
    job = make_job(customer, service, status=Status.DISPATCHED, slot="evening")
    start, end = job.slot_bounds()
    assert start <= job.visit_at < end and job.visit_at == visit_time(job)


def test_S5_the_database_refuses_a_deposit_service_without_a_deposit_percentage():
    service = make_service()
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.filter(pk=service.pk).update(payment_rule="deposit", deposit_percent=None)
