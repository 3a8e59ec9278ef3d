"""The staff API (/api/v1/staff/): each back-office action behind its named ability, the
same service the dashboard pages call, `{code, detail}` on refusal (issue 9 point 1:
"page and API")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledger.codes import vendor_available
from ledger.selectors import balances
from services_catalog.models import Job, Service
from tests.factories_services import make_customer, make_job, make_provider_for, make_service
from tests.factories_vendors import make_vendor
from tests.functional.test_payment_permissions import paid_payment as _paid_payment
from tests.helpers.roles import make_role_user
from tests.integration.test_vendors_domain_onboarding import APPLICATION
from vendors import services as vendor_services
from vendors.models import VendorApplication, VendorSanction

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def api(client, role: str):
    client.force_login(make_role_user(role))
    return client


@pytest.fixture
def application(db) -> VendorApplication:
    return vendor_services.application_submit(data=APPLICATION, categories=[])


@pytest.mark.parametrize("role", ["editor", "agent", "senior_agent", "clerk", "customer"])
def test_roles_outside_the_back_office_are_refused_every_staff_action(client, role, application):
    partner = make_vendor()
    api(client, role)
    posts = [
        (f"/api/v1/staff/vendors/{partner.pk}/fine/", {"amount": "5.00", "reason": "late", "idempotency_key": "k1"}),
        (f"/api/v1/staff/vendors/{partner.pk}/payouts/", {"amount": "5.00", "idempotency_key": "k2"}),
        (f"/api/v1/staff/vendors/{partner.pk}/suspend/", {"reason": "fraud"}),
        (f"/api/v1/staff/vendor-applications/{application.pk}/approve/", {}),
        ("/api/v1/staff/payments/1/refund/", {"amount": "1.00"}),
        ("/api/v1/staff/jobs/J-NONE/cash/", {}),
    ]
    for url, body in posts:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 403, url
        assert response.json()["code"] == "permission_denied"
    assert not VendorSanction.objects.filter(partner=partner).exists()
    application.refresh_from_db()
    assert application.status == VendorApplication.Status.PENDING


def test_finance_fines_a_vendor_once_per_key_and_the_ledger_shows_it(client):
    partner = make_vendor()
    api(client, "finance")
    body = {"amount": "12.50", "reason": "Late deliveries", "idempotency_key": "fine-2026-12-01"}
    first = client.post(f"/api/v1/staff/vendors/{partner.pk}/fine/", body, content_type="application/json")
    again = client.post(f"/api/v1/staff/vendors/{partner.pk}/fine/", body, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["amount"] == "12.50"
    code = vendor_available(partner.pk)
    assert balances([code])[code] == Decimal("-12.50")


def test_an_operator_may_review_applications_but_not_fine(client, application):
    partner = make_vendor()
    api(client, "operator")
    listed = client.get("/api/v1/staff/vendor-applications/")
    assert listed.status_code == 200
    assert application.pk in [row["id"] for row in listed.json()["results"]]
    refused = client.post(f"/api/v1/staff/vendor-applications/{application.pk}/reject/", {},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    approved = client.post(f"/api/v1/staff/vendor-applications/{application.pk}/approve/", {},
                           content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    fine = client.post(f"/api/v1/staff/vendors/{partner.pk}/fine/",
                       {"amount": "1.00", "reason": "x", "idempotency_key": "k"}, content_type="application/json")
    assert fine.status_code == 403


def test_a_payout_beyond_the_available_balance_is_refused_with_a_code(client):
    partner = make_vendor()
    api(client, "finance")
    response = client.post(f"/api/v1/staff/vendors/{partner.pk}/payouts/",
                           {"amount": "100.00", "idempotency_key": "p-1"}, content_type="application/json")
    assert response.status_code in (400, 409)
    assert response.json()["code"] and response.json()["detail"]


def test_cash_for_a_job_is_recorded_once_by_the_operator(client):
    service = make_service(payment_rule=Service.PaymentRule.UPFRONT)
    make_provider_for(service)
    job = make_job(make_customer(), service, status=Job.Status.ACCEPTED, pay=False)
    api(client, "operator")
    first = client.post(f"/api/v1/staff/jobs/{job.number}/cash/")
    assert first.status_code == 201, first.content
    assert first.json()["job"] == job.number
    again = client.post(f"/api/v1/staff/jobs/{job.number}/cash/")
    assert again.status_code in (201, 409)
    assert job.receipts.count() == 1


def test_the_staff_api_is_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/staff/payments/{pk}/refund/", "/api/v1/staff/vendors/{pk}/fine/",
                 "/api/v1/staff/jobs/{number}/cash/", "/api/v1/staff/vendor-applications/{pk}/approve/"):
        assert path.replace("{pk}", "{id}") in schema or path in schema, path


@pytest.fixture
def paid_payment(stripe_settings, stripe_client):
    return _paid_payment.__wrapped__(stripe_settings, stripe_client)


def test_finance_refunds_part_of_a_card_payment_through_stripe(client, paid_payment):
    api(client, "finance")
    response = client.post(f"/api/v1/staff/payments/{paid_payment.pk}/refund/",
                           {"amount": "1.00", "reason": "damaged box"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "1.00" and response.json()["status"] == "done"
    paid_payment.refresh_from_db()
    assert paid_payment.amount_refunded == Decimal("1.00")
    too_much = client.post(f"/api/v1/staff/payments/{paid_payment.pk}/refund/",
                           {"amount": "100000.00"}, content_type="application/json")
    assert too_much.status_code in (400, 409) and too_much.json()["code"]
