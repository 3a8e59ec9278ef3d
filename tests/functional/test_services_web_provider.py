"""The provider's dashboard over HTTP (issue 5 points 6, 7, 8, 13; S4, S8, S12, S13, S15,
S17): their jobs and every step on them, calendar, availability, earnings, ratings."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from services_catalog import services
from services_catalog.models import ChangeOrder, Job, JobDocument, ProviderAvailability, Rating, SlotBooking
from tests.factories_services import make_customer, make_job, make_provider_for, make_service

pytestmark = pytest.mark.django_db
Status = Job.Status
BASE = "/en/dashboard/services/provider"


@pytest.fixture
def service():
    return make_service(pricing_model="fixed", base_price="100", handling_fee="10", callout_fee="20")


@pytest.fixture
def provider(client, service):
    provider = make_provider_for(service, display_name="Reza the mechanic", commission_rate="0.15")
    client.force_login(provider.user)
    return provider


@pytest.fixture
def assigned(provider, service):
    job = make_job(make_customer(first_name="Mina"), service, status=Status.ASSIGNED)
    assert job.provider == provider
    return job


def test_the_provider_sees_their_jobs_by_stage(client, provider, service, assigned):
    done = make_job(make_customer(), service, status=Status.COMPLETED, slot="afternoon", pay_balance=True)
    current = client.get(f"{BASE}/").content.decode()
    assert f'data-job="{assigned.number}"' in current and done.number not in current
    assert f'data-job="{done.number}"' in client.get(f"{BASE}/?show=done").content.decode()
    everything = client.get(f"{BASE}/?show=all").content.decode()
    assert assigned.number in everything and done.number in everything
    assert client.get("/fa/dashboard/services/provider/?show=cancelled").status_code == 200


def visit_day_arrives(job: Job) -> Job:
    """Move the job's booked day (and its visit time, if set) to yesterday: the visit has
    come, so starting and completing are allowed (they are refused before the visit)."""
    job.refresh_from_db()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    shift = job.preferred_date - yesterday
    Job.objects.filter(pk=job.pk).update(preferred_date=yesterday)
    SlotBooking.objects.filter(job=job).update(date=yesterday)
    if job.visit_at is not None:
        Job.objects.filter(pk=job.pk).update(visit_at=job.visit_at - shift)
    job.refresh_from_db()
    return job


def test_S4_the_provider_dispatches_with_the_exact_visit_time_starts_and_completes(client, provider, assigned):
    job = assigned
    page = client.get(f"{BASE}/jobs/{job.number}/").content.decode()
    assert "data-dispatch" in page and "Mina" in page and job.address in page
    outside = client.post(f"{BASE}/jobs/{job.number}/dispatch/", {"visit_time": "23:00"})
    assert outside.status_code == 400 and "booked slot" in outside.content.decode()
    assert client.post(f"{BASE}/jobs/{job.number}/dispatch/", {"visit_time": "10:15"}).status_code == 302
    job.refresh_from_db()
    assert job.status == Status.DISPATCHED and timezone.localtime(job.visit_at).strftime("%H:%M") == "10:15"
    # Before the visit the work cannot start: the page says from when, the action refuses.
    waiting = client.get(f"{BASE}/jobs/{job.number}/").content.decode()
    assert "data-start-from" in waiting and "data-start>" not in waiting
    early = client.post(f"{BASE}/jobs/{job.number}/start/", follow=True)
    assert "can be started from" in early.content.decode()
    job.refresh_from_db()
    assert job.status == Status.DISPATCHED
    visit_day_arrives(job)
    assert "data-start>" in client.get(f"{BASE}/jobs/{job.number}/").content.decode()
    assert client.post(f"{BASE}/jobs/{job.number}/start/").status_code == 302
    assert client.post(f"{BASE}/jobs/{job.number}/complete/").status_code == 302
    job.refresh_from_db()
    assert job.status == Status.COMPLETED
    again = client.post(f"{BASE}/jobs/{job.number}/start/", follow=True)
    assert "not possible now" in again.content.decode()


def test_S8_the_provider_records_the_work_done_so_far_within_the_jobs_value(client, provider, assigned):
    job = services.job_dispatch(job=visit_day_arrives(assigned), user=provider.user, visit_at=_visit(assigned))
    assert "work-amount" not in client.get(f"{BASE}/jobs/{job.number}/").content.decode()  # not started yet
    job = services.job_start(job=job, user=provider.user)
    too_much = client.post(f"{BASE}/jobs/{job.number}/work-done/", {"work-amount": "500"})
    assert too_much.status_code == 400 and "between 0 and the job" in too_much.content.decode()
    assert client.post(f"{BASE}/jobs/{job.number}/work-done/", {"work-amount": "abc"}).status_code == 400
    client.post(f"{BASE}/jobs/{job.number}/work-done/", {"work-amount": "30", "work-note": "pipes cut"})
    job.refresh_from_db()
    assert job.work_done_amount == Decimal("30.00")


def test_S12_the_provider_proposes_extra_work_the_customer_must_accept(client, provider, assigned):
    job = assigned
    bad = client.post(f"{BASE}/jobs/{job.number}/change-orders/", {"description": "", "amount": "0"})
    assert bad.status_code == 400
    client.post(f"{BASE}/jobs/{job.number}/change-orders/", {"description": "Second filter", "amount": "15"})
    change = ChangeOrder.objects.get(job=job)
    assert change.status == ChangeOrder.Status.PROPOSED
    job.refresh_from_db()
    assert job.extras_total == Decimal("0.00")  # nothing added before the customer says yes
    assert f'data-change-order="{change.pk}"' in client.get(f"{BASE}/jobs/{job.number}/").content.decode()


def test_the_provider_declines_and_the_job_leaves_their_list(client, provider, service, assigned):
    other = make_provider_for(service, rating="1")
    response = client.post(f"{BASE}/jobs/{assigned.number}/decline/", {"reason": "Van broke down"})
    assert response.status_code == 302 and response["Location"] == f"{BASE}/"
    assigned.refresh_from_db()
    assert assigned.provider == other
    assert client.get(f"{BASE}/jobs/{assigned.number}/").status_code == 404


def test_S15_the_provider_rates_the_customer_once_after_completion(client, provider, service):
    job = make_job(make_customer(), service, status=Status.COMPLETED, pay_balance=True)
    early_job = make_job(make_customer(), service, status=Status.ASSIGNED, slot="evening")
    refused = client.post(f"{BASE}/jobs/{early_job.number}/rate/", {"score": "5"}, follow=True)
    assert "once it is completed" in refused.content.decode()
    client.post(f"{BASE}/jobs/{job.number}/rate/", {"score": "3", "comment": "Not home on time"})
    client.post(f"{BASE}/jobs/{job.number}/rate/", {"score": "5"})
    assert list(Rating.objects.filter(job=job).values_list("side", "score")) == [(Rating.Side.PROVIDER, 3)]
    bad = client.post(f"{BASE}/jobs/{job.number}/rate/", {"score": "0"}, follow=True)
    assert "Choose a score from 1 to 5" in bad.content.decode()


def test_S6_the_provider_records_an_original_received_and_returned(client, provider):
    service = make_service(pricing_model="fixed", required_documents=[("Vehicle card", True)])
    provider.services.add(service)
    provider.areas.add(*service.areas.all())
    requirement = service.required_documents.get()
    job = make_job(make_customer(), service, status=Status.ASSIGNED,
                   documents=[{"requirement": requirement, "delivery": "courier"}])
    document = job.documents.get()
    client.post(f"{BASE}/jobs/{job.number}/documents/{document.pk}/")
    client.post(f"{BASE}/jobs/{job.number}/documents/{document.pk}/", {"returned": "1"})
    document = JobDocument.objects.get(pk=document.pk)
    assert document.received_at is not None and document.returned_at is not None


def test_S13_the_calendar_shows_booked_and_free_slots_for_14_days(client, provider, assigned):
    html = client.get(f"{BASE}/calendar/").content.decode()
    assert f'data-booked="{assigned.number}"' in html
    assert html.count("<tr>") >= 14 and "Free" in html
    assert client.get("/fa/dashboard/services/provider/calendar/").status_code == 200


def test_S13_the_provider_edits_weekly_availability_and_sees_their_areas(client, provider, service):
    page = client.get(f"{BASE}/availability/").content.decode()
    assert "data-areas" in page and service.areas.first().name_en in page
    client.post(f"{BASE}/availability/", {"slot_5_morning": "on", "slot_6_evening": "on"})
    assert set(ProviderAvailability.objects.filter(provider=provider).values_list("weekday", "slot")) == {
        (5, "morning"), (6, "evening"),
    }


def test_S17_earnings_show_the_ledger_balance_after_commission(client, provider, service):
    make_job(make_customer(), service, status=Status.COMPLETED, pay_balance=True)
    html = client.get(f"{BASE}/earnings/").content.decode()
    assert "data-balance" in html and "85.00" in html  # 100 minus 15% commission
    assert client.get("/fa/dashboard/services/provider/earnings/").status_code == 200


def test_S15_ratings_received_are_listed_with_the_average(client, provider, service):
    job = make_job(make_customer(), service, status=Status.COMPLETED, pay_balance=True)
    services.rating_submit(job=job, user=job.customer, score=4, comment="Tidy work")
    html = client.get(f"{BASE}/ratings/").content.decode()
    assert "Tidy work" in html and "4.00" in html


def test_provider_menu_entries_show_in_the_dashboard_menu(client, provider):
    html = client.get(f"{BASE}/").content.decode()
    assert f'href="{BASE}/calendar/"' in html and f'href="{BASE}/earnings/"' in html
    assert 'href="/en/dashboard/services/intake/"' not in html


def _visit(job: Job) -> datetime.datetime:
    from services_catalog.models import slot_bounds

    return slot_bounds(job.preferred_date, job.slot)[0] + datetime.timedelta(minutes=30)


@pytest.mark.parametrize("language", ["fa", "en"])
def test_every_provider_page_renders_in_both_languages(client, provider, assigned, language):
    base = f"/{language}/dashboard/services/provider"
    for path in ("/", "/?show=done", f"/jobs/{assigned.number}/", "/calendar/", "/availability/", "/earnings/",
                 "/ratings/"):
        response = client.get(base + path)
        assert response.status_code == 200, path
        assert ('dir="rtl"' in response.content.decode()) == (language == "fa"), path
    page = client.get(f"{base}/jobs/{assigned.number}/").content.decode()
    assert ("اعلام ساعت مراجعه به مشتری" in page) == (language == "fa")
