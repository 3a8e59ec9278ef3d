"""Issue 5 point 13 on the pages: a customer or provider can never see or act on another's
job, and only staff reach the staff dashboard. Every URL of the app is tried."""

from __future__ import annotations

import pytest

from services_catalog.models import Job, Rating
from services_catalog.views import track_token
from tests.factories_services import make_customer, make_job, make_provider_for, make_service, make_staff

pytestmark = pytest.mark.django_db
Status = Job.Status


@pytest.fixture
def world():
    """Two customers and two providers, each with a job in progress or completed."""
    service = make_service(pricing_model="fixed", base_price="50")
    alice_provider = make_provider_for(service, rating="5", slots=[(d, "morning") for d in range(7)])
    bob_provider = make_provider_for(service, rating="4", slots=[(d, "afternoon") for d in range(7)])
    alice, bob = make_customer(), make_customer()
    alice_job = make_job(alice, service, status=Status.IN_PROGRESS, slot="morning")
    bob_job = make_job(bob, service, status=Status.COMPLETED, slot="afternoon", pay_balance=True)
    assert alice_job.provider == alice_provider and bob_job.provider == bob_provider
    change = alice_job.change_orders.create(description="Extra", amount="5", proposed_by=alice_provider.user)
    return {"alice": alice, "bob": bob, "alice_provider": alice_provider, "bob_provider": bob_provider,
            "alice_job": alice_job, "bob_job": bob_job, "change": change}


def customer_urls(job: Job, change_id: int) -> list[tuple[str, str]]:
    base = f"/en/services/jobs/{job.number}"
    quote_id = job.quotes.first().pk
    return [
        ("get", f"{base}/"), ("get", f"{base}/pay/"), ("get", f"{base}/pay/return/"), ("get", f"{base}/cancel/"),
        ("post", f"{base}/cancel/"), ("post", f"{base}/quotes/{quote_id}/accept/"),
        ("post", f"{base}/change-orders/{change_id}/"), ("post", f"{base}/rate/"), ("post", f"{base}/warranty/"),
        ("post", f"{base}/complaint/"), ("post", f"{base}/documents/"),
        # The job's pay and return pages are payments' shared ones.
        ("get", f"/en/payments/job/{job.number}/pay/"), ("get", f"/en/payments/job/{job.number}/return/"),
    ]


def provider_urls(job: Job) -> list[tuple[str, str]]:
    base = f"/en/dashboard/services/provider/jobs/{job.number}"
    document_id = 1
    return [("get", f"{base}/")] + [
        ("post", f"{base}/{action}/")
        for action in ("quote", "not-feasible", "decline", "dispatch", "start", "work-done", "change-orders",
                       "complete", "rate")
    ] + [("post", f"{base}/documents/{document_id}/")]


def staff_urls(job: Job) -> list[tuple[str, str]]:
    base = "/en/dashboard/services"
    return [
        ("get", f"{base}/"), ("get", f"{base}/jobs/{job.number}/"), ("post", f"{base}/jobs/{job.number}/quote/"),
        ("post", f"{base}/jobs/{job.number}/not-feasible/"), ("post", f"{base}/jobs/{job.number}/reassign/"),
        ("post", f"{base}/jobs/{job.number}/dispatch/"), ("post", f"{base}/jobs/{job.number}/cash/"),
        ("post", f"{base}/jobs/{job.number}/cash-refund/"), ("post", f"{base}/jobs/{job.number}/accept-for-caller/"),
        ("post", f"{base}/jobs/{job.number}/cancel/"), ("get", f"{base}/warranty/"),
        ("post", f"{base}/warranty/1/confirm/"), ("post", f"{base}/warranty/1/reject/"),
        ("get", f"{base}/complaints/"), ("get", f"{base}/complaints/1/"), ("get", f"{base}/providers/"),
        ("post", f"{base}/providers/1/reinstate/"), ("get", f"{base}/intake/"),
        ("get", f"{base}/intake/{job.customer_id}/"),
    ]


def snapshot(job: Job) -> tuple:
    job.refresh_from_db()
    return (job.status, job.provider_id, job.amount_paid, job.visit_at, job.extras_total, job.events.count(),
            job.ratings.count(), job.complaints.count(), job.warranty_claims.count())


@pytest.mark.parametrize("intruder", ["bob", "alice_provider", "bob_provider"])
def test_nobody_but_the_customer_sees_or_acts_on_a_job_through_the_customer_pages(client, world, intruder):
    job = world["alice_job"]
    before = snapshot(job)
    client.force_login(world[intruder].user if intruder.endswith("provider") else world[intruder])
    for method, url in customer_urls(job, world["change"].pk):
        response = getattr(client, method)(url, {"decision": "accept", "score": "1", "reason": "x", "text": "x",
                                                 "expected_fee": "0", "delivery": "post"})
        assert response.status_code == 404, (method, url)
    assert snapshot(job) == before


@pytest.mark.parametrize("intruder", ["alice", "bob", "bob_provider"])
def test_no_other_provider_or_customer_sees_or_acts_on_a_job_through_the_provider_pages(client, world, intruder):
    job = world["alice_job"]
    before = snapshot(job)
    client.force_login(world[intruder].user if intruder.endswith("provider") else world[intruder])
    for method, url in provider_urls(job):
        response = getattr(client, method)(url, {"visit_time": "09:00", "score": "1", "amount": "1",
                                                 "description": "x", "reason": "x"})
        expected = 404 if intruder == "bob_provider" else 403
        assert response.status_code == expected, (method, url)
    assert snapshot(job) == before


@pytest.mark.parametrize("who", ["alice", "alice_provider"])
def test_customers_and_providers_never_reach_staff_pages(client, world, who):
    """Signed in without a staff ability: the 403 page (never a silent redirect)."""
    job = world["bob_job"]
    before = snapshot(job)
    client.force_login(world[who].user if who.endswith("provider") else world[who])
    for method, url in staff_urls(job):
        response = getattr(client, method)(url, {"reason": "x", "valid_days": "3", "line_0_description": "x",
                                                 "line_0_unit_price": "1", "expected_fee": "0"})
        assert response.status_code == 403, (method, url)
    assert snapshot(job) == before


def test_anonymous_visitors_are_sent_to_sign_in_and_see_no_job(client, world):
    job = world["alice_job"]
    for method, url in customer_urls(job, world["change"].pk) + provider_urls(job) + staff_urls(job):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 405), (method, url)
        if response.status_code == 302:
            assert "/login/" in response["Location"], (method, url)
    # The one public page is the signed status link, which names no person or address.
    html = client.get(f"/en/services/track/{track_token(job)}/").content.decode()
    assert job.address not in html and world["alice"].email not in html


def test_a_user_who_is_not_a_provider_gets_403_on_provider_pages(client, world):
    client.force_login(make_customer())
    for path in ("", "calendar/", "availability/", "earnings/", "ratings/"):
        assert client.get(f"/en/dashboard/services/provider/{path}").status_code == 403


def test_S15_a_provider_cannot_rate_a_job_that_is_not_theirs_even_when_completed(client, world):
    client.force_login(world["alice_provider"].user)
    response = client.post(f"/en/dashboard/services/provider/jobs/{world['bob_job'].number}/rate/", {"score": "1"})
    assert response.status_code == 404
    assert not Rating.objects.filter(job=world["bob_job"], side=Rating.Side.PROVIDER).exists()


def test_staff_reach_every_staff_page(client, world):
    client.force_login(make_staff())
    for method, url in staff_urls(world["bob_job"]):
        if method == "get" and "/complaints/1/" not in url:
            assert client.get(url).status_code == 200, url

