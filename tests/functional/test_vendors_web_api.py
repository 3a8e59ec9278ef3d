"""The vendor REST API (issue 4 point 10): the seller dashboard's operations under
/api/v1/vendor/, scoped to the authenticated user's vendor (another vendor's objects are
404, a user who works for no vendor gets 403), domain errors as 4xx with a code, and
every endpoint in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from tests.factories_vendors import vendor_user
from tests.functional.test_vendors_web_seller import (  # noqa: F401  (fixtures)
    buyer,
    deliver,
    lamp,
    order,
    rug,
    shipment_a,
    shipment_b,
    shop_a,
    shop_b,
)
from tests.helpers.roles import make_staff
from vendors import services
from vendors.models import Shipment, ShipmentLine, WarrantyClaim

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db
API = "/api/v1/vendor"


def assert_not_found(response) -> None:
    """404, never data. Django's LocaleMiddleware currently turns any 404 under /api/ into a
    redirect to the same path with a language prefix (Wagtail's catch-all page route makes
    every prefixed path "valid"); that target is the site's 404 page. Either way: nothing."""
    if response.status_code == 302:
        location = response["Location"]
        assert location.split("/", 2)[2] == response.wsgi_request.path.lstrip("/"), location
        response = APIClient().get(location)
    assert response.status_code == 404, response.status_code


@pytest.fixture
def api(shop_a):  # noqa: F811
    client = APIClient()
    client.force_authenticate(vendor_user(shop_a))
    return client


def test_every_endpoint_refuses_users_who_work_for_no_vendor_and_visitors(customer, shipment_a):  # noqa: F811
    client = APIClient()
    paths = ["shipments/", f"shipments/{shipment_a.pk}/", "claims/", "stock-records/", "payouts/", "balance/",
             "performance/"]
    for path in paths:
        response = client.get(f"{API}/{path}")
        assert response.status_code == 403, path
        assert response.json()["code"] == "not_authenticated"
    client.force_authenticate(customer)
    for path in paths:
        response = client.get(f"{API}/{path}")
        assert response.status_code == 403, path
        assert response.json()["code"] == "permission_denied"
    assert client.post(f"{API}/shipments/{shipment_a.pk}/confirm/").status_code == 403
    shipment_a.refresh_from_db()
    assert shipment_a.status == "pending"


def test_shipments_are_listed_and_retrieved_for_the_vendor_only(api, shipment_a, shipment_b, buyer):  # noqa: F811
    listing = api.get(f"{API}/shipments/").json()
    assert [s["id"] for s in listing["results"]] == [shipment_a.pk]
    detail = api.get(f"{API}/shipments/{shipment_a.pk}/").json()
    assert detail["order_number"] == str(shipment_a.order.number)
    assert detail["shipping_address"]["phone"] == str(shipment_a.order.shipping_address.phone_number)
    assert buyer.email not in json.dumps(detail)
    assert [line["id"] for line in detail["lines"]] == [shipment_a.lines.get().pk]
    assert detail["lines"][0]["installation_status"] == "to_do"
    assert_not_found(api.get(f"{API}/shipments/{shipment_b.pk}/"))
    assert api.get(f"{API}/shipments/?status=delivered").json()["count"] == 0


def test_a_vendor_confirms_ships_installs_and_delivers_through_the_api(api, shipment_a, shop_a):  # noqa: F811
    base = f"{API}/shipments/{shipment_a.pk}"
    early = api.post(f"{base}/ship/", {"tracking_reference": "TRK-9"}, format="json")
    assert (early.status_code, early.json()["code"]) == (409, "invalid_transition")

    assert api.post(f"{base}/confirm/").json()["status"] == "confirmed"
    missing = api.post(f"{base}/ship/", {"tracking_reference": ""}, format="json")
    assert missing.status_code == 400 and "tracking_reference" in missing.json()["fields"]
    shipment_a.refresh_from_db()
    assert shipment_a.status == "confirmed"

    shipped = api.post(f"{base}/ship/", {"tracking_reference": "TRK-9", "carrier": "Post"}, format="json").json()
    assert (shipped["status"], shipped["tracking_reference"], shipped["carrier"]) == ("shipped", "TRK-9", "Post")
    line = shipment_a.lines.get()
    installed = api.post(f"{base}/installation-done/", {"line": line.pk}, format="json").json()
    assert installed["lines"][0]["installation_status"] == "done"
    delivered = api.post(f"{base}/deliver/").json()
    assert delivered["status"] == "delivered" and delivered["lines"][0]["warranty_ends_on"]
    assert Decimal(api.get(f"{API}/balance/").json()["held"]) == Decimal("41.00")


def test_actions_on_another_vendors_shipment_answer_404_and_change_nothing(api, shipment_b):  # noqa: F811
    for action, body in (("confirm", {}), ("ship", {"tracking_reference": "X"}), ("deliver", {}),
                         ("installation-done", {"line": shipment_b.lines.get().pk})):
        assert_not_found(api.post(f"{API}/shipments/{shipment_b.pk}/{action}/", body, format="json"))
    shipment_b.refresh_from_db()
    assert shipment_b.status == "pending"


def test_installation_done_for_a_line_of_another_shipment_is_404(api, shipment_a, shipment_b):  # noqa: F811
    deliver(shipment_a)
    response = api.post(f"{API}/shipments/{shipment_a.pk}/installation-done/",
                        {"line": shipment_b.lines.get().pk}, format="json")
    assert_not_found(response)


def test_claims_are_listed_and_answered_through_the_api(api, shipment_a, buyer, shop_b):  # noqa: F811
    deliver(shipment_a)
    claim = services.warranty_claim_open(shipment_line=shipment_a.lines.get(), customer=buyer, kind="repair",
                                         description="Dead on arrival.")
    assert [c["id"] for c in api.get(f"{API}/claims/").json()["results"]] == [claim.pk]
    no_reason = api.post(f"{API}/claims/{claim.pk}/respond/", {"accept": False, "response": ""}, format="json")
    assert no_reason.status_code == 400
    answered = api.post(f"{API}/claims/{claim.pk}/respond/", {"accept": True, "response": "Replacing it."},
                        format="json").json()
    assert (answered["status"], answered["upheld"], answered["vendor_response"]) == ("accepted", True,
                                                                                    "Replacing it.")
    other = APIClient()
    other.force_authenticate(vendor_user(shop_b))
    assert_not_found(other.get(f"{API}/claims/{claim.pk}/"))
    assert_not_found(other.post(f"{API}/claims/{claim.pk}/respond/", {"accept": False, "response": "no"},
                                format="json"))
    assert other.get(f"{API}/claims/").json()["count"] == 0


def test_stock_records_are_updated_within_the_contracted_quantity(api, lamp, rug):  # noqa: F811
    record = StockRecord.objects.get(product=lamp)
    listing = api.get(f"{API}/stock-records/").json()
    assert [r["id"] for r in listing["results"]] == [record.pk]
    assert listing["results"][0]["contracted_quantity"] == 30

    updated = api.patch(f"{API}/stock-records/{record.pk}/", {"num_in_stock": 12, "price": "39.90"}, format="json")
    assert updated.status_code == 200 and updated.json()["num_in_stock"] == 12
    record.refresh_from_db()
    assert (record.num_in_stock, record.price) == (12, Decimal("39.90"))

    refused = api.patch(f"{API}/stock-records/{record.pk}/", {"num_in_stock": 31}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (400, "stock_refused")
    record.refresh_from_db()
    assert record.num_in_stock == 12

    other = StockRecord.objects.get(product=rug)
    assert_not_found(api.patch(f"{API}/stock-records/{other.pk}/", {"num_in_stock": 0}, format="json"))
    other.refresh_from_db()
    assert other.num_in_stock == 5


def test_payouts_balance_and_performance(api, shipment_a, shop_a):  # noqa: F811
    deliver(shipment_a)
    services.payable_release_due(now=timezone.now() + dt.timedelta(days=30))
    payout = services.payout_create(partner=shop_a, amount=Decimal("20.00"), user=make_staff(),
                                    idempotency_key="api-test-payout")
    payouts = api.get(f"{API}/payouts/").json()
    assert [p["id"] for p in payouts["results"]] == [payout.pk]
    balance = api.get(f"{API}/balance/").json()
    assert (Decimal(balance["held"]), Decimal(balance["available"])) == (Decimal("0"), Decimal("21.00"))
    performance = api.get(f"{API}/performance/").json()
    assert performance["delivered_count"] == 1 and performance["on_time_rate"] == 1.0
    assert len(performance["monthly"]) == 6


def test_a_suspended_vendor_can_read_but_not_write(api, shop_a, shipment_a):  # noqa: F811
    services.vendor_suspend(partner=shop_a, staff_user=make_staff(), reason="Quality")
    assert api.get(f"{API}/balance/").status_code == 200
    assert api.get(f"{API}/shipments/").status_code == 200
    refused = api.post(f"{API}/shipments/{shipment_a.pk}/confirm/")
    assert (refused.status_code, refused.json()["code"]) == (409, "vendor_suspended")
    shipment_a.refresh_from_db()
    assert shipment_a.status == Shipment.Status.PENDING


def test_every_vendor_endpoint_is_in_the_openapi_schema(client):
    schema = json.loads(client.get("/api/schema/?format=json").content)
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/vendor/shipments/", "get"), ("/api/v1/vendor/shipments/{id}/", "get"),
        ("/api/v1/vendor/shipments/{id}/confirm/", "post"), ("/api/v1/vendor/shipments/{id}/ship/", "post"),
        ("/api/v1/vendor/shipments/{id}/deliver/", "post"),
        ("/api/v1/vendor/shipments/{id}/installation-done/", "post"),
        ("/api/v1/vendor/claims/", "get"), ("/api/v1/vendor/claims/{id}/", "get"),
        ("/api/v1/vendor/claims/{id}/respond/", "post"), ("/api/v1/vendor/stock-records/", "get"),
        ("/api/v1/vendor/stock-records/{id}/", "patch"), ("/api/v1/vendor/payouts/", "get"),
        ("/api/v1/vendor/balance/", "get"), ("/api/v1/vendor/performance/", "get"),
    ]:
        assert method in paths.get(path, {}), (path, method)
    ship = paths["/api/v1/vendor/shipments/{id}/ship/"]["post"]
    assert "tracking_reference" in json.dumps(ship["requestBody"]) or "Ship" in json.dumps(ship["requestBody"])
    assert {"403", "404", "409"} <= set(ship["responses"])


def test_the_vendor_api_adds_no_schema_warnings_or_errors():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    messages = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    ours = ("vendors/", "ShipmentViewSet", "ClaimViewSet", "StockRecordViewSet", "PayoutViewSet", "BalanceView",
            "PerformanceView")
    assert [m for m in messages if any(name in m for name in ours)] == []


def test_claim_serializer_lists_photo_urls(api, shipment_a, buyer):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    deliver(shipment_a)
    gif_free_png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
                    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\x81\xd9\x00\x00"
                    b"\x00\x00IEND\xaeB`\x82")
    claim = services.warranty_claim_open(
        shipment_line=ShipmentLine.objects.get(pk=shipment_a.lines.get().pk), customer=buyer, kind="replace",
        description="Scratched.", photos=[SimpleUploadedFile("s.png", gif_free_png, content_type="image/png")],
    )
    detail = api.get(f"{API}/claims/{claim.pk}/").json()
    # Private files (issue 14): the checked view, never a public /media/ path.
    assert len(detail["photos"]) == 1 and detail["photos"][0].startswith("http://testserver/files/")
    assert WarrantyClaim.objects.get(pk=claim.pk).photos.count() == 1
