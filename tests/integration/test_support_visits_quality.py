"""S18 on-site support visits as service jobs, S16 the weekly quality-call sample."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from services_catalog.models import Job
from support.models import Channel, QualityCall, Ticket
from support.services import ticket_file
from support.services.quality import sample_quality_calls, week_start
from support.services.visits import book_visit
from tests.factories_services import make_customer, make_job, make_provider_for, make_service
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def test_a_visit_for_the_platforms_fault_is_a_free_job_and_otherwise_priced_from_the_price_list():
    service = make_service(base_price="80.00")
    customer = make_customer()
    jobs_before = Job.objects.count()
    agent = make_role_user("agent")
    free_ticket = ticket_file(customer=customer, channel=Channel.PHONE, subject="Installer broke the tap", body="x")
    job = book_visit(ticket=free_ticket, agent=agent, service=service, area=service.areas.first(),
                     address="Tehran, Azadi 1", platform_fault=True)
    assert job.price_total == Decimal("0") and job.customer == customer
    free_ticket.refresh_from_db()
    assert free_ticket.visit_job == job and free_ticket.fault == Ticket.Fault.PLATFORM
    assert book_visit(ticket=free_ticket, agent=agent, service=service, area=service.areas.first(),
                      address="again", platform_fault=True) == job  # once
    paid_ticket = ticket_file(customer=customer, channel=Channel.PHONE, subject="My own pipe", body="y")
    paid = book_visit(ticket=paid_ticket, agent=agent, service=service, area=service.areas.first(),
                      address="Tehran, Azadi 2", platform_fault=False)
    assert paid.status == Job.Status.QUOTED and paid.quotes.first().total == Decimal("80.00")
    assert Job.objects.count() == jobs_before + 2


def test_an_operator_cannot_book_a_free_visit():
    from django.utils import translation

    from core.errors import NotAllowed
    from services_catalog.services import job_free_support_visit

    service = make_service()
    with translation.override("en"), pytest.raises(NotAllowed, match="support staff"):
        job_free_support_visit(customer=make_customer(), service=service, area=service.areas.first(),
                               address="a", note="n", staff_user=make_role_user("operator"))


def test_the_weekly_sample_takes_a_share_of_completed_jobs_once_a_week():
    service = make_service()
    customer = make_customer()
    jobs = []
    for _n in range(4):
        make_provider_for(service)
        jobs.append(make_job(customer, service, status=Job.Status.COMPLETED))
    now = timezone.now()
    QualityCall.objects.all().delete()  # the demo's sample of this week, when the demo is loaded
    Job.objects.exclude(pk__in=[job.pk for job in jobs]).filter(status=Job.Status.COMPLETED).update(
        completed_at=now - datetime.timedelta(days=30))
    assert sample_quality_calls(now=now, share=0.5, rng=random.Random(1)) == 2
    assert QualityCall.objects.filter(week=week_start(now)).count() == 2
    assert sample_quality_calls(now=now + datetime.timedelta(hours=1), share=0.5) == 0  # the same week
    assert {call.job_id for call in QualityCall.objects.all()} <= {job.pk for job in jobs}
    assert week_start(now).weekday() == 5  # Saturday
