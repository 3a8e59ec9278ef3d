"""The service-jobs REST API (issue 5 point 13): `/api/v1/jobs/` for customers and
`/api/v1/provider/` for providers, in the OpenAPI schema, scoped to the user; a refused
rule is a 4xx `{"code", "detail"}`; another's job is 404."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from services_catalog import services
from services_catalog.models import ChangeOrder, Job, ProviderAvailability, Quote, Rating, WarrantyClaim, slot_bounds
from tests.factories_services import future_date, make_customer, make_job, make_provider_for, make_service
from tests.functional.test_services_web_provider import visit_day_arrives

pytestmark = pytest.mark.django_db
Status = Job.Status


def api_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def is_not_found(api: APIClient, response) -> bool:
    """A plain 404 with the API's error code (core.middleware.LocaleMiddleware keeps API
    404s from being redirected to a language-prefixed HTML page)."""
    return response.status_code == 404 and response.json().get("code") == "not_found"


@pytest.fixture
def service():
    return make_service(pricing_model="fixed", base_price="50", handling_fee="10", callout_fee="20")


@pytest.fixture
def provider(service):
    return make_provider_for(service, display_name="API provider")


@pytest.fixture
def alice():
    return make_customer()


# ------------------------------------------------------------------ schema
def test_the_jobs_and_provider_endpoints_are_in_the_openapi_schema(client):
    from openapi_spec_validator import validate

    schema = json.loads(client.get("/api/schema/?format=json").content)
    validate(schema)
    for path in ("/api/v1/jobs/", "/api/v1/jobs/{number}/", "/api/v1/jobs/{number}/accept-quote/",
                 "/api/v1/jobs/{number}/cancellation-quote/", "/api/v1/jobs/{number}/cancel/",
                 "/api/v1/jobs/{number}/rate/", "/api/v1/jobs/{number}/warranty/", "/api/v1/jobs/{number}/pay/",
                 "/api/v1/jobs/{number}/change-orders/{change_id}/decide/", "/api/v1/provider/jobs/",
                 "/api/v1/provider/jobs/{number}/dispatch/", "/api/v1/provider/jobs/{number}/decline/",
                 "/api/v1/provider/jobs/{number}/start/", "/api/v1/provider/jobs/{number}/complete/",
                 "/api/v1/provider/jobs/{number}/change-orders/", "/api/v1/provider/jobs/{number}/rate/",
                 "/api/v1/provider/slots/", "/api/v1/provider/earnings/"):
        assert path in schema["paths"], path


# ------------------------------------------------------------------ customers
def test_a_customer_requests_a_service_and_reads_the_timeline(alice, service):
    api = api_for(alice)
    response = api.post("/api/v1/jobs/", {
        "service": service.slug, "area": service.areas.first().slug, "address": "Tehran, Enghelab 5",
        "preferred_date": future_date(service).isoformat(), "slot": "morning", "description": "API request",
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == Status.QUOTED and body["quote"]["total"] == "50.00"
    assert [event["action"] for event in body["timeline"]] == ["requested", "quote_sent"]
    listing = api.get("/api/v1/jobs/").json()
    assert [job["number"] for job in listing["results"]] == [body["number"]]
    assert api.get(f"/api/v1/jobs/{body['number']}/").json()["address"] == "Tehran, Enghelab 5"


def test_S1_a_date_too_early_is_a_400_with_the_lead_time_code(alice, service):
    response = api_for(alice).post("/api/v1/jobs/", {
        "service": service.slug, "area": service.areas.first().slug, "address": "x",
        "preferred_date": timezone.localdate().isoformat(), "slot": "morning",
    }, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "lead_time_too_short" and "earliest date" in response.json()["detail"]


def test_bad_request_input_is_a_400_with_field_errors(alice, service):
    response = api_for(alice).post("/api/v1/jobs/", {"service": "nope", "slot": "midnight"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert {"service", "slot", "address", "preferred_date", "area"} <= set(body["fields"])


def test_S6_originals_travel_through_the_api(alice):
    service = make_service(pricing_model="fixed", required_documents=[("Power of attorney", True)])
    requirement = service.required_documents.get()
    base = {"service": service.slug, "area": service.areas.first().slug, "address": "x",
            "preferred_date": future_date(service).isoformat(), "slot": "morning"}
    missing = api_for(alice).post("/api/v1/jobs/", base, format="json")
    assert missing.status_code == 400 and missing.json()["code"] == "missing_documents"
    done = api_for(alice).post("/api/v1/jobs/", {**base, "documents": [
        {"requirement": requirement.pk, "delivery": "courier"}]}, format="json")
    assert done.status_code == 201


def test_S12_accepting_twice_locks_the_price_once(alice, service, provider):
    job = make_job(alice, service, status=Status.QUOTED)
    api = api_for(alice)
    first = api.post(f"/api/v1/jobs/{job.number}/accept-quote/", {}, format="json")
    second = api.post(f"/api/v1/jobs/{job.number}/accept-quote/", {}, format="json")
    assert first.status_code == second.status_code == 200
    assert second.json()["price_total"] == "50.00" and second.json()["provider"] == "API provider"
    assert job.charges.filter(kind="quote").count() == 1


def test_S2_an_expired_quote_is_refused_with_its_code(alice, service):
    job = make_job(alice, service, status=Status.QUOTED)
    Quote.objects.filter(job=job).update(valid_until=timezone.now() - datetime.timedelta(minutes=1))
    response = api_for(alice).post(f"/api/v1/jobs/{job.number}/accept-quote/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "quote_expired"
    assert api_for(alice).get(f"/api/v1/jobs/{job.number}/").json()["quote"]["is_expired"] is True


def test_S8_the_cancellation_quote_comes_before_the_cancellation(alice, service, provider):
    job = make_job(alice, service, status=Status.ASSIGNED)
    api = api_for(alice)
    preview = api.get(f"/api/v1/jobs/{job.number}/cancellation-quote/").json()
    assert preview["stage"] == "assigned" and preview["fee_total"] == "10.00"
    assert [line["kind"] for line in preview["lines"]] == ["cancellation_fee"]
    services.job_dispatch(job=job, user=provider.user,
                          visit_at=slot_bounds(job.preferred_date, job.slot)[0] + datetime.timedelta(minutes=5))
    changed = api.post(f"/api/v1/jobs/{job.number}/cancel/", {"expected_fee": "10.00"}, format="json")
    assert changed.status_code == 409 and changed.json()["code"] == "fee_changed"
    done = api.post(f"/api/v1/jobs/{job.number}/cancel/", {"expected_fee": "20.00", "reason": "no"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == Status.CANCELLED


def test_S12_the_customer_decides_a_change_order(alice, service, provider):
    job = make_job(alice, service, status=Status.IN_PROGRESS)
    change = services.change_order_propose(job=job, provider_user=provider.user, description="Belt",
                                           amount=Decimal("8"))
    api = api_for(alice)
    bad = api.post(f"/api/v1/jobs/{job.number}/change-orders/{change.pk}/decide/", {}, format="json")
    assert bad.status_code == 400
    ok = api.post(f"/api/v1/jobs/{job.number}/change-orders/{change.pk}/decide/", {"accept": True}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == ChangeOrder.Status.ACCEPTED
    flip = api.post(f"/api/v1/jobs/{job.number}/change-orders/{change.pk}/decide/", {"accept": False}, format="json")
    assert flip.status_code == 409 and flip.json()["code"] == "invalid_transition"
    assert api.get(f"/api/v1/jobs/{job.number}/").json()["value"] == "58.00"


def test_S15_S11_S10_rate_report_and_complain_after_completion(alice, service, provider):
    job = make_job(alice, service, status=Status.COMPLETED, pay_balance=True)
    api = api_for(alice)
    assert api.post(f"/api/v1/jobs/{job.number}/rate/", {"score": 6}, format="json").status_code == 400
    assert api.post(f"/api/v1/jobs/{job.number}/rate/", {"score": 5}, format="json").status_code == 201
    again = api.post(f"/api/v1/jobs/{job.number}/rate/", {"score": 1}, format="json")
    assert again.json()["score"] == 5 and Rating.objects.filter(job=job).count() == 1
    claim = api.post(f"/api/v1/jobs/{job.number}/warranty/", {"reason": "Noise again"}, format="json")
    assert claim.status_code == 201 and WarrantyClaim.objects.get(pk=claim.json()["id"]).job == job
    complaint = api.post(f"/api/v1/jobs/{job.number}/complaint/", {"text": "Left a mess"}, format="json")
    assert complaint.status_code == 201 and job.complaints.count() == 1


def test_S15_rating_before_completion_is_refused_with_its_code(alice, service):
    job = make_job(alice, service, status=Status.QUOTED)
    response = api_for(alice).post(f"/api/v1/jobs/{job.number}/rate/", {"score": 4}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "rating_not_allowed"


def test_S5_pay_without_card_payments_is_a_409(alice, settings):
    settings.STRIPE_SECRET_KEY = ""
    job = make_job(alice, make_service(pricing_model="fixed", payment_rule="upfront"), status=Status.ACCEPTED,
                   pay=False)
    response = api_for(alice).post(f"/api/v1/jobs/{job.number}/pay/")
    assert response.status_code == 409 and response.json()["code"] == "card_unavailable"
    assert api_for(alice).get(f"/api/v1/jobs/{job.number}/").json()["payment_due"]["card_available"] is False


def test_S5_pay_returns_the_intent_of_the_amount_due(alice, stripe_settings):
    job = make_job(alice, make_service(pricing_model="fixed", base_price="70", payment_rule="upfront"),
                   status=Status.ACCEPTED, pay=False)
    api = api_for(alice)
    first = api.post(f"/api/v1/jobs/{job.number}/pay/").json()
    second = api.post(f"/api/v1/jobs/{job.number}/pay/").json()
    assert first["amount"] == "70.00" and first["purpose"] == "full" and first["client_secret"]
    assert first["payment"] == second["payment"]  # a repeated call resumes the same payment


# ------------------------------------------------------------------ providers
def test_the_provider_drives_a_job_from_dispatch_to_completion(alice, service, provider):
    job = make_job(alice, service, status=Status.ASSIGNED)
    api = api_for(provider.user)
    assert [j["number"] for j in api.get("/api/v1/provider/jobs/").json()["results"]] == [job.number]
    assert api.get("/api/v1/provider/jobs/?status=completed").json()["results"] == []
    start, _end = slot_bounds(job.preferred_date, job.slot)
    outside = api.post(f"/api/v1/provider/jobs/{job.number}/dispatch/",
                       {"visit_at": (start - datetime.timedelta(hours=3)).isoformat()}, format="json")
    assert outside.status_code == 400 and outside.json()["code"] == "invalid_visit_time"
    visit = start + datetime.timedelta(minutes=45)
    dispatched = api.post(f"/api/v1/provider/jobs/{job.number}/dispatch/", {"visit_at": visit.isoformat()},
                          format="json")
    assert dispatched.status_code == 200 and dispatched.json()["status"] == Status.DISPATCHED
    early = api.post(f"/api/v1/provider/jobs/{job.number}/start/")
    assert early.status_code == 409 and early.json()["code"] == "too_early"
    visit_day_arrives(job)
    assert api.post(f"/api/v1/provider/jobs/{job.number}/start/").json()["status"] == Status.IN_PROGRESS
    assert api.post(f"/api/v1/provider/jobs/{job.number}/work-done/", {"amount": "20"},
                    format="json").status_code == 200
    proposed = api.post(f"/api/v1/provider/jobs/{job.number}/change-orders/",
                        {"description": "Extra hose", "amount": "6.50"}, format="json")
    assert proposed.status_code == 201 and proposed.json()["status"] == "proposed"
    completed = api.post(f"/api/v1/provider/jobs/{job.number}/complete/").json()
    assert completed["status"] == Status.COMPLETED
    assert api.post(f"/api/v1/provider/jobs/{job.number}/rate/", {"score": 4}, format="json").status_code == 201


def test_the_provider_declines_and_loses_sight_of_the_job(alice, service, provider):
    job = make_job(alice, service, status=Status.ASSIGNED)
    api = api_for(provider.user)
    assert api.post(f"/api/v1/provider/jobs/{job.number}/decline/", {"reason": "ill"},
                    format="json").status_code == 204
    assert is_not_found(api, api.get(f"/api/v1/provider/jobs/{job.number}/"))


def test_S13_the_provider_reads_slots_and_replaces_weekly_availability(alice, service, provider):
    job = make_job(alice, service, status=Status.ASSIGNED)
    api = api_for(provider.user)
    slots = api.get("/api/v1/provider/slots/").json()
    assert {"date": job.preferred_date.isoformat(), "slot": job.slot, "job": job.number} in slots["bookings"]
    put = api.put("/api/v1/provider/slots/", {"availability": [{"weekday": 0, "slot": "morning"},
                                                                {"weekday": 5, "slot": "evening"}]}, format="json")
    assert put.status_code == 200
    assert set(ProviderAvailability.objects.filter(provider=provider).values_list("weekday", "slot")) == {
        (0, "morning"), (5, "evening")}
    bad = api.put("/api/v1/provider/slots/", {"availability": [{"weekday": 9, "slot": "night"}]}, format="json")
    assert bad.status_code == 400


def test_S17_earnings_show_the_share_after_commission(alice, service, provider):
    api = api_for(provider.user)
    assert api.get("/api/v1/provider/earnings/").json()["balance"] == "0.00"
    make_job(alice, service, status=Status.COMPLETED, pay_balance=True)
    earnings = api.get("/api/v1/provider/earnings/").json()
    assert earnings["balance"] == "42.50"  # 50 minus 15%
    assert [leg["amount"] for leg in earnings["statement"]] == ["42.50"]


# ------------------------------------------------------------------ permissions (point 13)
def test_another_customers_job_is_404_for_every_customer_endpoint(alice, service, provider):
    job = make_job(alice, service, status=Status.IN_PROGRESS)
    change = services.change_order_propose(job=job, provider_user=provider.user, description="x", amount=Decimal(1))
    api = api_for(make_customer())
    assert api.get("/api/v1/jobs/").json()["results"] == []
    for method, suffix in (("get", ""), ("get", "cancellation-quote/"), ("post", "accept-quote/"),
                           ("post", "cancel/"), ("post", "rate/"), ("post", "warranty/"), ("post", "complaint/"),
                           ("post", "pay/"), ("post", f"change-orders/{change.pk}/decide/")):
        response = getattr(api, method)(f"/api/v1/jobs/{job.number}/{suffix}", {"accept": True, "score": 1,
                                                                                  "reason": "x", "text": "x"},
                                        format="json")
        assert is_not_found(api, response), suffix
    job.refresh_from_db()
    assert job.status == Status.IN_PROGRESS and job.change_orders.get().status == "proposed"


def test_another_providers_job_is_404_and_non_providers_get_403(alice, service, provider):
    job = make_job(alice, service, status=Status.ASSIGNED)
    other = make_provider_for(make_service())
    api = api_for(other.user)
    assert api.get("/api/v1/provider/jobs/").json()["results"] == []
    for suffix in ("dispatch/", "start/", "complete/", "decline/", "rate/", "change-orders/", "work-done/", "quote/"):
        assert is_not_found(api, api.post(f"/api/v1/provider/jobs/{job.number}/{suffix}", {}, format="json"))
    assert is_not_found(api, api.get(f"/api/v1/provider/jobs/{job.number}/"))
    customer_api = api_for(alice)
    for path in ("/api/v1/provider/jobs/", "/api/v1/provider/slots/", "/api/v1/provider/earnings/",
                 f"/api/v1/provider/jobs/{job.number}/"):
        assert customer_api.get(path).status_code == 403, path
    # The customer's own endpoints do not let the provider in either.
    provider_api = api_for(provider.user)
    assert is_not_found(provider_api, provider_api.get(f"/api/v1/jobs/{job.number}/"))
    job.refresh_from_db()
    assert job.status == Status.ASSIGNED


def test_anonymous_calls_are_refused():
    api = APIClient()
    for path in ("/api/v1/jobs/", "/api/v1/provider/jobs/", "/api/v1/provider/slots/", "/api/v1/provider/earnings/"):
        assert api.get(path).status_code in (401, 403), path
    assert api.post("/api/v1/jobs/", {}, format="json").status_code in (401, 403)
