"""P5: the customer cancels a vendor's part of their order (a shipment) before it leaves,
or the whole order; the stock goes back, the vendor is told, the customer is confirmed,
and a card order is refunded that shipment's lines (plus the shipping with the last one),
once, after commit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import translation

from notifications.models import Message
from payments import gateway
from payments.errors import RefundFailed
from payments.models import Payment, PaymentRefund
from shop import order_status
from tests.factories import UserFactory
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order, vendor_user
from vendors import services
from vendors.errors import CancelWholeOrder, InvalidTransition, NotOrderOwner, ReasonRequired
from vendors.models import Shipment, ShipmentEvent, ShipmentLine, ShipmentRefund

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_vendors():
    buyer = UserFactory(email="cancel-buyer@example.com")
    lamps = make_vendor("Cancel Lamps")
    rugs = make_vendor("Cancel Rugs")
    lamp = make_vendor_product(lamps, price=Decimal("100.00"), stock=5)
    rug = make_vendor_product(rugs, price=Decimal("200.00"), stock=5, needs_installation=True,
                              installation_price=Decimal("30.00"))
    order = place_order(buyer, [(lamp, 1), (rug, 1)], installation_products=[rug])
    return {"buyer": buyer, "order": order, "lamps": lamps, "rugs": rugs, "lamp": lamp, "rug": rug,
            "lamp_shipment": order.shipments.get(partner=lamps), "rug_shipment": order.shipments.get(partner=rugs)}


def pay_by_card(order, *, shipping: Decimal = Decimal("0.00")) -> Payment:
    """Record the order as paid by card (as shop.payables.on_paid leaves it), optionally
    with a shipping charge the checkout's free method doesn't make."""
    if shipping:
        order.shipping_incl_tax = order.shipping_excl_tax = shipping
        order.total_incl_tax += shipping
        order.total_excl_tax += shipping
        order.save()
    return Payment.objects.create(
        payable_type=ContentType.objects.get_for_model(order), payable_id=order.pk, user=order.user,
        amount=order.total_incl_tax, currency=order.currency, status=Payment.Status.SUCCEEDED,
        idempotency_key=f"test-cancel-{order.pk}", stripe_payment_intent_id=f"pi_cancel_{order.pk}",
    )


@pytest.fixture
def stripe_refunds(monkeypatch):
    """The gateway's refund call, recorded: each call's amount and idempotency key."""
    calls: list[dict] = []

    def create_refund(**kwargs):
        calls.append(kwargs)
        return {"id": f"re_cancel_{len(calls)}"}

    monkeypatch.setattr(gateway, "create_refund", create_refund)
    return calls


def allocated(stockrecord_product) -> int:
    record = stockrecord_product.stockrecords.get()
    return record.num_allocated or 0


# ------------------------------------------------------------------ who and when
def test_only_the_customer_who_ordered_may_cancel(two_vendors):
    shipment = two_vendors["lamp_shipment"]
    for intruder in (UserFactory(), vendor_user(two_vendors["lamps"])):
        with pytest.raises(NotOrderOwner):
            services.shipment_cancel_by_customer(shipment=shipment, user=intruder, reason="Not mine")
        with pytest.raises(NotOrderOwner):
            services.order_cancel_by_customer(order=two_vendors["order"], user=intruder, reason="Not mine")
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.PENDING


def test_a_reason_is_required(two_vendors):
    with pytest.raises(ReasonRequired):
        services.shipment_cancel_by_customer(shipment=two_vendors["lamp_shipment"], user=two_vendors["buyer"],
                                             reason="  ")


def test_pending_and_confirmed_shipments_cancel_but_a_shipped_one_does_not(two_vendors):
    lamp_shipment, rug_shipment = two_vendors["lamp_shipment"], two_vendors["rug_shipment"]
    buyer = two_vendors["buyer"]
    services.shipment_confirm(shipment=lamp_shipment, user=vendor_user(two_vendors["lamps"]))
    rug_vendor = vendor_user(two_vendors["rugs"])
    services.shipment_confirm(shipment=rug_shipment, user=rug_vendor)
    services.shipment_ship(shipment=rug_shipment, user=rug_vendor, tracking_reference="TRK-RUG")

    cancelled = services.shipment_cancel_by_customer(shipment=lamp_shipment, user=buyer, reason="Changed my mind")
    with pytest.raises(InvalidTransition):
        services.shipment_cancel_by_customer(shipment=rug_shipment, user=buyer, reason="Too late")

    assert cancelled.status == Shipment.Status.CANCELLED and cancelled.cancel_reason == "Changed my mind"
    event = ShipmentEvent.objects.filter(shipment=lamp_shipment).latest("pk")
    assert (event.action, event.from_status, event.actor) == ("customer_cancel", "confirmed", buyer)
    rug_shipment.refresh_from_db()
    assert rug_shipment.status == Shipment.Status.SHIPPED
    two_vendors["order"].refresh_from_db()
    assert two_vendors["order"].status != order_status.CANCELLED


def test_the_stock_goes_back_on_sale(two_vendors):
    lamp = two_vendors["lamp"]
    before = allocated(lamp)

    services.shipment_cancel_by_customer(shipment=two_vendors["lamp_shipment"], user=two_vendors["buyer"],
                                         reason="Changed my mind")

    assert allocated(lamp) == before - 1


# ------------------------------------------------------------------ money
def test_pay_on_delivery_refunds_nothing(two_vendors, stripe_refunds):
    services.shipment_cancel_by_customer(shipment=two_vendors["lamp_shipment"], user=two_vendors["buyer"],
                                         reason="Changed my mind")

    assert not ShipmentRefund.objects.filter(shipment__order=two_vendors["order"]).exists()
    assert stripe_refunds == []
    quote = services.cancellation_quote(order=two_vendors["order"], shipment=two_vendors["rug_shipment"])
    assert (quote.method, quote.refund) == ("cash", Decimal("0.00"))


def test_a_card_order_refunds_that_shipments_lines_only_once_after_commit(
    two_vendors, stripe_refunds, django_capture_on_commit_callbacks
):
    order, buyer = two_vendors["order"], two_vendors["buyer"]
    payment = pay_by_card(order)
    rug_shipment = two_vendors["rug_shipment"]
    quote = services.cancellation_quote(order=order, shipment=rug_shipment)
    assert (quote.method, quote.goods, quote.shipping) == ("card", Decimal("230.00"), Decimal("0.00"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.shipment_cancel_by_customer(shipment=rug_shipment, user=buyer, reason="Found it cheaper")
        assert stripe_refunds == []  # nothing reaches Stripe before the cancellation commits
    with django_capture_on_commit_callbacks(execute=True):
        again = services.shipment_cancel_by_customer(shipment=rug_shipment, user=buyer, reason="Again")

    assert callbacks
    assert again.status == Shipment.Status.CANCELLED and again.cancel_reason == "Found it cheaper"
    # The rug (200) and its installation (30), once, under the shipment's own key.
    assert [(call["amount_minor"], call["idempotency_key"]) for call in stripe_refunds] == [
        (23000, f"refund:shipment-cancel:{rug_shipment.pk}")]
    refund = PaymentRefund.objects.get(payment=payment)
    assert refund.amount == Decimal("230.00") and refund.status == PaymentRefund.Status.DONE
    intent = ShipmentRefund.objects.get(shipment=rug_shipment)
    assert intent.sent_at is not None and intent.payment_refund == refund
    # It falls on the rug's line, not on the other vendor's lamp.
    assert ShipmentLine.objects.get(shipment=rug_shipment).refunded_amount == Decimal("230.00")
    assert ShipmentLine.objects.get(shipment=two_vendors["lamp_shipment"]).refunded_amount == Decimal("0.00")


def test_cancelling_the_whole_card_order_refunds_everything_with_the_shipping(
    two_vendors, stripe_refunds, django_capture_on_commit_callbacks
):
    order, buyer = two_vendors["order"], two_vendors["buyer"]
    payment = pay_by_card(order, shipping=Decimal("15.00"))
    quote = services.cancellation_quote(order=order)
    assert (quote.goods, quote.shipping, quote.refund) == (Decimal("330.00"), Decimal("15.00"), Decimal("345.00"))

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.order_cancel_by_customer(order=order, user=buyer, reason="Changed my mind")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.order_cancel_by_customer(order=order, user=buyer, reason="Again") == []

    assert {s.pk for s in cancelled} == {two_vendors["lamp_shipment"].pk, two_vendors["rug_shipment"].pk}
    order.refresh_from_db()
    assert order.status == order_status.CANCELLED
    payment.refresh_from_db()
    assert payment.amount_refunded == payment.amount == Decimal("345.00")
    # Shipping goes with the last shipment; goods with their own.
    assert sorted(call["amount_minor"] for call in stripe_refunds) == [10000, 24500]
    assert ShipmentRefund.objects.get(shipment=two_vendors["rug_shipment"]).shipping_amount == Decimal("15.00")


def test_shipping_is_kept_while_another_part_of_the_order_travels(
    two_vendors, stripe_refunds, django_capture_on_commit_callbacks
):
    order, buyer = two_vendors["order"], two_vendors["buyer"]
    pay_by_card(order, shipping=Decimal("15.00"))
    deliver(two_vendors["lamp_shipment"])

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.order_cancel_by_customer(order=order, user=buyer, reason="Changed my mind")

    assert [s.pk for s in cancelled] == [two_vendors["rug_shipment"].pk]
    assert [call["amount_minor"] for call in stripe_refunds] == [23000]
    order.refresh_from_db()
    assert order.status != order_status.CANCELLED


def test_a_refund_stripe_refuses_stays_pending_and_the_duty_sends_it_once(
    two_vendors, monkeypatch, django_capture_on_commit_callbacks
):
    order, buyer = two_vendors["order"], two_vendors["buyer"]
    pay_by_card(order)

    def refuse(**kwargs):
        raise RefundFailed("Stripe is down")

    monkeypatch.setattr(gateway, "create_refund", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        services.shipment_cancel_by_customer(shipment=two_vendors["lamp_shipment"], user=buyer, reason="Mistake")
    intent = ShipmentRefund.objects.get(shipment=two_vendors["lamp_shipment"])
    assert intent.sent_at is None and intent.attempts == 1 and "Stripe is down" in intent.last_error
    assert not PaymentRefund.objects.filter(payment=intent.payment).exists()

    keys: list[str] = []
    monkeypatch.setattr(gateway, "create_refund",
                        lambda **kwargs: keys.append(kwargs["idempotency_key"]) or {"id": "re_cancel_retry"})
    call_command("send_shipment_refunds", stdout=open("/dev/null", "w"))
    call_command("send_shipment_refunds", stdout=open("/dev/null", "w"))

    intent.refresh_from_db()
    assert intent.sent_at is not None and keys == [f"refund:shipment-cancel:{intent.shipment_id}"]
    assert PaymentRefund.objects.get(payment=intent.payment).amount == Decimal("100.00")


def test_an_unpaid_card_order_is_cancelled_as_a_whole(two_vendors):
    order, buyer = two_vendors["order"], two_vendors["buyer"]
    order.status = order_status.PENDING_PAYMENT
    order.save()
    lamp = two_vendors["lamp"]
    before = allocated(lamp)

    with pytest.raises(CancelWholeOrder):
        services.shipment_cancel_by_customer(shipment=two_vendors["lamp_shipment"], user=buyer, reason="Mistake")
    cancelled = services.order_cancel_by_customer(order=order, user=buyer, reason="Mistake")

    order.refresh_from_db()
    assert order.status == order_status.CANCELLED
    assert {s.status for s in cancelled} == {Shipment.Status.CANCELLED} and len(cancelled) == 2
    assert {s.cancel_reason for s in cancelled} == {"Mistake"}
    assert allocated(lamp) == before - 1
    assert not ShipmentRefund.objects.filter(shipment__order=order).exists()


# ------------------------------------------------------------------ messages
def test_the_vendor_is_told_and_the_customer_confirmed(two_vendors):
    order, buyer = two_vendors["order"], two_vendors["buyer"]
    lamp_user = vendor_user(two_vendors["lamps"])
    rug_user = vendor_user(two_vendors["rugs"])

    services.shipment_cancel_by_customer(shipment=two_vendors["lamp_shipment"], user=buyer, reason="Changed my mind")

    told = Message.objects.filter(event="vendor_shipment_cancelled_by_customer", channel="email")
    assert told.filter(recipient=lamp_user).exists() and not told.filter(recipient=rug_user).exists()
    body = told.get(recipient=lamp_user).body
    assert str(order.number) in body and "Changed my mind" in body
    confirmed = Message.objects.get(event="customer_order_cancel_confirmed", channel="email", recipient=buyer)
    with translation.override(confirmed.language):  # the customer's language (the site's default: fa)
        nothing_back = translation.gettext("Nothing was charged for these items, so nothing needs to be refunded.")
    assert str(order.number) in confirmed.subject and nothing_back in confirmed.body


def test_staff_see_a_pending_shipment_refund_and_its_error_in_the_admin(
    two_vendors, client, monkeypatch, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    pay_by_card(two_vendors["order"])

    def refuse(**kwargs):
        raise RefundFailed("card network down")

    monkeypatch.setattr(gateway, "create_refund", refuse)
    shipment = two_vendors["lamp_shipment"]
    with django_capture_on_commit_callbacks(execute=True):
        services.shipment_cancel_by_customer(shipment=shipment, user=two_vendors["buyer"], reason="Mistake")
    client.force_login(get_user_model().objects.create_superuser("cancel-admin", "ca@example.com", "pw-12345678"))

    page = client.get(f"/django-admin/vendors/shipment/{shipment.pk}/change/")

    assert page.status_code == 200 and "card network down" in page.content.decode()


def test_a_vendor_cancelling_a_card_paid_part_refunds_it_to_the_card_once(
    two_vendors, stripe_refunds, django_capture_on_commit_callbacks
):
    """The customer is told "anything you paid for these items will be refunded" when the
    vendor cancels: on a card order that refund is booked and sent like P5's."""
    order = two_vendors["order"]
    payment = pay_by_card(order)
    rug_shipment, rugs = two_vendors["rug_shipment"], two_vendors["rugs"]

    with django_capture_on_commit_callbacks(execute=True):
        services.shipment_cancel(shipment=rug_shipment, user=vendor_user(rugs), reason="Out of stock")
    with django_capture_on_commit_callbacks(execute=True):
        services.shipment_cancel(shipment=rug_shipment, user=vendor_user(rugs), reason="Out of stock")

    assert [(call["amount_minor"], call["idempotency_key"]) for call in stripe_refunds] == [
        (23000, f"refund:shipment-cancel:{rug_shipment.pk}")]
    assert PaymentRefund.objects.get(payment=payment).amount == Decimal("230.00")
    assert ShipmentLine.objects.get(shipment=rug_shipment).refunded_amount == Decimal("230.00")
    assert ShipmentLine.objects.get(shipment=two_vendors["lamp_shipment"]).refunded_amount == Decimal("0.00")


def test_a_vendor_cancelling_a_pay_on_delivery_part_refunds_nothing(two_vendors, stripe_refunds):
    services.shipment_cancel(shipment=two_vendors["lamp_shipment"], user=vendor_user(two_vendors["lamps"]),
                             reason="Out of stock")
    assert stripe_refunds == [] and not ShipmentRefund.objects.filter(shipment=two_vendors["lamp_shipment"]).exists()
