"""Per-vendor shipment handling (issue 4 points 4, 5, 6, 8, 11): named transitions only,
each logged and notified, each safe to fire twice; vendors act only on their own
shipments; delivery starts the warranty and credits the vendor's held payable."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from ledger.models import Account, Transfer
from notifications.services import messages_for
from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, make_vendor_product, place_order, vendor_user
from tests.helpers.roles import make_staff
from vendors import services
from vendors.errors import (
    InstallationNotRequested,
    InvalidTransition,
    NotAllowed,
    OrderNotPaid,
    ReasonRequired,
    TrackingRequired,
)
from vendors.models import Shipment, ShipmentEvent, ShipmentLine

pytestmark = pytest.mark.django_db

CUSTOMER_PHONE = "+989127770011"

StockRecord = get_model("partner", "StockRecord")


def balance(code: str) -> Decimal:
    account = Account.objects.filter(code=code).first()
    return account.balance if account else Decimal("0.00")


def assert_ledger_clean() -> None:
    call_command("ledger_check", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))


@pytest.fixture
def buyer(db):
    return UserFactory(email="buyer@example.com")


@pytest.fixture
def two_vendor_order(buyer):
    lamp_shop = make_vendor("Lamp shop", commission_rate="0.1000")
    rug_shop = make_vendor("Rug shop", commission_rate="0.2000")
    lamp = make_vendor_product(lamp_shop, price="40.00", stock=5, needs_installation=True, installation_price="5.00")
    rug = make_vendor_product(rug_shop, price="250.00", stock=2)
    order = place_order(buyer, [(lamp, 2), (rug, 1)], installation_products=[lamp], phone=CUSTOMER_PHONE)
    return order, lamp_shop, rug_shop


def shipment_of(order, partner) -> Shipment:
    return order.shipments.get(partner=partner)


def test_a_shipment_moves_pending_confirmed_shipped_delivered_and_logs_each_step(two_vendor_order, buyer):
    order, lamp_shop, _rug_shop = two_vendor_order
    shipment = shipment_of(order, lamp_shop)
    seller = vendor_user(lamp_shop)

    services.shipment_confirm(shipment=shipment, user=seller)
    services.shipment_ship(shipment=shipment, user=seller, tracking_reference="IR-POST-123", carrier="Post")
    services.shipment_deliver(shipment=shipment, user=seller)

    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.DELIVERED
    assert (shipment.tracking_reference, shipment.carrier) == ("IR-POST-123", "Post")
    assert shipment.confirmed_at and shipment.shipped_at and shipment.delivered_at
    steps = list(shipment.events.values_list("from_status", "to_status", "actor"))
    assert steps == [
        ("", "pending", None),
        ("pending", "confirmed", seller.pk),
        ("confirmed", "shipped", seller.pk),
        ("shipped", "delivered", seller.pk),
    ]
    # Warranty starts on delivery (P1).
    line = shipment.lines.get()
    assert line.warranty_ends_on() is not None


def test_shipping_consumes_the_allocated_stock_and_cancelling_releases_it(two_vendor_order):
    order, lamp_shop, rug_shop = two_vendor_order
    lamp_record = StockRecord.objects.get(partner=lamp_shop)
    rug_record = StockRecord.objects.get(partner=rug_shop)
    assert (lamp_record.num_in_stock, lamp_record.num_allocated) == (5, 2)

    lamp = shipment_of(order, lamp_shop)
    services.shipment_confirm(shipment=lamp, user=vendor_user(lamp_shop))
    services.shipment_ship(shipment=lamp, user=vendor_user(lamp_shop), tracking_reference="T1")
    lamp_record.refresh_from_db()
    assert (lamp_record.num_in_stock, lamp_record.num_allocated) == (3, 0)

    services.shipment_cancel(shipment=shipment_of(order, rug_shop), user=vendor_user(rug_shop), reason="damaged")
    rug_record.refresh_from_db()
    assert (rug_record.num_in_stock, rug_record.num_allocated) == (2, 0)


def test_each_transition_fired_twice_is_a_no_op_with_the_same_result(two_vendor_order, buyer):
    order, lamp_shop, _ = two_vendor_order
    seller = vendor_user(lamp_shop)
    shipment = shipment_of(order, lamp_shop)
    first = services.shipment_confirm(shipment=shipment, user=seller)
    again = services.shipment_confirm(shipment=shipment, user=seller)
    assert (again.pk, again.status, again.confirmed_at) == (first.pk, first.status, first.confirmed_at)

    services.shipment_ship(shipment=shipment, user=seller, tracking_reference="T1")
    again = services.shipment_ship(shipment=shipment, user=seller, tracking_reference="OTHER")
    assert again.tracking_reference == "T1"
    assert messages_for(event="customer_shipment_shipped", to=buyer.email).count() == 1

    services.shipment_deliver(shipment=shipment, user=seller)
    held = balance(f"vendor:{lamp_shop.pk}:held")
    transfers = Transfer.objects.count()
    services.shipment_deliver(shipment=shipment, user=seller)
    assert balance(f"vendor:{lamp_shop.pk}:held") == held
    assert Transfer.objects.count() == transfers
    assert messages_for(event="customer_shipment_delivered", to=buyer.email).count() == 1
    assert shipment.events.count() == 4
    assert_ledger_clean()


def test_transitions_refuse_skipping_steps_and_cancelling_after_shipping(two_vendor_order):
    order, lamp_shop, _ = two_vendor_order
    seller = vendor_user(lamp_shop)
    shipment = shipment_of(order, lamp_shop)
    with pytest.raises(InvalidTransition):
        services.shipment_ship(shipment=shipment, user=seller, tracking_reference="T1")
    with pytest.raises(InvalidTransition):
        services.shipment_deliver(shipment=shipment, user=seller)
    with pytest.raises(TrackingRequired):
        services.shipment_ship(shipment=shipment, user=seller, tracking_reference="  ")
    services.shipment_confirm(shipment=shipment, user=seller)
    services.shipment_ship(shipment=shipment, user=seller, tracking_reference="T1")
    with pytest.raises(InvalidTransition):
        services.shipment_cancel(shipment=shipment, user=seller, reason="changed my mind")
    with pytest.raises(ReasonRequired):
        services.shipment_cancel(shipment=order.shipments.exclude(pk=shipment.pk).get(),
                                 user=make_staff(), reason="")


def test_a_vendor_user_cannot_touch_another_vendors_shipment_but_staff_can(two_vendor_order):
    order, lamp_shop, rug_shop = two_vendor_order
    rug = shipment_of(order, rug_shop)
    with pytest.raises(NotAllowed):
        services.shipment_confirm(shipment=rug, user=vendor_user(lamp_shop))
    with pytest.raises(NotAllowed):
        services.shipment_cancel(shipment=rug, user=UserFactory(), reason="not mine")
    rug.refresh_from_db()
    assert rug.status == Shipment.Status.PENDING
    staff = make_staff()
    assert services.shipment_confirm(shipment=rug, user=staff).status == Shipment.Status.CONFIRMED


def test_a_card_order_waiting_for_payment_cannot_be_confirmed(buyer):
    vendor = make_vendor()
    lamp = make_vendor_product(vendor, price="40.00", stock=5)
    order = place_order(buyer, [(lamp, 1)], status="Pending payment")
    with pytest.raises(OrderNotPaid):
        services.shipment_confirm(shipment=order.shipments.get(), user=vendor_user(vendor))


def test_the_oscar_order_follows_its_shipments_to_delivered(two_vendor_order):
    order, lamp_shop, rug_shop = two_vendor_order
    lamp, rug = shipment_of(order, lamp_shop), shipment_of(order, rug_shop)
    for shipment, partner in ((lamp, lamp_shop), (rug, rug_shop)):
        services.shipment_confirm(shipment=shipment, user=vendor_user(partner))
    order.refresh_from_db()
    assert order.status == "Being processed"
    services.shipment_ship(shipment=lamp, user=vendor_user(lamp_shop), tracking_reference="T1")
    services.shipment_deliver(shipment=lamp, user=vendor_user(lamp_shop))
    order.refresh_from_db()
    assert order.status == "Being processed"  # the rug hasn't left yet
    services.shipment_ship(shipment=rug, user=vendor_user(rug_shop), tracking_reference="T2")
    order.refresh_from_db()
    assert order.status == "Shipped"
    services.shipment_deliver(shipment=rug, user=vendor_user(rug_shop))
    order.refresh_from_db()
    assert order.status == "Delivered"


def test_an_order_whose_every_shipment_is_cancelled_is_cancelled(two_vendor_order, buyer):
    order, lamp_shop, rug_shop = two_vendor_order
    for partner in (lamp_shop, rug_shop):
        services.shipment_cancel(shipment=shipment_of(order, partner), user=vendor_user(partner), reason="no stock")
    order.refresh_from_db()
    assert order.status == "Cancelled"
    assert messages_for(event="customer_shipment_cancelled", to=buyer.email).count() == 2


def test_delivery_credits_price_minus_commission_plus_installation_to_the_held_payable(two_vendor_order):
    order, lamp_shop, rug_shop = two_vendor_order
    commission_before = balance("platform:commission")
    for partner in (lamp_shop, rug_shop):
        shipment = shipment_of(order, partner)
        services.shipment_confirm(shipment=shipment, user=vendor_user(partner))
        services.shipment_ship(shipment=shipment, user=vendor_user(partner), tracking_reference="T")
        services.shipment_deliver(shipment=shipment, user=vendor_user(partner))

    # Lamps: 2 × 40 = 80, 10% commission = 8, installation 2 × 5 = 10 -> 82 held.
    assert balance(f"vendor:{lamp_shop.pk}:held") == Decimal("82.00")
    # Rug: 250, 20% commission = 50 -> 200 held.
    assert balance(f"vendor:{rug_shop.pk}:held") == Decimal("200.00")
    assert balance(f"vendor:{lamp_shop.pk}:available") == Decimal("0.00")
    assert balance("platform:commission") - commission_before == Decimal("58.00")
    lamp_line = ShipmentLine.objects.get(shipment__partner=lamp_shop, shipment__order=order)
    assert (lamp_line.commission_amount, lamp_line.credited_amount, lamp_line.held_amount) == (
        Decimal("8.00"), Decimal("82.00"), Decimal("82.00"),
    )
    sale = Transfer.objects.get(idempotency_key=f"vendor-sale:{lamp_line.line_id}")
    assert sorted(sale.legs.values_list("amount", flat=True)) == [Decimal("-90.00"), Decimal("8.00"),
                                                                 Decimal("82.00")]
    assert_ledger_clean()


def test_installation_is_a_task_the_vendor_marks_done_once_shipped(two_vendor_order):
    order, lamp_shop, rug_shop = two_vendor_order
    shipment = shipment_of(order, lamp_shop)
    seller = vendor_user(lamp_shop)
    task = shipment.lines.get()
    with pytest.raises(InvalidTransition):
        services.installation_mark_done(shipment_line=task, user=seller)
    services.shipment_confirm(shipment=shipment, user=seller)
    services.shipment_ship(shipment=shipment, user=seller, tracking_reference="T")
    with pytest.raises(NotAllowed):
        services.installation_mark_done(shipment_line=task, user=vendor_user(rug_shop))
    done = services.installation_mark_done(shipment_line=task, user=seller)
    assert done.installation_status == ShipmentLine.InstallationStatus.DONE and done.installed_at
    assert services.installation_mark_done(shipment_line=task, user=seller).installed_at == done.installed_at
    with pytest.raises(InstallationNotRequested):
        services.installation_mark_done(shipment_line=shipment_of(order, rug_shop).lines.get(),
                                        user=vendor_user(rug_shop))
    assert ShipmentEvent.objects.filter(shipment=shipment, note__startswith="installation done").count() == 1


def test_shipped_and_delivered_notify_the_customer_by_email_and_sms(two_vendor_order, buyer):
    order, lamp_shop, _ = two_vendor_order
    shipment = shipment_of(order, lamp_shop)
    seller = vendor_user(lamp_shop)
    services.shipment_confirm(shipment=shipment, user=seller)
    services.shipment_ship(shipment=shipment, user=seller, tracking_reference="IR-POST-9")
    services.shipment_deliver(shipment=shipment, user=seller)
    shipped = messages_for(event="customer_shipment_shipped", to=buyer.email).get()
    assert "IR-POST-9" in shipped.body
    assert messages_for(event="customer_shipment_shipped", to=CUSTOMER_PHONE).count() == 1
    assert messages_for(event="customer_shipment_delivered", to=CUSTOMER_PHONE).count() == 1


def test_a_cancelled_unpaid_order_closes_its_shipments_without_touching_stock(buyer):
    """payments/ cancels unpaid card orders (and releases their stock itself); Oscar's
    order_status_changed signal then closes the vendors' shipments, once."""
    vendor = make_vendor()
    lamp = make_vendor_product(vendor, price="40.00", stock=5)
    order = place_order(buyer, [(lamp, 2)], status="Pending payment")
    record = StockRecord.objects.get(product=lamp)
    record.cancel_allocation(2)  # what payments.services.order_expire_unpaid does

    order.set_status("Cancelled")  # sends order_status_changed

    shipment = order.shipments.get()
    assert shipment.status == Shipment.Status.CANCELLED
    assert shipment.events.last().note == "order cancelled"
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (5, 0)
    assert services.order_cancelled_close_shipments(order=order) == 0


def test_vendors_hear_of_a_card_order_once_it_is_paid(buyer):
    vendor = make_vendor()
    lamp = make_vendor_product(vendor, price="40.00", stock=5)
    order = place_order(buyer, [(lamp, 1)], status="Pending payment")
    seller = vendor_user(vendor)
    assert messages_for(event="vendor_new_order_lines", to=seller.email).count() == 0
    assert messages_for(event="customer_order_placed", to=buyer.email).count() == 1

    order.set_status("Pending")  # what payments/ does when Stripe confirms the payment

    assert messages_for(event="vendor_new_order_lines", to=seller.email).count() == 1
    services.shipment_confirm(shipment=order.shipments.get(), user=seller)
    assert messages_for(event="vendor_new_order_lines", to=seller.email).count() == 1
