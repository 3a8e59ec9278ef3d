"""The customer's orders through /api/v1/shop/orders/, card payment through
/api/v1/payments/{kind}/{reference}/intent/ (localstripe, completed by the webhook), goods
warranty claims with photos, a vendor cancelling a shipment through the vendor API, and
the customer cancelling a shipment or the whole order (P5)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from core.private_files import private_file_url
from payments.models import Payment
from shop import order_status
from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order, vendor_user
from tests.functional.test_api_shop_basket import signed_in
from tests.integration.test_payments import GOOD_CARD, intent_event, pay_with_card, signed_post
from vendors.models import Shipment, ShipmentRefund, WarrantyClaim

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

ORDERS = "/api/v1/shop/orders/"


def intent_url(order) -> str:
    return f"/api/v1/payments/order/{order.number}/intent/"


@pytest.fixture
def shipped_order():
    lamps, stoves = make_vendor("Fast lamps"), make_vendor("Slow stoves")
    lamp = make_vendor_product(lamps, price="100.00")
    stove = make_vendor_product(stoves, price="250.00", needs_installation=True, installation_price="30.00")
    customer = UserFactory()
    order = place_order(customer, [(lamp, 1), (stove, 1)], installation_products=[stove])
    return {"customer": customer, "order": order, "lamp": lamp, "stove": stove}


def png(name: str = "broken.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_customer_sees_each_vendors_shipment_with_tracking_in_their_language(shipped_order):
    order, customer = shipped_order["order"], shipped_order["customer"]
    first = order.shipments.order_by("pk").first()
    deliver(first)
    client = signed_in(customer, language="fa")

    listed = client.get(ORDERS).json()
    detail = client.get(f"{ORDERS}{order.number}/").json()

    numbers = [o["number"] for o in (listed["results"] if isinstance(listed, dict) else listed)]
    assert numbers == [str(order.number)]
    shipments = detail["shipments"]
    assert [s["vendor"]["name"] for s in shipments] == ["Fast lamps", "Slow stoves"]
    assert shipments[0]["status"] == "delivered" and shipments[0]["tracking_reference"] == f"TRK-{first.pk}"
    assert shipments[0]["status_display"] == "تحویل‌شده"  # the fa glossary: a state, not an event
    assert (detail["status"], detail["status_display"]) == (order_status.BEING_PROCESSED, "در حال پردازش")
    # P5: the stoves have not left their vendor, so the order can still be cancelled (that part).
    assert detail["can_cancel"] is True
    assert [s["can_cancel"] for s in shipments] == [False, True]
    delivered_line = next(line for line in detail["lines"] if line["shipment"] == first.pk)
    assert delivered_line["can_claim"] is True and delivered_line["warranty_ends_on"]


def test_another_customers_order_answers_404(shipped_order):
    client = signed_in(UserFactory())

    assert client.get(f"{ORDERS}{shipped_order['order'].number}/").status_code == 404
    assert client.post(intent_url(shipped_order["order"])).status_code == 404
    assert client.get(ORDERS).json() in ([], {"count": 0, "next": None, "previous": None, "results": []})


def test_a_warranty_claim_with_photos_goes_to_the_vendor(shipped_order):
    order = shipped_order["order"]
    shipment = order.shipments.order_by("pk").first()
    deliver(shipment)
    line = shipment.lines.get().line
    client = signed_in(shipped_order["customer"])

    response = client.post(f"{ORDERS}{order.number}/lines/{line.pk}/claims/",
                           {"kind": "repair", "description": "The lamp flickers.", "photos": [png(), png("b.png")]},
                           format="multipart")

    assert response.status_code == 201, response.json()
    claim = WarrantyClaim.objects.get(shipment_line__line=line)
    assert response.json()["id"] == claim.pk and claim.photos.count() == 2
    stored = sorted(f"http://testserver{private_file_url(photo, 'image')}" for photo in claim.photos.all())
    assert sorted(response.json()["photos"]) == stored  # the site's private storage, signed links
    again = client.post(f"{ORDERS}{order.number}/lines/{line.pk}/claims/",
                        {"kind": "repair", "description": "Still flickers."}, format="multipart")
    assert again.status_code == 409 and again.json()["code"] == "claim_already_open"


def test_a_claim_is_refused_before_delivery_and_for_a_file_that_is_no_picture(shipped_order):
    order = shipped_order["order"]
    line = order.lines.order_by("pk").first()
    client = signed_in(shipped_order["customer"])
    url = f"{ORDERS}{order.number}/lines/{line.pk}/claims/"

    early = client.post(url, {"kind": "repair", "description": "Broken."}, format="multipart")
    deliver(order.shipments.order_by("pk").first())
    fake = SimpleUploadedFile("photo.png", b"not an image", content_type="image/png")
    not_a_picture = client.post(url, {"kind": "repair", "description": "Broken.", "photos": [fake]},
                                format="multipart")

    assert early.status_code == 400 and early.json()["code"] == "claim_not_allowed"
    assert not_a_picture.status_code == 400 and "photos" in not_a_picture.json()["fields"]
    assert not WarrantyClaim.objects.filter(shipment_line__line__order=order).exists()


def test_another_customer_cannot_claim_on_an_order_line(shipped_order):
    order = shipped_order["order"]
    shipment = order.shipments.order_by("pk").first()
    deliver(shipment)
    line = shipment.lines.get().line

    response = signed_in(UserFactory()).post(f"{ORDERS}{order.number}/lines/{line.pk}/claims/",
                                             {"kind": "repair", "description": "x"}, format="multipart")

    assert response.status_code == 404 and not WarrantyClaim.objects.filter(shipment_line__line__order=order).exists()


def test_a_vendor_cancels_a_shipment_before_it_ships_and_the_customer_sees_why(shipped_order):
    order = shipped_order["order"]
    shipment = order.shipments.order_by("pk").first()
    vendor = signed_in(vendor_user(shipment.partner))

    refused = vendor.post(f"/api/v1/vendor/shipments/{shipment.pk}/cancel/", {}, format="json")
    cancelled = vendor.post(f"/api/v1/vendor/shipments/{shipment.pk}/cancel/", {"reason": "Out of stock"},
                            format="json")

    assert refused.status_code == 400
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    seen = signed_in(shipped_order["customer"]).get(f"{ORDERS}{order.number}/").json()["shipments"][0]
    assert seen["status"] == "cancelled" and seen["cancel_reason"] == "Out of stock"


# ------------------------------------------------------------------ card payment
@pytest.fixture
def card_order(stripe_settings, shipped_order):
    order = shipped_order["order"]
    order.status = order_status.PENDING_PAYMENT
    order.save()
    return shipped_order


def test_an_app_pays_an_order_by_card_and_the_webhook_completes_it(card_order, stripe_client):
    order, customer = card_order["order"], card_order["customer"]
    client = signed_in(customer)

    first = client.post(intent_url(order))
    second = client.post(intent_url(order))

    assert first.status_code == 200, first.json()
    body = first.json()
    assert body["client_secret"].startswith(body["payment_intent"])
    assert body["amount"] == {"amount": f"{order.total_incl_tax:.2f}", "currency": order.currency}
    assert second.json()["payment_intent"] == body["payment_intent"]  # reused, not a second intent
    payment = Payment.objects.get(pk=body["payment"])
    pay_with_card(stripe_client, payment, GOOD_CARD)
    webhook = signed_post(Client(), intent_event(stripe_client, payment, "payment_intent.succeeded", "evt_api_1"))
    assert webhook.status_code == 200
    detail = client.get(f"{ORDERS}{order.number}/").json()
    assert detail["status"] == order_status.PENDING and detail["payment"]["due_now"] is False
    assert detail["receipts"][0]["number"] == f"CHS-{payment.pk}"
    paid_again = client.post(intent_url(order))
    assert paid_again.status_code == 409 and paid_again.json()["code"] == "already_paid"


def test_an_order_not_waiting_for_payment_has_nothing_to_pay(stripe_settings, shipped_order):
    response = signed_in(shipped_order["customer"]).post(intent_url(shipped_order["order"]))

    assert response.status_code == 409 and response.json()["code"] == "not_payable"


def test_without_stripe_keys_an_app_is_told_card_payments_are_off(settings, shipped_order):
    settings.STRIPE_SECRET_KEY = ""
    order = shipped_order["order"]
    order.status = order_status.PENDING_PAYMENT
    order.save()

    response = signed_in(shipped_order["customer"]).post(intent_url(order))

    assert response.status_code == 409 and response.json()["code"] == "card_unavailable"


def test_an_unknown_payable_kind_answers_404(shipped_order):
    number = shipped_order["order"].number
    response = signed_in(shipped_order["customer"]).post(f"/api/v1/payments/nothing/{number}/intent/")

    assert response.status_code == 404


# ------------------------------------------------------------------ P5: the customer cancels
def cancel_url(order, shipment=None) -> str:
    if shipment is None:
        return f"{ORDERS}{order.number}/cancel/"
    return f"{ORDERS}{order.number}/shipments/{shipment.pk}/cancel/"


def test_the_customer_cancels_one_shipment_and_the_order_shows_it(shipped_order):
    order, customer = shipped_order["order"], shipped_order["customer"]
    lamp_shipment, stove_shipment = order.shipments.order_by("pk")
    client = signed_in(customer)

    no_reason = client.post(cancel_url(order, lamp_shipment), {}, format="json")
    response = client.post(cancel_url(order, lamp_shipment), {"reason": "Changed my mind"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="cancel-lamp-1")
    replay = client.post(cancel_url(order, lamp_shipment), {"reason": "Changed my mind"}, format="json",
                         HTTP_IDEMPOTENCY_KEY="cancel-lamp-1")

    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(s["id"], s["status"], s["can_cancel"]) for s in body["shipments"]] == [
        (lamp_shipment.pk, "cancelled", False), (stove_shipment.pk, "pending", True)]
    assert body["shipments"][0]["cancel_reason"] == "Changed my mind" and body["can_cancel"] is True
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert not ShipmentRefund.objects.filter(shipment__order=order).exists()  # pay on delivery: nothing back


def test_cancelling_the_whole_order_and_what_is_refused(shipped_order):
    order, customer = shipped_order["order"], shipped_order["customer"]
    lamp_shipment, stove_shipment = order.shipments.order_by("pk")
    deliver(lamp_shipment)
    client = signed_in(customer)

    shipped = client.post(cancel_url(order, lamp_shipment), {"reason": "Too late"}, format="json")
    whole = client.post(cancel_url(order), {"reason": "Changed my mind"}, format="json")
    nothing_left = client.post(cancel_url(order, stove_shipment), {"reason": "Again"}, format="json")

    assert shipped.status_code == 409 and shipped.json()["code"] == "invalid_transition"
    assert whole.status_code == 200
    assert [s["status"] for s in whole.json()["shipments"]] == ["delivered", "cancelled"]
    assert whole.json()["can_cancel"] is False
    assert nothing_left.status_code == 200  # already cancelled: the same answer, nothing more


def test_an_unpaid_card_order_is_cancelled_only_as_a_whole(shipped_order):
    order, customer = shipped_order["order"], shipped_order["customer"]
    order.status = order_status.PENDING_PAYMENT
    order.save()
    client = signed_in(customer)

    detail = client.get(f"{ORDERS}{order.number}/").json()
    part = client.post(cancel_url(order, order.shipments.order_by("pk").first()), {"reason": "Mistake"},
                       format="json")
    whole = client.post(cancel_url(order), {"reason": "Mistake"}, format="json")

    assert detail["can_cancel"] is True and {s["can_cancel"] for s in detail["shipments"]} == {False}
    assert part.status_code == 409 and part.json()["code"] == "cancel_whole_order"
    assert whole.status_code == 200 and whole.json()["status"] == order_status.CANCELLED


def test_another_customer_or_the_vendor_gets_404(shipped_order):
    order = shipped_order["order"]
    shipment = order.shipments.order_by("pk").first()

    for user in (UserFactory(), vendor_user(shipment.partner)):
        client = signed_in(user)
        assert client.post(cancel_url(order, shipment), {"reason": "x"}, format="json").status_code == 404
        assert client.post(cancel_url(order), {"reason": "x"}, format="json").status_code == 404
    assert signed_in(shipped_order["customer"]).post(
        f"{ORDERS}{order.number}/shipments/999999/cancel/", {"reason": "x"}, format="json").status_code == 404
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.PENDING


def test_a_card_order_cancelled_through_the_api_is_refunded_against_localstripe(
    stripe_settings, stripe_client, shipped_order, django_capture_on_commit_callbacks
):
    order, customer = shipped_order["order"], shipped_order["customer"]
    order.status = order_status.PENDING_PAYMENT
    order.save()
    client = signed_in(customer)
    payment = Payment.objects.get(pk=client.post(intent_url(order)).json()["payment"])
    pay_with_card(stripe_client, payment, GOOD_CARD)
    signed_post(Client(), intent_event(stripe_client, payment, "payment_intent.succeeded", "evt_api_cancel"))
    stove_shipment = order.shipments.order_by("pk").last()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(order, stove_shipment), {"reason": "Found it cheaper"}, format="json")

    assert response.status_code == 200, response.json()
    refunds = stripe_client.v1.refunds.list({"payment_intent": payment.stripe_payment_intent_id}).data
    assert [refund.amount for refund in refunds] == [28000]  # the stove 250 + its installation 30
    receipt = client.get(f"{ORDERS}{order.number}/").json()["receipts"][0]
    assert receipt["refunds"][0]["amount"] == {"amount": "280.00", "currency": order.currency}
